#pragma once
// Bar lines on the token grid, from a song's meter map. The "bar" encoding ends every bar with a BAR token
// and its decoder moves to the next bar line, so both sides need the same bar lines: this is where they
// come from. Steps are 1/stepsPerQuarter of a quarter note from tick 0, as in Quantize.h.

#include "music/Song.h"

#include <cstdint>
#include <span>
#include <vector>

namespace continuo::music {

class BarGrid {
public:
    /// 4/4 everywhere, at `stepsPerQuarter` (1–kMaxStepsPerQuarter; default 12).
    BarGrid()
        : BarGrid(12) {}
    explicit BarGrid(int stepsPerQuarter);
    /// The bars of `meters` (sorted by tick; empty = 4/4), ticks at `ppq`: the first bar starts at step 0,
    /// a bar lasts its meter's length, and a meter change starts a new bar where it stands even inside a
    /// bar (as notation programs do). A bar is at least one step long.
    BarGrid(std::span<const TimeSignature> meters, int ppq, int stepsPerQuarter);
    static BarGrid of(const Song& song, int stepsPerQuarter) {
        return BarGrid(song.timeSignatures, song.ppq, stepsPerQuarter);
    }

    /// The first bar line after `step` (> step). Steps before 0 count as bar 0's.
    std::int64_t nextBarLine(std::int64_t step) const;
    /// The bar line at or before `step` (0 for steps before 0).
    std::int64_t barStart(std::int64_t step) const;
    /// Length in steps of the bar holding `step`.
    std::int64_t barLength(std::int64_t step) const { return nextBarLine(step) - barStart(step); }
    bool isBarLine(std::int64_t step) const { return barStart(step) == step; }
    /// The number of the bar holding `step` (bar 0 starts at step 0; steps before 0 are bar 0's). Costs
    /// one pass over the meter changes, whatever the step.
    std::int64_t barIndex(std::int64_t step) const;
    /// The step where bar `index` (≥ 0) starts: barIndex(barLine(i)) == i.
    std::int64_t barLine(std::int64_t index) const;

private:
    struct Segment {
        std::int64_t start = 0;  ///< step where this meter's first bar starts
        std::int64_t length = 1; ///< steps per bar
    };
    std::vector<Segment> segments_; ///< sorted by start, never empty
    const Segment& segmentAt(std::int64_t step) const;
    /// Bars in segment i (the last one truncated by the next meter change counts); the last segment: −1.
    std::int64_t barsIn(std::size_t i) const;
};

} // namespace continuo::music
