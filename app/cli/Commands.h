#pragma once
// Each continuo-cli subcommand registers its options on the shared CLI11 app and returns the function
// that runs it. A run returns the exit status; failures throw and main() prints one line on stderr.

#include <CLI/CLI.hpp>

#include <functional>
#include <stdexcept>

namespace continuo::cli {

using Run = std::function<int()>;

/// A usage error found after parsing (values that contradict each other, an --out that is a folder …):
/// main() prints it like CLI11's own, "continuo-cli: error: …" on one line, and exits with status 2.
struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

Run addInspectCommand(CLI::App& app);
Run addBenchCommand(CLI::App& app);
Run addRenderCommand(CLI::App& app);
Run addPortsCommand(CLI::App& app);
Run addPlayCommand(CLI::App& app);
Run addCorpusCommand(CLI::App& app);
// The LSTM engine (issue 4); without LibTorch they exist and say so (ModelUnavailable.cpp).
Run addTrainCommand(CLI::App& app);
Run addGenerateCommand(CLI::App& app);
Run addEvalCommand(CLI::App& app);
Run addInfoCommand(CLI::App& app);

} // namespace continuo::cli
