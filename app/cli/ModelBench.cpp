#include "cli/ModelBench.h"

#include "model/LstmComposer.h"
#include "model/Trainer.h"

#include <cstdio>
#include <string>
#include <vector>

namespace continuo::cli {

nlohmann::json runModelBench(const ModelBenchOptions& o) {
    model::setTorchThreads(o.threads);
    nlohmann::json out;
    const model::Preset seed = model::preset("seed");
    // The default precision (auto: bf16x3 on AMX, else fp32) is the figure of record; where AMX is there,
    // fp32 is timed in the same run too, so the two can be compared.
    std::vector<model::DecodePrecision> precisions{model::DecodePrecision::Auto};
    if (model::resolvePrecision(model::DecodePrecision::Auto) != model::DecodePrecision::Float32)
        precisions.push_back(model::DecodePrecision::Float32);
    for (model::DecodePrecision precision : precisions) {
        const model::DecodeBench d =
            model::benchDecode(seed.model, o.decodeTokens, o.refeedTokens, precision);
        nlohmann::json g = {{"preset", "seed"},
                            {"device", "cpu"},
                            {"threads", d.threads},
                            {"parameters", d.parameters},
                            {"precision", model::precisionName(d.precision)},
                            {"step_kernel", model::decodeKernelName(d.precision, d.path)},
                            {"step_kernel_choice", d.pathWhy},
                            {"ms_per_token_batch1", d.msPerTokenBatch1},
                            {"ms_per_step_batch8", d.msPerTokenBatch8},
                            {"batch8_over_batch1", d.msPerTokenBatch8 / d.msPerTokenBatch1},
                            {"refeed_ms_per_token", d.refeedMsPerToken},
                            {"speedup_vs_refeed", d.speedupVsRefeed},
                            {"gpu", "not measured (no GPU on this machine)"}};
        if (d.precision != model::DecodePrecision::Float32) {
            g["max_logit_difference_vs_fp32"] = d.maxLogitDifference;
            g["max_abs_logit"] = d.maxLogit;
        }
        if (precision == model::DecodePrecision::Auto)
            out["generate"] = g;
        else
            out["generate"]["fp32"] = g;
        std::fprintf(stderr,
                     "model.generate (seed, cpu, %d threads, %s, %lld params): %.3f ms/token at batch 1, "
                     "%.3f ms per step of 8 variations (%.2f× one); re-feed %.2f ms/token: %.1f× faster\n",
                     d.threads, model::decodeKernelName(d.precision, d.path).c_str(),
                     static_cast<long long>(d.parameters), d.msPerTokenBatch1, d.msPerTokenBatch8,
                     d.msPerTokenBatch8 / d.msPerTokenBatch1, d.refeedMsPerToken, d.speedupVsRefeed);
        if (d.precision != model::DecodePrecision::Float32)
            std::fprintf(
                stderr,
                "model.generate: logits within %.2g of float32's over 64 steps (largest |logit| %.2g)\n",
                d.maxLogitDifference, d.maxLogit);
    }
    // The other float32 paths this CPU has, timed in the same run: what the engine did not choose (and what
    // a CPU without the faster instructions would get).
    const model::DecodeBench chosen = model::benchDecode(seed.model, 1, 0, model::DecodePrecision::Float32);
    std::fprintf(stderr, "model.generate: step kernels chosen by timing: %s\n", chosen.pathWhy.c_str());
    out["generate"]["step_kernel_choice"] = chosen.pathWhy;
    for (const model::StepPath path : model::availablePaths()) {
        if (path == chosen.path) continue;
        const model::DecodeBench d =
            model::benchDecode(seed.model, o.decodeTokens, 0, model::DecodePrecision::Float32, path);
        const std::string name = model::pathName(d.path);
        out["generate"]["other_kernels"][name + "-fp32"] = {
            {"ms_per_token_batch1", d.msPerTokenBatch1},
            {"ms_per_step_batch8", d.msPerTokenBatch8},
            {"batch8_over_batch1", d.msPerTokenBatch8 / d.msPerTokenBatch1}};
        std::fprintf(stderr,
                     "model.generate (seed, cpu, %d threads, %s-fp32): %.3f ms/token at batch 1, %.3f ms per "
                     "step of 8 variations (%.2f× one)\n",
                     d.threads, name.c_str(), d.msPerTokenBatch1, d.msPerTokenBatch8,
                     d.msPerTokenBatch8 / d.msPerTokenBatch1);
    }
    for (const char* name : {"seed", "compact"}) {
        model::Preset p = model::preset(name);
        p.model.vocab = int(music::Tokenizer::create(music::TokenizerSettings{})->vocabSize());
        const double tps = model::benchTrainTargetsPerSecond(p.model, p.train, o.trainSteps);
        out["train"][name] = {{"targets_per_second", tps},
                              {"batch", p.train.batch},
                              {"window", p.model.window},
                              {"device", "cpu"},
                              {"threads", model::torchThreads()}};
        std::fprintf(stderr, "model.train (%s, cpu, batch %d × window %d): %.0f targets/s\n", name,
                     p.train.batch, p.model.window, tps);
    }
    return out;
}

} // namespace continuo::cli
