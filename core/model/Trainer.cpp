// The training loop, evaluation and the training benchmark. One of the three LibTorch translation units.

#include "model/Trainer.h"
#include "model/Sampling.h"
#include "model/internal/Network.h"
#include "modelfile/Sha256.h"

#include <ATen/autocast_mode.h>
#include <nlohmann/json.hpp>

#include <bit>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>
#include <system_error>

namespace continuo::model {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

/// Where a run is; stored in the TRST section so a resumed run continues exactly.
struct RunState {
    int nextEpoch = 0;           ///< 0-based epoch to run (or continue)
    std::int64_t nextBatch = 0;  ///< batch of that epoch to run next
    std::int64_t globalStep = 0; ///< optimizer steps done
    double lossSum = 0;          ///< of the current epoch so far
    std::int64_t lossCount = 0;
    double best = std::numeric_limits<double>::infinity();
    int badEpochs = 0;
    double seconds = 0;
    std::vector<double> trainLosses, validationLosses;
    std::string stoppedBy;
};

std::string stateJson(const RunState& s) {
    // Doubles are written as their bit patterns: JSON's decimal form need not round-trip exactly, and a
    // resumed run must add to the very same sum.
    auto bits = [](double d) { return std::bit_cast<std::uint64_t>(d); };
    nlohmann::json j = {{"nextEpoch", s.nextEpoch},     {"nextBatch", s.nextBatch},
                        {"globalStep", s.globalStep},   {"lossSumBits", bits(s.lossSum)},
                        {"lossCount", s.lossCount},     {"bestBits", bits(s.best)},
                        {"badEpochs", s.badEpochs},     {"seconds", s.seconds},
                        {"trainLosses", s.trainLosses}, {"validationLosses", s.validationLosses},
                        {"stoppedBy", s.stoppedBy}};
    return j.dump();
}

RunState stateFromJson(const std::string& text) {
    const nlohmann::json j = nlohmann::json::parse(text);
    auto dbl = [](std::uint64_t b) { return std::bit_cast<double>(b); };
    RunState s;
    s.nextEpoch = j.at("nextEpoch");
    s.nextBatch = j.at("nextBatch");
    s.globalStep = j.at("globalStep");
    s.lossSum = dbl(j.at("lossSumBits").get<std::uint64_t>());
    s.lossCount = j.at("lossCount");
    s.best = dbl(j.at("bestBits").get<std::uint64_t>());
    s.badEpochs = j.at("badEpochs");
    s.seconds = j.at("seconds");
    s.trainLosses = j.at("trainLosses").get<std::vector<double>>();
    s.validationLosses = j.at("validationLosses").get<std::vector<double>>();
    s.stoppedBy = j.at("stoppedBy");
    return s;
}

std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
    SplitMix64 r(a * 0x9e3779b97f4a7c15ull ^ (b + 0x632be59bd9b4e019ull));
    return r.next();
}

/// The window order of one epoch: a Fisher–Yates shuffle from (seed, epoch), the same on every platform.
std::vector<std::int64_t> epochOrder(std::size_t windows, std::uint64_t seed, int epoch) {
    std::vector<std::int64_t> order(windows);
    for (std::size_t i = 0; i < windows; ++i)
        order[i] = std::int64_t(i);
    SplitMix64 rng(mix(seed, std::uint64_t(epoch) + 1));
    for (std::size_t i = windows; i > 1; --i)
        std::swap(order[i - 1], order[rng.next() % i]);
    return order;
}

/// Inputs [rows, L] (or [rows, L, K] with K inputs per step) and targets [rows, L] of windows
/// order[first .. first + rows).
std::pair<torch::Tensor, torch::Tensor> makeBatch(const music::DatasetSplit& split,
                                                  const std::vector<std::int64_t>& order, std::size_t first,
                                                  std::size_t rows, int L) {
    const int K = split.inputsPerStep;
    torch::Tensor x = K == 1 ? torch::empty({std::int64_t(rows), L}, torch::kLong)
                             : torch::empty({std::int64_t(rows), L, K}, torch::kLong);
    torch::Tensor y = torch::empty({std::int64_t(rows), L}, torch::kLong);
    std::int64_t* px = x.data_ptr<std::int64_t>();
    std::int64_t* py = y.data_ptr<std::int64_t>();
    for (std::size_t r = 0; r < rows; ++r) {
        const std::int64_t start = split.windowStarts[std::size_t(order[first + r])];
        const std::int32_t* t = split.tokens.data() + start;
        for (int i = 0; i < L; ++i)
            py[r * L + i] = t[i + 1];
        if (K == 1) {
            for (int i = 0; i < L; ++i)
                px[r * L + i] = t[i];
        } else {
            const std::int32_t* in = split.inputs.data() + start * K;
            std::copy_n(in, std::size_t(L) * std::size_t(K), px + r * std::size_t(L) * std::size_t(K));
        }
    }
    return {x, y};
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(ComposerNet& net, const TrainConfig& c) {
    if (c.optimizer == "rmsprop")
        return std::make_unique<torch::optim::RMSprop>(
            net->parameters(),
            torch::optim::RMSpropOptions(c.learningRate).alpha(0.9).weight_decay(c.weightDecay));
    return std::make_unique<torch::optim::Adam>(
        net->parameters(), torch::optim::AdamOptions(c.learningRate).weight_decay(c.weightDecay));
}

/// Mixed precision on CUDA only (bf16 autocast); nothing at all on the CPU, so the CPU run is plain fp32.
struct AutocastScope {
    explicit AutocastScope(const torch::Device& d)
        : on(d.is_cuda()) {
        if (!on) return;
        at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
        at::autocast::set_enabled(true);
    }
    ~AutocastScope() {
        if (!on) return;
        at::autocast::set_enabled(false);
        at::autocast::clear_cache();
    }
    bool on;
};

torch::Tensor lossOf(ComposerNet& net, const torch::Tensor& x, const torch::Tensor& y, int vocab) {
    auto [logits, state] = net->forward(x);
    return torch::nn::functional::cross_entropy(logits.reshape({-1, vocab}).to(torch::kFloat),
                                                y.reshape({-1}));
}

} // namespace

music::DatasetOptions datasetOptions(const ModelConfig& model, const TrainConfig& train,
                                     const music::TokenizerSettings& tokenizer) {
    music::DatasetOptions o;
    o.tokenizer = tokenizer;
    o.window = model.window;
    o.stride = train.stride > 0 ? train.stride : model.window;
    o.validationShare = train.validationShare;
    o.seed = train.seed;
    o.transposeLow = train.transposeLow;
    o.transposeHigh = train.transposeHigh;
    return o;
}

std::string corpusHash(const std::filesystem::path& dir, const music::Dataset& ds) {
    std::ifstream manifest(dir / "MANIFEST.tsv", std::ios::binary);
    if (manifest) {
        std::ostringstream ss;
        ss << manifest.rdbuf();
        return toHex(sha256(ss.str()));
    }
    Sha256 h;
    for (const auto* split : {&ds.train, &ds.validation}) {
        h.update(
            std::span(reinterpret_cast<const std::uint8_t*>(split->tokens.data()), split->tokens.size() * 4));
        for (const auto& f : split->files)
            h.update(f.lexically_relative(dir).generic_string() + "\n");
    }
    return toHex(h.finish());
}

EvalResult evaluate(LstmModel& model, const music::DatasetSplit& split, int batch) {
    const int L = model.metadata().model.window;
    const int V = model.metadata().model.vocab;
    if (split.windowCount() == 0) throw std::runtime_error("no validation windows to evaluate on");
    const auto t0 = Clock::now();
    auto& net = model.impl().net;
    const torch::Device dev = model.impl().device;
    torch::NoGradGuard noGrad;
    net->eval();
    AutocastScope autocast(dev);
    std::vector<std::int64_t> order(split.windowCount());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = std::int64_t(i);
    double lossSum = 0;
    std::uint64_t correct = 0, targets = 0;
    for (std::size_t first = 0; first < order.size(); first += std::size_t(batch)) {
        const std::size_t rows = std::min<std::size_t>(std::size_t(batch), order.size() - first);
        auto [x, y] = makeBatch(split, order, first, rows, L);
        auto [logits, state] = net->forward(x.to(dev));
        torch::Tensor flat = logits.reshape({-1, V}).to(torch::kFloat);
        torch::Tensor yt = y.reshape({-1}).to(dev);
        lossSum += torch::nn::functional::cross_entropy(
                       flat, yt, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                       .item<double>();
        correct += std::uint64_t(flat.argmax(1).eq(yt).sum().item<std::int64_t>());
        targets += std::uint64_t(yt.numel());
    }
    EvalResult r;
    r.loss = lossSum / double(targets);
    r.perplexity = std::exp(r.loss);
    r.accuracy = double(correct) / double(targets);
    r.targets = targets;
    r.seconds = since(t0);
    return r;
}

namespace {

/// A fine-tune's start: the base model's weights and architecture, this run's training config and summary.
LstmModel modelFromBase(const music::Dataset& ds, const TrainOptions& opt, const std::string& device) {
    const std::string name = opt.initFrom.filename().string();
    const ModelFileContents contents = readModelFile(opt.initFrom);
    const ModelMetadata& base = contents.metadata;
    if (!(base.tokenizer == ds.tokenizer) || base.model.vocab != ds.vocabSize)
        throw TrainingError(TrainingError::Kind::Incompatible,
                            name + " reads tokens made with other settings (" + base.tokenizer.toString() +
                                ") than the data (" + ds.tokenizer.toString() +
                                "); fine-tuning needs the data tokenized the model's way");
    if (base.model.window != ds.window)
        throw TrainingError(TrainingError::Kind::Incompatible,
                            name + " was trained on windows of " + std::to_string(base.model.window) +
                                " tokens but the data has windows of " + std::to_string(ds.window) +
                                "; fine-tuning needs the model's window");
    LstmModel model = LstmModel::fromContents(contents, opt.initFrom.string(), device);
    ModelMetadata& m = model.metadata();
    m.train = opt.train;
    m.train.validate();
    m.training = TrainingSummary{};
    m.training.preset =
        "fine-tune of " + name + (base.training.preset.empty() ? "" : " (" + base.training.preset + ")");
    m.training.corpusHash = opt.corpusHash;
    m.training.corpusPath = opt.corpusPath;
    return model;
}

TrainingSummary trainImpl(const music::Dataset& ds, const TrainOptions& opt, const TrainProgressFn& progress,
                          const std::atomic<bool>& cancel) {
    // The first checkpoint is written after the first epoch (hours on a big corpus); a read-only folder or
    // a folder given as --out must be said now, not then.
    checkWritable(opt.out);
    setTorchThreads(opt.threads);
    const std::string device = resolveDevice(opt.device);
    RunState st;
    std::optional<LstmModel> model;
    std::unique_ptr<torch::optim::Optimizer> optimizer;
    if (!opt.resume.empty()) {
        const ModelFileContents contents = readModelFile(opt.resume, ds.tokenizer);
        if (!contents.sections.count("TRST") || !contents.sections.count("OPTM"))
            throw std::runtime_error(opt.resume.string() +
                                     ": this model has no trainer state to resume from");
        model.emplace(LstmModel::fromContents(contents, opt.resume.string(), device));
        if (!opt.corpusHash.empty() && model->metadata().training.corpusHash != opt.corpusHash)
            throw std::runtime_error(
                opt.resume.string() +
                ": it was trained on another corpus (hash differs); resume needs the same data");
        try {
            st = stateFromJson(contents.sections.at("TRST"));
        } catch (const std::exception&) {
            throw ModelFileError(ModelFileError::Kind::Corrupt,
                                 opt.resume.string() + ": the trainer state is malformed");
        }
        if (model->metadata().model.window != ds.window)
            throw std::runtime_error("resume: the data was built with another window length");
        model->metadata().train.epochs = std::max(model->metadata().train.epochs, opt.train.epochs);
        optimizer = makeOptimizer(model->impl().net, model->metadata().train);
        try {
            const std::string& bytes = contents.sections.at("OPTM");
            torch::serialize::InputArchive archive;
            archive.load_from(bytes.data(), bytes.size());
            optimizer->load(archive);
        } catch (const std::exception& e) {
            throw ModelFileError(ModelFileError::Kind::Corrupt,
                                 opt.resume.string() + ": the optimizer state does not load");
        }
        st.stoppedBy.clear();
    } else if (!opt.initFrom.empty()) {
        model.emplace(modelFromBase(ds, opt, device));
        optimizer = makeOptimizer(model->impl().net, model->metadata().train);
    } else {
        ModelMetadata m;
        m.tokenizer = ds.tokenizer;
        m.model = opt.model;
        m.model.vocab = ds.vocabSize;
        m.model.inputVocab = ds.inputsPerStep > 1 ? ds.inputVocab : 0;
        m.model.inputsPerStep = ds.inputsPerStep;
        m.model.window = ds.window;
        m.train = opt.train;
        m.train.validate();
        m.training.preset = opt.preset;
        m.training.corpusHash = opt.corpusHash;
        m.training.corpusPath = opt.corpusPath;
        model.emplace(LstmModel::create(m, device));
        optimizer = makeOptimizer(model->impl().net, m.train);
    }
    ModelMetadata& meta = model->metadata();
    const TrainConfig& tc = meta.train;
    const int L = meta.model.window;
    const int V = meta.model.vocab;
    const torch::Device dev = model->impl().device;
    auto& net = model->impl().net;
    const std::size_t windows = ds.train.windowCount();
    if (windows == 0)
        throw std::runtime_error("the training split has no windows (corpus too small for the window)");
    const std::int64_t fullSteps = std::max<std::int64_t>(1, std::int64_t(windows) / tc.batch);
    const std::int64_t stepsPerEpoch =
        opt.maxStepsPerEpoch > 0 ? std::min(fullSteps, opt.maxStepsPerEpoch) : fullSteps;
    const std::size_t rows = std::min<std::size_t>(std::size_t(tc.batch), windows);
    const std::int64_t totalSteps = stepsPerEpoch * tc.epochs;

    TrainingSummary& sum = meta.training;
    sum.trainFiles = ds.train.files.size();
    sum.validationFiles = ds.validation.files.size();
    sum.trainTokens = ds.train.tokens.size();
    sum.validationTokens = ds.validation.tokens.size();
    const CpuTrainingThreads threads(dev);
    sum.device = threads.label();

    const auto sessionStart = Clock::now();
    const double secondsBefore = st.seconds;
    std::int64_t sessionTargets = 0;
    auto checkpoint = [&] {
        st.seconds = secondsBefore + since(sessionStart);
        sum.epochs = int(st.trainLosses.size());
        sum.steps = st.globalStep;
        sum.trainLosses = st.trainLosses;
        sum.validationLosses = st.validationLosses;
        sum.trainLoss = st.trainLosses.empty() ? 0 : st.trainLosses.back();
        sum.validationLoss = st.validationLosses.empty() ? 0 : st.validationLosses.back();
        sum.bestValidationLoss = std::isfinite(st.best) ? st.best : 0;
        sum.seconds = st.seconds;
        sum.stoppedBy = st.stoppedBy;
        sum.targetsPerSecond = sessionTargets / std::max(1e-9, since(sessionStart));
        torch::serialize::OutputArchive archive;
        optimizer->save(archive);
        model->save(opt.out, {{"TRST", stateJson(st)}, {"OPTM", archiveBytes(archive)}});
    };

    TrainProgress p;
    p.epochs = tc.epochs;
    p.stepsPerEpoch = stepsPerEpoch;
    p.validationLoss = st.validationLosses.empty() ? -1 : st.validationLosses.back();
    bool stop = false;
    for (; st.nextEpoch < tc.epochs && !stop; ++st.nextEpoch) {
        const std::vector<std::int64_t> order = epochOrder(windows, tc.seed, st.nextEpoch);
        net->train();
        p.epoch = st.nextEpoch + 1;
        p.epochDone = false;
        for (; st.nextBatch < stepsPerEpoch; ++st.nextBatch) {
            if (cancel.load() || (opt.stopAfterSteps >= 0 && st.globalStep >= opt.stopAfterSteps)) {
                st.stoppedBy = "cancelled";
                checkpoint();
                return sum;
            }
            // Dropout draws from LibTorch's global generator: seeding it per step makes a resumed run draw
            // the same masks as an uninterrupted one.
            torch::manual_seed(mix(tc.seed, std::uint64_t(st.globalStep)));
            const std::size_t first = std::size_t(st.nextBatch) * rows % windows;
            auto [x, y] = makeBatch(ds.train, order, first, std::min(rows, windows - first), L);
            const double lr = learningRateAt(tc, st.globalStep, totalSteps);
            for (auto& g : optimizer->param_groups())
                g.options().set_lr(lr);
            optimizer->zero_grad();
            torch::Tensor loss;
            {
                AutocastScope autocast(dev);
                loss = lossOf(net, x.to(dev), y.to(dev), V);
            }
            loss.backward();
            if (tc.clipNorm > 0) torch::nn::utils::clip_grad_norm_(net->parameters(), tc.clipNorm);
            optimizer->step();
            const double l = loss.item<double>();
            if (!std::isfinite(l)) {
                st.stoppedBy = "diverged";
                checkpoint();
                throw std::runtime_error("training diverged (loss " + std::to_string(l) + "); lower --lr");
            }
            st.lossSum += l;
            ++st.lossCount;
            ++st.globalStep;
            sessionTargets += x.numel();
            if (progress) {
                const double elapsed = std::max(1e-9, since(sessionStart));
                p.step = st.nextBatch + 1;
                p.trainLoss = st.lossSum / double(st.lossCount);
                p.tokensPerSecond = double(sessionTargets) / elapsed;
                const double stepsLeft = double(totalSteps - st.globalStep);
                p.etaSeconds = stepsLeft * double(x.numel()) / std::max(1.0, p.tokensPerSecond);
                p.learningRate = lr;
                progress(p);
            }
        }
        st.trainLosses.push_back(st.lossCount ? st.lossSum / double(st.lossCount) : 0);
        st.lossSum = 0;
        st.lossCount = 0;
        st.nextBatch = 0;
        double val = std::numeric_limits<double>::quiet_NaN();
        if (ds.validation.windowCount() > 0)
            val = evaluate(*model, ds.validation, std::max(tc.batch, 64)).loss;
        // −1, not NaN, for "no validation data": JSON has no NaN (it would be written as null and the
        // checkpoint would not read back).
        st.validationLosses.push_back(std::isfinite(val) ? val : -1);
        if (std::isfinite(val)) {
            if (val < st.best - 1e-4) {
                st.best = val;
                st.badEpochs = 0;
            } else if (tc.patience > 0 && ++st.badEpochs >= tc.patience) {
                st.stoppedBy = "early stopping";
                stop = true;
            }
        }
        if (!stop && st.nextEpoch + 1 >= tc.epochs) st.stoppedBy = "epochs";
        if (!stop && opt.timeLimitSeconds > 0 && since(sessionStart) >= opt.timeLimitSeconds &&
            st.nextEpoch + 1 < tc.epochs) {
            st.stoppedBy = "time limit";
            stop = true;
        }
        if (progress) {
            p.validationLoss = std::isfinite(val) ? val : -1;
            p.trainLoss = st.trainLosses.back();
            p.epochDone = true;
            progress(p);
        }
        const int done = st.nextEpoch;
        st.nextEpoch = done + 1; // the checkpoint says where to go on
        checkpoint();
        st.nextEpoch = done;
    }
    return sum;
}

} // namespace

TrainingSummary train(const music::Dataset& ds, const TrainOptions& opt, const TrainProgressFn& progress,
                      const std::atomic<bool>& cancel) {
    // The checkpoint is only ever replaced by an atomic rename, so each error below leaves the file written
    // last (if any) whole and resumable; the messages say so, and say when there is none yet (a disk full
    // before the first epoch ended used to be told its last checkpoint was intact).
    const auto checkpointKept = [&] {
        std::error_code ec;
        return std::filesystem::exists(opt.out, ec);
    };
    try {
        return trainImpl(ds, opt, progress, cancel);
    } catch (const c10::OutOfMemoryError&) {
        throw TrainingError(
            TrainingError::Kind::OutOfMemory,
            std::string("the GPU ran out of memory; choose a smaller preset or train on the CPU (") +
                (checkpointKept() ? "the last saved checkpoint is intact)"
                                  : "no checkpoint had been saved yet)"));
    } catch (const std::bad_alloc&) {
        throw TrainingError(
            TrainingError::Kind::OutOfMemory,
            std::string("the computer ran out of memory; choose a smaller preset or close other "
                        "programs (") +
                (checkpointKept() ? "the last saved checkpoint is intact)"
                                  : "no checkpoint had been saved yet)"));
    } catch (const std::system_error& e) {
        if (!isDiskFull(e.code())) throw;
        throw TrainingError(TrainingError::Kind::DiskFull,
                            "the disk is full: " + opt.out.string() + " could not be saved; " +
                                (checkpointKept()
                                     ? "the last saved checkpoint is intact, free some space and resume"
                                     : "no checkpoint had been saved yet, free some space and start again"));
    } catch (const c10::Error& e) {
        // Any other LibTorch failure: its message without the backtrace (one line for the CLI and the
        // retraining dialog).
        throw std::runtime_error("training failed: " + torchErrorSentence(e));
    }
}

double benchTrainTargetsPerSecond(const ModelConfig& mc, const TrainConfig& tc, int steps,
                                  const std::string& device) {
    ModelMetadata m;
    m.model = mc;
    m.train = tc;
    LstmModel model = LstmModel::create(m, resolveDevice(device));
    auto& net = model.impl().net;
    const torch::Device dev = model.impl().device;
    const CpuTrainingThreads threads(dev);
    net->train();
    auto optimizer = makeOptimizer(net, tc);
    torch::Tensor x =
        mc.inputsPerStep == 1
            ? torch::randint(mc.vocab, {tc.batch, mc.window}, torch::kLong).to(dev)
            : torch::randint(mc.vocab, {tc.batch, mc.window, mc.inputsPerStep}, torch::kLong).to(dev);
    torch::Tensor y = torch::randint(mc.vocab, {tc.batch, mc.window}, torch::kLong).to(dev);
    auto step = [&] {
        optimizer->zero_grad();
        torch::Tensor loss;
        {
            AutocastScope autocast(dev);
            loss = lossOf(net, x, y, mc.vocab);
        }
        loss.backward();
        torch::nn::utils::clip_grad_norm_(net->parameters(), 1.0);
        optimizer->step();
        return loss.item<double>(); // waits for the device, so the clock measures the work
    };
    step();
    const auto t0 = Clock::now();
    for (int i = 0; i < steps; ++i)
        step();
    return double(steps) * double(y.numel()) / since(t0);
}

TrainingEstimate estimateTraining(const music::Dataset& ds, const ModelConfig& model,
                                  const TrainConfig& train, std::int64_t maxStepsPerEpoch,
                                  const std::string& device, int benchSteps) {
    const std::size_t windows = ds.train.windowCount();
    if (windows == 0)
        throw std::runtime_error("the training split has no windows (corpus too small for the window)");
    ModelConfig mc = model;
    mc.vocab = ds.vocabSize;
    mc.inputVocab = ds.inputsPerStep > 1 ? ds.inputVocab : 0;
    mc.inputsPerStep = ds.inputsPerStep;
    mc.window = ds.window;
    TrainConfig tc = train;
    tc.batch = int(std::min<std::size_t>(std::size_t(tc.batch), windows));
    TrainingEstimate e;
    e.device = resolveDevice(device);
    const std::int64_t fullSteps = std::max<std::int64_t>(1, std::int64_t(windows) / train.batch);
    e.stepsPerEpoch = maxStepsPerEpoch > 0 ? std::min(fullSteps, maxStepsPerEpoch) : fullSteps;
    e.targetsPerEpoch = std::uint64_t(e.stepsPerEpoch) * std::uint64_t(tc.batch) * std::uint64_t(mc.window);
    e.targetsPerSecond = benchTrainTargetsPerSecond(mc, tc, std::max(1, benchSteps), e.device);
    const double validationTargets = double(ds.validation.windowCount()) * mc.window;
    const double perEpoch =
        double(e.targetsPerEpoch) / e.targetsPerSecond + validationTargets / (3 * e.targetsPerSecond);
    e.seconds = perEpoch * train.epochs;
    return e;
}

} // namespace continuo::model
