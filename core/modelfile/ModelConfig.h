#pragma once
// The hyper-parameters of a model and of its training, in plain structs (no LibTorch) so the CLI, the
// studio and the model file can all speak of them. A model file stores both (ModelFile.h).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace continuo::model {

/// The most weights a model may have, loaded or trained: 2^28 (1 GiB of float32), 48 times the seed
/// preset. Each field's own range allows far more (16 × LSTM(8192) is 8.3 G parameters, 33 GB), and a
/// model file's metadata is read before its weights: this bound keeps a file that declares such a network
/// from being built at all.
inline constexpr std::int64_t kMaxParameters = std::int64_t(1) << 28;

/// The network: Embedding(vocab, embedding) → layers × LSTM(hidden) with dropout between and after them →
/// Linear(hidden, dense) → ReLU → dropout → Linear(dense, vocab).
struct ModelConfig {
    int vocab = 0;        ///< tokens, from the tokenizer (set by the trainer), 1–65536
    int embedding = 64;   ///< 1–4096
    int hidden = 512;     ///< 1–8192
    int layers = 3;       ///< 1–16
    int dense = 256;      ///< 1–8192
    double dropout = 0.3; ///< 0–0.9
    int window = 100;     ///< tokens per training window (the context the model was trained on), 2–100000
    /// Ids the network reads at each step (the tokenizer's inputsPerStep, 1–8): the token alone (1), or the
    /// token and the bar encoding's position and lookback inputs (4), whose embeddings are summed.
    int inputsPerStep = 1;
    /// Size of the input embedding (the tokenizer's inputVocab); 0 = vocab.
    int inputVocab = 0;
    int inputs() const { return inputVocab > 0 ? inputVocab : vocab; }
    bool operator==(const ModelConfig&) const = default;
    /// The weights of this network (embedding, LSTM layers, dense and output layers), computed from the
    /// fields alone; equals the built network's count.
    std::int64_t parameterCount() const;
    /// "2 x LSTM(192), embedding 48, dense 256, vocabulary 386": for messages.
    std::string describe() const;
    /// Throws std::invalid_argument naming the first field out of range, or the parameter count when it
    /// exceeds kMaxParameters.
    void validate() const;
};

/// How a model is trained. Everything the result depends on is here, so a run is repeatable from it.
struct TrainConfig {
    int batch = 64;                 ///< windows per step, 1–65536
    int epochs = 20;                ///< upper bound; early stopping may end sooner, 1–100000
    std::string optimizer = "adam"; ///< "adam" or "rmsprop"
    double learningRate = 2e-3;     ///< peak rate, > 0
    double weightDecay = 0.0;       ///< L2, ≥ 0
    double clipNorm = 1.0;          ///< gradient norm clip; 0 = off
    int warmupSteps = 200;          ///< linear warm-up, then cosine decay to learningRate × minLrFactor
    double minLrFactor = 0.1;       ///< 0–1
    int patience = 3;               ///< epochs without a better validation loss before stopping; 0 = off
    int stride = 0;                 ///< tokens between window starts; 0 = the window (no overlap)
    int transposeLow = -5;          ///< augmentation of the training split, semitones (low ≤ 0 ≤ high)
    int transposeHigh = 6;
    double validationShare = 0.1; ///< share of files held out, 0–0.9
    std::uint64_t seed = 1;       ///< weights, data order, dropout and the split
    bool operator==(const TrainConfig&) const = default;
    void validate() const;
};

struct Preset {
    std::string name;
    ModelConfig model;
    TrainConfig train;
};

/// "seed" (the original's shape: 3 × 512, dropout 0.3, window 100) or "compact" (2 × 192, sized to train the
/// default corpus on 2 CPU cores in about 30 minutes), plus "tiny" for tests. Throws
/// std::invalid_argument for another name.
Preset preset(std::string_view name);
std::vector<std::string> presetNames();

/// Learning rate at optimizer step `step` (0-based) of `totalSteps`: linear warm-up, then cosine decay.
double learningRateAt(const TrainConfig& config, std::int64_t step, std::int64_t totalSteps);

} // namespace continuo::model
