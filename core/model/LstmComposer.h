#pragma once
// The LSTM behind the Composer interface, and the decoding benchmark. No LibTorch in this header.
//
// Generation is stateful: the seed (the track's notes before the start, encoded with the model's
// tokenizer, at most contextTokens of it) runs through the network once; then each new token is one step
// carrying (h, c). Variations are the batch dimension. Sampling happens on the CPU with one SplitMix64 per
// variation seeded from (randomSeed, variation), so a request gives the same notes on any device.
//
// Modes: Continue starts at fromTick (−1: the end of the track's last note) and runs `bars` bars of the
// song's meter there; Regenerate fills [rangeStart, rangeEnd) from the notes before rangeStart (`bars` is
// ignored; notes are cut to end by rangeEnd); FromScratch starts from BOS alone at fromTick (−1: as
// Continue) and runs `bars` bars.

#include "composer/Composer.h"
#include "kernels/DecodePrecision.h"
#include "kernels/StepKernels.h"
#include "model/LstmModel.h"
#include "model/Sampling.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace continuo::model {

namespace detail {
struct StepWeights; // LstmComposer.cpp: the decoding step's weights, packed once per model and precision
}

class LstmComposer final : public Composer {
public:
    /// Throws ModelFileError for a bad file, std::runtime_error for an unknown device.
    explicit LstmComposer(const std::filesystem::path& modelFile, const std::string& device = "cpu");
    explicit LstmComposer(LstmModel model);
    ~LstmComposer() override;

    ModelDescription describe() const override;
    GenerateResult generate(const GenerateRequest& request, const ProgressFn& progress,
                            const std::atomic<bool>& cancel) override;

    /// The raw token streams of the last generate() (one per variation, the generated ids only): for
    /// tests of the grammar and for debugging.
    const std::vector<std::vector<std::int32_t>>& lastTokens() const { return lastTokens_; }
    const LstmModel& model() const { return model_; }
    /// Seed tokens beyond this are cut (from the front, at an onset): the context the network sees.
    int contextTokens = 1024;
    /// The CPU decoding step's precision (ignored on CUDA). Set before generate(), not during.
    DecodePrecision decodePrecision = DecodePrecision::Auto;

private:
    LstmModel model_;
    std::unique_ptr<music::Tokenizer> tokenizer_;
    std::string file_;
    std::vector<std::vector<std::int32_t>> lastTokens_;
    std::vector<std::uint8_t> pitchTokens_; ///< which ids are pitches (built for a pitch top-p below 1)
    std::unique_ptr<detail::StepWeights> stepWeights_; ///< made by the first CPU generate()
};

/// One-line summary of a model's metadata for describe() and `info`.
std::string describeModel(const ModelMetadata& metadata);

struct DecodeBench {
    int threads = 0;
    DecodePrecision precision = DecodePrecision::Float32; ///< resolved
    StepPath path = StepPath::Portable; ///< the float32 products' and the cell's instruction set
    std::string pathWhy;                ///< why that path (PathChoice::why): the timings it was chosen by
    std::int64_t parameters = 0;
    double msPerTokenBatch1 = 0; ///< stateful, sampling included
    double msPerTokenBatch8 = 0; ///< per step of 8 variations (one token each)
    double refeedMsPerToken = 0; ///< the original: the whole window re-run for each token (0: not timed)
    double speedupVsRefeed = 0;  ///< refeed / batch 1 (0: not timed)
    /// Over 64 steps at batch 1: the largest |logit − float32's logit| and the largest |logit| (0 for fp32).
    double maxLogitDifference = 0, maxLogit = 0;
};
/// Test hook: `tokens` (the network's inputs, inputsPerStep ids a step) run from a zero state through the
/// decoder's own step (not torch::nn::LSTM), each step fed to `batch` rows at once; the logits of every
/// step and row, steps × batch × vocab floats. CPU.
std::vector<float> decoderStepLogits(const LstmModel& model, std::span<const std::int32_t> tokens, int batch,
                                     DecodePrecision precision = DecodePrecision::Auto);

/// Times decoding with random weights of `config` on the CPU: `tokens` stateful steps at batch 1 and 8,
/// and `refeedTokens` tokens the original's way (0: none), in one run. `path`: the step kernels' instruction
/// set (default the fastest this CPU has; std::invalid_argument for one it lacks).
DecodeBench benchDecode(const ModelConfig& config, int tokens = 200, int refeedTokens = 10,
                        DecodePrecision precision = DecodePrecision::Auto,
                        std::optional<StepPath> path = std::nullopt);

} // namespace continuo::model
