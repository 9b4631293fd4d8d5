#include "modelfile/ModelLibrary.h"

#include "modelfile/DefaultModelLookup.h"
#include "music/Tokenizer.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iomanip>
#include <sstream>

namespace continuo::model {
namespace {

namespace fs = std::filesystem;

std::string fixed(double v, int digits) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(digits) << v;
    return s.str();
}

std::string withThousands(std::int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    for (int i = int(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(std::size_t(i), ",");
    return n < 0 ? "-" + digits : digits;
}

/// The same checks the studio's composer makes before accepting a file (DefaultModel.cpp), minus LibTorch.
ModelMetadata checkBytes(const std::string& bytes, const std::string& name) {
    ModelFileContents contents = parseModelFile(bytes, name);
    const auto tokenizer = music::Tokenizer::create(contents.metadata.tokenizer);
    if (tokenizer->vocabSize() != contents.metadata.model.vocab)
        throw ModelFileError(ModelFileError::Kind::TokenizerMismatch,
                             name + ": the model's vocabulary does not match its tokenizer");
    return std::move(contents.metadata);
}

std::string readAll(const fs::path& file) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw ModelFileError(ModelFileError::Kind::Unreadable, file.string() + ": no such model file");
    std::ifstream in(file, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof())
        throw ModelFileError(ModelFileError::Kind::Unreadable,
                             file.string() + ": cannot read the model file");
    return ss.str();
}

bool isInside(const fs::path& file, const fs::path& dir) {
    std::error_code ec;
    const fs::path f = fs::weakly_canonical(file, ec);
    const fs::path d = fs::weakly_canonical(dir, ec);
    if (ec) return false;
    return f.parent_path() == d;
}

bool sameFile(const fs::path& a, const fs::path& b) {
    std::error_code ec;
    if (a.empty() || b.empty()) return false;
    if (fs::equivalent(a, b, ec)) return true;
    return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

} // namespace

std::vector<ModelCardLine> modelCard(const ModelMetadata& m) {
    const TrainingSummary& t = m.training;
    std::vector<ModelCardLine> card;
    card.push_back({"Corpus", t.corpusPath.empty() ? "(not recorded)" : t.corpusPath});
    card.push_back({"Corpus SHA-256", t.corpusHash.empty() ? "(not recorded)" : t.corpusHash});
    card.push_back({"Date", t.date.empty() ? "(not recorded)" : t.date});
    card.push_back({"Preset", t.preset.empty() ? "custom" : t.preset});
    card.push_back({"Architecture", "LSTM " + std::to_string(m.model.layers) + " × " +
                                        std::to_string(m.model.hidden) + ", embedding " +
                                        std::to_string(m.model.embedding) + ", dense " +
                                        std::to_string(m.model.dense) + ", window " +
                                        std::to_string(m.model.window) + " tokens"});
    // "epochs" = every planned epoch ran; otherwise say what ended the run (early stopping, cancelled, …).
    const bool ended = !t.stoppedBy.empty() && t.stoppedBy != "epochs";
    card.push_back({"Epochs", std::to_string(t.epochs) + (ended ? " (" + t.stoppedBy + ")" : "")});
    card.push_back({"Training loss", t.trainLosses.empty() ? "–" : fixed(t.trainLoss, 3) + " nats/token"});
    card.push_back(
        {"Validation loss", t.validationLosses.empty() ? "–" : fixed(t.validationLoss, 3) + " nats/token"});
    card.push_back({"Parameters", withThousands(m.parameters)});
    card.push_back({"Tokenizer", std::string(music::encodingName(m.tokenizer.encoding)) + " encoding (" +
                                     m.tokenizer.toString() + ")"});
    card.push_back({"Training data", std::to_string(t.trainFiles) + " + " +
                                         std::to_string(t.validationFiles) + " files, " +
                                         withThousands(std::int64_t(t.trainTokens)) + " tokens"});
    card.push_back({"Trained on", (t.device.empty() ? std::string("?") : t.device) + ", " +
                                      fixed(t.seconds / 60.0, 1) + " min"});
    return card;
}

ModelEntry inspectModel(const fs::path& file, bool builtIn) {
    ModelEntry e;
    e.path = file;
    e.builtIn = builtIn;
    e.displayName = builtIn ? "Shipped default" : file.stem().string();
    try {
        e.metadata = checkBytes(readAll(file), file.string());
        if (builtIn) {
            const std::string& preset = e.metadata->training.preset;
            e.displayName += " (" + (preset.empty() ? std::string("custom") : preset) + ")";
        }
    } catch (const std::exception& ex) {
        e.problem = ex.what();
    }
    return e;
}

std::vector<ModelEntry> listModels(const fs::path& userDir, const fs::path& defaultModel) {
    std::vector<ModelEntry> list;
    if (!defaultModel.empty()) list.push_back(inspectModel(defaultModel, true));
    std::vector<fs::path> files;
    std::error_code ec;
    for (fs::directory_iterator it(userDir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code typeEc;
        if (it->path().extension() == kModelExtension && it->is_regular_file(typeEc))
            files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files)
        if (!sameFile(f, defaultModel)) list.push_back(inspectModel(f, false));
    return list;
}

fs::path importModel(const fs::path& source, const fs::path& userDir) {
    const std::string bytes = readAll(source);
    // Checked in memory, and exactly these bytes are written: no window where the source could change.
    checkBytes(bytes, source.string());
    std::error_code ec;
    fs::create_directories(userDir, ec);
    if (ec)
        throw std::runtime_error("cannot create the models folder " + userDir.string() + ": " + ec.message());
    const std::string stem = source.stem().string();
    fs::path target = userDir / (stem + kModelExtension);
    for (int n = 2; fs::exists(target, ec); ++n)
        target = userDir / (stem + "-" + std::to_string(n) + kModelExtension);
    writeFileAtomically(target, bytes);
    return target;
}

void removeModel(const fs::path& file, const fs::path& userDir, const fs::path& defaultModel) {
    if (sameFile(file, defaultModel))
        throw std::runtime_error("The shipped default model cannot be removed.");
    if (!isInside(file, userDir))
        throw std::runtime_error(file.string() + " is not in your models folder, so it is not removed.");
    std::error_code ec;
    if (!fs::remove(file, ec) || ec)
        throw std::runtime_error("Could not remove " + file.string() +
                                 (ec ? ": " + ec.message() : std::string(": no such file")));
}

} // namespace continuo::model
