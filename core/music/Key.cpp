#include "music/Key.h"

#include "music/Scales.h"

#include <algorithm>
#include <cmath>

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

ScaleFit nameKey(std::span<const Note> notes) {
    const std::array<std::size_t, 12> counts = pitchClassCounts(notes);
    const ScaleFit best = bestScale(counts);
    if (notes.empty()) return best;
    // Krumhansl & Kessler's probe-tone ratings (1982), tonic first.
    static constexpr std::array<double, 12> kMajor{6.35, 2.23, 3.48, 2.33, 4.38, 4.09,
                                                   2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
    static constexpr std::array<double, 12> kMinor{6.33, 2.68, 3.52, 5.38, 2.60, 3.53,
                                                   2.54, 4.75, 3.98, 2.69, 3.34, 3.17};
    std::array<double, 12> weight{};
    for (const Note& n : notes)
        weight[std::size_t(n.pitch % 12)] += double(std::max<std::int64_t>(1, n.duration));
    auto correlation = [&](const std::array<double, 12>& profile, int tonic) {
        double mx = 0, my = 0;
        for (int i = 0; i < 12; ++i)
            mx += weight[std::size_t(i)] / 12, my += profile[std::size_t(i)] / 12;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < 12; ++i) {
            const double x = weight[std::size_t((tonic + i) % 12)] - mx, y = profile[std::size_t(i)] - my;
            sxy += x * y, sxx += x * x, syy += y * y;
        }
        return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0.0;
    };
    ScaleFit named = best;
    double bestR = correlation(best.minor ? kMinor : kMajor, best.tonic);
    for (int minor = 0; minor < 2; ++minor)
        for (int tonic = 0; tonic < 12; ++tonic) {
            ScaleFit f{tonic, minor == 1, 0};
            for (int pc = 0; pc < 12; ++pc)
                if (f.contains(pc)) f.inScale += counts[std::size_t(pc)];
            if (f.inScale != best.inScale) continue;
            const double r = correlation(minor ? kMinor : kMajor, tonic);
            if (r > bestR) named = f, bestR = r;
        }
    return named;
}

} // namespace continuo::music
