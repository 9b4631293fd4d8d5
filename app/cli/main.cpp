// continuo-cli: every engine action for scripts, tests and benchmarks (the contract is in
// docs/architecture.md). Exit status 0 on success; otherwise one clear line on stderr.

#include "cli/Commands.h"

#include <cstdio>
#include <exception>
#include <map>
#include <string>

namespace {

/// The contract is one line on stderr; a message from a library (LibTorch appends a backtrace) may hold
/// more, and only its first line is the sentence.
std::string firstLine(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

/// Exit status 2 and one line naming the help to read.
int usageError(const CLI::App& app, const std::string& what) {
    std::string where = "continuo-cli";
    for (const CLI::App* sub : app.get_subcommands())
        where += " " + sub->get_name();
    std::fprintf(stderr, "continuo-cli: error: %s (%s --help lists the options)\n", firstLine(what).c_str(),
                 where.c_str());
    return 2;
}

} // namespace

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
        // --help and --version arrive as ParseErrors with exit code 0: CLI11 prints those.
        if (e.get_exit_code() == 0) return app.exit(e);
        // A usage error follows the contract (docs/architecture.md): one line with the prefix every
        // failure has, exit status 2. CLI11's own printing gave two lines without the prefix and its
        // internal codes (105 for a value out of range, 106 for a missing option, 109 for an unknown one).
        return usageError(app, e.what());
    }
    try {
        for (const auto& [name, run] : runs) {
            if (app.got_subcommand(name)) return run();
        }
    } catch (const continuo::cli::UsageError& e) {
        return usageError(app, e.what());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "continuo-cli: error: %s\n", firstLine(e.what()).c_str());
        return 1;
    }
    return 2;
}
