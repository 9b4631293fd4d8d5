// continuo-cli render IN.mid --out OUT.wav: offline rendering through FluidSynth, faster than real time.

#include "cli/Commands.h"
#include "music/MidiFileNames.h"
#include "music/SongFile.h"
#include "playback/OfflineRender.h"

#include <cstdio>
#include <memory>

namespace continuo::cli {

Run addRenderCommand(CLI::App& app) {
    struct Options {
        std::string in;
        std::string out;
        std::string soundFont;
        int rate = 44100;
        bool isFloat = false;
        double tail = 2.0;
        double gain = 0.5;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd =
        app.add_subcommand("render", "Render a MIDI file to a WAV file through the General MIDI synth");
    cmd->add_option("IN", o->in, "a " + music::midiExtensionsText() + " file")->required();
    cmd->add_option("--out,-o", o->out, "the WAV file to write")->required();
    cmd->add_option("--soundfont", o->soundFont, "a .sf2/.sf3 file (default: the SoundFont lookup)");
    cmd->add_option("--rate", o->rate, "sample rate in Hz")->check(CLI::IsMember({44100, 48000}));
    cmd->add_flag("--float", o->isFloat, "32-bit float samples instead of 16-bit PCM");
    cmd->add_option("--tail", o->tail, "seconds rendered after the last note ends")
        ->check(CLI::Range(0.0, 60.0));
    cmd->add_option("--gain", o->gain, "synth gain (FluidSynth's default is 0.2)")
        ->check(CLI::Range(0.0, 10.0));
    return [o] {
        const music::LoadedSong loaded = music::loadSong(o->in);
        playback::RenderOptions options;
        options.soundFont = o->soundFont;
        options.sampleRate = o->rate;
        options.format = o->isFloat ? playback::SampleFormat::Float32 : playback::SampleFormat::Int16;
        options.tailSeconds = o->tail;
        options.gain = o->gain;
        const playback::RenderResult r = playback::renderSongToWav(loaded.song, o->out, options);
        std::printf("%s: %.2f s, %d Hz, %s stereo, SoundFont %s; rendered in %.2f s (%.0f× real time)\n",
                    o->out.c_str(), r.audioSeconds, r.sampleRate, o->isFloat ? "32-bit float" : "16-bit",
                    r.soundFont.string().c_str(), r.wallSeconds, r.speed());
        if (r.silent())
            std::fprintf(stderr,
                         "continuo-cli: warning: %s is silent although the song has %zu notes: the SoundFont "
                         "%s has no sound for its instruments%s\n",
                         o->out.c_str(), r.notes, r.soundFont.string().c_str(),
                         o->gain == 0 ? " (and --gain is 0)" : " (try another one with --soundfont)");
        return 0;
    };
}

} // namespace continuo::cli
