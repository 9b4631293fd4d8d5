#include "music/Scales.h"

namespace continuo::music {
namespace {

/// Floor division, so that pitches below the tonic land in the octave beneath.
int floorDiv(int a, int b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

} // namespace

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
