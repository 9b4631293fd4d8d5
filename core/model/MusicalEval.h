#pragma once
// "Does it sound like music?" in figures: a Composer continues a seed melody N times and the generated
// part of each continuation is measured (music/MusicalMetrics.h); the same figures for windows of the
// held-out validation files give the human range. Behind `continuo-cli eval --musical`. No LibTorch here.

#include "composer/Composer.h"
#include "modelfile/ModelFile.h"
#include "music/MusicalMetrics.h"
#include "music/StructureMetrics.h"
#include "music/Texture.h"

#include <array>
#include <filesystem>
#include <optional>
#include <string>
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

// --- Song structure on an evaluation set (issue 15): `eval --musical --melodies DIR` ---

/// One tune of an evaluation set: its file and how many of its first bars are the seed.
struct EvalTune {
    std::filesystem::path file;
    std::string title;
    int seedBars = 2;
};
/// The tunes of `dir`: the rows of its index.tsv (file, title, meter, key, seed_bars, …; '#' lines are
/// comments; scripts/make-eval-melodies.py writes it), else every MIDI file in it, sorted, with 2 seed bars.
/// Throws std::runtime_error when the folder holds neither.
std::vector<EvalTune> evalTunes(const std::filesystem::path& dir);

struct TuneEvalOptions {
    int variations = 8; ///< 1–8, one batch per tune
    int maxBars = 8;    ///< bars continued: the rest of the tune, at most this many
    std::uint64_t randomSeed = 1;
    music::Texture texture = music::Texture::Auto;  ///< GenerateRequest::texture
    double structure = 0.5;                         ///< GenerateRequest::structure
    double temperature = 1.0;                       ///< GenerateRequest::temperature
    double topP = GenerateRequest{}.topP;           ///< GenerateRequest::topP (the product's default)
    double pitchTopP = GenerateRequest{}.pitchTopP; ///< GenerateRequest::pitchTopP (the product's default)
};

/// Every figure of one continuation (or of the tune's real rest).
struct PassageFigures {
    music::StructureMetrics structure;
    music::MusicalMetrics music;
    int longestCopy = -1; ///< bars copied from one training melody; −1 without a training index
};
/// The figures a tune table shows, by name, in a fixed order: the structure figures (kStructureNames),
/// then longest_copy_bars, scale_consistency, loop_cover, distinct_durations, ioi_entropy, notes.
inline constexpr const char* kEvalFigureNames[] = {"rhythm_repeat",
                                                   "motif_repeat",
                                                   "seed_motif_return",
                                                   "in_seed_key",
                                                   "groove_consistency",
                                                   "notes_per_onset",
                                                   "verbatim_seed_bars",
                                                   "longest_copy_bars",
                                                   "scale_consistency",
                                                   "loop_cover",
                                                   "distinct_durations",
                                                   "ioi_entropy",
                                                   "notes"};
inline constexpr int kEvalFigureCount = int(sizeof(kEvalFigureNames) / sizeof(kEvalFigureNames[0]));
/// Value of figure `index` (order of kEvalFigureNames); −1 = undefined (left out of means).
double evalFigure(const PassageFigures& f, int index);

struct TuneReport {
    EvalTune tune;
    std::string error; ///< why the tune was skipped ("" when it was measured)
    music::Texture seedTexture = music::Texture::Melody; ///< of the seed (music::detectTexture)
    int bars = 0;                                        ///< bars continued (and of the real rest measured)
    std::int64_t fromTick = 0;                           ///< where the continuation starts: bar seedBars + 1
    std::vector<PassageFigures> variations;
    std::vector<std::vector<music::Note>> notes; ///< the generated notes of each variation
    PassageFigures human;                        ///< the same figures on the tune's real rest
    std::size_t distinctVariations = 0;          ///< how many different variations there are
    double seconds = 0;                          ///< generation wall time
    /// Mean over the variations of figure `index` (the defined values; −1 when none is).
    double modelFigure(int index) const;
};

/// The tune's first seedBars bars (bars from its meter map) are the seed of its first melodic track; the
/// composer continues them from the next bar for the rest of the tune (at most maxBars, at least 1) as
/// `options` say, with the product's default sampling. Each variation and the real rest are measured with
/// music::measureStructure, music::measureMusic and, when `training` is given, its longest copy. A tune
/// that cannot be read or is too short gives a report with `error` set. Throws what the Composer throws.
TuneReport evaluateTune(Composer& composer, const EvalTune& tune, const TuneEvalOptions& options,
                        const music::CopyIndex* training = nullptr);

/// The melodies of every MIDI file under `dir` (music::songMelodies), for the copy guard. Unreadable
/// files are skipped; `files` (optional) receives how many were read.
music::CopyIndex trainingIndex(const std::filesystem::path& dir, std::size_t* files = nullptr);

/// Mean, min and max of per-tune values, leaving out undefined (negative) ones; count = those used.
struct TuneSpread {
    double mean = -1, min = -1, max = -1;
    std::size_t count = 0;
};
TuneSpread spread(const std::vector<double>& values);

} // namespace continuo::model
