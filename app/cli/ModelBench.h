#pragma once
// `continuo-cli bench --only model`: decoding ms per token of the seed preset at batch 1 and 8 on the CPU
// with the original re-feed method timed in the same run, and training targets per second of each preset.

#include <nlohmann/json.hpp>

namespace continuo::cli {

struct ModelBenchOptions {
    int decodeTokens = 300; ///< stateful steps timed per batch size (9 runs of each, medians)
    int refeedTokens = 10;  ///< tokens generated the original way
    int trainSteps = 3;     ///< optimizer steps timed per preset (after one warm-up)
    int threads = 0;        ///< CPU threads, 0 = every core
};

/// Prints one line per figure on stderr; returns the figures. Without the engine built in:
/// {"skipped": "<why>"}.
nlohmann::json runModelBench(const ModelBenchOptions& options);

} // namespace continuo::cli
