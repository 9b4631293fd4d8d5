#include "music/Scales.h"

namespace continuo::music {
namespace {

struct ScaleEntry {
    Scale scale;
    std::string_view id;
    const char* displayName;
    std::array<int, 12> steps; ///< semitones above the tonic; -1 pads the unused entries
};

constexpr std::array<ScaleEntry, kScaleCount> kScales{{
    {Scale::Major, "major", "Major", {0, 2, 4, 5, 7, 9, 11, -1, -1, -1, -1, -1}},
    {Scale::NaturalMinor, "natural-minor", "Natural minor", {0, 2, 3, 5, 7, 8, 10, -1, -1, -1, -1, -1}},
    {Scale::HarmonicMinor, "harmonic-minor", "Harmonic minor", {0, 2, 3, 5, 7, 8, 11, -1, -1, -1, -1, -1}},
    {Scale::Dorian, "dorian", "Dorian", {0, 2, 3, 5, 7, 9, 10, -1, -1, -1, -1, -1}},
    {Scale::Phrygian, "phrygian", "Phrygian", {0, 1, 3, 5, 7, 8, 10, -1, -1, -1, -1, -1}},
    {Scale::Lydian, "lydian", "Lydian", {0, 2, 4, 6, 7, 9, 11, -1, -1, -1, -1, -1}},
    {Scale::Mixolydian, "mixolydian", "Mixolydian", {0, 2, 4, 5, 7, 9, 10, -1, -1, -1, -1, -1}},
    {Scale::Locrian, "locrian", "Locrian", {0, 1, 3, 5, 6, 8, 10, -1, -1, -1, -1, -1}},
    {Scale::MajorPentatonic,
     "major-pentatonic",
     "Major pentatonic",
     {0, 2, 4, 7, 9, -1, -1, -1, -1, -1, -1, -1}},
    {Scale::MinorPentatonic,
     "minor-pentatonic",
     "Minor pentatonic",
     {0, 3, 5, 7, 10, -1, -1, -1, -1, -1, -1, -1}},
    {Scale::Blues, "blues", "Blues", {0, 3, 5, 6, 7, 10, -1, -1, -1, -1, -1, -1}},
    {Scale::Chromatic, "chromatic", "Chromatic", {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}},
}};

// The table is indexed by the enum; this keeps the two in step when a scale is added.
constexpr bool tableInEnumOrder() {
    for (int i = 0; i < kScaleCount; ++i)
        if (int(kScales[std::size_t(i)].scale) != i) return false;
    return true;
}
static_assert(tableInEnumOrder());

const ScaleEntry& entry(Scale scale) {
    const int i = int(scale);
    return kScales[std::size_t(i >= 0 && i < kScaleCount ? i : int(Scale::Chromatic))];
}

/// Floor division, so that pitches below the tonic land in the octave beneath.
int floorDiv(int a, int b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

} // namespace

std::array<bool, 12> scalePitchClasses(Scale scale) {
    std::array<bool, 12> in{};
    for (int step : entry(scale).steps)
        if (step >= 0) in[std::size_t(step)] = true;
    return in;
}

std::string_view scaleId(Scale scale) {
    return entry(scale).id;
}

std::optional<Scale> scaleFromId(std::string_view id) {
    if (id == "minor" || id == "aeolian") return Scale::NaturalMinor;
    if (id == "ionian") return Scale::Major;
    for (const ScaleEntry& e : kScales)
        if (e.id == id) return e.scale;
    return std::nullopt;
}

std::string scaleIdList() {
    std::string out;
    for (const ScaleEntry& e : kScales)
        out += (out.empty() ? "" : ", ") + std::string(e.id);
    return out;
}

const char* scaleDisplayName(Scale scale) {
    return entry(scale).displayName;
}

int moveByScaleSteps(int pitch, int majorTonic, int steps) {
    const int relative = pitch - majorTonic;
    const int octave = floorDiv(relative, 12);
    const int pc = relative - 12 * octave;
    auto degreeOf = [](int semitones) {
        for (int i = 0; i < 7; ++i)
            if (kMajorSteps[std::size_t(i)] == semitones) return i;
        return -1;
    };
    int degree = degreeOf(pc);
    int alteration = 0;
    if (degree < 0) {
        degree = degreeOf(pc - 1); // a chromatic note: the scale note below it, plus its semitone
        alteration = 1;
    }
    const int moved = 7 * octave + degree + steps;
    const int movedOctave = floorDiv(moved, 7);
    return majorTonic + 12 * movedOctave + kMajorSteps[std::size_t(moved - 7 * movedOctave)] + alteration;
}

} // namespace continuo::music
