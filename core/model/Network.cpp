// The network, its weights as bytes, and the LstmModel pimpl. One of the three LibTorch translation units.

#include "model/Network.h"

#include <dlfcn.h>
#include <thread>

namespace continuo::model {

void setTorchThreads(int threads) {
    const int n = threads > 0 ? threads : int(std::max(1u, std::thread::hardware_concurrency()));
    torch::set_num_threads(n);
}
int torchThreads() {
    return torch::get_num_threads();
}

CpuTrainingThreads::CpuTrainingThreads(const torch::Device& device) {
    if (device.is_cuda()) {
        label_ = "cuda (bf16 autocast)";
        return;
    }
    const int n = torch::get_num_threads();
    // OpenBLAS's own call, found at run time: the BLAS is whatever libblas.so.3 Debian's alternatives
    // point at (OpenBLAS with libopenblas0-pthread, else the reference BLAS, which has no threads).
    using SetThreads = void (*)(int);
    static const auto setBlasThreads =
        reinterpret_cast<SetThreads>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (!setBlasThreads) {
        label_ = "cpu (" + std::to_string(n) + " threads)";
        return;
    }
    setBlasThreads(n); // also when n is 1: a user who keeps a core free means the BLAS too
    if (n > 1) {
        restore_ = n;
        torch::set_num_threads(1);
    }
    label_ = "cpu (OpenBLAS, " + std::to_string(n) + " threads)";
}

CpuTrainingThreads::~CpuTrainingThreads() {
    if (restore_ > 0) torch::set_num_threads(restore_);
}

int cudaDeviceCount() {
    return torch::cuda::is_available() ? int(torch::cuda::device_count()) : 0;
}

std::string resolveDevice(const std::string& request) {
    if (request == "cpu") return "cpu";
    if (request == "auto") return torch::cuda::is_available() ? "cuda" : "cpu";
    if (request == "cuda") {
        if (!torch::cuda::is_available())
            throw std::runtime_error(
                "--device cuda: LibTorch sees no CUDA GPU (this LibTorch build or machine has none)");
        return "cuda";
    }
    throw std::runtime_error("unknown device '" + request + "' (auto, cpu or cuda)");
}

ComposerNetImpl::ComposerNetImpl(const ModelConfig& c)
    : config(c) {
    embed = register_module("embed", torch::nn::Embedding(c.inputs(), c.embedding));
    lstm = register_module("lstm", torch::nn::LSTM(torch::nn::LSTMOptions(c.embedding, c.hidden)
                                                       .num_layers(c.layers)
                                                       .dropout(c.layers > 1 ? c.dropout : 0.0)
                                                       .batch_first(true)));
    lstmDropout = register_module("lstmDropout", torch::nn::Dropout(c.dropout));
    dense = register_module("dense", torch::nn::Linear(c.hidden, c.dense));
    denseDropout = register_module("denseDropout", torch::nn::Dropout(c.dropout));
    out = register_module("out", torch::nn::Linear(c.dense, c.vocab));
}

std::tuple<torch::Tensor, LstmState> ComposerNetImpl::forward(const torch::Tensor& tokens,
                                                              const torch::optional<LstmState>& state) {
    // [batch, time, K] inputs (the bar encoding's token + position + lookbacks): their embeddings add up.
    torch::Tensor x = tokens.dim() == 3 ? embed->forward(tokens).sum(2) : embed->forward(tokens);
    auto [y, next] = lstm->forward(x, state);
    torch::Tensor h = denseDropout->forward(torch::relu(dense->forward(lstmDropout->forward(y))));
    return {out->forward(h), next};
}

std::string archiveBytes(torch::serialize::OutputArchive& archive) {
    std::string bytes;
    archive.save_to([&](const void* data, size_t n) {
        bytes.append(static_cast<const char*>(data), n);
        return n;
    });
    return bytes;
}

namespace {

std::unique_ptr<LstmModel::Impl> makeImpl(const ModelMetadata& metadata, const std::string& device) {
    metadata.model.validate();
    auto impl = std::make_unique<LstmModel::Impl>();
    impl->metadata = metadata;
    impl->device = torch::Device(resolveDevice(device));
    impl->net = ComposerNet(metadata.model);
    impl->net->to(impl->device);
    std::int64_t n = 0;
    for (const auto& p : impl->net->parameters())
        n += p.numel();
    impl->metadata.parameters = n;
    return impl;
}

} // namespace

LstmModel::LstmModel(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}
LstmModel::LstmModel(LstmModel&&) noexcept = default;
LstmModel& LstmModel::operator=(LstmModel&&) noexcept = default;
LstmModel::~LstmModel() = default;

LstmModel LstmModel::create(const ModelMetadata& metadata, const std::string& device) {
    torch::manual_seed(metadata.train.seed);
    return LstmModel(makeImpl(metadata, device));
}

LstmModel LstmModel::load(const std::filesystem::path& file,
                          const std::optional<music::TokenizerSettings>& expectTokenizer,
                          const std::string& device) {
    return fromContents(readModelFile(file, expectTokenizer), file.string(), device);
}

LstmModel LstmModel::fromContents(const ModelFileContents& contents, const std::string& name,
                                  const std::string& device) {
    using Kind = ModelFileError::Kind;
    const ModelMetadata& m = contents.metadata;
    std::unique_ptr<Impl> impl;
    try {
        impl = makeImpl(m, "cpu");
    } catch (const std::invalid_argument& e) {
        throw ModelFileError(Kind::Corrupt, name + ": " + e.what());
    }
    // The checksum already matched, so these bytes are what the writer wrote; still, a file made by
    // another program could hold an archive of other shapes: check every tensor against the architecture.
    std::map<std::string, std::vector<std::int64_t>> shapes;
    for (const auto& p : impl->net->named_parameters())
        shapes[p.key()] = p.value().sizes().vec();
    try {
        const std::string& w = contents.sections.at("WGHT");
        torch::serialize::InputArchive archive;
        archive.load_from(w.data(), w.size());
        impl->net->load(archive);
    } catch (const std::exception& e) {
        throw ModelFileError(Kind::Corrupt, name + ": the model's weights do not load (" +
                                                std::string(e.what()).substr(0, 200) + ")");
    }
    for (const auto& p : impl->net->named_parameters())
        if (p.value().sizes().vec() != shapes[p.key()] || p.value().scalar_type() != torch::kFloat)
            throw ModelFileError(Kind::Corrupt, name + ": the model's weights do not fit its architecture (" +
                                                    p.key() + ")");
    impl->device = torch::Device(resolveDevice(device));
    impl->net->to(impl->device);
    impl->metadata.parameters = m.parameters;
    return LstmModel(std::move(impl));
}

const ModelMetadata& LstmModel::metadata() const {
    return impl_->metadata;
}
ModelMetadata& LstmModel::metadata() {
    return impl_->metadata;
}
std::int64_t LstmModel::parameterCount() const {
    std::int64_t n = 0;
    for (const auto& p : impl_->net->parameters())
        n += p.numel();
    return n;
}
std::string LstmModel::device() const {
    return impl_->device.str();
}

std::string LstmModel::weightsArchive() const {
    torch::serialize::OutputArchive archive;
    // Saved from the CPU so a file is the same whichever device trained it.
    if (impl_->device.is_cpu()) {
        impl_->net->save(archive);
    } else {
        auto copy = std::dynamic_pointer_cast<ComposerNetImpl>(impl_->net->clone(torch::kCPU));
        copy->save(archive);
    }
    return archiveBytes(archive);
}

void LstmModel::save(const std::filesystem::path& file,
                     const std::map<std::string, std::string>& extra) const {
    std::map<std::string, std::string> sections = extra;
    sections["WGHT"] = weightsArchive();
    ModelMetadata m = impl_->metadata;
    m.parameters = parameterCount();
    m.training.date = utcNow();
    writeFileAtomically(file, buildModelFile(m, sections));
}

namespace {

std::vector<float> toVector(const torch::Tensor& t) {
    torch::Tensor c = t.to(torch::kCPU, torch::kFloat).contiguous();
    return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

/// [1, steps] or [1, steps, K]: `tokens` holds K ids a step.
torch::Tensor tokenTensor(std::span<const std::int32_t> tokens, torch::Device device, int K) {
    std::vector<std::int64_t> ids(tokens.begin(), tokens.end());
    const std::int64_t steps = std::int64_t(ids.size()) / K;
    torch::Tensor t = torch::tensor(ids, torch::kLong);
    return (K == 1 ? t.view({1, steps}) : t.view({1, steps, K})).to(device);
}

} // namespace

std::vector<float> LstmModel::logits(std::span<const std::int32_t> tokens) const {
    torch::NoGradGuard noGrad;
    impl_->net->eval();
    auto [y, state] =
        impl_->net->forward(tokenTensor(tokens, impl_->device, impl_->metadata.model.inputsPerStep));
    return toVector(y);
}

std::vector<float> LstmModel::logitsStepwise(std::span<const std::int32_t> tokens) const {
    torch::NoGradGuard noGrad;
    impl_->net->eval();
    std::vector<float> all;
    torch::optional<LstmState> state;
    const std::size_t K = std::size_t(impl_->metadata.model.inputsPerStep);
    for (std::size_t i = 0; i + K <= tokens.size(); i += K) {
        auto [y, next] = impl_->net->forward(tokenTensor(tokens.subspan(i, K), impl_->device, int(K)), state);
        state = next;
        const std::vector<float> row = toVector(y);
        all.insert(all.end(), row.begin(), row.end());
    }
    return all;
}

std::vector<std::string> LstmModel::submodulesInTraining(std::size_t* count) const {
    impl_->net->eval();
    std::vector<std::string> training;
    const auto children = impl_->net->named_modules("net", /*include_self=*/true);
    for (const auto& m : children)
        if (m.value()->is_training()) training.push_back(m.key());
    if (count) *count = children.size();
    return training;
}

} // namespace continuo::model
