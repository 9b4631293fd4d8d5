#pragma once
// Where a Player sends MIDI: the Synth or a MIDI output port. The player asks the sink for its clock and
// how far ahead it accepts events, so a sink with its own scheduler (FluidSynth's sequencer on the synth's
// sample clock) gets sample-accurate timing, and a port without one gets each event at its moment.

#include "playback/MidiMessage.h"

#include <string>

namespace continuo::playback {

class MidiSink {
public:
    virtual ~MidiSink() = default;

    /// The sink's clock in seconds: monotonic, any origin. Called on the player thread.
    virtual double clockSeconds() const = 0;

    /// How far ahead of clockSeconds() the sink accepts events, in seconds (0: only "now").
    virtual double lookaheadSeconds() const = 0;

    /// How long after play() the first events are due: time for them to reach the sink first. Default:
    /// the lookahead up to 30 ms (a Play button must feel immediate; a scheduling sink plays a late event
    /// at once), 2 ms for a sink without lookahead. Called on the player thread.
    virtual double startDelaySeconds() const {
        const double lookahead = lookaheadSeconds();
        return lookahead > 0 ? (lookahead < 0.03 ? lookahead : 0.03) : 0.002;
    }

    /// Plays `message` at clock time `when` (≤ clockSeconds() + lookaheadSeconds(); a time in the past
    /// plays at once). Called on the player thread: implementations neither lock (beyond the library's
    /// own short locks) nor allocate.
    virtual void sendAt(const MidiMessage& message, double when) = 0;

    /// Drops every event handed over by sendAt() that has not sounded yet (stop and seek call it before
    /// releasing the notes). Called on the player thread.
    virtual void cancelPending() = 0;

    /// True when events sent now would be heard (an audio driver runs, or a port is open); otherwise
    /// `why` (if given) says what is missing. Any thread.
    virtual bool canPlay(std::string* why = nullptr) const = 0;
};

} // namespace continuo::playback
