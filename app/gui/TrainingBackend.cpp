// Retraining for the studio: the same steps as continuo-cli train (app/cli/TrainCommand.cpp), driven by a
// TrainingSetup instead of flags, with errors turned into TrainingFailure kinds the dialog can explain.

#include "app/gui/TrainingBackend.h"
#include "app/gui/TrainingCard.h"

#include "model/ModelFile.h"
#include "model/Trainer.h"
#include "music/CorpusFiles.h"
#include "music/Dataset.h"
#include "music/MidiFileNames.h"

#include <QDir>

#include <cmath>
#include <system_error>

namespace continuo::app {
namespace fs = std::filesystem;
using ui::retrain::ScanReport;
using ui::retrain::TrainingFailure;
using ui::retrain::TrainingSetup;
using Kind = ui::retrain::TrainingFailure::Kind;

namespace {

fs::path pathOf(const QString& s) {
    return fs::path(s.toStdString());
}
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

/// What a setup means for the engine: tokenizer, architecture and training config.
struct Resolved {
    music::TokenizerSettings tokenizer;
    model::ModelConfig model;
    model::TrainConfig train;
    std::string preset;
};

Resolved resolve(const TrainingSetup& s) {
    Resolved r;
    if (s.fineTune()) {
        // A fine-tune speaks the base model's language: its tokenizer, architecture and window.
        model::ModelFileContents base;
        try {
            base = model::readModelFile(pathOf(s.baseModel));
        } catch (const model::ModelFileError& e) {
            throw TrainingFailure(Kind::Incompatible, qs(e.what()));
        }
        r.tokenizer = base.metadata.tokenizer;
        r.model = base.metadata.model;
        r.train = base.metadata.train;
        r.preset = base.metadata.training.preset;
    } else {
        model::Preset p;
        try {
            p = model::preset(s.preset.toStdString());
        } catch (const std::invalid_argument& e) {
            throw TrainingFailure(Kind::Other, qs(e.what()));
        }
        r.preset = p.name;
        r.model = p.model;
        r.train = p.train;
        if (s.window > 0) r.model.window = s.window;
        // The shipped model's kind: bars, textures, COPY moves (issue 15).
        r.tokenizer.encoding = music::Encoding::Bar;
        if (auto policy = music::policyFromName(s.policy.toStdString())) r.tokenizer.policy = *policy;
    }
    r.train.epochs = std::max(1, s.epochs);
    if (s.learningRate > 0) r.train.learningRate = s.learningRate;
    r.train.transposeLow = std::clamp(s.transposeLow, -24, 0);
    r.train.transposeHigh = std::clamp(s.transposeHigh, 0, 24);
    r.train.validationShare = std::clamp(s.validationShare, 0.0, 0.9);
    try {
        r.train.validate();
    } catch (const std::invalid_argument& e) {
        throw TrainingFailure(Kind::Other, qs(e.what()));
    }
    return r;
}

/// The files below a folder, or the reason the folder cannot be used.
std::vector<fs::path> listFolder(const fs::path& dir) {
    std::error_code ec;
    if (dir.empty() || !fs::is_directory(dir, ec))
        throw TrainingFailure(Kind::UnreadableFolder,
                              "The folder " + qs(dir.string()) + " does not exist or is not a folder.");
    // The folder itself must open (skip_permission_denied below would make a locked folder look empty);
    // subfolders that do not are passed over.
    fs::directory_iterator top(dir, ec);
    if (ec)
        throw TrainingFailure(Kind::UnreadableFolder, "The folder " + qs(dir.string()) + " cannot be read (" +
                                                          qs(ec.message()) + ").");
    std::vector<fs::path> files;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec)
        throw TrainingFailure(Kind::UnreadableFolder, "The folder " + qs(dir.string()) + " cannot be read (" +
                                                          qs(ec.message()) + ").");
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec)) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty())
        throw TrainingFailure(Kind::EmptyFolder,
                              "The folder " + qs(dir.string()) + " is empty: put MIDI files (" +
                                  QString::fromStdString(music::midiExtensionsText()) + ") in it.");
    return files;
}

music::DatasetOptions datasetOptionsFor(const Resolved& r, const fs::path& cacheDir) {
    music::DatasetOptions o = model::datasetOptions(r.model, r.train, r.tokenizer);
    o.useCache = true;
    o.cacheDir = cacheDir;
    return o;
}

QString relativeTo(const fs::path& dir, const fs::path& file) {
    return qs(file.lexically_relative(dir).generic_string());
}

std::string noUsableMessage(const fs::path& dir) {
    return "No usable MIDI file in " + dir.string() + ": see the skipped files for the reasons.";
}

} // namespace

TrainingBackend::TrainingBackend(fs::path cacheDir)
    : cacheDir_(std::move(cacheDir)) {}

ScanReport TrainingBackend::scan(const TrainingSetup& setup, const ScanProgress& progress,
                                 const std::atomic<bool>& cancel) {
    const fs::path dir = pathOf(setup.folder);
    if (progress) progress(0, "listing files");
    const std::vector<fs::path> files = listFolder(dir);
    ScanReport report;
    report.folder = setup.folder;
    report.filesFound = int(files.size());
    std::vector<fs::path> midi;
    for (const fs::path& f : files) {
        if (music::isMidiFileName(f))
            midi.push_back(f);
        else
            report.skipped.push_back(
                {relativeTo(dir, f), "not a MIDI file",
                 QString::fromStdString("Only " + music::midiExtensionsText() + " files are read.")});
    }
    report.midiFiles = int(midi.size());
    if (midi.empty()) return report;
    if (cancel.load()) throw TrainingFailure(Kind::Other, "The scan was cancelled.");
    const Resolved r = resolve(setup);
    if (progress) progress(0.1, QString("reading %1 MIDI files").arg(midi.size()));
    music::Dataset ds;
    try {
        ds = music::buildDataset(dir, datasetOptionsFor(r, cacheDir_));
    } catch (const music::DatasetError&) {
        // Nothing usable: the dataset throws without its list, so read each file alone for its reason.
        for (std::size_t i = 0; i < midi.size() && !cancel.load(); ++i) {
            if (progress) progress(0.1 + 0.9 * double(i) / double(midi.size()), "finding the reasons");
            music::DatasetOptions one = datasetOptionsFor(r, cacheDir_);
            one.useCache = false;
            one.validationShare = 0;
            try {
                const music::Dataset single = music::buildDataset(midi[i], one);
                (void)single; // usable alone: only a duplicate of another file can have been left out
                report.skipped.push_back(
                    {relativeTo(dir, midi[i]), "duplicate", "The same notes as another file."});
            } catch (const music::DatasetError& e) {
                const std::string what = e.what();
                const std::size_t open = what.rfind('(');
                QString reason = "unreadable";
                for (const char* name : {"no melodic notes", "too short", "duplicate", "unreadable"})
                    if (what.find(name, open == std::string::npos ? 0 : open) != std::string::npos) {
                        reason = name;
                        break;
                    }
                report.skipped.push_back({relativeTo(dir, midi[i]), reason, qs(what)});
            }
        }
        if (cancel.load()) throw TrainingFailure(Kind::Other, "The scan was cancelled.");
        return report;
    }
    report.filesUsable = int(ds.stats.filesUsable);
    for (const music::SkippedFile& s : ds.skipped)
        report.skipped.push_back({relativeTo(dir, s.file), music::skipReasonName(s.reason), qs(s.detail)});
    std::sort(report.skipped.begin(), report.skipped.end(),
              [](const auto& a, const auto& b) { return a.file < b.file; });
    report.notes = ds.stats.notes;
    report.tokens = ds.stats.tokens;
    report.trainingTokens = ds.train.tokens.size();
    report.trainingWindows = qint64(ds.train.windowCount());
    report.validationWindows = qint64(ds.validation.windowCount());
    if (progress) progress(1, "done");
    return report;
}

double TrainingBackend::estimateSeconds(const TrainingSetup& setup, const ScanReport& report,
                                        const std::atomic<bool>& cancel) {
    if (report.filesUsable == 0)
        throw TrainingFailure(Kind::NoUsableFile, qs(noUsableMessage(pathOf(setup.folder))));
    if (cancel.load()) throw TrainingFailure(Kind::Other, "The estimate was cancelled.");
    const Resolved r = resolve(setup);
    try {
        // The cache the scan wrote makes this a read of one file.
        const music::Dataset ds = music::buildDataset(pathOf(setup.folder), datasetOptionsFor(r, cacheDir_));
        if (cancel.load()) throw TrainingFailure(Kind::Other, "The estimate was cancelled.");
        model::setTorchThreads(setup.threads);
        return model::estimateTraining(ds, r.model, r.train, setup.maxStepsPerEpoch,
                                       setup.device.toStdString())
            .seconds;
    } catch (const TrainingFailure&) {
        throw;
    } catch (const std::exception& e) {
        throw TrainingFailure(Kind::Other, qs(e.what()));
    }
}

ui::retrain::TrainingResult TrainingBackend::train(const ui::retrain::TrainingRequest& request,
                                                   const TrainProgress& progress,
                                                   const std::atomic<bool>& cancel) {
    const TrainingSetup& setup = request.setup;
    const fs::path dir = pathOf(setup.folder);
    const fs::path checkpoint = pathOf(request.checkpoint);
    std::error_code ec;
    const bool resume = request.resume && fs::is_regular_file(checkpoint, ec);
    Resolved r;
    if (resume) {
        // The run goes on exactly as it was set up: configs and tokenizer come from the checkpoint.
        try {
            const model::ModelFileContents f = model::readModelFile(checkpoint);
            r = {f.metadata.tokenizer, f.metadata.model, f.metadata.train, f.metadata.training.preset};
            r.train.epochs = std::max(r.train.epochs, setup.epochs); // a resumed run may be given more epochs
        } catch (const model::ModelFileError& e) {
            throw TrainingFailure(Kind::Other, qs(e.what()));
        }
    } else {
        r = resolve(setup);
    }
    listFolder(dir); // the folder's own errors first, in the dialog's words
    music::Dataset ds;
    try {
        ds = music::buildDataset(dir, datasetOptionsFor(r, cacheDir_));
    } catch (const music::DatasetError& e) {
        throw TrainingFailure(Kind::NoUsableFile, qs(noUsableMessage(dir)));
    }
    model::TrainOptions opt;
    opt.preset = r.preset;
    opt.model = r.model;
    opt.train = r.train;
    opt.out = checkpoint;
    if (resume) opt.resume = checkpoint;
    if (!resume && setup.fineTune()) opt.initFrom = pathOf(setup.baseModel);
    opt.device = setup.device.toStdString();
    opt.threads = setup.threads;
    opt.maxStepsPerEpoch = setup.maxStepsPerEpoch;
    opt.corpusPath = setup.folder.toStdString();
    opt.corpusHash = model::corpusHash(dir, ds);
    fs::create_directories(checkpoint.parent_path(), ec);
    fs::create_directories(pathOf(request.finalModel).parent_path(), ec);

    auto report = [&](const model::TrainProgress& p) {
        if (!progress) return;
        ui::retrain::TrainingProgress q;
        q.epoch = p.epoch;
        q.epochs = p.epochs;
        q.step = p.step;
        q.stepsPerEpoch = p.stepsPerEpoch;
        q.trainLoss = p.trainLoss;
        q.validationLoss = p.validationLoss;
        q.tokensPerSecond = p.tokensPerSecond;
        q.etaSeconds = p.etaSeconds;
        q.epochDone = p.epochDone;
        progress(q);
    };
    model::TrainingSummary sum;
    try {
        sum = model::train(ds, opt, report, cancel);
    } catch (const model::TrainingError& e) {
        const Kind kind = e.kind() == model::TrainingError::Kind::DiskFull      ? Kind::DiskFull
                          : e.kind() == model::TrainingError::Kind::OutOfMemory ? Kind::OutOfMemory
                                                                                : Kind::Incompatible;
        throw TrainingFailure(kind, qs(e.what()));
    } catch (const std::exception& e) {
        throw TrainingFailure(Kind::Other, qs(e.what()));
    }

    ui::retrain::TrainingResult result;
    result.epochsDone = sum.epochs;
    result.steps = sum.steps;
    for (double l : sum.trainLosses)
        result.trainLosses.push_back(l);
    for (double l : sum.validationLosses)
        result.validationLosses.push_back(std::isfinite(l) ? l : -1);
    result.summary = QString("%1 epochs, training loss %2, validation loss %3, %4 s, stopped by %5")
                         .arg(sum.epochs)
                         .arg(sum.trainLoss, 0, 'f', 3)
                         .arg(sum.validationLoss >= 0 ? QString::number(sum.validationLoss, 'f', 3)
                                                      : QString("none (no file held out)"))
                         .arg(sum.seconds, 0, 'f', 0)
                         .arg(qs(sum.stoppedBy));
    if (sum.stoppedBy == "cancelled") return result;

    // The finished model without its resume state (about a third of the size), then its card. Both are
    // written atomically: a full disk leaves the checkpoint, from which this step can be redone.
    try {
        const model::ModelFileContents f = model::readModelFile(checkpoint);
        model::writeFileAtomically(pathOf(request.finalModel),
                                   model::buildModelFile(f.metadata, {{"WGHT", f.sections.at("WGHT")}}));
        fs::path card = pathOf(request.finalModel);
        card.replace_extension(".md");
        model::writeFileAtomically(card, trainingCard(setup, f.metadata, pathOf(request.finalModel)));
        result.card = qs(card.string());
    } catch (const std::system_error& e) {
        const bool full = e.code() == std::errc::no_space_on_device || e.code() == std::errc::file_too_large;
        throw TrainingFailure(full ? Kind::DiskFull : Kind::Other,
                              full ? "The disk is full: the finished model could not be saved; the training "
                                     "checkpoint is intact."
                                   : qs(e.what()));
    } catch (const std::exception& e) {
        throw TrainingFailure(Kind::Other, qs(e.what()));
    }
    result.completed = true;
    result.model = request.finalModel;
    return result;
}

} // namespace continuo::app
