#pragma once
// The major and natural-minor scales, and moving a pitch along one: the one definition behind the key
// figures (MusicalMetrics' bestScale) and the bar encoding's diatonic COPY (Tokenizer.h, BarTracker.h).

#include <array>

namespace continuo::music {

/// Semitones of each degree above the tonic.
inline constexpr std::array<int, 7> kMajorSteps{0, 2, 4, 5, 7, 9, 11};
inline constexpr std::array<int, 7> kMinorSteps{0, 2, 3, 5, 7, 8, 10};

/// `pitch` (MIDI number, any integer) moved by `steps` degrees of the major scale on `majorTonic` (0–11;
/// its relative minor holds the same notes, so a minor key passes its relative major's tonic). A pitch
/// outside the scale moves as the scale note a semitone below it and keeps its semitone (every chromatic
/// note of a major scale lies a semitone above a scale note). Seven steps are an octave. The result is not
/// clamped to 0–127.
int moveByScaleSteps(int pitch, int majorTonic, int steps);

} // namespace continuo::music
