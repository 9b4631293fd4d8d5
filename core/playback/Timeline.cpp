#include "playback/Timeline.h"

#include <algorithm>
#include <bitset>

namespace continuo::playback {

TempoMap::TempoMap(const music::Song& song) {
    if (song.smpte) {
        const double fps = song.smpte->framesPerSecond == 29 ? 29.97 : song.smpte->framesPerSecond;
        segments_.push_back({0, 0, 1.0 / (fps * song.smpte->ticksPerFrame)});
        return;
    }
    const double ppq = std::max(1, song.ppq);
    auto spt = [&](std::uint32_t us) { return us / (1e6 * ppq); };
    segments_.push_back({0, 0, spt(500000)});
    for (const music::TempoChange& t : song.tempos) {
        Segment& last = segments_.back();
        if (t.tick <= last.tick) { // a change at tick 0 (or a duplicate) replaces the tempo in force
            last.secondsPerTick = spt(t.microsPerQuarter);
            continue;
        }
        const double seconds = last.seconds + (double(t.tick) - last.tick) * last.secondsPerTick;
        segments_.push_back({double(t.tick), seconds, spt(t.microsPerQuarter)});
    }
}

double TempoMap::secondsAt(std::int64_t tick) const {
    return secondsAtTick(double(tick));
}

double TempoMap::secondsAtTick(double tick) const {
    auto it = std::upper_bound(segments_.begin(), segments_.end(), tick,
                               [](double t, const Segment& s) { return t < s.tick; });
    const Segment& s = it == segments_.begin() ? segments_.front() : *std::prev(it);
    return s.seconds + (tick - s.tick) * s.secondsPerTick;
}

double TempoMap::tickAt(double seconds) const {
    auto it = std::upper_bound(segments_.begin(), segments_.end(), seconds,
                               [](double t, const Segment& s) { return t < s.seconds; });
    const Segment& s = it == segments_.begin() ? segments_.front() : *std::prev(it);
    return s.tick + (seconds - s.seconds) / s.secondsPerTick;
}

Timeline::Timeline(const music::Song& song)
    : tempo(song)
    , ppq(song.ppq) {
    std::bitset<16> programmed;
    for (const music::Track& track : song.tracks) {
        for (const music::Note& n : track.notes) {
            const int ch = n.channel & 0x0F;
            // The drum channel's kit comes from bank 128; a program change there would pick another kit.
            if (ch != 9 && !programmed[ch]) {
                programmed[ch] = true;
                setup.push_back(MidiMessage::programChange(ch, track.program));
            }
            events.push_back({tempo.secondsAt(n.start), n.start,
                              MidiMessage::noteOn(ch, n.pitch, std::max(1, int(n.velocity)))});
            events.push_back({tempo.secondsAt(n.end()), n.end(), MidiMessage::noteOff(ch, n.pitch)});
            endTick = std::max(endTick, n.end());
        }
    }
    std::stable_sort(events.begin(), events.end(), [](const TimedEvent& a, const TimedEvent& b) {
        if (a.tick != b.tick) return a.tick < b.tick;
        return a.message.isNoteOff() && !b.message.isNoteOff();
    });
    endSeconds = tempo.secondsAt(endTick);
}

std::size_t Timeline::firstEventAt(double seconds) const {
    auto it = std::lower_bound(events.begin(), events.end(), seconds,
                               [](const TimedEvent& e, double s) { return e.seconds < s; });
    return std::size_t(it - events.begin());
}

} // namespace continuo::playback
