#pragma once
// The MIDI parsing benchmark: Continuo's reader against mido (an independent Python reader) on the same
// files in the same run.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace continuo::cli {

struct MidiBenchOptions {
    int repetitions = 5;
    std::size_t generatedNotes = 200'000;
    std::vector<std::filesystem::path> corpusDirs; ///< empty: the Debian packages' MIDI folders
    bool withMido = true;
    std::string python = "/usr/bin/python3";
};

/// Runs the benchmark and returns its figures (medians over the repetitions); prints progress to stderr.
nlohmann::json runMidiBench(const MidiBenchOptions& options);

} // namespace continuo::cli
