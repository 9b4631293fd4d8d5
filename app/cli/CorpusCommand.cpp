// continuo-cli corpus DIR [--json]: what a folder of MIDI files gives as training data (files usable and
// skipped with the reason, notes, tokens per split, share clamped, time taken cold or cached).

#include "cli/Commands.h"
#include "cli/CorpusReport.h"
#include "music/Dataset.h"
#include "music/MidiFileNames.h"

#include <cstdio>
#include <iostream>
#include <memory>

namespace continuo::cli {

Run addCorpusCommand(CLI::App& app) {
    struct Options {
        std::vector<std::string> dirs;
        bool json = false;
        std::string encoding = "bar";
        std::string policy = "textures";
        bool noCache = false;
        std::string cacheDir;
        music::DatasetOptions dataset;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd =
        app.add_subcommand("corpus", "Build the training data from folders of MIDI files and report on it");
    cmd->add_option("DIR", o->dirs,
                    "folders searched recursively for " + music::midiExtensionsText() + " files")
        ->required();
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->add_option("--encoding", o->encoding, "token encoding")
        ->check(CLI::IsMember({"event", "chord", "bar"}))
        ->capture_default_str();
    cmd->add_option("--policy", o->policy,
                    "multi-track files: all melodic tracks in one stream, one per track, or the top voice")
        ->check(CLI::IsMember({"merge", "per-track", "top-voice", "textures"}))
        ->capture_default_str();
    cmd->add_flag("--no-cache", o->noCache, "read every file again and leave the cache alone");
    cmd->add_option("--cache-dir", o->cacheDir, "cache folder (default: $XDG_CACHE_HOME/continuo/corpus)");
    cmd->add_option("--window", o->dataset.window, "tokens per training window (L)")
        ->check(CLI::Range(1, 1'000'000))
        ->capture_default_str();
    cmd->add_option("--seed", o->dataset.seed, "seed of the train/validation split")->capture_default_str();
    cmd->add_option("--validation", o->dataset.validationShare, "share of files held out for validation")
        ->check(CLI::Range(0.0, 0.9))
        ->capture_default_str();
    cmd->add_option("--threads", o->dataset.threads, "worker threads (0: all cores)")
        ->check(CLI::Range(0, 64));
    return [o] {
        music::DatasetOptions options = o->dataset;
        options.tokenizer.encoding = *music::encodingFromName(o->encoding);
        options.tokenizer.policy = *music::policyFromName(o->policy);
        options.useCache = !o->noCache;
        options.cacheDir = o->cacheDir;
        std::vector<std::filesystem::path> dirs(o->dirs.begin(), o->dirs.end());
        const music::Dataset ds = music::buildDataset(dirs, options);
        if (o->json) {
            std::cout << corpusJson(dirs, ds).dump(2) << '\n';
        } else {
            std::cout << corpusText(dirs, ds);
        }
        return 0;
    };
}

} // namespace continuo::cli
