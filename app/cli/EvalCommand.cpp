// continuo-cli eval --model MODEL --data DIR [--json]: validation loss, perplexity and token accuracy.

#include "cli/Commands.h"
#include "model/Trainer.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace continuo::cli {

Run addEvalCommand(CLI::App& app) {
    struct Options {
        std::string model, data, split = "validation", device = "cpu";
        bool json = false;
        int batch = 64, threads = 0;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd =
        app.add_subcommand("eval", "Validation loss, perplexity and token accuracy of a model on a folder");
    cmd->add_option("--model", o->model, "model file")->required();
    cmd->add_option("--data", o->data, "folder of MIDI files")->required();
    cmd->add_option(
           "--split", o->split,
           "validation: the files the model's split holds out (its training corpus); all: every file")
        ->check(CLI::IsMember({"validation", "all"}))
        ->capture_default_str();
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->add_option("--batch", o->batch, "windows per batch")->check(CLI::Range(1, 65536));
    cmd->add_option("--device", o->device, "cpu, auto or cuda")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
        ->capture_default_str();
    cmd->add_option("--threads", o->threads, "CPU threads (0 = every core)")->check(CLI::Range(0, 256));
    return [o] {
        model::setTorchThreads(o->threads);
        model::LstmModel m = model::LstmModel::load(o->model, std::nullopt, o->device);
        const model::ModelMetadata& meta = m.metadata();
        music::DatasetOptions dso = model::datasetOptions(meta.model, meta.train, meta.tokenizer);
        dso.stride = meta.model.window; // every target once
        dso.transposeLow = dso.transposeHigh = 0;
        if (o->split == "all") dso.validationShare = 0;
        const music::Dataset ds = music::buildDataset(std::filesystem::path(o->data), dso);
        const music::DatasetSplit& split = o->split == "all" ? ds.train : ds.validation;
        const model::EvalResult r = model::evaluate(m, split, o->batch);
        if (o->json) {
            nlohmann::json j = {
                {"model", o->model},           {"data", o->data},        {"split", o->split},
                {"files", split.files.size()}, {"targets", r.targets},   {"loss", r.loss},
                {"perplexity", r.perplexity},  {"accuracy", r.accuracy}, {"seconds", r.seconds}};
            std::cout << j.dump(2) << '\n';
        } else {
            std::printf("%s on %s (%s, %zu files, %llu targets): loss %.4f nats/token, perplexity %.3f, "
                        "accuracy %.2f %%"
                        " (%.2f s)\n",
                        o->model.c_str(), o->data.c_str(), o->split.c_str(), split.files.size(),
                        static_cast<unsigned long long>(r.targets), r.loss, r.perplexity, r.accuracy * 100,
                        r.seconds);
        }
        return 0;
    };
}

} // namespace continuo::cli
