#pragma once
// Training and evaluation of an LstmModel on a music::Dataset. No LibTorch in this header.
//
// Every position of every window is a target. The run is a pure function of the dataset, the configs and
// the seed on the CPU: weights come from the seed, the window order of epoch e from (seed, e), and dropout
// from (seed, step), so a run resumed from a checkpoint continues bit for bit (optimizer state included).

#include "model/LstmModel.h"
#include "music/Dataset.h"

#include <atomic>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace continuo::model {

/// Reported between batches, on the training thread.
struct TrainProgress {
    int epoch = 0; ///< 1-based, of `epochs`
    int epochs = 0;
    std::int64_t step = 0; ///< 1-based step within the epoch, of `stepsPerEpoch`
    std::int64_t stepsPerEpoch = 0;
    double trainLoss = 0;       ///< running mean of this epoch, nats per token
    double validationLoss = -1; ///< of the last completed epoch; −1 = none yet
    double tokensPerSecond = 0; ///< targets trained per second in this session
    double etaSeconds = 0;      ///< to the end of the last epoch at the current speed
    double learningRate = 0;
    bool epochDone = false; ///< true once per epoch, after validation
};
using TrainProgressFn = std::function<void(const TrainProgress&)>;

struct TrainOptions {
    std::string preset; ///< recorded in the summary
    ModelConfig model;  ///< vocab is taken from the dataset
    TrainConfig train;
    std::filesystem::path out;    ///< the model file, rewritten (atomically) after every epoch and on stop
    std::filesystem::path resume; ///< a model file written by an interrupted run: continue it ("" = new run)
    /// Fine-tuning: a model file whose weights start a new run ("" = fresh weights from the seed). Its
    /// architecture replaces `model` and its tokenizer settings and window must be those of the dataset
    /// (TrainingError::Kind::Incompatible otherwise). `train` (learning rate, epochs …) is this run's.
    /// Ignored when `resume` is set (a resumed fine-tune continues from its own checkpoint).
    std::filesystem::path initFrom;
    std::string device = "auto";       ///< auto, cpu, cuda
    int threads = 0;                   ///< CPU threads, 0 = every core
    double timeLimitSeconds = 0;       ///< stop after the epoch that passes it (0 = none)
    std::int64_t maxStepsPerEpoch = 0; ///< 0 = every window once per epoch
    /// Stop as if cancelled once this many optimizer steps are done in total (−1 = never): for tests of
    /// resume and for a quick measured run.
    std::int64_t stopAfterSteps = -1;
    std::string corpusPath; ///< recorded
    std::string corpusHash; ///< recorded; a resumed run refuses a different corpus
};

/// A training failure the studio explains in its own words. what() is one sentence for the user.
class TrainingError : public std::runtime_error {
public:
    enum class Kind {
        DiskFull, ///< the checkpoint could not be written (ENOSPC, EDQUOT, EFBIG); the previous one is intact
        OutOfMemory,  ///< CUDA (c10::OutOfMemoryError) or host memory (std::bad_alloc) ran out
        Incompatible, ///< fine-tuning: the base model's tokenizer or window differ from the data's
    };
    TrainingError(Kind kind, const std::string& message)
        : std::runtime_error(message)
        , kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

/// The dataset options a training config implies (window, stride, transposition, split, seed).
music::DatasetOptions datasetOptions(const ModelConfig& model, const TrainConfig& train,
                                     const music::TokenizerSettings& tokenizer);
/// SHA-256 hex of a corpus: of DIR/MANIFEST.tsv when there is one, else of the dataset's tokens and files.
std::string corpusHash(const std::filesystem::path& dir, const music::Dataset& dataset);

/// Trains (or resumes) and writes options.out. On `cancel`, stopAfterSteps or an error in a step, the
/// file written last is a complete resumable checkpoint. Returns the summary written into the file.
/// Throws TrainingError for a full disk (the checkpoint on disk is then the previous one, intact), for memory
/// running out (CUDA or host), and for a fine-tune base that does not fit the data; ModelFileError for a bad
/// resume or base file; std::system_error before any work when options.out cannot be written (a folder, or
/// a folder that takes no new file: checkWritable); std::runtime_error with a clear message otherwise (no
/// training windows, a LibTorch failure in one line …).
TrainingSummary train(const music::Dataset& dataset, const TrainOptions& options,
                      const TrainProgressFn& progress, const std::atomic<bool>& cancel);

struct EvalResult {
    double loss = 0;       ///< mean cross-entropy, nats per token
    double perplexity = 0; ///< exp(loss)
    double accuracy = 0;   ///< share of targets where the most likely token was right
    std::uint64_t targets = 0;
    double seconds = 0;
};
/// Evaluates on every window of `split` (eval mode, no gradients). Throws std::runtime_error when the split
/// has no window.
EvalResult evaluate(LstmModel& model, const music::DatasetSplit& split, int batch = 64);

/// Training throughput on random tokens: targets per second over `steps` steps after one warm-up step, on
/// `device` ("cpu", "cuda", "auto"; see resolveDevice). Blocks for those steps: call it off the GUI thread.
double benchTrainTargetsPerSecond(const ModelConfig& model, const TrainConfig& train, int steps,
                                  const std::string& device = "cpu");

/// How long training `dataset` would take: a few measured steps of this architecture on `device` times the
/// steps of the run (every training window once per epoch, augmentation included, or maxStepsPerEpoch), plus
/// one validation pass per epoch at the forward-only speed (taken as 3× the training speed).
struct TrainingEstimate {
    double seconds = 0;             ///< the whole run, all epochs (early stopping may end sooner)
    double targetsPerSecond = 0;    ///< measured
    std::int64_t stepsPerEpoch = 0; ///< optimizer steps per epoch
    std::uint64_t targetsPerEpoch = 0;
    std::string device; ///< the device measured ("cpu", "cuda")
};
/// `model.vocab`/`model.window` are taken from the dataset. Blocks for `benchSteps` + 1 steps (seconds for
/// the seed preset on a CPU). Throws std::runtime_error when the dataset has no training window or the device
/// is unknown.
TrainingEstimate estimateTraining(const music::Dataset& dataset, const ModelConfig& model,
                                  const TrainConfig& train, std::int64_t maxStepsPerEpoch,
                                  const std::string& device, int benchSteps = 3);

} // namespace continuo::model
