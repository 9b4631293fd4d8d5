#pragma once
// The one exception type of core/playback. Its kind lets the UI show a state ("no audio device",
// "no MIDI port") instead of only a sentence.

#include <stdexcept>
#include <string>

namespace continuo::playback {

enum class ErrorKind {
    SoundFontMissing, ///< no SoundFont at the given path, or none found by the default lookup
    SoundFontInvalid, ///< the file is not a SoundFont 2/3 or FluidSynth cannot load it
    NoAudioDevice,    ///< live playback through the synth was asked for but no audio driver could start
    NoMidiSystem,     ///< no ALSA sequencer (and no JACK server when the API was left to choose)
    NoJackServer,     ///< the JACK API was asked for and no JACK server is running
    PortNotFound,     ///< no MIDI port matches the name given
    PortFailed,       ///< the MIDI system refused to open or create the port
    WriteFailed,      ///< an output file could not be written
    InvalidArgument,  ///< a value out of its documented range
    ServerFailed,     ///< a JACK server process could not be started (tests and benchmarks)
};

/// Thrown with one sentence a user can act on ("cannot open MIDI port …: no port matches; ports: …").
class PlaybackError : public std::runtime_error {
public:
    PlaybackError(ErrorKind kind, const std::string& message)
        : std::runtime_error(message)
        , kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

} // namespace continuo::playback
