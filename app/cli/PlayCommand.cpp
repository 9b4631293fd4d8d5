// continuo-cli play IN.mid [--port NAME]: plays through the synth's audio driver, or to a MIDI port.

#include "cli/Commands.h"
#include "music/MidiFileNames.h"
#include "music/SongFile.h"
#include "playback/MidiOut.h"
#include "playback/PlaybackError.h"
#include "playback/Player.h"
#include "playback/Synth.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <memory>
#include <thread>

namespace continuo::cli {

namespace {

std::atomic<bool> interrupted{false};
void onSignal(int) {
    interrupted.store(true);
}

// Plays to the end or until Ctrl+C; the Player's destructor releases every note either way.
int playThrough(playback::MidiSink& sink, const music::Song& song) {
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    playback::Player player(sink);
    player.setSong(song);
    player.play();
    while (!interrupted.load() && player.endedCount() == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20)); // a CLI waiting for the user, not a sync
    }
    if (!interrupted.load()) return 0;
    player.stop();
    std::fprintf(stderr, "continuo-cli: play interrupted\n");
    return 130;
}

} // namespace

Run addPlayCommand(CLI::App& app) {
    struct Options {
        std::string in;
        std::string port;
        std::string api = "auto";
        std::string soundFont;
        std::string audioDriver = "auto";
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd =
        app.add_subcommand("play", "Play a MIDI file through the synth, or to a MIDI output port");
    cmd->add_option("IN", o->in, "a " + music::midiExtensionsText() + " file")->required();
    cmd->add_option("--port", o->port,
                    "MIDI output port (a substring of its name; see `ports`); default: the synth");
    cmd->add_option("--api", o->api, "MIDI system for --port")
        ->check(CLI::IsMember({"auto", "alsa", "jack"}));
    cmd->add_option("--soundfont", o->soundFont,
                    "a .sf2/.sf3 file for the synth (default: the SoundFont lookup)");
    cmd->add_option("--audio-driver", o->audioDriver, "the synth's audio driver")
        ->check(CLI::IsMember({"auto", "pulseaudio", "alsa", "jack"}));
    return [o] {
        const music::LoadedSong loaded = music::loadSong(o->in);
        const double seconds = loaded.song.secondsAt(loaded.song.endTick());
        if (!o->port.empty()) {
            playback::MidiOut out(playback::parseMidiApi(o->api), "Continuo CLI");
            out.open(o->port);
            std::printf("playing %s (%.1f s) to %s\n", o->in.c_str(), seconds, out.portName().c_str());
            std::fflush(stdout);
            return playThrough(out, loaded.song);
        }
        playback::SynthOptions options;
        options.soundFont = o->soundFont;
        options.audioDriver = o->audioDriver;
        playback::Synth synth(options);
        std::string why;
        if (!synth.canPlay(&why)) throw playback::PlaybackError(playback::ErrorKind::NoAudioDevice, why);
        std::printf("playing %s (%.1f s) through the synth (%s)\n", o->in.c_str(), seconds,
                    synth.audioStatus().c_str());
        std::fflush(stdout);
        const int rc = playThrough(synth, loaded.song);
        if (rc == 0) std::this_thread::sleep_for(std::chrono::milliseconds(800)); // let releases ring out
        return rc;
    };
}

} // namespace continuo::cli
