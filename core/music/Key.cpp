#include "music/Key.h"

#include "music/Scales.h"

namespace continuo::music {

bool ScaleFit::contains(int pc) const {
    const int rel = (((pc - tonic) % 12) + 12) % 12;
    for (int step : minor ? kMinorSteps : kMajorSteps)
        if (step == rel) return true;
    return false;
}

ScaleFit bestScale(const std::array<std::size_t, 12>& pc) {
    ScaleFit f;
    bool first = true;
    for (int minor = 0; minor < 2; ++minor)
        for (int tonic = 0; tonic < 12; ++tonic) {
            std::size_t in = 0;
            for (int step : minor ? kMinorSteps : kMajorSteps)
                in += pc[std::size_t((tonic + step) % 12)];
            const bool better =
                in > f.inScale || (in == f.inScale && pc[std::size_t(tonic)] > pc[std::size_t(f.tonic)]);
            if (first || better) {
                f.inScale = in;
                f.tonic = tonic;
                f.minor = minor == 1;
                first = false;
            }
        }
    return f;
}

std::array<std::size_t, 12> pitchClassCounts(std::span<const Note> notes) {
    std::array<std::size_t, 12> pc{};
    for (const Note& n : notes)
        ++pc[std::size_t(n.pitch % 12)];
    return pc;
}

ScaleFit detectKey(std::span<const Note> notes) {
    return bestScale(pitchClassCounts(notes));
}

} // namespace continuo::music
