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
    /// tokens: int64 [batch, time]. Returns logits [batch, time, vocab] and the state after the last step.
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

} // namespace continuo::model
