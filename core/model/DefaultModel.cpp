#include "model/DefaultModel.h"

#include "model/LstmComposer.h"
#include "modelfile/ModelFile.h"
#include "music/Tokenizer.h"

#include <mutex>

namespace continuo::model {
namespace {

namespace fs = std::filesystem;

/// Describes itself from the checked metadata; the network is loaded on the first generate().
class DeferredComposer final : public Composer {
public:
    DeferredComposer(fs::path file, std::string device, const ModelMetadata& metadata)
        : file_(std::move(file))
        , device_(std::move(device)) {
        const std::string preset = metadata.training.preset.empty() ? "custom" : metadata.training.preset;
        description_.name = "Continuo default (" + preset + " LSTM, " +
                            music::encodingName(metadata.tokenizer.encoding) + " encoding)";
        if (file_.filename() != kDefaultModelFileName) description_.name = file_.filename().string();
        description_.path = file_.string();
        description_.summary = describeModel(metadata);
    }
    ModelDescription describe() const override { return description_; }
    GenerateResult generate(const GenerateRequest& request, const ProgressFn& progress,
                            const std::atomic<bool>& cancel) override {
        {
            std::lock_guard lock(mutex_);
            if (!loaded_) {
                if (progress) progress(0, "loading model");
                try {
                    loaded_ = std::make_unique<LstmComposer>(file_, device_);
                } catch (const std::exception& e) {
                    throw std::runtime_error(std::string("the model could not be loaded: ") + e.what());
                }
            }
        }
        return loaded_->generate(request, progress, cancel);
    }

private:
    fs::path file_;
    std::string device_;
    ModelDescription description_;
    std::mutex mutex_;
    std::unique_ptr<LstmComposer> loaded_;
};

} // namespace

namespace {
DefaultComposer openChecked(const fs::path& file, const std::string& device, const std::string& what) {
    DefaultComposer r;
    r.file = file;
    try {
        const ModelFileContents contents = readModelFile(file);
        // The vocabulary must match the tokenizer the file names, as LstmComposer checks at load.
        const auto tokenizer = music::Tokenizer::create(contents.metadata.tokenizer);
        if (tokenizer->vocabSize() != contents.metadata.model.vocab)
            throw ModelFileError(ModelFileError::Kind::TokenizerMismatch,
                                 file.string() + ": the model's vocabulary does not match its tokenizer");
        r.composer = std::make_shared<DeferredComposer>(file, device, contents.metadata);
    } catch (const std::exception& e) {
        r.problem = what + " cannot be used: " + e.what();
    }
    return r;
}
} // namespace

DefaultComposer openComposerDeferred(const fs::path& file, const std::string& device) {
    return openChecked(file, device, "The model");
}

DefaultComposer openDefaultComposer(const std::string& device) {
    std::string looked;
    const fs::path file = findDefaultModel(&looked);
    if (file.empty()) {
        DefaultComposer r;
        r.problem = "No default model is installed (looked for " + looked + ").";
        return r;
    }
    return openChecked(file, device, "The default model");
}

} // namespace continuo::model
