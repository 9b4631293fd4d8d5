#pragma once
// What the studio needs to make a sound when the user clicks a key or draws a note. `app/` implements it on
// core/playback's Synth and hands it to the roll; tests and a build without audio use NullAudition.

#include <cstdint>

namespace continuo::ui {

/// Thread contract: called on the GUI thread only; implementations must return quickly (no audio-device
/// work inline: queue it for the synth's own thread).
class IAudition {
public:
    virtual ~IAudition() = default;
    /// Starts `pitch` (0–127) at `velocity` (1–127) on `channel` (0–15) with GM `program` (0–127).
    virtual void noteOn(int channel, int program, int pitch, int velocity) = 0;
    /// Stops `pitch` on `channel`; unknown or already stopped notes are ignored.
    virtual void noteOff(int channel, int pitch) = 0;
    /// Stops everything (focus lost, window closed).
    virtual void allNotesOff() = 0;
};

/// Silence: the default until `app/` wires a synth. Remembers the last note, which tests check.
class NullAudition : public IAudition {
public:
    void noteOn(int, int, int pitch, int) override {
        lastPitch = pitch;
        ++count;
    }
    void noteOff(int, int) override {}
    void allNotesOff() override {}
    int lastPitch = -1;
    int count = 0;
};

} // namespace continuo::ui
