#pragma once
// Does a continuation have song structure: bars whose rhythm and motifs come back, the seed's motifs
// returning, the seed's key, one note per onset for a line, and guards against copying (the seed bar for
// bar, or a training file). Issue 15's figures; the measured side of `continuo-cli eval --musical
// --melodies DIR`. Plain C++: no Qt, no LibTorch.
//
// Every figure is computed on the continuation (the generated part) only; the seed is what it is compared
// with. Bars come from the song's time-signature map (bar 1 starts at tick 0; a meter change starts a new
// bar). Onsets are snapped to a grid of kMetricsStepsPerQuarter (12) steps per quarter note, a position in
// a bar is its step from the bar's start. Drums (channel index 9) are left out everywhere. The melody is
// the highest note at each onset; the bar figures (rhythm, motif, verbatim, copy) are those of the melody,
// so a chordal passage is compared by its top line.

#include "music/MusicalMetrics.h"
#include "music/Song.h"

#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace continuo::music {

/// One bar of a melody: the onset positions (steps from the bar's start, ascending) and the top pitch at
/// each. Its rhythm is `positions`; its motif is `positions` plus the intervals between consecutive
/// pitches (the same motif transposed compares equal); verbatim is `positions` plus `pitches`.
struct MelodyBar {
    std::vector<int> positions;
    std::vector<int> pitches;
    bool operator==(const MelodyBar&) const = default;
    bool sameRhythm(const MelodyBar& o) const { return positions == o.positions; }
    bool sameMotif(const MelodyBar& o) const; ///< rhythm and interval sequence
};

/// The start tick of every bar that begins before `endTick`, from the meter map `meters` (sorted by tick;
/// empty = 4/4): bar 1 at 0, then every ticksPerBar of the meter in effect; a meter change starts a new
/// bar at its tick (a bar cut short by it ends there).
std::vector<std::int64_t> barStarts(std::span<const TimeSignature> meters, int ppq, std::int64_t endTick);

/// The melody (highest non-drum note at each grid onset) of `notes`, bar by bar over the bars `starts`
/// (the last bar runs to `endTick`). Notes before starts[0] or at/after `endTick` are left out.
std::vector<MelodyBar> melodyBars(std::span<const Note> notes, int ppq, std::span<const std::int64_t> starts,
                                  std::int64_t endTick);

struct StructureInput {
    std::span<const Note> seed;            ///< the notes before the continuation (any order; drums ignored)
    std::span<const Note> generated;       ///< the continuation's notes (any order; drums ignored)
    int ppq = 480;                         ///< ticks per quarter of both, 1–32767
    std::span<const TimeSignature> meters; ///< the song's meter map (sorted by tick; empty = 4/4)
    std::int64_t startTick = 0;            ///< where the continuation starts (seed notes start before it)
    /// Where the measured continuation ends (its bars are those from the bar holding startTick up to
    /// here); −1 = the end of the bar holding the last generated onset.
    std::int64_t endTick = -1;
};

struct StructureMetrics {
    std::size_t generatedBars = 0; ///< bars of the continuation that hold an onset
    std::size_t seedBars = 0;      ///< bars of the seed that hold an onset

    /// Share (0–1) of the generated bars (holding an onset) whose rhythm (onset positions) equals that of
    /// an earlier bar, seed bars included. −1 when no generated bar holds an onset.
    double rhythmRepeat = -1;
    /// Share (0–1) of those bars whose rhythm and melodic interval sequence equal an earlier bar's (a
    /// motif coming back, transposed or not). −1 when no generated bar holds an onset.
    double motifRepeat = -1;
    /// Share (0–1) of the seed's distinct bar motifs (bars with ≥ 2 onsets) that come back in some
    /// generated bar. −1 when the seed has no bar with 2 onsets or more.
    double seedMotifReturn = -1;
    /// Share (0–1) of the generated notes whose pitch class lies in the seed's best-fitting major or
    /// natural-minor scale (music::bestScale). 1 with no generated notes; −1 when the seed has no notes.
    double inSeedKey = -1;
    int seedTonic = 0;      ///< that scale's tonic, 0 = C … 11 = B
    bool seedMinor = false; ///< natural minor
    /// MusPy's groove consistency over the continuation's bars (empty ones included): 1 − the mean
    /// Hamming distance between consecutive bars' onset vectors (all notes' onsets on the grid), divided
    /// by the grid length of a bar (the longer of the two when the meter changes). −1 with fewer than 2
    /// bars.
    double grooveConsistency = -1;
    /// Mean number of generated notes starting at each distinct grid onset: 1 for a single line, 3 for
    /// block triads. 0 with no generated notes.
    double notesPerOnset = 0;
    /// Share (0–1) of the generated bars (holding an onset) that repeat a seed bar verbatim: the same
    /// melody pitches at the same positions. −1 when no generated bar holds an onset.
    double verbatimSeedBars = -1;
};

/// Measures `in`. Never throws for any input (ppq < 1 gives the defaults above).
StructureMetrics measureStructure(const StructureInput& in);

/// A training file's melody, bar by bar (melodyBars over its own meter map), for longestCopy. A file
/// may give several (the top line over all its tracks and each track's own top line).
using BarMelody = std::vector<MelodyBar>;

/// The melodies of a song to compare a continuation with: the top line over all non-drum tracks, and
/// each non-drum track's own top line when there are several.
std::vector<BarMelody> songMelodies(const Song& song);

/// An index over training melodies: where each bar occurs, for longestCopy.
class CopyIndex {
public:
    void add(BarMelody melody); ///< one melody of one training file
    std::size_t melodies() const { return melodies_.size(); }
    /// The longest run of consecutive bars of `generated`, each holding an onset, that equals as many
    /// consecutive bars of one training melody note for note (positions and pitches), in bars. 0 when no
    /// bar of it holding an onset occurs in the training melodies.
    int longestCopy(const BarMelody& generated) const;

private:
    std::vector<BarMelody> melodies_;
    std::unordered_map<std::uint64_t, std::vector<std::pair<std::size_t, std::size_t>>> where_;
};

/// The figures of measureStructure, by name, in a fixed order (for tables and JSON).
inline constexpr const char* kStructureNames[] = {
    "rhythm_repeat",      "motif_repeat",    "seed_motif_return", "in_seed_key",
    "groove_consistency", "notes_per_onset", "verbatim_seed_bars"};
inline constexpr int kStructureCount = int(sizeof(kStructureNames) / sizeof(kStructureNames[0]));
/// Value of figure `index` (order of kStructureNames); −1 means undefined (leave it out of means).
double structureValue(const StructureMetrics& m, int index);

} // namespace continuo::music
