#pragma once
// INTERNAL to core/model: the LibTorch network. Only the few .cpp files of core/model that run the
// network include this (it pulls in <torch/torch.h>); everything else uses LstmModel.h.

#include "model/LstmModel.h"

#include <torch/torch.h>

#include <tuple>

namespace continuo::model {

using LstmState = std::tuple<torch::Tensor, torch::Tensor>; ///< (h, c), each [layers, batch, hidden]

/// Embedding → LSTM stack (dropout between layers) → dropout → Linear → ReLU → dropout → Linear.
struct ComposerNetImpl : torch::nn::Module {
    explicit ComposerNetImpl(const ModelConfig& config);
    /// tokens: int64 [batch, time], or [batch, time, inputsPerStep] whose embeddings are summed. Returns
    /// logits [batch, time, vocab] and the state after the last step.
    std::tuple<torch::Tensor, LstmState> forward(const torch::Tensor& tokens,
                                                 const torch::optional<LstmState>& state = torch::nullopt);

    ModelConfig config;
    torch::nn::Embedding embed{nullptr};
    torch::nn::LSTM lstm{nullptr};
    torch::nn::Dropout lstmDropout{nullptr};
    torch::nn::Linear dense{nullptr};
    torch::nn::Dropout denseDropout{nullptr};
    torch::nn::Linear out{nullptr};
};
TORCH_MODULE(ComposerNet);

struct LstmModel::Impl {
    ModelMetadata metadata;
    ComposerNet net{nullptr};
    torch::Device device{torch::kCPU};
};

/// A LibTorch archive (module or optimizer) to bytes and back. fromArchive throws c10::Error on bad bytes.
std::string archiveBytes(torch::serialize::OutputArchive& archive);

/// One line for a person from an exception LibTorch threw: c10::Error's what() appends a backtrace of
/// 20-30 lines ("Exception raised from … frame #0 …"), which the CLI printed and the studio showed in the
/// Generate panel; this is its message alone (what_without_backtrace), cut at the first line break.
/// Other exceptions: their what(), cut the same way.
std::string torchErrorSentence(const std::exception& e);

/// Threads while training on the CPU, for the life of this object on the calling thread. LibTorch's
/// matrix products go to the BLAS, and OpenBLAS keeps a pool of its own threads; LibTorch's OpenMP threads
/// spin-wait between parallel regions on the same cores. Both pools at 2 threads on 2 cores trained 2.3×
/// (seed preset) to 3× (compact) slower than the BLAS pool alone (continuo-cli bench --only model
/// --threads 2 before this class vs after). So with OpenBLAS present, the BLAS gets the thread count
/// setTorchThreads chose and LibTorch's own intra-op work stays on the calling thread; restored on
/// destruction. Another BLAS or CUDA: nothing changes.
class CpuTrainingThreads {
public:
    explicit CpuTrainingThreads(const torch::Device& device);
    ~CpuTrainingThreads();
    CpuTrainingThreads(const CpuTrainingThreads&) = delete;
    CpuTrainingThreads& operator=(const CpuTrainingThreads&) = delete;
    /// For the model card: "cpu (OpenBLAS, 2 threads)", "cpu (1 threads)", "cuda (bf16 autocast)".
    const std::string& label() const { return label_; }

private:
    int restore_ = 0; ///< LibTorch's thread count to put back (0: unchanged)
    std::string label_;
};

} // namespace continuo::model
