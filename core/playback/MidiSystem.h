#pragma once
// Which MIDI systems are there (ALSA sequencer, JACK server) and which ports they offer. Asking never
// throws and never prints: a missing system is a state the UI shows.

#include <string>
#include <string_view>
#include <vector>

namespace continuo::playback {

enum class MidiApi {
    Auto, ///< ALSA when its sequencer is there, else JACK when a server runs
    Alsa,
    Jack,
};

/// "auto", "alsa", "jack".
const char* midiApiName(MidiApi api);
/// Parses "auto" / "alsa" / "jack" (case-insensitive); throws PlaybackError(InvalidArgument) otherwise.
MidiApi parseMidiApi(std::string_view name);

struct MidiApiStatus {
    MidiApi api = MidiApi::Alsa;
    bool available = false;
    std::string reason; ///< why not, when not available ("no ALSA sequencer (/dev/snd/seq …)")
};

/// Probes ALSA (opens and closes a sequencer client) or JACK (connects to the server named by
/// JACK_DEFAULT_SERVER, never starting one). A few milliseconds; any thread.
MidiApiStatus probeMidiApi(MidiApi api);

/// The API to use for `requested`: itself when available, for Auto the first available of ALSA and JACK.
/// Throws PlaybackError: NoMidiSystem (ALSA asked and absent, or Auto and neither; the message gives both
/// reasons) or NoJackServer (JACK asked and no server).
MidiApi resolveMidiApi(MidiApi requested);

struct MidiPortLists {
    MidiApi api = MidiApi::Alsa;
    std::vector<std::string> outputs; ///< ports Continuo can send to (synths, other programs' inputs)
    std::vector<std::string> inputs;  ///< ports Continuo can record from (keyboards, other programs' outputs)
};

/// The ports of one MIDI system (resolved as resolveMidiApi does, so it throws the same errors).
MidiPortLists listMidiPorts(MidiApi api);

/// Returns once the JACK server (JACK_DEFAULT_SERVER) has run `cycles` process cycles, counted by a short-
/// lived client of its own; false when there is no server or `timeoutMs` passed. A connection made before
/// the call is in effect afterwards (JACK applies graph changes at a cycle start), so the first notes sent
/// after opening a port are not lost. Polls; takes a few periods.
bool waitForJackCycles(int cycles = 2, int timeoutMs = 2000);

/// Index of the first of `ports` containing `name` (case-insensitive); an exact match wins over a
/// substring. -1 when none.
int findPort(const std::vector<std::string>& ports, std::string_view name);

} // namespace continuo::playback
