#pragma once
// The Generate panel's choices, as a value: the panel shows them, projects save them, the controller turns
// them into a model::GenerateRequest.

#include "composer/Composer.h"

#include <QString>

#include <vector>

namespace continuo::ui {

enum class GenerateWhere { ContinueFromEnd, ContinueFromPlayhead, RegenerateSelection, FromScratch };

struct GenerateSettings {
    GenerateWhere where = GenerateWhere::ContinueFromEnd;
    int bars = 4;                                          ///< 1–64
    double temperature = 1.0;                              ///< 0.1–2.0
    double topP = model::GenerateRequest{}.topP;           ///< 0.05–1.0 (the engine's default)
    double pitchTopP = model::GenerateRequest{}.pitchTopP; ///< 0.05–1.0, "Pitch focus" (engine default)
    int variations = 3;                                    ///< 1–8
    quint64 randomSeed = 1;
    bool keyLock = false;
    int tonic = 0; ///< 0 = C … 11 = B
    model::Scale scale = model::Scale::Major;
    music::Texture texture = music::Texture::Auto;         ///< "Texture": Auto follows the seed
    double structure = model::GenerateRequest{}.structure; ///< "Structure", 0 free … 1 repetitive
    bool operator==(const GenerateSettings&) const = default;
};

/// Stable names for files and the CLI (--scale): "major", "natural-minor", ….
QString scaleId(model::Scale scale);
model::Scale scaleFromId(const QString& id, model::Scale fallback = model::Scale::Major);
/// Names a musician reads: "Major", "Natural minor", ….
QString scaleName(model::Scale scale);
constexpr int kScaleCount = 12;

/// Most likely key of `notes` (Krumhansl–Schmuckler profiles over duration-weighted pitch classes), major or
/// natural minor. Empty input gives C major.
model::KeyLock detectKey(const std::vector<music::Note>& notes);

} // namespace continuo::ui
