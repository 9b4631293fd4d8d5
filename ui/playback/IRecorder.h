#pragma once
// Recording notes played on a MIDI input, as the studio sees it. `app/` implements it on core/playback's
// MidiRecorder fed by the input port chosen in Settings ▸ MIDI; the RecordController turns what it returns
// into one undo step. Without an implementation the studio has no Record button that does anything.

#include "music/Song.h"

#include <cstdint>
#include <string>
#include <vector>

namespace continuo::ui {

/// Thread contract: every method on the GUI thread (where the input port is polled and fed to the
/// recorder); none blocks. Times are placed through the tempo map of the song given to startRecording.
class IRecorder {
public:
    virtual ~IRecorder() = default;
    /// Why recording cannot start ("no MIDI input port is open…"), or "" when it can.
    virtual std::string recordUnavailableReason() const = 0;
    /// Starts taking notes from the input now, the moment `fromTick` of `song` sounds (the caller starts
    /// playback from there at the same time). Notes get MIDI channel `channel` (0–15). Replaces a recording
    /// in progress (its notes are dropped). Does nothing when recordUnavailableReason() is not "".
    virtual void startRecording(const music::Song& song, std::int64_t fromTick, int channel) = 0;
    virtual bool isRecording() const = 0;
    /// The notes completed so far (released keys; for a live preview), in song ticks.
    virtual std::vector<music::Note> recordedSoFar() const = 0;
    /// Ends the recording: closes held notes now and returns every note, sorted by start. Empty when nothing
    /// was played (or none runs).
    virtual std::vector<music::Note> finishRecording() = 0;
};

} // namespace continuo::ui
