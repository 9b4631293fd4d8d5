#include "music/SongToSmf.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <tuple>

namespace continuo::music {
namespace {

// Order of events that share a tick; see smfFromSong's contract.
enum Rank : int { kName = 0, kConductor = 1, kProgram = 2, kNoteOff = 3, kNoteOn = 4 };

struct Pending {
    std::int64_t tick;
    int rank;
    std::int64_t key; // order among equals: notes by duration (ons) so pairing matches
    std::size_t seq;  // then insertion order
    midi::Event event;
    std::string payload;
};

class TrackBuilder {
public:
    void meta(std::int64_t tick, int rank, std::uint8_t type, std::string bytes) {
        midi::Event e;
        e.tick = tick;
        e.status = 0xFF;
        e.metaType = type;
        items_.push_back({tick, rank, 0, items_.size(), e, std::move(bytes)});
    }
    void channel(std::int64_t tick, int rank, std::int64_t key, std::uint8_t status, std::uint8_t d1,
                 std::uint8_t d2) {
        midi::Event e;
        e.tick = tick;
        e.status = status;
        e.data1 = d1;
        e.data2 = d2;
        items_.push_back({tick, rank, key, items_.size(), e, {}});
    }
    midi::Track build() {
        std::sort(items_.begin(), items_.end(), [](const Pending& a, const Pending& b) {
            return std::tie(a.tick, a.rank, a.key, a.seq) < std::tie(b.tick, b.rank, b.key, b.seq);
        });
        midi::Track t;
        t.events.reserve(items_.size() + 1);
        for (const Pending& p : items_) {
            if (p.event.isMeta()) {
                t.addMeta(p.tick, p.event.metaType,
                          {reinterpret_cast<const std::uint8_t*>(p.payload.data()), p.payload.size()});
            } else {
                t.events.push_back(p.event);
            }
        }
        return t;
    }

private:
    std::vector<Pending> items_;
};

void check(bool ok, const std::string& what) {
    if (!ok) throw std::invalid_argument(what);
}

void addConductor(TrackBuilder& b, const Song& song) {
    for (const TempoChange& t : song.tempos) {
        check(t.microsPerQuarter >= 1 && t.microsPerQuarter <= 0xFFFFFF, "tempo out of range");
        const std::uint32_t us = t.microsPerQuarter;
        b.meta(t.tick, kConductor, midi::kMetaTempo,
               std::string{char(us >> 16), char((us >> 8) & 0xFF), char(us & 0xFF)});
    }
    for (const TimeSignature& s : song.timeSignatures) {
        int log2 = 0;
        while ((1 << log2) < s.denominator && log2 < 7)
            ++log2;
        check(s.numerator >= 1 && (1 << log2) == s.denominator,
              "time signature denominator must be a power of two");
        b.meta(s.tick, kConductor, midi::kMetaTimeSignature,
               std::string{char(s.numerator), char(log2), char(s.clocksPerClick),
                           char(s.thirtySecondsPerQuarter)});
    }
    for (const KeySignature& k : song.keySignatures) {
        check(k.sharps >= -7 && k.sharps <= 7, "key signature out of −7…7");
        b.meta(k.tick, kConductor, midi::kMetaKeySignature,
               std::string{char(k.sharps), char(k.minor ? 1 : 0)});
    }
}

void addTrack(TrackBuilder& b, const Track& track, bool named) {
    if (named && !track.name.empty()) b.meta(0, kName, midi::kMetaTrackName, track.name);
    if (!track.instrument.empty()) b.meta(0, kName, midi::kMetaInstrumentName, track.instrument);
    check(track.channel < 16 && track.program < 128, "track channel or program out of range");
    b.channel(0, kProgram, 0, static_cast<std::uint8_t>(midi::kProgramChange | track.channel), track.program,
              0);
    for (const Note& n : track.notes) {
        check(n.pitch < 128 && n.velocity >= 1 && n.velocity < 128 && n.channel < 16,
              "note pitch, velocity or channel out of range");
        check(n.start >= 0 && n.duration >= 1, "note start < 0 or duration < 1");
        b.channel(n.start, kNoteOn, n.duration, static_cast<std::uint8_t>(midi::kNoteOn | n.channel), n.pitch,
                  n.velocity);
        b.channel(n.end(), kNoteOff, 0, static_cast<std::uint8_t>(midi::kNoteOff | n.channel), n.pitch, 64);
    }
}

} // namespace

midi::SmfFile smfFromSong(const Song& song, int format) {
    check(format >= 0 && format <= 2, "SMF format must be 0, 1 or 2");
    midi::SmfFile file;
    file.format = format;
    if (song.smpte) {
        file.division.smpte = true;
        file.division.ticksPerQuarter = 0;
        file.division.framesPerSecond = song.smpte->framesPerSecond;
        file.division.ticksPerFrame = song.smpte->ticksPerFrame;
    } else {
        check(song.ppq >= 1 && song.ppq <= 0x7FFF, "ppq out of 1..32767");
        file.division.ticksPerQuarter = song.ppq;
    }
    if (format == 0) {
        TrackBuilder b;
        if (!song.tracks.empty() && !song.tracks.front().name.empty()) {
            b.meta(0, kName, midi::kMetaTrackName, song.tracks.front().name);
        }
        addConductor(b, song);
        for (const Track& t : song.tracks)
            addTrack(b, t, false);
        file.tracks.push_back(b.build());
        return file;
    }
    // The conductor maps ride on the first track; only a song with maps but no track needs one made up.
    const bool needsTrack = song.tracks.empty() && !(song.tempos.empty() && song.timeSignatures.empty() &&
                                                     song.keySignatures.empty());
    for (std::size_t i = 0; i < song.tracks.size() || (i == 0 && needsTrack); ++i) {
        TrackBuilder b;
        if (i == 0) addConductor(b, song);
        if (i < song.tracks.size()) addTrack(b, song.tracks[i], true);
        file.tracks.push_back(b.build());
    }
    return file;
}

} // namespace continuo::music
