// continuo-cli bench [--json]: the figures of the performance goals, measured in one run.

#include "cli/Commands.h"
#include "cli/CorpusReport.h"
#include "cli/MidiBench.h"
#include "cli/ModelBench.h"
#include "cli/PlaybackBench.h"

#include <algorithm>
#include <iostream>
#include <memory>

namespace continuo::cli {

Run addBenchCommand(CLI::App& app) {
    struct Options {
        bool json = false;
        std::vector<std::string> only;
        MidiBenchOptions midi;
        std::vector<std::string> corpusDirs;
        bool noMido = false;
        PlaybackBenchOptions playback;
        ModelBenchOptions model;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("bench", "Measure the performance goals (medians of repeated runs)");
    cmd->add_flag("--json", o->json, "print the figures as JSON on stdout");
    cmd->add_option("--only", o->only, "sections to run (midi, corpus, playback, model)")
        ->check(CLI::IsMember({"midi", "corpus", "playback", "model"}));
    cmd->add_option("--reps", o->midi.repetitions, "repetitions per figure (the median is reported)")
        ->check(CLI::Range(1, 1000));
    cmd->add_option("--midi-dir", o->corpusDirs,
                    "MIDI folders for the corpus figures (default: Debian's packages; for the dataset build "
                    "./corpus first)");
    cmd->add_flag("--no-mido", o->noMido, "skip the mido comparison");
    cmd->add_option("--threads", o->model.threads, "model section: CPU threads (0 = every core)")
        ->check(CLI::Range(0, 256));
    cmd->add_option("--jack-period", o->playback.jackPeriod,
                    "frames per cycle of the benchmark's JACK server")
        ->check(CLI::IsMember({16, 32, 64, 128, 256, 512, 1024}));
    return [o] {
        auto wants = [&](const char* s) {
            return o->only.empty() || std::find(o->only.begin(), o->only.end(), s) != o->only.end();
        };
        nlohmann::json out;
        if (wants("midi")) {
            o->midi.withMido = !o->noMido;
            for (const auto& d : o->corpusDirs)
                o->midi.corpusDirs.emplace_back(d);
            out["midi"] = runMidiBench(o->midi);
        }
        if (wants("playback")) {
            o->playback.repetitions = o->midi.repetitions;
            out["playback"] = runPlaybackBench(o->playback);
        }
        if (wants("corpus")) {
            CorpusBenchOptions corpus;
            corpus.repetitions = std::min(o->midi.repetitions, 3);
            for (const auto& d : o->corpusDirs)
                corpus.dirs.emplace_back(d);
            out["corpus"] = runCorpusBench(corpus);
        }
        if (wants("model")) out["model"] = runModelBench(o->model);
        if (o->json) std::cout << out.dump(2) << '\n';
        return 0;
    };
}

} // namespace continuo::cli
