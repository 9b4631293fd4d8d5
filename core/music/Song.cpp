#include "music/Song.h"

#include "music/Meter.h"

#include <algorithm>
#include <tuple>

namespace continuo::music {

bool noteLess(const Note& a, const Note& b) {
    return std::tie(a.start, a.pitch, a.duration, a.velocity, a.channel, a.origin) <
           std::tie(b.start, b.pitch, b.duration, b.velocity, b.channel, b.origin);
}

void Track::sortNotes() {
    std::sort(notes.begin(), notes.end(), noteLess);
}

std::size_t Song::noteCount() const {
    std::size_t n = 0;
    for (const Track& t : tracks)
        n += t.notes.size();
    return n;
}

std::int64_t Song::endTick() const {
    std::int64_t end = 0;
    for (const Track& t : tracks) {
        for (const Note& n : t.notes)
            end = std::max(end, n.end());
    }
    return end;
}

std::uint32_t Song::microsPerQuarterAt(std::int64_t tick) const {
    std::uint32_t us = 500000;
    for (const TempoChange& t : tempos) {
        if (t.tick > tick) break;
        us = t.microsPerQuarter;
    }
    return us;
}

TimeSignature Song::timeSignatureAt(std::int64_t tick) const {
    return music::timeSignatureAt(timeSignatures, tick);
}

double Song::secondsAt(std::int64_t tick) const {
    if (smpte) {
        const double fps = smpte->framesPerSecond == 29 ? 29.97 : smpte->framesPerSecond;
        return double(tick) / (fps * smpte->ticksPerFrame);
    }
    double seconds = 0;
    std::int64_t from = 0;
    std::uint32_t us = 500000;
    for (const TempoChange& t : tempos) {
        if (t.tick >= tick) break;
        seconds += double(t.tick - from) * us / (1e6 * ppq);
        from = t.tick;
        us = t.microsPerQuarter;
    }
    return seconds + double(tick - from) * us / (1e6 * ppq);
}

} // namespace continuo::music
