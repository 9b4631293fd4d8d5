// continuo-cli train --data DIR --out MODEL [--preset seed|compact] [--epochs N] [--device auto|cpu|cuda]
//                    [--resume MODEL] …: trains an LSTM on a folder of MIDI files. Ctrl+C stops between two
// batches and leaves a resumable model file.

#include "cli/Commands.h"
#include "modelfile/ModelFile.h"
#include "training/TrainingJob.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

namespace continuo::cli {
namespace {

std::atomic<bool> gCancel{false};
extern "C" void onInterrupt(int) {
    gCancel.store(true);
}

std::string clock(double seconds) {
    char buf[32];
    const long s = long(seconds);
    std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    return buf;
}

} // namespace

Run addTrainCommand(CLI::App& app) {
    struct Options {
        std::string data, out, resume, presetName = "compact", device = "auto";
        std::string encoding = "bar", policy = "textures", cacheDir;
        bool noCache = false, quiet = false;
        int threads = 0;
        double timeLimitMinutes = 0;
        std::int64_t maxStepsPerEpoch = 0, stopAfterSteps = -1;
        model::ModelConfig m; // overrides (0 / negative = the preset's)
        model::TrainConfig t;
        double progressSeconds = 5;
    };
    auto o = std::make_shared<Options>();
    o->m = {0, 0, 0, 0, 0, -1, 0};
    o->t.batch = 0;
    o->t.epochs = 0;
    o->t.optimizer = "";
    o->t.learningRate = 0;
    o->t.clipNorm = -1;
    o->t.warmupSteps = -1;
    o->t.patience = -1;
    o->t.stride = -1;
    o->t.transposeLow = 99;
    o->t.transposeHigh = -99;
    o->t.validationShare = -1;
    o->t.seed = 0;
    CLI::App* cmd = app.add_subcommand(
        "train", "Train an LSTM on a folder of MIDI files (every hyper-parameter settable)");
    cmd->add_option("--data", o->data, "folder of MIDI files (searched recursively)")->required();
    cmd->add_option("--out", o->out, "model file to write (rewritten atomically after every epoch)")
        ->required();
    cmd->add_option("--preset", o->presetName,
                    "starting point: seed (3x512, the original), compact (2x256), tiny")
        ->check(CLI::IsMember({"seed", "compact", "tiny"}))
        ->capture_default_str();
    cmd->add_option("--resume", o->resume, "continue an interrupted run from its model file (same data)");
    cmd->add_option("--device", o->device, "auto (CUDA when LibTorch sees a GPU), cpu or cuda")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
        ->capture_default_str();
    cmd->add_option("--threads", o->threads, "CPU threads (0 = every core)")->check(CLI::Range(0, 256));
    cmd->add_option("--epochs", o->t.epochs, "epochs at most (early stopping may end sooner)")
        ->check(CLI::Range(1, 100000));
    cmd->add_option("--batch", o->t.batch, "windows per step")->check(CLI::Range(1, 65536));
    cmd->add_option("--optimizer", o->t.optimizer, "adam or rmsprop")
        ->check(CLI::IsMember({"adam", "rmsprop"}));
    cmd->add_option("--lr", o->t.learningRate, "peak learning rate")->check(CLI::Range(1e-7, 10.0));
    cmd->add_option("--weight-decay", o->t.weightDecay, "L2 weight decay")->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--clip", o->t.clipNorm, "gradient norm clip (0 = off)")->check(CLI::Range(0.0, 1e6));
    cmd->add_option("--warmup", o->t.warmupSteps, "linear warm-up steps before the cosine decay")
        ->check(CLI::Range(0, 10000000));
    cmd->add_option("--min-lr-factor", o->t.minLrFactor, "the decay ends at lr × this")
        ->check(CLI::Range(0.0, 1.0));
    cmd->add_option("--patience", o->t.patience,
                    "epochs without a better validation loss before stopping (0 = off)")
        ->check(CLI::Range(0, 1000));
    cmd->add_option("--seed", o->t.seed, "random seed (weights, data order, dropout, split)");
    cmd->add_option("--window", o->m.window, "tokens per training window")->check(CLI::Range(2, 100000));
    cmd->add_option("--stride", o->t.stride, "tokens between window starts (0 = the window)")
        ->check(CLI::Range(0, 100000));
    cmd->add_option("--embedding", o->m.embedding, "embedding size")->check(CLI::Range(1, 4096));
    cmd->add_option("--hidden", o->m.hidden, "LSTM units per layer")->check(CLI::Range(1, 8192));
    cmd->add_option("--layers", o->m.layers, "LSTM layers")->check(CLI::Range(1, 16));
    cmd->add_option("--dense", o->m.dense, "units of the dense layer")->check(CLI::Range(1, 8192));
    cmd->add_option("--dropout", o->m.dropout, "dropout")->check(CLI::Range(0.0, 0.9));
    cmd->add_option("--transpose-low", o->t.transposeLow,
                    "augmentation: lowest transposition (semitones, ≤ 0)")
        ->check(CLI::Range(-24, 0));
    cmd->add_option("--transpose-high", o->t.transposeHigh, "augmentation: highest transposition (≥ 0)")
        ->check(CLI::Range(0, 24));
    cmd->add_option("--validation", o->t.validationShare, "share of files held out")
        ->check(CLI::Range(0.0, 0.9));
    cmd->add_option("--encoding", o->encoding, "token encoding")
        ->check(CLI::IsMember({"event", "chord", "bar"}))
        ->capture_default_str();
    cmd->add_option("--policy", o->policy, "multi-track files")
        ->check(CLI::IsMember({"merge", "per-track", "top-voice", "textures"}))
        ->capture_default_str();
    cmd->add_option("--time-limit", o->timeLimitMinutes, "stop after the epoch that passes this many minutes")
        ->check(CLI::Range(0.0, 1e6));
    cmd->add_option("--max-steps-per-epoch", o->maxStepsPerEpoch,
                    "cap the steps of an epoch (0 = all windows)")
        ->check(CLI::Range(0, 1 << 30));
    cmd->add_option("--stop-after-steps", o->stopAfterSteps, "stop (resumably) after this many steps in all")
        ->check(CLI::Range(0, 1 << 30));
    cmd->add_flag("--no-cache", o->noCache, "do not use the corpus cache");
    cmd->add_option("--cache-dir", o->cacheDir, "corpus cache folder");
    cmd->add_option("--progress", o->progressSeconds, "seconds between progress lines on stderr")
        ->check(CLI::Range(0.0, 1e6));
    cmd->add_flag("--quiet", o->quiet, "no progress lines");
    return [o] {
        // Before the corpus is scanned and long before the first checkpoint: a folder as --out, or one that
        // takes no new file, fails now (the trainer checks again for the studio's runs).
        if (std::filesystem::is_directory(o->out))
            throw UsageError("--out " + o->out + " is a folder; name the model file to write, such as " +
                             (std::filesystem::path(o->out) / "model.cmodel").string());
        model::checkWritable(o->out);
        training::JobSpec spec;
        spec.folder = o->data;
        training::Recipe& recipe = spec.recipe;
        // A resumed run goes on exactly as it was set up (configs and tokenizer from the file); --epochs
        // may still raise its limit.
        recipe.resume = o->resume;
        recipe.epochs = o->t.epochs;
        recipe.preset = o->presetName;
        recipe.tokenizer.encoding = *music::encodingFromName(o->encoding);
        recipe.tokenizer.policy = *music::policyFromName(o->policy);
        recipe.adjust = [o](model::ModelConfig& net, model::TrainConfig& run) {
            auto set = [](auto& field, auto value, bool given) {
                if (given) field = value;
            };
            const model::ModelConfig& m = o->m;
            const model::TrainConfig& t = o->t;
            set(net.window, m.window, m.window > 0);
            set(net.embedding, m.embedding, m.embedding > 0);
            set(net.hidden, m.hidden, m.hidden > 0);
            set(net.layers, m.layers, m.layers > 0);
            set(net.dense, m.dense, m.dense > 0);
            set(net.dropout, m.dropout, m.dropout >= 0);
            set(run.batch, t.batch, t.batch > 0);
            set(run.optimizer, t.optimizer, !t.optimizer.empty());
            set(run.learningRate, t.learningRate, t.learningRate > 0);
            set(run.weightDecay, t.weightDecay, true);
            set(run.clipNorm, t.clipNorm, t.clipNorm >= 0);
            set(run.warmupSteps, t.warmupSteps, t.warmupSteps >= 0);
            set(run.minLrFactor, t.minLrFactor, true);
            set(run.patience, t.patience, t.patience >= 0);
            set(run.stride, t.stride, t.stride >= 0);
            set(run.transposeLow, t.transposeLow, t.transposeLow != 99);
            set(run.transposeHigh, t.transposeHigh, t.transposeHigh != -99);
            set(run.validationShare, t.validationShare, t.validationShare >= 0);
            set(run.seed, t.seed, t.seed != 0);
        };
        spec.useCache = !o->noCache;
        spec.cacheDir = o->cacheDir;
        spec.device = o->device;
        spec.threads = o->threads;
        spec.timeLimitSeconds = o->timeLimitMinutes * 60;
        spec.maxStepsPerEpoch = o->maxStepsPerEpoch;
        spec.stopAfterSteps = o->stopAfterSteps;
        training::RunFiles files;
        files.checkpoint = o->out; // the CLI's result is the resumable file itself: no separate copy, no card

        auto last = std::chrono::steady_clock::now();
        const bool quiet = o->quiet;
        const double every = o->progressSeconds;
        auto progress = [&](const training::Progress& q) {
            if (quiet) return;
            if (q.stage == training::Progress::Stage::Ready) {
                const training::CorpusReport& c = q.corpus;
                std::fprintf(
                    stderr, "train: %zu + %zu files, %zu training windows of %d, %zu validation windows\n",
                    c.trainingFiles, c.validationFiles, c.trainingWindows, c.window, c.validationWindows);
                return;
            }
            if (q.stage != training::Progress::Stage::Training) return;
            const model::TrainProgress& p = q.training;
            const auto now = std::chrono::steady_clock::now();
            if (!p.epochDone && std::chrono::duration<double>(now - last).count() < every) return;
            last = now;
            std::fprintf(
                stderr,
                "epoch %d/%d step %lld/%lld loss %.4f%s val %.4f  %.0f targets/s  lr %.2e  ETA %s%s\n",
                p.epoch, p.epochs, static_cast<long long>(p.step), static_cast<long long>(p.stepsPerEpoch),
                p.trainLoss, p.epochDone ? " (epoch)" : "", p.validationLoss, p.tokensPerSecond,
                p.learningRate, clock(p.etaSeconds).c_str(), p.epochDone ? "  [saved]" : "");
        };
        gCancel.store(false);
        auto previous = std::signal(SIGINT, onInterrupt);
        training::TrainingJob job;
        const model::TrainingSummary s = job.run(spec, files, progress, gCancel).summary;
        std::signal(SIGINT, previous);
        std::printf(
            "%s: %d epochs, %lld steps, train loss %.4f, validation loss %.4f (best %.4f), %.1f s on %s, "
            "%.0f targets/s, stopped by %s\n",
            o->out.c_str(), s.epochs, static_cast<long long>(s.steps), s.trainLoss, s.validationLoss,
            s.bestValidationLoss, s.seconds, s.device.c_str(), s.targetsPerSecond, s.stoppedBy.c_str());
        return 0;
    };
}

} // namespace continuo::cli
