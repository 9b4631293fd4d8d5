// continuo-cli info MODEL [--json]: what a model file is (format, tokenizer, architecture, training).
// continuo-cli info MODEL --weights-only OUT: a copy without the resume state (TRST, OPTM), about a third of
// the size: the file to ship.

#include "cli/Commands.h"
#include "model/LstmModel.h"
#include "modelfile/ModelFile.h"

#include <iostream>
#include <memory>

namespace continuo::cli {

Run addInfoCommand(CLI::App& app) {
    struct Options {
        std::string model, weightsOnly;
        bool json = false;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "info", "Describe a model file (checksums, metadata and weights checked; no network is built)");
    cmd->add_option("MODEL", o->model, "model file")->required();
    cmd->add_flag("--json", o->json, "print the metadata as JSON");
    cmd->add_option("--weights-only", o->weightsOnly,
                    "write a copy without the resume state (optimizer, trainer position) to this file");
    return [o] {
        const model::ModelFileContents f = model::readModelFile(o->model);
        // The weights against the declared architecture, as generate and train check them on load: info
        // must not call a file fine that every other command refuses.
        model::checkModelWeights(f, o->model);
        if (!o->weightsOnly.empty()) {
            // The metadata (training summary included) and the weights; the checksums are recomputed.
            model::writeFileAtomically(o->weightsOnly,
                                       model::buildModelFile(f.metadata, {{"WGHT", f.sections.at("WGHT")}}));
            std::cout << o->weightsOnly << ": written without the resume state\n";
            return 0;
        }
        if (o->json) {
            std::cout << f.sections.at("META") << '\n';
            return 0;
        }
        const model::ModelMetadata& m = f.metadata;
        const model::TrainingSummary& t = m.training;
        std::cout << "file: " << o->model << "\n"
                  << "format: continuo-model version " << m.formatVersion
                  << (f.sections.count("TRST") ? ", resumable" : "") << "\n"
                  << "tokenizer: " << m.tokenizer.toString() << "\n"
                  << "architecture: embedding " << m.model.embedding << ", " << m.model.layers << " x LSTM("
                  << m.model.hidden << "), dense " << m.model.dense << ", dropout " << m.model.dropout
                  << ", vocab " << m.model.vocab << ", window " << m.model.window << "; " << m.parameters
                  << " parameters\n"
                  << "training: preset " << (t.preset.empty() ? "custom" : t.preset) << ", "
                  << m.train.optimizer << " lr " << m.train.learningRate << ", batch " << m.train.batch
                  << ", seed " << m.train.seed << "\n"
                  << "corpus: " << t.corpusPath << " (sha256 " << t.corpusHash << "), " << t.trainFiles
                  << " train + " << t.validationFiles << " validation files, " << t.trainTokens << " + "
                  << t.validationTokens << " tokens\n"
                  << "progress: " << t.epochs << " of " << m.train.epochs << " epochs, " << t.steps
                  << " steps" << (t.stoppedBy.empty() ? "" : ", stopped by " + t.stoppedBy) << "\n"
                  << "losses: train " << t.trainLoss << ", validation " << t.validationLoss << " (best "
                  << t.bestValidationLoss << ")\n"
                  << "device: " << t.device << ", " << t.seconds << " s, " << t.targetsPerSecond
                  << " targets/s\n"
                  << "written: " << t.date << "\n";
        return 0;
    };
}

} // namespace continuo::cli
