// continuo-cli: every engine action for scripts, tests and benchmarks (the contract is in
// docs/architecture.md). Exit status 0 on success; otherwise one clear line on stderr.

#include "cli/Commands.h"

#include <cstdio>
#include <exception>
#include <map>
#include <string>

int main(int argc, char** argv) {
    CLI::App app{"Continuo command line: inspect MIDI files and run the engine from scripts", "continuo-cli"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "continuo-cli 0.1.0");

    std::map<std::string, continuo::cli::Run> runs;
    runs["inspect"] = continuo::cli::addInspectCommand(app);
    runs["bench"] = continuo::cli::addBenchCommand(app);
    runs["render"] = continuo::cli::addRenderCommand(app);
    runs["ports"] = continuo::cli::addPortsCommand(app);
    runs["play"] = continuo::cli::addPlayCommand(app);
    runs["corpus"] = continuo::cli::addCorpusCommand(app);
    runs["train"] = continuo::cli::addTrainCommand(app);
    runs["generate"] = continuo::cli::addGenerateCommand(app);
    runs["eval"] = continuo::cli::addEvalCommand(app);
    runs["info"] = continuo::cli::addInfoCommand(app);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    try {
        for (const auto& [name, run] : runs) {
            if (app.got_subcommand(name)) return run();
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "continuo-cli: error: %s\n", e.what());
        return 1;
    }
    return 2;
}
