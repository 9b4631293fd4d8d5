#pragma once
// The song model every layer shares: tracks of notes on an integer tick grid, with the tempo, time and
// key signature maps that turn ticks into seconds and bars.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace continuo::music {

/// Who made a note: the roll colours generated notes apart until the user keeps them.
enum class NoteOrigin : std::uint8_t { User = 0, Generated = 1 };

struct Note {
    std::int64_t start = 0;      ///< onset in ticks, ≥ 0
    std::int64_t duration = 1;   ///< length in ticks, ≥ 1
    std::uint8_t pitch = 60;     ///< MIDI key 0–127 (60 = middle C)
    std::uint8_t velocity = 100; ///< 1–127
    std::uint8_t channel = 0;    ///< MIDI channel 0–15 (9 is General MIDI drums)
    NoteOrigin origin = NoteOrigin::User;

    std::int64_t end() const { return start + duration; }
    bool operator==(const Note&) const = default;
};

/// Canonical order of notes in a track: by start, then pitch, duration, velocity, channel, origin.
bool noteLess(const Note& a, const Note& b);

struct TempoChange {
    std::int64_t tick = 0;
    std::uint32_t microsPerQuarter = 500000; ///< 1–0xFFFFFF µs per quarter note (500000 = 120 BPM)
    double bpm() const { return 60'000'000.0 / microsPerQuarter; }
    bool operator==(const TempoChange&) const = default;
};

struct TimeSignature {
    std::int64_t tick = 0;
    std::uint8_t numerator = 4;               ///< beats per bar, 1–255
    std::uint8_t denominator = 4;             ///< beat unit: a power of two, 1–128 (4 = quarter note)
    std::uint8_t clocksPerClick = 24;         ///< MIDI clocks per metronome click (kept for round trips)
    std::uint8_t thirtySecondsPerQuarter = 8; ///< kept for round trips
    /// Ticks in one bar at `ppq` ticks per quarter note.
    std::int64_t ticksPerBar(int ppq) const { return std::int64_t(ppq) * 4 * numerator / denominator; }
    bool operator==(const TimeSignature&) const = default;
};

struct KeySignature {
    std::int64_t tick = 0;
    std::int8_t sharps = 0; ///< −7 (7 flats) … +7 (7 sharps)
    bool minor = false;
    bool operator==(const KeySignature&) const = default;
};

struct Track {
    std::string name;
    std::string instrument;   ///< the file's instrument-name text, if any (the sound is `program`)
    std::uint8_t channel = 0; ///< the track's MIDI channel 0–15 (new notes get it; 9 = drums)
    std::uint8_t program = 0; ///< General MIDI program 0–127
    std::vector<Note> notes;  ///< sorted by noteLess (call sortNotes after editing)

    /// General MIDI drums (channel 10, index 9): left out of melodic training, drawn as hits.
    bool isDrum() const { return channel == 9; }
    void sortNotes();
    bool operator==(const Track&) const = default;
};

/// SMPTE timing of a file whose ticks are absolute time rather than beats.
struct SmpteTiming {
    int framesPerSecond = 25; ///< 24, 25, 29 (29.97 drop-frame) or 30
    int ticksPerFrame = 40;   ///< 1–255
    bool operator==(const SmpteTiming&) const = default;
};

struct Song {
    /// The SMF format the song was read from (0, 1, 2); saving writes format 1 unless asked otherwise.
    int format = 1;
    /// Ticks per quarter note, 1–32767. For SMPTE files, the ticks per quarter at the default 120 BPM
    /// that gives the same seconds, so beat-based code still works; `smpte` keeps the real division.
    int ppq = 480;
    std::optional<SmpteTiming> smpte;
    std::vector<TempoChange> tempos;           ///< sorted by tick, one per tick; empty = 120 BPM
    std::vector<TimeSignature> timeSignatures; ///< sorted by tick, one per tick; empty = 4/4
    std::vector<KeySignature> keySignatures;   ///< sorted by tick, one per tick; empty = none given
    std::vector<Track> tracks;

    std::size_t noteCount() const;
    /// Tick just after the last note ends (0 for a song without notes).
    std::int64_t endTick() const;
    /// µs per quarter note in effect at `tick` (500000 before the first tempo change).
    std::uint32_t microsPerQuarterAt(std::int64_t tick) const;
    TimeSignature timeSignatureAt(std::int64_t tick) const;
    /// Seconds from tick 0 to `tick`, through the tempo map (or the SMPTE rate).
    double secondsAt(std::int64_t tick) const;
    bool operator==(const Song&) const = default;
};

} // namespace continuo::music
