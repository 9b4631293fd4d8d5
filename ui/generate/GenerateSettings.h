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

// Scale ids, names and the key detector are defined once in core/music (Scales.h, Key.h); these adapt
// them to Qt strings and the key lock.

/// music::scaleId: "major", "natural-minor", … (projects store it).
QString scaleId(model::Scale scale);
/// music::scaleFromId (which also reads "minor", "aeolian", "ionian"); `fallback` for anything else.
model::Scale scaleFromId(const QString& id, model::Scale fallback = model::Scale::Major);
/// music::scaleDisplayName, translated: "Major", "Natural minor", ….
QString scaleName(model::Scale scale);
constexpr int kScaleCount = music::kScaleCount;

/// music::detectKey (the scale of the 24 major and natural-minor ones that holds the most notes, the one
/// the evaluation and the model's key input use) as a key lock. Empty input gives C major.
model::KeyLock detectKey(const std::vector<music::Note>& notes);

} // namespace continuo::ui
