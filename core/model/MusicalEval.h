#pragma once
// "Does it sound like music?" in figures: a Composer continues a seed melody N times and the generated
// part of each continuation is measured (music/MusicalMetrics.h); the same figures for windows of the
// held-out validation files give the human range. Behind `continuo-cli eval --musical`. No LibTorch here.

#include "model/Composer.h"
#include "model/ModelFile.h"
#include "music/MusicalMetrics.h"

#include <array>
#include <filesystem>
#include <optional>
#include <vector>

namespace continuo::model {

/// A simple 2-bar seed in C major, 4/4, 120 BPM, ppq 480, one track on channel 0 ("Mary had a little
/// lamb"): E4 D4 C4 D4 E4 | E4 E4 E4, in quarters, two eighths and a closing half note.
music::Song simpleSeedMelody();

/// How the continuations are drawn.
enum class Decoding {
    Continuo, ///< the request's temperature / top-k / top-p (defaults: T 1, top-p 0.95)
    Original  ///< the original method: argmax (top-k 1) at every step
};

struct MusicalEvalOptions {
    int variations = 8; ///< 1–8, drawn as one batch
    int bars = 16;      ///< per continuation, in the seed's meter
    std::uint64_t randomSeed = 1;
    Decoding decoding = Decoding::Continuo;
    double temperature = 1.0;                       ///< Continuo decoding only
    double topP = GenerateRequest{}.topP;           ///< Continuo decoding only (the product's default)
    double pitchTopP = GenerateRequest{}.pitchTopP; ///< Continuo decoding only (the product's default)
    int topK = 0;                                   ///< Continuo decoding only
    std::optional<KeyLock> key; ///< lock generation to a key; the share in key is then reported
};

/// Mean, min, max and the 10th / 90th percentiles of each metric (kMetricNames order) over samples.
struct MetricSummary {
    std::size_t samples = 0;
    std::array<double, music::kMetricCount> mean{}, min{}, max{}, p10{}, p90{};
};
MetricSummary summarize(const std::vector<music::MusicalMetrics>& samples);

struct ContinuationReport {
    std::vector<music::MusicalMetrics> variations; ///< generated part of each
    std::vector<std::vector<music::Note>> notes;   ///< the generated notes of each (to listen to)
    MetricSummary summary;
    double inKeyShare = -1;     ///< with a key lock: share of generated notes in it (0–1); else −1
    std::int64_t startTick = 0; ///< where generation started (the seed's end)
    double seconds = 0;         ///< generation wall time
};
/// Continues `seed`'s track `track` as `options` say and measures each variation over its span
/// [start, start + bars). Throws what the Composer throws (std::runtime_error).
ContinuationReport measureContinuations(Composer& composer, const music::Song& seed, int track,
                                        const MusicalEvalOptions& options);

struct HumanRange {
    MetricSummary summary;
    std::size_t files = 0;   ///< files measured
    std::size_t windows = 0; ///< windows measured
};
/// The validation files the model's split holds out of `dataDir` (the split rule of its training run).
/// Throws music::DatasetError when the folder has nothing usable.
std::vector<std::filesystem::path> validationFiles(const ModelMetadata& metadata,
                                                   const std::filesystem::path& dataDir);
/// Each file's melodic part (the tokenizer's policy, quantized) cut into consecutive, non-overlapping
/// windows of `bars` bars (meter at tick 0); windows without notes and the last partial one are left out.
/// Unreadable files are skipped.
HumanRange measureHuman(const std::vector<std::filesystem::path>& files,
                        const music::TokenizerSettings& tokenizer, int bars);

} // namespace continuo::model
