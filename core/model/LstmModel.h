#pragma once
// A loaded (or freshly initialised) LSTM model: its metadata and its network, behind a pimpl so that this
// header stays free of LibTorch. The trainer, the composer and the tests build on it.
//
// Thread contract: one thread at a time per LstmModel (LibTorch modules are not safe for concurrent
// forward passes that switch train/eval mode).

#include "modelfile/ModelFile.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace continuo::model {

/// CPU threads LibTorch uses for intra-op work (its default was 1 here); 0 = every core. The one statement
/// of the contract (tests/model/tst_torch_threads checks it): with LibTorch's OpenMP backend the count is
/// per thread. at::set_num_threads sets the calling thread's OpenMP count and stores the value, which a
/// thread takes when it first runs LibTorch's parallel work (at::internal::lazy_init_num_threads, once per
/// thread); a thread that already did keeps its own count. So call it on the thread that runs the model:
/// the studio posts it to the engine thread (ui::Engine::post), and model::train calls it on the training
/// thread with TrainOptions::threads.
void setTorchThreads(int threads);
/// The calling thread's count (initialised from the stored value on its first use).
int torchThreads();
/// CUDA GPUs LibTorch can use (0 for a CPU-only LibTorch or a machine without one). The first call may
/// take a while (it initialises the CUDA runtime): call it off the GUI thread.
int cudaDeviceCount();
/// "cpu", or "cuda" when requested ("auto": when LibTorch sees a GPU). Throws std::runtime_error for
/// "cuda" without a GPU or an unknown name.
std::string resolveDevice(const std::string& request);

/// Checks a model file's weights against its declared architecture before any network is built: every
/// tensor that architecture needs is in the WGHT archive with its shape and as 32-bit floats, and every
/// value is finite. A file whose metadata declares a network its weights do not hold (a few MB of weights
/// under a header saying 16 × LSTM(4096)) is refused here instead of costing gigabytes; so are NaN or
/// infinite weights, which generate nonsense without any error. Throws ModelFileError(Corrupt), one
/// sentence naming `name` and the first tensor at fault. LstmModel::load and fromContents call it;
/// `continuo-cli info` too.
void checkModelWeights(const ModelFileContents& contents, const std::string& name);

class LstmModel {
public:
    /// New weights drawn from metadata.train.seed. metadata.model.vocab must be set. Throws
    /// std::invalid_argument for a config out of range.
    static LstmModel create(const ModelMetadata& metadata, const std::string& device = "cpu");
    /// Loads a model file (ModelFile.h checks it first, then checkModelWeights). Throws ModelFileError;
    /// std::runtime_error (one sentence) when LibTorch fails for another reason, such as memory.
    static LstmModel load(const std::filesystem::path& file,
                          const std::optional<music::TokenizerSettings>& expectTokenizer = {},
                          const std::string& device = "cpu");
    /// From checked file contents (readModelFile). Throws ModelFileError(Corrupt) when the weights archive
    /// does not load or does not fit the architecture (checkModelWeights, before the network is built), and
    /// std::runtime_error with one sentence when LibTorch fails otherwise (memory, device).
    static LstmModel fromContents(const ModelFileContents& contents, const std::string& name,
                                  const std::string& device = "cpu");

    LstmModel(LstmModel&&) noexcept;
    LstmModel& operator=(LstmModel&&) noexcept;
    ~LstmModel();

    const ModelMetadata& metadata() const;
    ModelMetadata& metadata();
    std::int64_t parameterCount() const;
    std::string device() const;

    /// The weights as a LibTorch archive (the WGHT section).
    std::string weightsArchive() const;
    /// Writes the model file atomically; `extraSections` (e.g. trainer state) are stored beside META/WGHT.
    void save(const std::filesystem::path& file,
              const std::map<std::string, std::string>& extraSections = {}) const;

    /// Logits of every position of one sequence run from a zero state, in eval mode: steps × vocab
    /// floats, row-major. `tokens` holds the network's inputs, inputsPerStep ids a step (the token alone,
    /// or Tokenizer::stepInputs for the bar encoding).
    std::vector<float> logits(std::span<const std::int32_t> tokens) const;
    /// The same computed one token at a time, carrying (h, c) between calls: what generation does.
    std::vector<float> logitsStepwise(std::span<const std::int32_t> tokens) const;
    /// After eval(): names of submodules still in training mode (empty when eval() reached them all), and
    /// the number of submodules (to show the check saw them).
    std::vector<std::string> submodulesInTraining(std::size_t* submodules = nullptr) const;

    struct Impl;
    Impl& impl() const { return *impl_; }

private:
    explicit LstmModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace continuo::model
