#pragma once
// A Song flattened for playback: every note as a timed note-on and note-off, in seconds through the tempo
// map, plus the per-channel set-up (GM programs) to send before playing from any point.

#include "music/Song.h"
#include "playback/MidiMessage.h"

#include <cstdint>
#include <vector>

namespace continuo::playback {

/// Ticks ↔ seconds for one song (its tempo map, or its SMPTE rate). Both directions are O(log tempos).
class TempoMap {
public:
    explicit TempoMap(const music::Song& song);
    /// Seconds from tick 0 to `tick` (negative ticks extrapolate at the first tempo).
    double secondsAt(std::int64_t tick) const;
    /// Seconds at a fractional tick, for playhead conversions.
    double secondsAtTick(double tick) const;
    /// The (fractional) tick sounding at `seconds`; the inverse of secondsAt.
    double tickAt(double seconds) const;

private:
    struct Segment {
        double tick;    ///< where this tempo starts
        double seconds; ///< seconds at `tick`
        double secondsPerTick;
    };
    std::vector<Segment> segments_; ///< sorted, at least one, the first at tick 0
};

struct TimedEvent {
    double seconds = 0;    ///< from the song's tick 0, through the tempo map
    std::int64_t tick = 0; ///< the song's tick
    MidiMessage message;
};

struct Timeline {
    explicit Timeline(const music::Song& song);

    TempoMap tempo;
    int ppq = 480;
    /// Program changes for each channel a track plays on (not the drum channel), in track order: sent
    /// before playing from any position.
    std::vector<MidiMessage> setup;
    /// Sorted by time; at equal times note-offs come before note-ons, so a repeated key re-strikes.
    std::vector<TimedEvent> events;
    std::int64_t endTick = 0;
    double endSeconds = 0;

    /// Index of the first event at or after `seconds` (events.size() when none).
    std::size_t firstEventAt(double seconds) const;
};

} // namespace continuo::playback
