// The network, its weights as bytes, and the LstmModel pimpl. One of the three LibTorch translation units.

#include "model/internal/Network.h"

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

std::string torchErrorSentence(const std::exception& e) {
    const auto* c10 = dynamic_cast<const c10::Error*>(&e);
    std::string text = c10 ? c10->what_without_backtrace() : e.what();
    if (const auto eol = text.find('\n'); eol != std::string::npos) text.resize(eol);
    return text;
}

namespace {

/// The tensors a ComposerNet of `c` registers, as (child module, parameter name, shape): the order and
/// names of ComposerNetImpl's constructor and of torch::nn::LSTM (weight_ih_l<k>, weight_hh_l<k>,
/// bias_ih_l<k>, bias_hh_l<k>). Were this to drift from the network, every file would be refused, which
/// the save/load tests would show at once.
struct ExpectedTensor {
    std::string module, name;
    std::vector<std::int64_t> shape;
};
std::vector<ExpectedTensor> expectedTensors(const ModelConfig& c) {
    const std::int64_t H = c.hidden, gates = 4 * H;
    std::vector<ExpectedTensor> out{{"embed", "weight", {c.inputs(), c.embedding}}};
    for (int l = 0; l < c.layers; ++l) {
        const std::string k = std::to_string(l);
        out.push_back({"lstm", "weight_ih_l" + k, {gates, l == 0 ? std::int64_t(c.embedding) : H}});
        out.push_back({"lstm", "weight_hh_l" + k, {gates, H}});
        out.push_back({"lstm", "bias_ih_l" + k, {gates}});
        out.push_back({"lstm", "bias_hh_l" + k, {gates}});
    }
    out.push_back({"dense", "weight", {c.dense, H}});
    out.push_back({"dense", "bias", {c.dense}});
    out.push_back({"out", "weight", {c.vocab, c.dense}});
    out.push_back({"out", "bias", {c.vocab}});
    return out;
}

std::string shapeText(c10::IntArrayRef shape) {
    std::string s;
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += (i ? " x " : "") + std::to_string(shape[i]);
    return shape.empty() ? "a scalar" : s;
}

/// The WGHT section as a LibTorch archive (a file that passed its checksum may still hold bytes no
/// LibTorch wrote).
void loadArchive(torch::serialize::InputArchive& archive, const ModelFileContents& contents,
                 const std::string& name) {
    try {
        const std::string& w = contents.sections.at("WGHT");
        archive.load_from(w.data(), w.size());
    } catch (const std::exception& e) {
        throw ModelFileError(ModelFileError::Kind::Corrupt,
                             name + ": the model's weights do not load (" + torchErrorSentence(e) + ")");
    }
}

/// checkModelWeights on an archive already loaded: reading a tensor of the archive only hands out the
/// tensor it holds, so nothing here is larger than the weights themselves.
void checkArchive(torch::serialize::InputArchive& archive, const ModelConfig& c, const std::string& name) {
    using Kind = ModelFileError::Kind;
    std::string module;
    torch::serialize::InputArchive child;
    bool haveChild = false;
    for (const ExpectedTensor& x : expectedTensors(c)) {
        const std::string path = x.module + "." + x.name;
        if (x.module != module) {
            module = x.module;
            child = torch::serialize::InputArchive();
            haveChild = archive.try_read(module, child);
        }
        torch::Tensor t;
        if (!haveChild || !child.try_read(x.name, t) || !t.defined())
            throw ModelFileError(Kind::Corrupt, name + ": the model's weights lack " + path +
                                                    ", which its declared architecture (" + c.describe() +
                                                    ") needs");
        if (t.sizes() != c10::IntArrayRef(x.shape))
            throw ModelFileError(Kind::Corrupt, name + ": the declared architecture (" + c.describe() +
                                                    ") does not match the weights (" + path + " is " +
                                                    shapeText(t.sizes()) + " where " + shapeText(x.shape) +
                                                    " is needed)");
        if (t.scalar_type() != torch::kFloat)
            throw ModelFileError(Kind::Corrupt, name + ": the model's weights are not 32-bit floats (" +
                                                    path + " holds " +
                                                    std::string(c10::toString(t.scalar_type())) + ")");
        if (!torch::isfinite(t).all().item<bool>())
            throw ModelFileError(Kind::Corrupt, name + ": the model's weights hold NaN or infinite values (" +
                                                    path + "), so it cannot generate anything meaningful");
    }
}

} // namespace

void checkModelWeights(const ModelFileContents& contents, const std::string& name) {
    torch::serialize::InputArchive archive;
    loadArchive(archive, contents, name);
    checkArchive(archive, contents.metadata.model, name);
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
    try {
        m.model.validate();
    } catch (const std::invalid_argument& e) {
        throw ModelFileError(Kind::Corrupt, name + ": " + e.what());
    }
    // The weights are checked against the declared architecture before the network is built: the
    // network's size comes from the metadata, so a few MB of weights under a header declaring 8 × 1536 cost
    // 600 MB (and 16 × 8192 more than the machine has) before the first shape was compared.
    torch::serialize::InputArchive archive;
    loadArchive(archive, contents, name);
    checkArchive(archive, m.model, name);
    try {
        std::unique_ptr<Impl> impl = makeImpl(m, "cpu");
        // checkArchive compared each tensor with the architecture; this compares with the network as built
        // (loading replaces a parameter's shape with the archive's), so a drift between expectedTensors and
        // ComposerNetImpl is refused instead of run.
        std::map<std::string, std::vector<std::int64_t>> shapes;
        for (const auto& p : impl->net->named_parameters())
            shapes[p.key()] = p.value().sizes().vec();
        impl->net->load(archive);
        for (const auto& p : impl->net->named_parameters())
            if (p.value().sizes().vec() != shapes[p.key()] || p.value().scalar_type() != torch::kFloat)
                throw ModelFileError(Kind::Corrupt,
                                     name + ": the model's weights do not fit its architecture (" + p.key() +
                                         ")");
        impl->device = torch::Device(resolveDevice(device));
        impl->net->to(impl->device);
        impl->metadata.parameters = m.parameters;
        return LstmModel(std::move(impl));
    } catch (const c10::Error& e) {
        // Memory or the device, not the file: the file's shapes were checked above.
        throw std::runtime_error(name + ": the model could not be loaded (" + torchErrorSentence(e) + ")");
    }
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
