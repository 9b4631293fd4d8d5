#pragma once
// Measurable properties of a passage of music, to judge generated continuations against real music (the
// validation files) and against the original method ("the same note repeated", "all notes the same
// length"). Plain C++: no Qt, no LibTorch.
//
// Every figure is computed on the notes as given (the caller passes the generated part only, or a window
// of a human piece), after snapping onsets and lengths to a grid of kMetricsStepsPerQuarter steps per
// quarter note (the tokenizer's default grid), so figures do not depend on the file's ppq. Notes are taken
// in (onset, pitch) order. Channels are ignored: pass the notes of one part (or one merged part).

#include "music/Key.h"
#include "music/Song.h"

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace continuo::music {

/// The grid the metrics use: 12 steps per quarter note (sixteenths and eighth triplets).
inline constexpr int kMetricsStepsPerQuarter = 12;

struct MusicalMetrics {
    std::size_t notes = 0;  ///< notes measured
    std::size_t onsets = 0; ///< distinct onset steps

    /// Share (0–1) of notes whose pitch class lies in the best-fitting major or natural-minor scale (the
    /// one of the 24 that holds the most notes). 1 for an empty passage.
    double scaleConsistency = 1;
    int bestTonic = 0;      ///< 0 = C … 11 = B, of that scale (ties: the tonic sounded most often)
    bool bestMinor = false; ///< natural minor (a relative minor holds the same notes as its major)

    /// Shannon entropy of the 12 pitch classes' shares, in bits: 0 (one pitch class) … log2 12 ≈ 3.585.
    double pitchClassEntropy = 0;

    /// Longest repeated loop: the 8-note pitch sequence (consecutive notes in order) that occurs most often
    /// — at least twice, overlaps allowed; ties: the one covering more notes — and the share (0–1) of the
    /// notes that lie in any of its occurrences. 0 when no 8-note sequence occurs twice (so always with
    /// fewer than 9 notes). One pitch repeated 9 times or more gives 1.
    double loopCover = 0;

    /// Distinct note lengths on the grid (1 step = a 48th note; a note shorter than a step counts as 1).
    int distinctDurations = 0;
    /// Share (0–1) of notes having the most common length: 1 when all notes are equally long.
    double modalDurationShare = 0;

    /// Entropy in bits of the intervals between consecutive distinct onsets, on the grid. 0 when every gap
    /// is the same (or there are fewer than 2 onsets).
    double ioiEntropy = 0;

    /// Share (0–1) of the beats (quarter notes from the span's start) of the measured span in which no
    /// note sounds at all. The span is [spanStart, spanEnd) when given, else from the first onset's beat
    /// to the end of the last note.
    double emptyBeatRate = 0;
    std::int64_t beats = 0; ///< beats in the span

    /// Mean number of notes sounding at each distinct onset (those starting there included): 1 for a
    /// single line, 3 for block triads. 0 for an empty passage.
    double polyphony = 0;

    /// "The same note repeated": share (0–1) of onsets after the first whose top (highest) pitch equals the
    /// previous onset's top pitch.
    double repeatedNoteShare = 0;
};

/// Measures `notes` (ticks at `ppq`, 1–32767; any order). `spanStart`/`spanEnd` in ticks (−1: from the
/// notes) bound the span for emptyBeatRate; notes outside it are still measured. Never throws for any
/// input; an empty list gives the defaults above.
MusicalMetrics measureMusic(std::span<const Note> notes, int ppq, std::int64_t spanStart = -1,
                            std::int64_t spanEnd = -1);

/// The figures that measureMusic fills, by name, in a fixed order (for tables and JSON).
inline constexpr const char* kMetricNames[] = {"notes",
                                               "scale_consistency",
                                               "pitch_class_entropy",
                                               "loop_cover",
                                               "distinct_durations",
                                               "modal_duration_share",
                                               "ioi_entropy",
                                               "empty_beat_rate",
                                               "polyphony",
                                               "repeated_note_share"};
inline constexpr int kMetricCount = int(sizeof(kMetricNames) / sizeof(kMetricNames[0]));
/// Value of metric `index` (order of kMetricNames) as a double.
double metricValue(const MusicalMetrics& m, int index);

/// "C major", "A minor", "Db major": the best-fitting scale's name (music::keyName).
std::string bestScaleName(const MusicalMetrics& m);

} // namespace continuo::music
