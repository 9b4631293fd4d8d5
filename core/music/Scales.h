#pragma once
// Scales: the twelve the key lock knows, their stable ids and the names a musician reads, their pitch
// classes, and moving a pitch along the major scale. The one definition behind the CLI's --scale, the
// projects' "scale" field, the Generate panel's list, the key figures (Key.h) and the bar encoding's
// diatonic COPY (Tokenizer.h, BarTracker.h).

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace continuo::music {

/// Scales the key lock knows, in the order the Generate panel lists them (the values are not persisted:
/// files store scaleId).
enum class Scale {
    Major,
    NaturalMinor,
    HarmonicMinor,
    Dorian,
    Phrygian,
    Lydian,
    Mixolydian,
    Locrian,
    MajorPentatonic,
    MinorPentatonic,
    Blues,
    Chromatic
};
inline constexpr int kScaleCount = 12;

/// Semitones of each degree above the tonic.
inline constexpr std::array<int, 7> kMajorSteps{0, 2, 4, 5, 7, 9, 11};
inline constexpr std::array<int, 7> kMinorSteps{0, 2, 3, 5, 7, 8, 10};

/// Pitch classes of `scale` above its tonic: [c] is true when c semitones (0–11) above the tonic are in it.
std::array<bool, 12> scalePitchClasses(Scale scale);

/// The stable id written to files and taken by the CLI (--scale): "major", "natural-minor",
/// "harmonic-minor", "dorian", "phrygian", "lydian", "mixolydian", "locrian", "major-pentatonic",
/// "minor-pentatonic", "blues", "chromatic".
std::string_view scaleId(Scale scale);
/// The scale an id names: the ids above, and the other spellings a saved file or a command line may hold:
/// "minor" and "aeolian" (natural minor; the CLI's help named it "minor" before issue 20, so scripts hold
/// it) and "ionian" (major). Exact, lower case. nullopt for anything else.
std::optional<Scale> scaleFromId(std::string_view id);
/// Every id, in enum order, for help texts and messages: "major, natural-minor, …, chromatic".
std::string scaleIdList();
/// The name a musician reads, in English with a capital: "Major", "Natural minor", … (the UI translates it
/// in the context "Scale").
const char* scaleDisplayName(Scale scale);

/// `pitch` (MIDI number, any integer) moved by `steps` degrees of the major scale on `majorTonic` (0–11;
/// its relative minor holds the same notes, so a minor key passes its relative major's tonic). A pitch
/// outside the scale moves as the scale note a semitone below it and keeps its semitone (every chromatic
/// note of a major scale lies a semitone above a scale note). Seven steps are an octave. The result is not
/// clamped to 0–127.
int moveByScaleSteps(int pitch, int majorTonic, int steps);

} // namespace continuo::music
