#include "modelfile/ModelConfig.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace continuo::model {
namespace {

void check(bool ok, const char* what) {
    if (!ok) throw std::invalid_argument(std::string("model setting out of range: ") + what);
}

} // namespace

void ModelConfig::validate() const {
    check(vocab >= 1 && vocab <= 65536, "vocab (1-65536)");
    check(embedding >= 1 && embedding <= 4096, "embedding (1-4096)");
    check(hidden >= 1 && hidden <= 8192, "hidden (1-8192)");
    check(layers >= 1 && layers <= 16, "layers (1-16)");
    check(dense >= 1 && dense <= 8192, "dense (1-8192)");
    check(dropout >= 0 && dropout <= 0.9, "dropout (0-0.9)");
    check(window >= 2 && window <= 100000, "window (2-100000)");
    check(inputsPerStep >= 1 && inputsPerStep <= 8, "inputs per step (1-8)");
    check(inputVocab == 0 || (inputVocab >= vocab && inputVocab <= 1 << 20),
          "input vocabulary (vocab-1048576)");
    if (parameterCount() > kMaxParameters)
        throw std::invalid_argument("the architecture (" + describe() + ") has " +
                                    std::to_string(parameterCount()) + " parameters, more than the " +
                                    std::to_string(kMaxParameters) + " a model may have");
}

std::int64_t ModelConfig::parameterCount() const {
    // As ComposerNetImpl builds it (Network.cpp): Embedding(inputs, E); per LSTM layer W_ih [4H, in],
    // W_hh [4H, H] and two biases [4H]; Linear(H, dense); Linear(dense, vocab). 64-bit: every field at its
    // maximum still fits.
    const std::int64_t H = hidden, gates = 4 * H;
    std::int64_t n = std::int64_t(inputs()) * embedding;
    for (int l = 0; l < layers; ++l)
        n += gates * ((l == 0 ? std::int64_t(embedding) : H) + H + 2);
    n += std::int64_t(dense) * (H + 1) + std::int64_t(vocab) * (dense + 1);
    return n;
}

std::string ModelConfig::describe() const {
    return std::to_string(layers) + " x LSTM(" + std::to_string(hidden) + "), embedding " +
           std::to_string(embedding) + ", dense " + std::to_string(dense) + ", vocabulary " +
           std::to_string(vocab);
}

void TrainConfig::validate() const {
    check(batch >= 1 && batch <= 65536, "batch (1-65536)");
    check(epochs >= 1 && epochs <= 100000, "epochs (1-100000)");
    check(optimizer == "adam" || optimizer == "rmsprop", "optimizer (adam or rmsprop)");
    check(learningRate > 0 && learningRate < 10, "learning rate (0-10)");
    check(weightDecay >= 0, "weight decay (>= 0)");
    check(clipNorm >= 0, "clip (>= 0)");
    check(warmupSteps >= 0, "warm-up steps (>= 0)");
    check(minLrFactor >= 0 && minLrFactor <= 1, "min lr factor (0-1)");
    check(patience >= 0, "patience (>= 0)");
    check(stride >= 0, "stride (>= 0)");
    check(transposeLow <= 0 && transposeHigh >= 0 && transposeLow >= -24 && transposeHigh <= 24,
          "transposition (-24..0..24)");
    check(validationShare >= 0 && validationShare <= 0.9, "validation share (0-0.9)");
}

Preset preset(std::string_view name) {
    Preset p;
    p.name = std::string(name);
    if (name == "seed") {
        // The original: 3 × LSTM(512), dense 256, dropout 0.3, windows of 100, RMSprop. Adam is the
        // default optimizer here (every position is a target, so the gradients are far less noisy).
        p.model = {0, 32, 512, 3, 256, 0.3, 100};
        p.train.batch = 64;
        p.train.learningRate = 1e-3;
        return p;
    }
    if (name == "compact") {
        // Sized by measurement on a 2-core machine (docs/architecture.md, "Model"): 2 × LSTM(192) at batch
        // 128 over the default corpus with ±1 semitone of augmentation (≈2.5 M targets per epoch), 4 epochs.
        p.model = {0, 48, 192, 2, 256, 0.2, 64};
        p.train.batch = 128;
        p.train.epochs = 4;
        p.train.learningRate = 3e-3;
        p.train.warmupSteps = 50;
        p.train.transposeLow = -1;
        p.train.transposeHigh = 1;
        return p;
    }
    if (name == "tiny") {
        p.model = {0, 16, 32, 2, 32, 0.1, 24};
        p.train.batch = 8;
        p.train.epochs = 2;
        p.train.learningRate = 1e-2;
        p.train.warmupSteps = 0;
        p.train.transposeLow = 0;
        p.train.transposeHigh = 0;
        return p;
    }
    throw std::invalid_argument("unknown preset '" + std::string(name) + "' (seed, compact or tiny)");
}

std::vector<std::string> presetNames() {
    return {"seed", "compact", "tiny"};
}

double learningRateAt(const TrainConfig& c, std::int64_t step, std::int64_t totalSteps) {
    if (c.warmupSteps > 0 && step < c.warmupSteps) return c.learningRate * double(step + 1) / c.warmupSteps;
    const double span = double(std::max<std::int64_t>(1, totalSteps - c.warmupSteps));
    const double t = std::clamp(double(step - c.warmupSteps) / span, 0.0, 1.0);
    const double floor = c.learningRate * c.minLrFactor;
    return floor + (c.learningRate - floor) * 0.5 * (1 + std::cos(std::numbers::pi * t));
}

} // namespace continuo::model
