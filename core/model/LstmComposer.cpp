// Generation: the LSTM behind the Composer interface, stateful decoding, and its benchmark. One of the
// three LibTorch translation units.

#include "model/LstmComposer.h"
#include "kernels/StepKernelChoice.h"

#include "kernels/AmxProduct.h"
#include "kernels/StepKernels.h"
#include "model/DecodePlan.h"
#include "model/internal/Network.h"
#include "music/Quantize.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>

namespace continuo::model {
namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

struct DecodeJob {
    /// Run through the network once (never empty): inputsPerStep ids per step (DecodeRow::inputs).
    std::span<const std::int32_t> context;
    int inputsPerStep = 1;
    const DecodeRow* row = nullptr; ///< every row's state after the context (grammar time reset)
    std::int64_t targetSteps = 1;   ///< for progress: a row's time at its end
    int batch = 1;
    SamplingOptions sampling;
    std::uint64_t seed = 0;
    const ProgressFn* progress = nullptr;
    const std::atomic<bool>* cancel = nullptr;
    std::span<const std::uint8_t> pitchTokens;    ///< for sampling.pitchTopP (empty: off)
    const detail::StepWeights* weights = nullptr; ///< for the CPU step (else unused)
};

} // namespace

/// The weights of the decoding step in the form its kernels read, made once per model and precision (for
/// the seed preset, repacking takes tens of milliseconds: more than a short generation's steps).
/// Each layer is one product with [W_ih | W_hh] concatenated (the weights are read once per step whatever
/// the batch), and layer 0's input product is a table (embedding × W_ih0 + biases, vocab × 4H) so a token
/// costs a row copy. Read-only once built: any number of Steppers may use it at once.
struct detail::StepWeights {
    /// `precision` must be resolved (Float32 or Bf16x3; Bf16x3 needs amx::available()); `path` runs the
    /// float32 products and the cell (std::invalid_argument for one this CPU lacks); none: the path that is
    /// fastest here on the step's largest product (chooseStepPath, timed once per machine).
    StepWeights(ComposerNetImpl& net, DecodePrecision precision, std::optional<StepPath> path = std::nullopt)
        : precision(precision)
        , path(path ? *path : fastestFor(net.config))
        , layers(net.config.layers)
        , hidden(net.config.hidden)
        , dense(net.config.dense)
        , vocab(net.config.vocab)
        , inputsPerStep(net.config.inputsPerStep) {
        // Checked here, once (StepMatrix checks it too, but only for float32), so a bad choice fails before
        // any step rather than inside a parallel region.
        if (!pathAvailable(this->path))
            throw std::invalid_argument(std::string("this CPU cannot run the ") + pathName(this->path) +
                                        " step kernels");
        torch::NoGradGuard noGrad;
        auto params = net.lstm->named_parameters();
        auto p = [&](const std::string& name) {
            return params[name].detach().to(torch::kCPU, torch::kFloat);
        };
        for (int k = 0; k < layers; ++k) {
            const std::string s = "_l" + std::to_string(k);
            torch::Tensor bias = p("bias_ih" + s) + p("bias_hh" + s);
            if (k == 0) {
                // Row t of the table = the gate pre-activations token t contributes, biases included; the
                // rows of the other inputs (bar encoding: position, lookbacks) add to it without biases.
                const torch::Tensor embedding = net.embed->weight.detach().to(torch::kCPU, torch::kFloat);
                const torch::Tensor wih = p("weight_ih" + s).t();
                table = torch::addmm(bias, embedding.narrow(0, 0, vocab), wih);
                if (embedding.size(0) > vocab)
                    table = torch::cat(
                        {table, torch::mm(embedding.narrow(0, vocab, embedding.size(0) - vocab), wih)});
                table = table.contiguous();
                addProduct(p("weight_hh" + s)); // [4H, H]
            } else {
                addProduct(torch::cat({p("weight_ih" + s), p("weight_hh" + s)}, 1)); // [4H, 2H]
            }
            biases.push_back(bias.contiguous());
        }
        addProduct(net.dense->weight.detach().to(torch::kCPU, torch::kFloat)); // product `layers`
        addProduct(net.out->weight.detach().to(torch::kCPU, torch::kFloat));   // product `layers` + 1
        denseBias = net.dense->bias.detach().to(torch::kCPU, torch::kFloat).contiguous();
        outBias = net.out->bias.detach().to(torch::kCPU, torch::kFloat).contiguous();
    }

    /// The step's largest product: a layer above the first, [W_ih | W_hh] = 4H × 2H (4H × H with one layer).
    static StepPath fastestFor(const ModelConfig& c) {
        return chooseStepPath(4 * std::int64_t(c.hidden), (c.layers > 1 ? 2 : 1) * std::int64_t(c.hidden))
            .path;
    }

    DecodePrecision precision;
    StepPath path;
    std::int64_t layers, hidden, dense, vocab;
    int inputsPerStep; ///< ids per row and step that step() reads
    torch::Tensor table;
    /// b_ih + b_hh of each layer (the step takes layer 0's from the table).
    std::vector<torch::Tensor> biases;
    /// The products, in order: the layers, dense, out. Float32 fills `weights` (in `path`'s layout),
    /// Bf16x3 `packed`.
    std::vector<StepMatrix> weights;
    std::vector<amx::PackedMatrix> packed;
    torch::Tensor denseBias, outBias;

private:
    void addProduct(const torch::Tensor& w) {
        torch::Tensor c = w.contiguous();
        if (precision == DecodePrecision::Bf16x3)
            packed.emplace_back(c.data_ptr<float>(), c.size(0), c.size(1), c.size(1));
        else
            weights.emplace_back(path, c.data_ptr<float>(), c.size(0), c.size(1), c.size(1));
    }
};

namespace {
using detail::StepWeights;

/// One stateful LSTM step for the whole batch, written out instead of calling torch::nn::LSTM: the
/// module costs a dozen tensor allocations and dispatches per layer and step, which at batch 1 weighs as
/// much as the matrix products themselves. Here every buffer is allocated once and the gate nonlinearities
/// run on raw floats. The products run in float32 (StepKernels) or bf16x3 on AMX tiles (AmxProduct);
/// everything else is float32 either way. CPU only (another device uses the module).
class Stepper {
public:
    Stepper(const StepWeights& weights, int batch)
        : w_(weights)
        , B_(batch)
        , L_(weights.layers)
        , H_(weights.hidden)
        , amx_(weights.precision == DecodePrecision::Bf16x3) {
        const auto f32 = torch::TensorOptions().dtype(torch::kFloat);
        for (int k = 0; k < L_; ++k) {
            // Layer k's input (layer k−1's new h, left; none for layer 0) beside its own h (right).
            inputs_.push_back(torch::zeros({B_, k == 0 ? H_ : 2 * H_}, f32));
            cells_.push_back(torch::zeros({B_, H_}, f32));
        }
        gates_ = torch::zeros({B_, 4 * H_}, f32);
        top_ = torch::zeros({B_, H_}, f32);
        dense_ = torch::zeros({B_, weights.dense}, f32);
        logits_ = torch::zeros({B_, weights.vocab}, f32);
    }

    /// (h, c) of one sequence, each [layers, 1, hidden], copied into every row.
    void setState(const LstmState& state) {
        torch::Tensor h = std::get<0>(state).to(torch::kCPU, torch::kFloat);
        torch::Tensor c = std::get<1>(state).to(torch::kCPU, torch::kFloat);
        for (int k = 0; k < L_; ++k) {
            ownH(k).copy_(h[k].expand({B_, H_}));
            cells_[std::size_t(k)].copy_(c[k].expand({B_, H_}));
        }
    }

    /// Row 0's (h, c), each [layers, 1, hidden] (what setState takes).
    LstmState stateOfRow0() {
        torch::Tensor h = torch::empty({L_, 1, H_}), c = torch::empty({L_, 1, H_});
        for (int k = 0; k < L_; ++k) {
            h[k].copy_(ownH(k).narrow(0, 0, 1));
            c[k].copy_(cells_[std::size_t(k)].narrow(0, 0, 1));
        }
        return {h, c};
    }

    /// Advances every row by its inputs (inputsPerStep ids a row); returns the logits, [batch, vocab]
    /// row-major, valid until the next call. With `logits` false only the state advances (nullptr: a
    /// seed's tokens before its last).
    const float* step(const std::int64_t* ids, bool logits = true) {
        torch::NoGradGuard noGrad;
        const std::size_t G = std::size_t(4 * H_);
        const int K = w_.inputsPerStep;
        float* gates = gates_.data_ptr<float>();
        for (int k = 0; k < L_; ++k) {
            const float* rows =
                k == 0 ? w_.table.data_ptr<float>() : w_.biases[std::size_t(k)].data_ptr<float>();
            for (int b = 0; b < B_; ++b) {
                const std::int64_t* in = ids + std::ptrdiff_t(b) * K;
                float* g = gates + std::size_t(b) * G;
                std::copy_n(rows + (k == 0 ? std::size_t(in[0]) * G : 0), G, g);
                for (int j = 1; k == 0 && j < K; ++j) {
                    const float* extra = rows + std::size_t(in[j]) * G;
                    for (std::size_t i = 0; i < G; ++i)
                        g[i] += extra[i];
                }
            }
            accumulate(k, gates_, k == 0 ? ownH(0) : inputs_[std::size_t(k)]);
            cell(k);
        }
        if (!logits) return nullptr;
        dense_.copy_(w_.denseBias.expand_as(dense_));
        accumulate(L_, dense_, top_);
        dense_.relu_();
        logits_.copy_(w_.outBias.expand_as(logits_));
        accumulate(L_ + 1, logits_, dense_);
        return logits_.data_ptr<float>();
    }

private:
    /// out += x · wᵀ for product `i`: the weights are streamed once per step for every row of the batch
    /// (BLAS packs all of them on each call), the weight rows are split across LibTorch's threads, and each
    /// output is summed in an order that does not depend on the batch or the split.
    void accumulate(int i, torch::Tensor& out, const torch::Tensor& x) {
        if (amx_) {
            const amx::PackedMatrix& w = w_.packed[std::size_t(i)];
            const float* in = x.data_ptr<float>();
            const std::int64_t rows = x.size(0), cols = x.size(1), ldx = x.stride(0);
            float* o = out.data_ptr<float>();
            const std::int64_t ldo = out.stride(0);
            // Each thread splits the inputs itself (a few µs, the same bits everywhere): splitting them
            // once before the parallel region left the other thread idle long enough to fall asleep,
            // and waking it five times a step cost batch 1 up to 0.2 ms. Grain: 4 groups = 128 weight
            // rows, as below.
            at::parallel_for(0, w.groups(), 4, [&](std::int64_t begin, std::int64_t end) {
                thread_local amx::SplitInput split;
                split.set(in, rows, cols, ldx);
                w.accumulate(split, o, ldo, begin, end);
            });
            return;
        }
        const StepMatrix& w = w_.weights[std::size_t(i)];
        ProductIo io;
        io.x = x.data_ptr<float>();
        io.batch = x.size(0);
        io.ldx = x.stride(0);
        io.out = out.data_ptr<float>();
        io.ldo = out.stride(0);
        // Grain: a thread gets at least 128 weight rows (≥ 64 kB of weights), so the small output layers
        // are not split into pieces that cost more to hand out than to compute.
        at::parallel_for(0, w.groups(), std::max<std::int64_t>(1, 128 / w.rowsPerGroup()),
                         [&](std::int64_t begin, std::int64_t end) { w.accumulate(io, begin, end); });
    }

    torch::Tensor ownH(int k) { return inputs_[std::size_t(k)].narrow(1, k == 0 ? 0 : H_, H_); }

    /// Gates (PyTorch's order i, f, g, o) → c, h of layer k; h also goes where the next layer reads it.
    void cell(int k) {
        const float* g = gates_.data_ptr<float>();
        float* c = cells_[std::size_t(k)].data_ptr<float>();
        torch::Tensor& in = inputs_[std::size_t(k)];
        const std::int64_t inStride = in.size(1), inOffset = k == 0 ? 0 : H_;
        float* own = in.data_ptr<float>() + inOffset;
        float* next = k + 1 < L_ ? inputs_[std::size_t(k + 1)].data_ptr<float>() : top_.data_ptr<float>();
        const std::int64_t nextStride = k + 1 < L_ ? 2 * H_ : H_;
        auto rows = [&](std::int64_t begin, std::int64_t end) {
            for (std::int64_t b = begin; b < end; ++b) {
                float* h = own + b * inStride;
                lstmCellRowOn(w_.path, g + b * 4 * H_, c + b * H_, h, H_);
                std::copy_n(h, H_, next + b * nextStride);
            }
        };
        // A batch's rows on LibTorch's threads (at 8 variations: 0.11 of a 1.4 ms step on one thread).
        B_ == 1 ? rows(0, 1) : at::parallel_for(0, B_, 1, rows);
    }

    const StepWeights& w_;
    std::int64_t B_, L_, H_;
    bool amx_;
    std::vector<torch::Tensor> inputs_, cells_;
    torch::Tensor gates_, top_, dense_, logits_;
};

/// Seed once, then one step per token carrying (h, c); rows = variations. Returns the ids of each row.
std::vector<std::vector<std::int32_t>> runDecoder(LstmModel::Impl& m, const DecodeJob& job) {
    torch::NoGradGuard noGrad;
    m.net->eval();
    const int B = job.batch;
    const int V = m.metadata.model.vocab;
    const int K = job.inputsPerStep;
    const std::int64_t T = std::int64_t(job.context.size()) / K;
    std::vector<std::int64_t> ctx(job.context.begin(), job.context.end());
    std::vector<float> first(std::size_t(B) * std::size_t(V));
    const bool cpu = m.device.is_cpu();
    std::optional<Stepper> stepper;
    LstmState moduleState;
    torch::Tensor stepLogits;
    auto shape = [K](std::int64_t rows, std::int64_t steps) {
        return K == 1 ? std::vector<std::int64_t>{rows, steps} : std::vector<std::int64_t>{rows, steps, K};
    };
    if (cpu) {
        // The seed goes through the step too, at batch 1, and its state is copied into every row. The
        // module's forward woke OpenBLAS's threads, which then spun on the cores the steps need (batch 1:
        // 0.78 instead of 0.48 ms/token), and took 3× as long (shipped model, 1,000-token seed: 0.25 s).
        Stepper seed(*job.weights, 1);
        const auto zeros = torch::zeros({m.metadata.model.layers, 1, m.metadata.model.hidden});
        seed.setState(LstmState{zeros, zeros});
        const float* last = nullptr;
        for (std::int64_t i = 0; i < T; ++i)
            last = seed.step(&ctx[std::size_t(i * K)], i + 1 == T);
        for (int r = 0; r < B; ++r)
            std::copy_n(last, V, first.begin() + std::ptrdiff_t(r) * V);
        stepper.emplace(*job.weights, B);
        stepper->setState(seed.stateOfRow0());
    } else {
        torch::Tensor input = torch::tensor(ctx, torch::kLong).view(shape(1, T)).to(m.device);
        auto [logits, state] = m.net->forward(input);
        // The seed's last logits, the same for every row: sampled from before the first step.
        torch::Tensor seedLast =
            logits.select(1, logits.size(1) - 1).to(torch::kCPU, torch::kFloat).contiguous();
        for (int r = 0; r < B; ++r)
            std::copy_n(seedLast.data_ptr<float>(), V, first.begin() + std::ptrdiff_t(r) * V);
        moduleState = LstmState{std::get<0>(state).repeat({1, B, 1}), std::get<1>(state).repeat({1, B, 1})};
    }
    const float* rows = first.data();

    std::vector<DecodeRow> decode(std::size_t(B), *job.row);
    std::vector<SplitMix64> rngs;
    for (int r = 0; r < B; ++r)
        rngs.emplace_back(job.seed * 0x9e3779b97f4a7c15ull + std::uint64_t(r) * 0xd1b54a32d192ed03ull + 1);
    // Each row samples with its own mask, scratch and generator, so the rows can be sampled on LibTorch's
    // threads at once (at 8 variations sampling was a fifth of a step) and give the same ids as in turn.
    std::vector<std::vector<std::uint8_t>> masks(static_cast<std::size_t>(B));
    std::vector<std::vector<std::pair<float, std::int32_t>>> scratch(static_cast<std::size_t>(B));
    std::vector<std::vector<float>> biased(static_cast<std::size_t>(B));
    // Rows that are done keep feeding their last inputs: the batch stays whole and their output is ignored.
    std::vector<std::int64_t> nextIds(std::size_t(B) * std::size_t(K), 0);
    auto sampleRow = [&](std::size_t r) {
        DecodeRow& row = decode[r];
        if (row.done()) return;
        std::int32_t id = row.forced();
        if (id < 0) {
            row.allowed(masks[r]);
            const auto logits = row.biased(std::span(rows + r * std::size_t(V), std::size_t(V)), biased[r]);
            id = sampleToken(logits, masks[r], job.sampling, rngs[r], scratch[r], job.pitchTokens);
        }
        row.feed(id);
        row.inputs(&nextIds[r * std::size_t(K)]);
    };
    for (std::size_t step = 0;; ++step) {
        if (B == 1)
            sampleRow(0);
        else
            at::parallel_for(0, B, 1, [&](std::int64_t begin, std::int64_t end) {
                for (std::int64_t r = begin; r < end; ++r)
                    sampleRow(std::size_t(r));
            });
        int open = 0;
        double reached = 0;
        for (const DecodeRow& row : decode) {
            open += row.done() ? 0 : 1;
            reached +=
                row.done() ? 1.0 : std::min(1.0, double(row.grammar().steps()) / double(job.targetSteps));
        }
        if (job.progress && *job.progress && step % 16 == 0)
            (*job.progress)(reached / B, "step " + std::to_string(step + 1));
        if (open == 0 || (job.cancel && job.cancel->load())) break;
        if (cpu) {
            rows = stepper->step(nextIds.data());
        } else {
            torch::Tensor next = torch::tensor(nextIds, torch::kLong).view(shape(B, 1)).to(m.device);
            auto [y, s] = m.net->forward(next, moduleState);
            moduleState = s;
            stepLogits = y.select(1, 0).to(torch::kCPU, torch::kFloat).contiguous();
            rows = stepLogits.data_ptr<float>();
        }
    }
    std::vector<std::vector<std::int32_t>> out;
    for (const DecodeRow& row : decode)
        out.push_back(row.tokens());
    return out;
}

} // namespace

std::string describeModel(const ModelMetadata& m) {
    std::ostringstream s;
    const TrainingSummary& t = m.training;
    s << (t.preset.empty() ? "custom" : t.preset) << " LSTM " << m.model.layers << " x " << m.model.hidden
      << " (" << m.parameters << " parameters), " << m.tokenizer.toString() << "; trained " << t.epochs
      << " epochs on " << t.trainFiles << " + " << t.validationFiles << " files (" << t.trainTokens
      << " tokens) on " << (t.device.empty() ? "?" : t.device);
    if (!t.validationLosses.empty()) s << ", validation loss " << t.validationLoss;
    if (!t.date.empty()) s << ", " << t.date;
    return s.str();
}

LstmComposer::LstmComposer(const std::filesystem::path& modelFile, const std::string& device)
    : LstmComposer(LstmModel::load(modelFile, std::nullopt, device)) {
    file_ = modelFile.string();
}

LstmComposer::LstmComposer(LstmModel model)
    : model_(std::move(model))
    , tokenizer_(music::Tokenizer::create(model_.metadata().tokenizer)) {
    if (tokenizer_->vocabSize() != model_.metadata().model.vocab)
        throw ModelFileError(ModelFileError::Kind::TokenizerMismatch,
                             "the model's vocabulary (" + std::to_string(model_.metadata().model.vocab) +
                                 ") does not match its tokenizer (" +
                                 std::to_string(tokenizer_->vocabSize()) + ")");
    const ModelConfig& mc = model_.metadata().model;
    if (mc.inputsPerStep != tokenizer_->inputsPerStep() ||
        (mc.inputsPerStep > 1 && mc.inputVocab != tokenizer_->inputVocab()))
        throw ModelFileError(ModelFileError::Kind::TokenizerMismatch,
                             "the model reads " + std::to_string(mc.inputsPerStep) + " inputs a step (" +
                                 std::to_string(mc.inputs()) + " ids) but its tokenizer gives " +
                                 std::to_string(tokenizer_->inputsPerStep()) + " (" +
                                 std::to_string(tokenizer_->inputVocab()) +
                                 " ids): it was made by another "
                                 "version of Continuo");
}

LstmComposer::~LstmComposer() = default;

ModelDescription LstmComposer::describe() const {
    const std::string preset = model_.metadata().training.preset;
    return {"Continuo LSTM (" + (preset.empty() ? std::string("custom") : preset) + ")", file_,
            describeModel(model_.metadata())};
}

GenerateResult LstmComposer::generate(const GenerateRequest& rq, const ProgressFn& progress,
                                      const std::atomic<bool>& cancel) {
    const auto t0 = Clock::now();
    auto fail = [](const std::string& why) { throw std::runtime_error("generate: " + why); };
    if (!(rq.temperature > 0) || !std::isfinite(rq.temperature)) fail("temperature must be above 0");
    if (rq.topK < 0) fail("top-k must be 0 (off) or more");
    if (!(rq.topP > 0 && rq.topP <= 1)) fail("top-p must be in (0, 1]");
    if (!(rq.pitchTopP > 0 && rq.pitchTopP <= 1)) fail("pitch top-p must be in (0, 1]");
    if (rq.variations < 1 || rq.variations > 8) fail("variations must be 1-8");
    if (rq.minPitch < 0 || rq.maxPitch > 127) fail("pitch range must lie within 0-127");
    if (rq.minPitch > rq.maxPitch)
        fail("the lowest pitch (" + std::to_string(rq.minPitch) + ") is above the highest (" +
             std::to_string(rq.maxPitch) + ")");
    const bool haveTrack = rq.track >= 0 && std::size_t(rq.track) < rq.song.tracks.size();
    const std::uint8_t channel = haveTrack ? rq.song.tracks[std::size_t(rq.track)].channel : 0;
    const DecodePlan plan = planDecode(*tokenizer_, rq, contextTokens);

    DecodeJob job;
    job.context = plan.context;
    job.inputsPerStep = tokenizer_->inputsPerStep();
    job.row = plan.row.get();
    job.batch = rq.variations;
    job.targetSteps = plan.targetSteps;
    job.sampling = {rq.temperature, rq.topK, rq.topP, rq.pitchTopP};
    if (rq.pitchTopP < 1) {
        pitchTokens_ = pitchTokenMask(*tokenizer_);
        job.pitchTokens = pitchTokens_;
    }
    job.seed = rq.randomSeed;
    job.progress = &progress;
    job.cancel = &cancel;
    try {
        if (model_.impl().device.is_cpu()) {
            const DecodePrecision precision = resolvePrecision(decodePrecision);
            if (!stepWeights_ || stepWeights_->precision != precision)
                stepWeights_ = std::make_unique<StepWeights>(*model_.impl().net, precision);
            job.weights = stepWeights_.get();
        }
        if (progress) progress(0, "reading seed");
        lastTokens_ = runDecoder(model_.impl(), job);
    } catch (const c10::Error& e) {
        // Memory or the device ran out: the CLI prints one line and the studio's Generate panel shows
        // it, so LibTorch's backtrace stays out of the message.
        fail("the engine failed (" + torchErrorSentence(e) + ")");
    } catch (const std::bad_alloc&) {
        fail("the computer ran out of memory");
    }

    GenerateResult result;
    for (const auto& row : lastTokens_)
        result.variations.push_back(notesOfRow(*tokenizer_, rq, plan, row, channel));
    if (progress) progress(1, "done");
    result.seconds = since(t0);
    return result;
}

std::vector<float> decoderStepLogits(const LstmModel& model, std::span<const std::int32_t> tokens, int batch,
                                     DecodePrecision precision) {
    LstmModel::Impl& m = model.impl();
    torch::NoGradGuard noGrad;
    m.net->eval();
    const auto cfg = m.metadata.model;
    const StepWeights weights(*m.net, resolvePrecision(precision));
    Stepper stepper(weights, batch);
    const auto zeros = torch::zeros({cfg.layers, 1, cfg.hidden});
    stepper.setState(LstmState{zeros, zeros});
    std::vector<float> all;
    const std::size_t K = std::size_t(cfg.inputsPerStep);
    for (std::size_t i = 0; i + K <= tokens.size(); i += K) {
        std::vector<std::int64_t> ids;
        for (int b = 0; b < batch; ++b)
            ids.insert(ids.end(), tokens.begin() + std::ptrdiff_t(i), tokens.begin() + std::ptrdiff_t(i + K));
        const float* y = stepper.step(ids.data());
        all.insert(all.end(), y, y + std::size_t(batch) * std::size_t(cfg.vocab));
    }
    return all;
}

DecodeBench benchDecode(const ModelConfig& config, int tokens, int refeedTokens, DecodePrecision precision,
                        std::optional<StepPath> path) {
    DecodeBench b;
    b.threads = torchThreads();
    b.precision = resolvePrecision(precision);
    const PathChoice choice = chooseStepPath(4 * std::int64_t(config.hidden),
                                             (config.layers > 1 ? 2 : 1) * std::int64_t(config.hidden));
    b.path = path.value_or(choice.path);
    b.pathWhy = path ? std::string(pathName(*path)) + ": asked for" : choice.why;
    ModelMetadata m;
    m.model = config;
    auto tokenizer = music::Tokenizer::create(m.tokenizer);
    m.model.vocab = tokenizer->vocabSize();
    LstmModel model = LstmModel::create(m, "cpu");
    b.parameters = model.parameterCount();
    const StepWeights weights(*model.impl().net, b.precision, b.path);
    std::vector<std::int32_t> context{music::Tokenizer::bos()};
    TokenGrammar grammar(*tokenizer, allowedPitches(std::nullopt, 0, 127));
    grammar.feed(context[0]);
    RowRules rules;
    rules.pitches = allowedPitches(std::nullopt, 0, 127);
    rules.targetSteps = std::numeric_limits<std::int64_t>::max();
    auto rowOf = [&](std::size_t maxTokens) {
        rules.maxTokens = maxTokens;
        return DecodeRow(*tokenizer, grammar, music::BarTracker(*tokenizer), rules);
    };
    auto timeDecode = [&](int batch) {
        DecodeJob job;
        job.context = context;
        const DecodeRow warm = rowOf(8), timed = rowOf(std::size_t(tokens));
        job.row = &warm;
        job.batch = batch;
        job.sampling = {1.0, 0, 0.95};
        job.weights = &weights;
        runDecoder(model.impl(), job);
        job.row = &timed;
        const auto t0 = Clock::now();
        runDecoder(model.impl(), job);
        return since(t0) * 1000 / tokens;
    };
    // Batch 1 and batch 8 alternate, nine runs each, and the medians are reported: on a shared machine a
    // burst of load then hits both figures alike instead of skewing their ratio.
    std::vector<double> one, eight;
    for (int rep = 0; rep < 9; ++rep) {
        one.push_back(timeDecode(1));
        eight.push_back(timeDecode(8));
    }
    const auto median = [](std::vector<double>& v) {
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    };
    b.msPerTokenBatch1 = median(one);
    b.msPerTokenBatch8 = median(eight);

    // How far this precision's logits are from float32's: 64 steps of the same tokens through both.
    if (b.precision != DecodePrecision::Float32) {
        const StepWeights exact(*model.impl().net, DecodePrecision::Float32);
        Stepper mine(weights, 1), ref(exact, 1);
        const auto zeros = torch::zeros({config.layers, 1, config.hidden});
        mine.setState(LstmState{zeros, zeros});
        ref.setState(LstmState{zeros, zeros});
        for (std::int64_t t = 0; t < 64; ++t) {
            const std::int64_t id = (t * 37 + 11) % m.model.vocab;
            const float* a = mine.step(&id);
            const float* r = ref.step(&id);
            for (int v = 0; v < m.model.vocab; ++v) {
                b.maxLogitDifference = std::max(b.maxLogitDifference, double(std::abs(a[v] - r[v])));
                b.maxLogit = std::max(b.maxLogit, double(std::abs(r[v])));
            }
        }
    }

    if (refeedTokens <= 0) return b;
    // The original method: the last `window` tokens run from a zero state for every new token.
    torch::NoGradGuard noGrad;
    auto& net = model.impl().net;
    net->eval();
    const int L = config.window;
    std::vector<std::int64_t> window(std::size_t(L), tokenizer->range(music::TokenKind::Pitch).first + 60);
    SplitMix64 rng(1);
    std::vector<std::uint8_t> mask(std::size_t(m.model.vocab), 1);
    std::vector<std::pair<float, std::int32_t>> scratch;
    auto refeedOne = [&] {
        torch::Tensor x = torch::tensor(window, torch::kLong).view({1, L});
        auto [y, s] = net->forward(x);
        torch::Tensor lastRow = y.select(1, L - 1).contiguous();
        const std::int32_t id = sampleToken(std::span(lastRow.data_ptr<float>(), std::size_t(m.model.vocab)),
                                            mask, {1.0, 0, 0.95}, rng, scratch);
        window.erase(window.begin());
        window.push_back(id);
    };
    refeedOne();
    const auto t0 = Clock::now();
    for (int i = 0; i < refeedTokens; ++i)
        refeedOne();
    b.refeedMsPerToken = since(t0) * 1000 / refeedTokens;
    b.speedupVsRefeed = b.refeedMsPerToken / b.msPerTokenBatch1;
    return b;
}

} // namespace continuo::model
