#pragma once
// Where immediate MIDI sounds now: the audition client of the MIDI output port when playback goes to one,
// else the built-in synth when it has an audio driver. Two threads send here: the GUI thread (notes clicked
// on the keyboard or drawn in the roll) and the MIDI input thread (notes played on a keyboard), so the
// target is swapped and used under one short lock.

#include "playback/MidiMessage.h"

#include <memory>
#include <mutex>

namespace continuo::playback {
class MidiOut;
class Synth;
} // namespace continuo::playback

namespace continuo::app {

/// Thread contract: send() and allNotesOff() from any thread (each holds the lock for one FluidSynth or
/// RtMidi call: microseconds); setSynth() and setPort() on the GUI thread. A target taken out is destroyed
/// after the lock is released, never under it, so a sender never waits for a synth to shut down.
class LiveOutput {
public:
    /// The synth immediate MIDI goes to when no port is set; null = none.
    void setSynth(std::shared_ptr<playback::Synth> synth);
    /// A MIDI output client of its own on playback's port (a port client is fed by one thread at a time:
    /// this lock is that one); null = play through the synth.
    void setPort(std::unique_ptr<playback::MidiOut> port);

    /// To the port when one is open, else to the synth when it sounds (without a driver, voices would
    /// pile up unheard); dropped otherwise.
    void send(const playback::MidiMessage& message);
    /// Releases every sounding note: CC 123 on the 16 channels of the port, or the synth's all-notes-off.
    void allNotesOff();

private:
    std::mutex mutex_;
    std::shared_ptr<playback::Synth> synth_;
    std::unique_ptr<playback::MidiOut> port_;
};

} // namespace continuo::app
