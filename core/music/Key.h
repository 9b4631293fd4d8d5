#pragma once
// Key detection: the one detector behind the studio's "Detect from my notes", the key figures of the
// evaluation (MusicalMetrics' scale consistency, StructureMetrics' "in the seed's key") and the key input
// of the bar encoding (BarTracker's keyOfPitchClasses), so all three agree on what key a passage is in.
//
// The rule is a count, not a profile correlation: of the 24 major and natural-minor scales, the one that
// holds the most notes. The model was trained on the key input this rule gives, so the rule cannot
// change without retraining.

#include "music/Song.h"

#include <array>
#include <cstddef>
#include <span>

namespace continuo::music {

/// The major or natural-minor scale (of the 24) that holds the most of the counted pitch classes.
struct ScaleFit {
    int tonic = 0;           ///< 0 = C … 11 = B
    bool minor = false;      ///< natural minor
    std::size_t inScale = 0; ///< how many of the counted notes lie in it
    /// True when pitch class `pc` (any integer; taken mod 12) lies in this scale.
    bool contains(int pc) const;
};

/// The best fit for `pitchClassCounts` (notes per pitch class, C first). Ties: the scale whose tonic
/// sounds most often, then the first in the order C major … B major, C minor … B minor (so no notes at all
/// give C major). A relative minor holds the same notes as its major, so it wins only when its tonic sounds
/// more often.
ScaleFit bestScale(const std::array<std::size_t, 12>& pitchClassCounts);

/// Notes per pitch class (C first) of `notes`; each note counts once, whatever its length.
std::array<std::size_t, 12> pitchClassCounts(std::span<const Note> notes);

/// The key of `notes`: bestScale(pitchClassCounts(notes)). C major for no notes.
ScaleFit detectKey(std::span<const Note> notes);

/// The key a musician would name, for the studio's "Detect from my notes": among the scales that hold as
/// many notes as detectKey's (the same fit, so the same count rule), the one whose Krumhansl–Kessler key
/// profile correlates best with how long each pitch class sounds. The count alone cannot tell a melody's
/// tonic from its dominant when both scales hold every note (Für Elise's opening fits A minor and E minor
/// alike, and E sounds most, so the count called it E minor); the profile weighs tonic, third and fifth.
/// The model's key input and the figures keep detectKey, which the model was trained on.
ScaleFit nameKey(std::span<const Note> notes);

} // namespace continuo::music
