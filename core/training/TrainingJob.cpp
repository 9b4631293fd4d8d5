// The training job: the steps continuo-cli train and the studio's retraining share, and the one place where
// the engine's failures become JobError kinds.

#include "training/TrainingJob.h"

#include "modelfile/ModelFile.h"
#include "music/CorpusFiles.h"
#include "music/MidiFileNames.h"
#include "training/ModelCard.h"
#include "training/internal/FolderListing.h"

#include <algorithm>
#include <optional>
#include <sstream>
#include <system_error>

namespace continuo::training {
namespace fs = std::filesystem;
using Kind = JobError::Kind;

namespace {

/// What a recipe means for the engine.
struct Resolved {
    music::TokenizerSettings tokenizer;
    model::ModelConfig model;
    model::TrainConfig train;
    std::string preset;
    bool resume = false;
    bool fineTune = false;
};

Resolved resolve(const Recipe& r) {
    Resolved out;
    std::error_code ec;
    out.resume = !r.resume.empty() && !(r.resumeMayBeMissing && !fs::exists(r.resume, ec));
    if (out.resume) {
        // The run goes on exactly as it was set up: configs and tokenizer come from the checkpoint.
        model::ModelFileContents f;
        try {
            f = model::readModelFile(r.resume);
        } catch (const std::exception& e) {
            throw JobError(Kind::Other, e.what());
        }
        out.tokenizer = f.metadata.tokenizer;
        out.model = f.metadata.model;
        out.train = f.metadata.train;
        out.preset = f.metadata.training.preset;
        if (r.epochs > 0) out.train.epochs = r.epochs;
        return out;
    }
    if (!r.baseModel.empty()) {
        // A fine-tune speaks the base model's language: its tokenizer, architecture and window.
        model::ModelFileContents base;
        try {
            base = model::readModelFile(r.baseModel);
        } catch (const std::exception& e) {
            throw JobError(Kind::Incompatible, e.what());
        }
        out.tokenizer = base.metadata.tokenizer;
        out.model = base.metadata.model;
        out.train = base.metadata.train;
        out.preset = base.metadata.training.preset;
        out.fineTune = true;
    } else {
        try {
            const model::Preset p = model::preset(r.preset);
            out.preset = p.name;
            out.model = p.model;
            out.train = p.train;
        } catch (const std::invalid_argument& e) {
            throw JobError(Kind::Other, e.what());
        }
        out.tokenizer = r.tokenizer;
    }
    if (r.adjust) r.adjust(out.model, out.train);
    if (r.epochs > 0) out.train.epochs = r.epochs;
    try {
        out.train.validate();
    } catch (const std::invalid_argument& e) {
        throw JobError(Kind::Other, e.what());
    }
    return out;
}

music::DatasetOptions datasetOptions(const JobSpec& spec, const Resolved& r) {
    music::DatasetOptions o = model::datasetOptions(r.model, r.train, r.tokenizer);
    o.useCache = spec.useCache;
    o.cacheDir = spec.cacheDir;
    return o;
}

/// Everything the dataset's content depends on besides the files (the cache and threads do not change it).
std::string optionsKey(const music::DatasetOptions& o) {
    std::ostringstream s;
    s << o.tokenizer.toString() << ' ' << o.window << ' ' << o.stride << ' ' << std::hexfloat
      << o.validationShare << ' ' << o.seed << ' ' << o.transposeLow << ' ' << o.transposeHigh;
    return s.str();
}

SkippedEntry entry(const fs::path& dir, const fs::path& file, std::string reason, std::string detail) {
    return {file.lexically_relative(dir), std::move(reason), std::move(detail)};
}

void sortByFile(std::vector<SkippedEntry>& v) {
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.file < b.file; });
}

} // namespace

struct TrainingJob::Kept {
    std::string key; ///< folder, fingerprint and options of what is kept ("" = nothing)
    std::optional<music::Dataset> dataset;
    std::optional<JobError> unusable; ///< the folder has nothing usable (NoUsableFile)
    CorpusReport report;
    int built = 0;

    void clear() {
        key.clear();
        dataset.reset();
        unusable.reset();
        report = {};
    }

    /// The dataset for this folder and these options, built unless it is the one kept. Throws the
    /// NoUsableFile JobError when nothing is usable (kept too: a second call does not read the files again).
    const music::Dataset& get(const JobSpec& spec, const Resolved& r, const FolderListing& listing,
                              const ProgressFn& progress) {
        const music::DatasetOptions options = datasetOptions(spec, r);
        const std::string k = spec.folder.string() + '\n' + listing.fingerprint + '\n' + optionsKey(options);
        if (k != key) build(spec, options, listing, progress);
        key = k;
        if (progress) progress({Progress::Stage::Ready, report, {}});
        if (unusable) throw *unusable;
        return *dataset;
    }

private:
    void build(const JobSpec& spec, const music::DatasetOptions& options, const FolderListing& listing,
               const ProgressFn& progress) {
        clear();
        const fs::path& dir = spec.folder;
        report.folder = dir;
        report.filesFound = int(listing.files.size());
        for (const fs::path& f : listing.files) {
            if (music::isMidiFileName(f))
                ++report.midiFiles;
            else
                report.skipped.push_back(entry(dir, f, "not a MIDI file",
                                               "Only " + music::midiExtensionsText() + " files are read."));
        }
        report.window = options.window;
        if (progress) progress({Progress::Stage::Reading, report, {}});
        try {
            ++built;
            dataset = music::buildDataset(dir, options);
        } catch (const music::DatasetError& e) {
            // No MIDI file, or none usable: the dataset's own list says why, file by file.
            if (report.midiFiles > 0 && e.skipped().empty()) throw JobError(Kind::Other, e.what());
            for (const music::SkippedFile& s : e.skipped())
                report.skipped.push_back(entry(dir, s.file, music::skipReasonName(s.reason), s.detail));
            sortByFile(report.skipped);
            unusable.emplace(Kind::NoUsableFile, e.what(), report.skipped);
            return;
        }
        const music::Dataset& ds = *dataset;
        for (const music::SkippedFile& s : ds.skipped)
            report.skipped.push_back(entry(dir, s.file, music::skipReasonName(s.reason), s.detail));
        sortByFile(report.skipped);
        report.filesUsable = int(ds.stats.filesUsable);
        report.notes = ds.stats.notes;
        report.tokens = ds.stats.tokens;
        report.trainingTokens = ds.train.tokens.size();
        report.trainingFiles = ds.train.files.size();
        report.validationFiles = ds.validation.files.size();
        report.trainingWindows = ds.train.windowCount();
        report.validationWindows = ds.validation.windowCount();
        report.window = ds.window;
    }
};

TrainingJob::TrainingJob()
    : kept_(std::make_unique<Kept>()) {}
TrainingJob::~TrainingJob() = default;

int TrainingJob::datasetsBuilt() const {
    return kept_->built;
}

CorpusReport TrainingJob::scan(const JobSpec& spec, const ProgressFn& progress,
                               const std::atomic<bool>& cancel) {
    if (progress) progress({Progress::Stage::Listing, {}, {}});
    const FolderListing listing = listFolder(spec.folder);
    if (cancel.load()) throw JobError(Kind::Cancelled, "The scan was cancelled.");
    const Resolved r = resolve(spec.recipe);
    try {
        kept_->get(spec, r, listing, progress);
    } catch (const JobError& e) {
        if (e.kind() != Kind::NoUsableFile) throw;
    }
    if (cancel.load()) throw JobError(Kind::Cancelled, "The scan was cancelled.");
    return kept_->report;
}

model::TrainingEstimate TrainingJob::estimate(const JobSpec& spec, const std::atomic<bool>& cancel) {
    const Resolved r = resolve(spec.recipe);
    const FolderListing listing = listFolder(spec.folder);
    const music::Dataset& ds = kept_->get(spec, r, listing, {});
    if (cancel.load()) throw JobError(Kind::Cancelled, "The estimate was cancelled.");
    try {
        model::setTorchThreads(spec.threads);
        return model::estimateTraining(ds, r.model, r.train, spec.maxStepsPerEpoch, spec.device);
    } catch (const std::exception& e) {
        throw JobError(Kind::Other, e.what());
    }
}

Outcome TrainingJob::run(const JobSpec& spec, const RunFiles& files, const ProgressFn& progress,
                         const std::atomic<bool>& cancel) {
    // Whatever happens, the run ends here: the kept dataset is not needed again (a resume reads it anew).
    struct Release {
        Kept& kept;
        ~Release() { kept.clear(); }
    } release{*kept_};
    const Resolved r = resolve(spec.recipe);
    if (progress) progress({Progress::Stage::Listing, {}, {}});
    const FolderListing listing = listFolder(spec.folder); // the folder's own errors first
    const music::Dataset& ds = kept_->get(spec, r, listing, progress);

    model::TrainOptions opt;
    opt.preset = r.preset;
    opt.model = r.model;
    opt.train = r.train;
    opt.out = files.checkpoint;
    if (r.resume) opt.resume = spec.recipe.resume;
    if (r.fineTune) opt.initFrom = spec.recipe.baseModel;
    opt.device = spec.device;
    opt.threads = spec.threads;
    opt.timeLimitSeconds = spec.timeLimitSeconds;
    opt.maxStepsPerEpoch = spec.maxStepsPerEpoch;
    opt.stopAfterSteps = spec.stopAfterSteps;
    opt.corpusPath = spec.folder.string();
    opt.corpusHash = model::corpusHash(spec.folder, ds);
    std::error_code ec;
    if (files.checkpoint.has_parent_path()) fs::create_directories(files.checkpoint.parent_path(), ec);
    if (files.finalModel.has_parent_path()) fs::create_directories(files.finalModel.parent_path(), ec);

    const auto report = [&](const model::TrainProgress& p) {
        if (progress) progress({Progress::Stage::Training, {}, p});
    };
    Outcome out;
    try {
        out.summary = model::train(ds, opt, report, cancel);
    } catch (const model::TrainingError& e) {
        const Kind kind = e.kind() == model::TrainingError::Kind::DiskFull      ? Kind::DiskFull
                          : e.kind() == model::TrainingError::Kind::OutOfMemory ? Kind::OutOfMemory
                                                                                : Kind::Incompatible;
        throw JobError(kind, e.what());
    } catch (const std::system_error& e) {
        throw JobError(model::isDiskFull(e.code()) ? Kind::DiskFull : Kind::Other, e.what());
    } catch (const std::exception& e) {
        throw JobError(Kind::Other, e.what());
    }
    if (out.summary.stoppedBy == "cancelled") return out;
    out.completed = true;
    if (files.finalModel.empty()) return out;

    // The finished model without its resume state (about a third of the size), then its card. Both are
    // written atomically: a full disk leaves the checkpoint, from which this step can be redone.
    if (progress) progress({Progress::Stage::Saving, {}, {}});
    try {
        const model::ModelFileContents f = model::readModelFile(files.checkpoint);
        model::writeFileAtomically(files.finalModel,
                                   model::buildModelFile(f.metadata, {{"WGHT", f.sections.at("WGHT")}}));
        fs::path card = files.finalModel;
        card.replace_extension(".md");
        model::writeFileAtomically(card, modelCard(f.metadata, files.finalModel,
                                                   r.fineTune ? spec.recipe.baseModel : fs::path(),
                                                   files.trainedIn));
        out.model = files.finalModel;
        out.card = card;
    } catch (const std::system_error& e) {
        if (!model::isDiskFull(e.code())) throw JobError(Kind::Other, e.what());
        throw JobError(Kind::DiskFull,
                       "The disk is full: the finished model could not be saved; the training "
                       "checkpoint is intact.");
    } catch (const std::exception& e) {
        throw JobError(Kind::Other, e.what());
    }
    return out;
}

} // namespace continuo::training
