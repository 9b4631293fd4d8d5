// Built instead of the engine's commands when LibTorch was not found (or CONTINUO_MODEL=OFF): the
// commands exist, so scripts get one clear line instead of "unknown subcommand".

#include "cli/Commands.h"
#include "cli/ModelBench.h"

#include <stdexcept>

namespace continuo::cli {
namespace {

const char* kWhy =
    "this continuo-cli was built without the LSTM engine (LibTorch not found at configure time; "
    "install libtorch-dev and rebuild)";

Run unavailable(CLI::App& app, const char* name, const char* description) {
    CLI::App* cmd = app.add_subcommand(name, description);
    cmd->allow_extras();
    return []() -> int { throw std::runtime_error(kWhy); };
}

} // namespace

Run addTrainCommand(CLI::App& app) {
    return unavailable(app, "train", "Train a model (unavailable in this build)");
}
Run addGenerateCommand(CLI::App& app) {
    return unavailable(app, "generate", "Generate notes (unavailable in this build)");
}
Run addEvalCommand(CLI::App& app) {
    return unavailable(app, "eval", "Evaluate a model (unavailable in this build)");
}
Run addInfoCommand(CLI::App& app) {
    return unavailable(app, "info", "Describe a model file (unavailable in this build)");
}
nlohmann::json runModelBench(const ModelBenchOptions&) {
    return {{"skipped", kWhy}};
}

} // namespace continuo::cli
