#include "music/SmfToSong.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace continuo::music {
namespace {

using midi::Event;

// Keeps one entry per tick, the last given at that tick (file order), sorted by tick.
template <typename T> void sortUniqueByTick(std::vector<T>& v) {
    std::stable_sort(v.begin(), v.end(), [](const T& a, const T& b) { return a.tick < b.tick; });
    std::vector<T> out;
    out.reserve(v.size());
    for (const T& x : v) {
        if (!out.empty() && out.back().tick == x.tick) {
            out.back() = x;
        } else {
            out.push_back(x);
        }
    }
    v = std::move(out);
}

void readMeta(const midi::Track& raw, const Event& e, Track& track, Song& song, bool& named,
              bool& instrumented) {
    const auto p = raw.payloadOf(e);
    switch (e.metaType) {
    case midi::kMetaTrackName:
        if (!named) track.name = raw.textOf(e);
        named = true;
        break;
    case midi::kMetaInstrumentName:
        if (!instrumented) track.instrument = raw.textOf(e);
        instrumented = true;
        break;
    case midi::kMetaTempo:
        if (p.size() >= 3) {
            const std::uint32_t us = std::uint32_t(p[0]) << 16 | std::uint32_t(p[1]) << 8 | p[2];
            if (us > 0) song.tempos.push_back({e.tick, us});
        }
        break;
    case midi::kMetaTimeSignature:
        if (p.size() >= 2 && p[0] > 0 && p[1] <= 7) {
            TimeSignature s;
            s.tick = e.tick;
            s.numerator = p[0];
            s.denominator = static_cast<std::uint8_t>(1u << p[1]);
            if (p.size() >= 4) {
                s.clocksPerClick = p[2];
                s.thirtySecondsPerQuarter = p[3];
            }
            song.timeSignatures.push_back(s);
        }
        break;
    case midi::kMetaKeySignature:
        if (p.size() >= 2) {
            const auto sharps = static_cast<std::int8_t>(p[0]);
            if (sharps >= -7 && sharps <= 7 && p[1] <= 1)
                song.keySignatures.push_back({e.tick, sharps, p[1] == 1});
        }
        break;
    default:
        break;
    }
}

Track convertTrack(const midi::Track& raw, Song& song) {
    Track track;
    bool named = false, instrumented = false;
    // Open notes per (channel, pitch), oldest first: indices into track.notes.
    std::vector<std::vector<std::uint32_t>> open(16 * 128);
    std::int64_t trackEnd = 0;
    int firstChannel = -1;
    for (const Event& e : raw.events) {
        trackEnd = e.tick;
        if (e.isMeta()) {
            readMeta(raw, e, track, song, named, instrumented);
            continue;
        }
        if (!e.isChannel()) continue;
        if (firstChannel < 0) firstChannel = e.channel();
        if (e.isNoteOn()) {
            Note n;
            n.start = e.tick;
            n.duration = -1; // still sounding
            n.pitch = e.data1;
            n.velocity = e.data2;
            n.channel = e.channel();
            open[e.channel() * 128 + e.data1].push_back(static_cast<std::uint32_t>(track.notes.size()));
            track.notes.push_back(n);
        } else if (e.isNoteOff()) {
            auto& q = open[e.channel() * 128 + e.data1];
            if (q.empty()) continue; // a note-off for a note never started: nothing to end
            Note& n = track.notes[q.front()];
            n.duration = std::max<std::int64_t>(1, e.tick - n.start);
            q.erase(q.begin());
        }
    }
    for (Note& n : track.notes) {
        if (n.duration < 0) n.duration = std::max<std::int64_t>(1, trackEnd - n.start);
    }

    std::array<std::size_t, 16> perChannel{};
    for (const Note& n : track.notes)
        ++perChannel[n.channel];
    if (!track.notes.empty()) {
        track.channel = static_cast<std::uint8_t>(std::max_element(perChannel.begin(), perChannel.end()) -
                                                  perChannel.begin());
    } else if (firstChannel >= 0) {
        track.channel = static_cast<std::uint8_t>(firstChannel);
    }
    for (const Event& e : raw.events) {
        if (e.isChannel() && e.command() == midi::kProgramChange && e.channel() == track.channel) {
            track.program = e.data1;
            break;
        }
    }
    track.sortNotes();
    return track;
}

} // namespace

Song songFromSmf(const midi::SmfFile& file) {
    Song song;
    song.format = file.format;
    if (file.division.smpte) {
        song.smpte = SmpteTiming{file.division.framesPerSecond, file.division.ticksPerFrame};
        // Two quarter notes per second is 120 BPM, the tempo beat-based code assumes without a tempo map.
        song.ppq = std::max(1, static_cast<int>(std::lround(file.division.smpteTicksPerSecond() / 2)));
    } else {
        song.ppq = file.division.ticksPerQuarter;
    }
    song.tracks.reserve(file.tracks.size());
    for (const midi::Track& raw : file.tracks)
        song.tracks.push_back(convertTrack(raw, song));
    sortUniqueByTick(song.tempos);
    sortUniqueByTick(song.timeSignatures);
    sortUniqueByTick(song.keySignatures);
    return song;
}

} // namespace continuo::music
