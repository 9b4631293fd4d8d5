#include "StudioSoundSystem.h"

#include "playback/MidiSystem.h"
#include "playback/PlaybackError.h"
#include "playback/SoundFonts.h"
#include "playback/Synth.h"

#include <chrono>
#include <thread>

namespace continuo::app {

std::vector<std::string> StudioSoundSystem::audioDrivers() const {
    // Only the desktop's sound servers and the card itself: FluidSynth's others (oss, sdl2, portaudio…)
    // are either obsolete on Linux or a detour through another library to the same servers.
    std::vector<std::string> out{"auto"};
    for (const std::string& d : playback::Synth::audioDrivers())
        if (d == "pulseaudio" || d == "pipewire" || d == "alsa" || d == "jack") out.push_back(d);
    out.push_back("none");
    return out;
}

std::string StudioSoundSystem::defaultSoundFont() const {
    const auto found = playback::findSoundFont(playback::defaultSoundFontCandidates());
    return found ? found->string() : std::string();
}

std::string StudioSoundSystem::checkSoundFont(const std::string& path) const {
    try {
        playback::checkSoundFont(path);
        return {};
    } catch (const std::exception& e) {
        return e.what();
    }
}

ui::MidiPortList StudioSoundSystem::midiPorts() const {
    ui::MidiPortList out;
    try {
        const playback::MidiPortLists lists = playback::listMidiPorts(playback::MidiApi::Auto);
        out.outputs = lists.outputs;
        out.inputs = lists.inputs;
    } catch (const std::exception& e) {
        out.problem = e.what();
    }
    return out;
}

ui::TestNoteResult StudioSoundSystem::playTestNote(const ui::SoundSettings& settings) const {
    playback::SynthOptions options;
    options.soundFont = settings.soundFont;
    options.audioDriver = settings.audioDriver;
    options.gain = settings.gain;
    try {
        playback::Synth synth(options);
        const std::string name = synth.soundFont().filename().string();
        std::string why;
        if (!synth.canPlay(&why))
            return {false, name + " loads, but nothing can be heard: " +
                               (why.empty() ? synth.audioStatus() : why) + "."};
        // A C major chord on the piano, held long enough to judge the sound and the level.
        synth.programChange(0, 0);
        for (int key : {60, 64, 67, 72})
            synth.noteOn(0, key, 100);
        std::this_thread::sleep_for(std::chrono::milliseconds(900));
        synth.allNotesOff();
        std::this_thread::sleep_for(std::chrono::milliseconds(600)); // the release, before the driver stops
        return {true, "Played a C major chord with " + name + " (" + synth.audioStatus() + ")."};
    } catch (const std::exception& e) {
        return {false, e.what()};
    }
}

void StudioSoundSystem::apply(const ui::SoundSettings& settings) {
    if (transport_) transport_->configure(settings);
}

} // namespace continuo::app
