#pragma once
// Internal to core/playback (includes <RtMidi.h>): creating RtMidi objects only after the system was
// probed, and turning RtMidi's error reports into exceptions instead of prints to std::cerr.

#include "playback/MidiSystem.h"
#include "playback/PlaybackError.h"

#include <RtMidi.h>

#include <memory>
#include <string>
#include <vector>

namespace continuo::playback::rtmidi {

/// Collects what RtMidi reports through its error callback (which, once set, replaces both its printing
/// and its throwing). Called on whichever thread made the RtMidi call.
struct ErrorTrap {
    RtMidiError::Type type = RtMidiError::UNSPECIFIED;
    std::string text;
    bool failed = false; ///< an error (not a warning) was reported since the last take()

    static void callback(RtMidiError::Type type, const std::string& text, void* self);
    /// Throws PlaybackError(kind, what + ": " + RtMidi's text) when an error was reported; clears it.
    void throwIfFailed(ErrorKind kind, const std::string& what);
};

RtMidi::Api toRtApi(MidiApi api);

/// Constructs the RtMidi object for a resolved API (not Auto) and installs `trap`. RtMidi's constructor
/// throws where the ALSA sequencer is missing; it is caught and rethrown as PlaybackError(NoMidiSystem).
std::unique_ptr<RtMidiOut> makeOut(MidiApi api, const std::string& clientName, ErrorTrap& trap);
std::unique_ptr<RtMidiIn> makeIn(MidiApi api, const std::string& clientName, ErrorTrap& trap);

std::vector<std::string> portNames(RtMidi& midi);

/// Opens the first port of `midi` whose name contains `wanted` (findPort's rule) and returns its full name;
/// on JACK, returns once the connection is in effect. `direction` ("input" / "output") words the errors.
/// Throws PlaybackError: PortNotFound (naming the ports there are) or PortFailed.
std::string openPortByName(RtMidi& midi, MidiApi api, ErrorTrap& trap, const std::string& wanted,
                           const char* direction);

} // namespace continuo::playback::rtmidi
