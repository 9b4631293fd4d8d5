#include "music/BarGrid.h"

#include "music/Quantize.h"

#include <algorithm>

namespace continuo::music {

BarGrid::BarGrid(int stepsPerQuarter)
    : segments_{{0, std::int64_t(4) * std::max(1, stepsPerQuarter)}} {}

BarGrid::BarGrid(std::span<const TimeSignature> meters, int ppq, int stepsPerQuarter) {
    const int spq = std::clamp(stepsPerQuarter, 1, kMaxStepsPerQuarter);
    auto lengthOf = [&](const TimeSignature& ts) {
        const int denominator = std::max<int>(1, ts.denominator);
        return std::max<std::int64_t>(1,
                                      std::int64_t(spq) * 4 * std::max<int>(1, ts.numerator) / denominator);
    };
    segments_.push_back({0, std::int64_t(4) * spq});
    for (const TimeSignature& ts : meters) {
        const std::int64_t at = std::max<std::int64_t>(0, ticksToSteps(ts.tick, std::max(1, ppq), spq));
        if (at <= segments_.back().start)
            segments_.back().length = lengthOf(ts); // at the segment's own start: it replaces it
        else
            segments_.push_back({at, lengthOf(ts)});
    }
}

const BarGrid::Segment& BarGrid::segmentAt(std::int64_t step) const {
    auto it = std::upper_bound(segments_.begin(), segments_.end(), step,
                               [](std::int64_t s, const Segment& seg) { return s < seg.start; });
    return it == segments_.begin() ? segments_.front() : *std::prev(it);
}

std::int64_t BarGrid::barStart(std::int64_t step) const {
    if (step <= 0) return 0;
    const Segment& seg = segmentAt(step);
    return seg.start + (step - seg.start) / seg.length * seg.length;
}

std::int64_t BarGrid::nextBarLine(std::int64_t step) const {
    step = std::max<std::int64_t>(0, step);
    const Segment& seg = segmentAt(step);
    std::int64_t next = barStart(step) + seg.length;
    // A meter change inside this bar ends the bar there.
    auto it = std::upper_bound(segments_.begin(), segments_.end(), step,
                               [](std::int64_t s, const Segment& g) { return s < g.start; });
    if (it != segments_.end()) next = std::min(next, it->start);
    return next;
}

std::int64_t BarGrid::barsIn(std::size_t i) const {
    if (i + 1 >= segments_.size()) return -1;
    const std::int64_t span = segments_[i + 1].start - segments_[i].start;
    return (span + segments_[i].length - 1) / segments_[i].length;
}

std::int64_t BarGrid::barIndex(std::int64_t step) const {
    step = std::max<std::int64_t>(0, step);
    std::int64_t index = 0;
    for (std::size_t i = 0; i < segments_.size(); ++i) {
        if (i + 1 == segments_.size() || step < segments_[i + 1].start)
            return index + (step - segments_[i].start) / segments_[i].length;
        index += barsIn(i);
    }
    return index;
}

std::int64_t BarGrid::barLine(std::int64_t index) const {
    index = std::max<std::int64_t>(0, index);
    for (std::size_t i = 0; i < segments_.size(); ++i) {
        const std::int64_t bars = barsIn(i);
        if (bars < 0 || index < bars) return segments_[i].start + index * segments_[i].length;
        index -= bars;
    }
    return segments_.back().start; // not reached: the last segment takes every index
}

} // namespace continuo::music
