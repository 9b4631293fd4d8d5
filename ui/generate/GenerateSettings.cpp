#include "ui/generate/GenerateSettings.h"

#include <QCoreApplication>

#include <array>
#include <cmath>

namespace continuo::ui {

namespace {
struct ScaleNames {
    const char* id;
    const char* name;
};
constexpr std::array<ScaleNames, kScaleCount> kScales{{{"major", "Major"},
                                                       {"natural-minor", "Natural minor"},
                                                       {"harmonic-minor", "Harmonic minor"},
                                                       {"dorian", "Dorian"},
                                                       {"phrygian", "Phrygian"},
                                                       {"lydian", "Lydian"},
                                                       {"mixolydian", "Mixolydian"},
                                                       {"locrian", "Locrian"},
                                                       {"major-pentatonic", "Major pentatonic"},
                                                       {"minor-pentatonic", "Minor pentatonic"},
                                                       {"blues", "Blues"},
                                                       {"chromatic", "Chromatic"}}};
} // namespace

QString scaleId(model::Scale scale) {
    return kScales[std::size_t(scale)].id;
}
QString scaleName(model::Scale scale) {
    return QCoreApplication::translate("Scale", kScales[std::size_t(scale)].name);
}

model::Scale scaleFromId(const QString& id, model::Scale fallback) {
    for (std::size_t i = 0; i < kScales.size(); ++i)
        if (id == QLatin1String(kScales[i].id)) return model::Scale(i);
    return fallback;
}

model::KeyLock detectKey(const std::vector<music::Note>& notes) {
    static constexpr double kMajor[12] = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09,
                                          2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
    static constexpr double kMinor[12] = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53,
                                          2.54, 4.75, 3.98, 2.69, 3.34, 3.17};
    double weight[12] = {};
    for (const music::Note& n : notes)
        weight[n.pitch % 12] += double(n.duration);
    model::KeyLock best;
    double bestScore = -2;
    for (int minor = 0; minor < 2; ++minor)
        for (int tonic = 0; tonic < 12; ++tonic) {
            const double* profile = minor ? kMinor : kMajor;
            // Pearson correlation between the pitch-class weights and the rotated profile.
            double mx = 0, my = 0;
            for (int i = 0; i < 12; ++i)
                mx += weight[i], my += profile[(i - tonic + 12) % 12];
            mx /= 12, my /= 12;
            double sxy = 0, sxx = 0, syy = 0;
            for (int i = 0; i < 12; ++i) {
                const double dx = weight[i] - mx, dy = profile[(i - tonic + 12) % 12] - my;
                sxy += dx * dy, sxx += dx * dx, syy += dy * dy;
            }
            const double score = sxx > 0 ? sxy / std::sqrt(sxx * syy) : -1;
            if (score > bestScore) {
                bestScore = score;
                best = {tonic, minor ? model::Scale::NaturalMinor : model::Scale::Major};
            }
        }
    return best;
}

} // namespace continuo::ui
