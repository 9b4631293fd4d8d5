#pragma once
// Turns notes played on a MIDI input into Notes of a track, placed at the playhead through the song's
// tempo map, after an optional count-in.

#include "music/Song.h"
#include "playback/MidiIn.h"
#include "playback/Timeline.h"

#include <array>
#include <cstdint>
#include <vector>

namespace continuo::playback {

struct RecordingOptions {
    std::int64_t startTick = 0; ///< the song tick where recording starts (the playhead), ≥ 0
    int countInBars = 0;        ///< 0–8 bars at the meter and tempo of startTick before it starts
    std::uint8_t channel = 0;   ///< channel the notes get (the track's), 0–15; input channels are ignored
};

/// Thread contract: one thread (the GUI thread, which polls the MidiIn and feeds it). Plain logic, no
/// clock of its own: every time is a steady-clock second (steadySeconds()).
class MidiRecorder {
public:
    /// Throws PlaybackError(InvalidArgument) for options out of range.
    MidiRecorder(const music::Song& song, const RecordingOptions& options);

    /// The count-in (if any) begins at `steadySeconds`; recording begins countInSeconds() later.
    void start(double steadySeconds);
    double countInSeconds() const { return countIn_; }
    /// The steady-clock second at which startTick sounds.
    double recordStartSeconds() const { return t0_ + countIn_; }
    /// The song tick at steady-clock second `seconds` (fractional; before the start it is < startTick).
    double tickAt(double seconds) const;

    /// Takes one received message. Note-ons open a note, note-offs close it; anything else is ignored.
    /// A note played in the last beat of the count-in starts at startTick (a player's early pickup);
    /// earlier count-in notes are dropped.
    void feed(const TimedMidiMessage& message);
    /// Feeds everything waiting in `input`.
    void feedFrom(MidiIn& input);

    /// Notes completed so far, in the order they ended.
    const std::vector<music::Note>& notes() const { return notes_; }
    /// Closes every held note at `steadySeconds` and returns all notes, sorted (noteLess).
    std::vector<music::Note> finish(double steadySeconds);

    /// Inserts `notes` into `track` and sorts it.
    static void mergeInto(music::Track& track, const std::vector<music::Note>& notes);

private:
    std::int64_t toTick(double seconds) const;
    void close(int key, double seconds);

    TempoMap tempo_;
    RecordingOptions options_;
    double startSongSeconds_ = 0; ///< song seconds at startTick
    double countIn_ = 0;
    double lastBeat_ = 0; ///< seconds of the count-in's last beat
    double t0_ = 0;
    std::array<double, 128> heldSince_{};
    std::array<std::uint8_t, 128> heldVelocity_{};
    std::vector<music::Note> notes_;
};

} // namespace continuo::playback
