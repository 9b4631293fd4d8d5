#pragma once
// The corpus report (continuo-cli corpus) and the corpus benchmark (continuo-cli bench --only corpus).

#include "music/Dataset.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace continuo::cli {

/// Everything `corpus --json` prints: files, usable, skipped with reasons, notes, tokens per split,
/// clamped share, time and whether it came from the cache.
nlohmann::json corpusJson(const std::vector<std::filesystem::path>& dirs, const music::Dataset& ds);
/// The same for a person, a few lines (skipped files one per line).
std::string corpusText(const std::vector<std::filesystem::path>& dirs, const music::Dataset& ds);

struct CorpusBenchOptions {
    int repetitions = 3;
    std::vector<std::filesystem::path>
        dirs; ///< empty: ./corpus (scripts/build-corpus.sh) or Debian's folders
};

/// Builds the dataset cold (empty cache) and cached, `repetitions` times each, with the default options;
/// returns the medians and the goals (cold < 10 s, cached < 1 s). Progress on stderr.
nlohmann::json runCorpusBench(const CorpusBenchOptions& options);

} // namespace continuo::cli
