#pragma once
// Snapping notes to the token grid. The grid is in beats (1/stepsPerQuarter of a quarter note from tick 0),
// never in seconds, so tempo changes do not move it.

#include "music/Song.h"

#include <cstdint>
#include <span>
#include <vector>

namespace continuo::music {

/// The finest grid the tokenizers accept, in steps per quarter note.
inline constexpr int kMaxStepsPerQuarter = 96;

/// A note on the token grid: steps are 1/stepsPerQuarter of a quarter note, counted from the song's tick 0.
struct GridNote {
    std::int64_t step = 0;       ///< onset in steps, ≥ 0
    std::int64_t length = 1;     ///< duration in steps, ≥ 1
    std::uint8_t pitch = 60;     ///< MIDI key 0–127
    std::uint8_t velocity = 100; ///< 1–127
    bool operator==(const GridNote&) const = default;
};

/// Ticks → steps, to the nearest step (a tick exactly halfway rounds up). ppq 1–32767, stepsPerQuarter
/// 1–kMaxStepsPerQuarter; any tick (negative ones round the same way).
std::int64_t ticksToSteps(std::int64_t ticks, int ppq, int stepsPerQuarter);

/// Steps → ticks, to the nearest tick (halves round up). With ppq ≥ stepsPerQuarter,
/// ticksToSteps(stepsToTicks(s)) == s for every s.
std::int64_t stepsToTicks(std::int64_t steps, int ppq, int stepsPerQuarter);

/// The quantization rule: a note's onset and its end are each snapped to the nearest step (so a legato
/// line stays legato), and its length is end − onset but at least one step (a grace note shorter than half
/// a step keeps one step). Velocity is kept. The result goes through resolveOverlaps. Notes' channels are
/// ignored: pass the notes of one part.
std::vector<GridNote> quantizeNotes(std::span<const Note> notes, int ppq, int stepsPerQuarter);

/// The overlap rule, applied after quantization and after merging parts: notes of the same pitch that
/// start on the same step become one note (the longest length, the loudest velocity); a note still
/// sounding when the next note of the same pitch starts is cut to end there (it keeps ≥ 1 step, as the
/// onsets differ). Notes of different pitches may overlap freely (chords, held bass under a melody).
/// Afterwards the notes are sorted by (step, pitch) and no two notes of one pitch sound at once.
void resolveOverlaps(std::vector<GridNote>& notes);

/// Grid notes back to Notes in `ppq` ticks: onset startTick + stepsToTicks(step), end likewise, duration
/// at least 1 tick; channel as given, origin User. Sorted by noteLess.
std::vector<Note> notesFromGrid(std::span<const GridNote> notes, int ppq, int stepsPerQuarter,
                                std::uint8_t channel, std::int64_t startTick = 0);

/// `song` with every note snapped to the grid and overlaps resolved per track and channel; ticks stay in
/// the song's ppq (each onset and end is stepsToTicks of its step), and the tempo, meter and key maps are
/// kept as they are. Drums are quantized like the rest; every note's origin becomes User (the tokens never
/// carry it). Throws std::invalid_argument for a
/// stepsPerQuarter outside 1–kMaxStepsPerQuarter.
Song quantizeSong(const Song& song, int stepsPerQuarter);

} // namespace continuo::music
