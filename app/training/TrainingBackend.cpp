// Retraining for the studio: a TrainingSetup turned into core/training's JobSpec, and the job's answers
// turned into the dialog's types. The steps themselves are the job's (core/training/TrainingJob.h).

#include "app/training/TrainingBackend.h"

#include <algorithm>
#include <cmath>

namespace continuo::app {
namespace fs = std::filesystem;
using ui::retrain::ScanReport;
using ui::retrain::TrainingFailure;
using ui::retrain::TrainingSetup;

namespace {

fs::path pathOf(const QString& s) {
    return fs::path(s.toStdString());
}
QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

/// The dialog's kinds are the job's, but for Cancelled (shown as any other failure). A folder with
/// nothing usable is told in the dialog's words: the skipped-files table beside it says why.
TrainingFailure failure(const training::JobError& e, const TrainingSetup& setup) {
    using K = training::JobError::Kind;
    using F = TrainingFailure::Kind;
    switch (e.kind()) {
    case K::EmptyFolder:
        return {F::EmptyFolder, qs(e.what())};
    case K::UnreadableFolder:
        return {F::UnreadableFolder, qs(e.what())};
    case K::NoUsableFile:
        return {F::NoUsableFile,
                "No usable MIDI file in " + setup.folder + ": see the skipped files for the reasons."};
    case K::DiskFull:
        return {F::DiskFull, qs(e.what())};
    case K::OutOfMemory:
        return {F::OutOfMemory, qs(e.what())};
    case K::Incompatible:
        return {F::Incompatible, qs(e.what())};
    case K::Cancelled:
    case K::Other:
        break;
    }
    return {F::Other, qs(e.what())};
}

} // namespace

TrainingBackend::TrainingBackend(fs::path cacheDir)
    : cacheDir_(std::move(cacheDir)) {}

training::JobSpec TrainingBackend::spec(const TrainingSetup& s) const {
    training::JobSpec j;
    j.folder = pathOf(s.folder);
    j.cacheDir = cacheDir_;
    j.device = s.device.toStdString();
    j.threads = s.threads;
    j.maxStepsPerEpoch = s.maxStepsPerEpoch;
    training::Recipe& r = j.recipe;
    r.preset = s.preset.toStdString();
    r.baseModel = pathOf(s.baseModel);
    // The shipped model's kind: bars, textures, COPY moves (issue 15).
    r.tokenizer.encoding = music::Encoding::Bar;
    if (auto policy = music::policyFromName(s.policy.toStdString())) r.tokenizer.policy = *policy;
    r.epochs = std::max(1, s.epochs);
    r.adjust = [s](model::ModelConfig& net, model::TrainConfig& run) {
        if (!s.fineTune() && s.window > 0) net.window = s.window; // a fine-tune keeps its model's window
        if (s.learningRate > 0) run.learningRate = s.learningRate;
        run.transposeLow = std::clamp(s.transposeLow, -24, 0);
        run.transposeHigh = std::clamp(s.transposeHigh, 0, 24);
        run.validationShare = std::clamp(s.validationShare, 0.0, 0.9);
    };
    return j;
}

ScanReport TrainingBackend::scan(const TrainingSetup& setup, const ScanProgress& progress,
                                 const std::atomic<bool>& cancel) {
    const auto stage = [&](const training::Progress& p) {
        if (!progress) return;
        using S = training::Progress::Stage;
        if (p.stage == S::Listing) progress(0, "listing files");
        if (p.stage == S::Reading) progress(0.1, QString("reading %1 MIDI files").arg(p.corpus.midiFiles));
        if (p.stage == S::Ready) progress(1, "done");
    };
    training::CorpusReport c;
    try {
        c = job_.scan(spec(setup), stage, cancel);
    } catch (const training::JobError& e) {
        throw failure(e, setup);
    }
    ScanReport r;
    r.folder = setup.folder;
    r.filesFound = c.filesFound;
    r.midiFiles = c.midiFiles;
    r.filesUsable = c.filesUsable;
    for (const training::SkippedEntry& s : c.skipped)
        r.skipped.push_back({qs(s.file.generic_string()), qs(s.reason), qs(s.detail)});
    r.notes = c.notes;
    r.tokens = c.tokens;
    r.trainingTokens = c.trainingTokens;
    r.trainingWindows = qint64(c.trainingWindows);
    r.validationWindows = qint64(c.validationWindows);
    return r;
}

double TrainingBackend::estimateSeconds(const TrainingSetup& setup, const ScanReport&,
                                        const std::atomic<bool>& cancel) {
    try {
        return job_.estimate(spec(setup), cancel).seconds;
    } catch (const training::JobError& e) {
        throw failure(e, setup);
    }
}

ui::retrain::TrainingResult TrainingBackend::train(const ui::retrain::TrainingRequest& request,
                                                   const TrainProgress& progress,
                                                   const std::atomic<bool>& cancel) {
    const TrainingSetup& setup = request.setup;
    training::JobSpec j = spec(setup);
    if (request.resume) {
        j.recipe.resume = pathOf(request.checkpoint);
        j.recipe.resumeMayBeMissing = true; // paused before its first checkpoint: it starts over
    }
    training::RunFiles files;
    files.checkpoint = pathOf(request.checkpoint);
    files.finalModel = pathOf(request.finalModel);
    const auto report = [&](const training::Progress& q) {
        if (!progress || q.stage != training::Progress::Stage::Training) return;
        const model::TrainProgress& p = q.training;
        ui::retrain::TrainingProgress t;
        t.epoch = p.epoch;
        t.epochs = p.epochs;
        t.step = p.step;
        t.stepsPerEpoch = p.stepsPerEpoch;
        t.trainLoss = p.trainLoss;
        t.validationLoss = p.validationLoss;
        t.tokensPerSecond = p.tokensPerSecond;
        t.etaSeconds = p.etaSeconds;
        t.epochDone = p.epochDone;
        progress(t);
    };
    training::Outcome out;
    try {
        out = job_.run(j, files, report, cancel);
    } catch (const training::JobError& e) {
        throw failure(e, setup);
    }
    const model::TrainingSummary& sum = out.summary;
    ui::retrain::TrainingResult result;
    result.completed = out.completed;
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
    if (out.completed) {
        result.model = qs(out.model.string());
        result.card = qs(out.card.string());
    }
    return result;
}

} // namespace continuo::app
