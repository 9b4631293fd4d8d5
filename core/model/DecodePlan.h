#pragma once
// From a GenerateRequest to what the decoder runs, and from its rows back to notes (no LibTorch): where
// generation starts and ends, the seed's tokens and the network's inputs for them, the texture, the state
// every variation starts from; then the notes of each variation, cut to the bars asked for, in the seed's
// dynamics and, for a melody, one line.

#include "composer/Composer.h"
#include "model/DecodeRow.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace continuo::model {

struct DecodePlan {
    std::int64_t start = 0, end = 0;                ///< ticks: notes are generated in [start, end)
    std::int64_t startStep = 0;                     ///< start on the tokenizer's grid
    std::int64_t targetSteps = 1;                   ///< end − start on the grid
    music::BarGrid bars;                            ///< the request song's bar lines on the tokenizer's grid
    music::Texture texture = music::Texture::Piano; ///< resolved (never Auto)
    std::vector<std::int32_t> context;   ///< the network's inputs for the kept seed, inputsPerStep ids a step
    std::unique_ptr<DecodeRow> row;      ///< every variation's state after the seed
    std::array<int, 128> seedVelocity{}; ///< per velocity bin, the seed's mean velocity in it (0: none)
    int velocityBin = 0;                 ///< the seed's last bin (0: none)
};

/// Throws std::runtime_error("generate: …") for a request out of range. `contextTokens`: the most seed
/// tokens the network reads (cut at a bar or onset boundary).
DecodePlan planDecode(const music::Tokenizer& tokenizer, const GenerateRequest& request, int contextTokens);

/// The notes of one variation's tokens: decoded from the plan's start, dropped at or after its end and cut
/// to end there, velocities mapped to the seed's own in each bin, a melody's notes cut at the next onset;
/// origin Generated, channel `channel`, sorted.
std::vector<music::Note> notesOfRow(const music::Tokenizer& tokenizer, const GenerateRequest& request,
                                    const DecodePlan& plan, const std::vector<std::int32_t>& tokens,
                                    std::uint8_t channel);

} // namespace continuo::model
