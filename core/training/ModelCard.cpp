#include "training/ModelCard.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace continuo::training {
namespace {

std::string fixed(double v, int digits = 3) {
    if (!std::isfinite(v) || v < 0) return "–"; // −1: no validation data
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

} // namespace

std::string modelCard(const model::ModelMetadata& m, const std::filesystem::path& model,
                      const std::filesystem::path& baseModel, const std::string& where) {
    const model::TrainingSummary& t = m.training;
    std::ostringstream s;
    s << "# " << model.stem().string() << " — model card\n\n"
      << "`" << model.filename().string() << "` was trained in " << where << " on " << t.date << ".\n\n"
      << "## Start\n\n"
      << "- " << (baseModel.empty() ? "From scratch" : "Fine-tuned from `" + baseModel.string() + "`")
      << ", preset " << (t.preset.empty() ? "custom" : t.preset) << "\n"
      << "- Tokenizer: `" << m.tokenizer.toString() << "`\n"
      << "- Network: embedding " << m.model.embedding << ", " << m.model.layers << " × LSTM "
      << m.model.hidden << ", dense " << m.model.dense << ", dropout " << m.model.dropout << ", window "
      << m.model.window << " tokens, " << m.parameters << " parameters\n\n"
      << "## Corpus\n\n"
      << "- Folder: `" << t.corpusPath << "` (SHA-256 " << t.corpusHash << ")\n"
      << "- " << t.trainFiles << " training files (" << t.trainTokens << " tokens with transposition "
      << m.train.transposeLow << "…+" << m.train.transposeHigh << "), " << t.validationFiles
      << " validation files (" << t.validationTokens << " tokens)\n\n"
      << "## Training\n\n"
      << "- " << t.epochs << " epochs of at most " << m.train.epochs << ", " << t.steps << " steps of "
      << m.train.batch << " windows, " << m.train.optimizer << ", peak learning rate " << m.train.learningRate
      << ", seed " << m.train.seed << "\n"
      << "- Stopped by: " << t.stoppedBy << "; " << fixed(t.seconds, 0) << " s on " << t.device << " ("
      << fixed(t.targetsPerSecond, 0) << " targets/s in the last session)\n"
      << "- Final training loss " << fixed(t.trainLoss) << ", validation loss " << fixed(t.validationLoss)
      << " (best " << fixed(t.bestValidationLoss) << ", nats per token)\n\n"
      << "| epoch | training loss | validation loss |\n|---:|---:|---:|\n";
    for (std::size_t e = 0; e < t.trainLosses.size(); ++e)
        s << "| " << e + 1 << " | " << fixed(t.trainLosses[e]) << " | "
          << (e < t.validationLosses.size() ? fixed(t.validationLosses[e]) : "–") << " |\n";
    return s.str();
}

} // namespace continuo::training
