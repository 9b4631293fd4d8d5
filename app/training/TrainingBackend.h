#pragma once
// The studio's retraining engine: ui::retrain::ITrainingBackend on core/training's TrainingJob (the same
// job continuo-cli train runs). Wiring only: a TrainingSetup becomes a JobSpec, the job's report, progress,
// outcome and JobError become the dialog's types. A library of its own (continuo_studio_training) so the
// retrain tests drive this real implementation.
//
// Thread contract: as ITrainingBackend — blocking calls on the training worker thread, one at a time. It
// holds the job, which keeps the dataset of the last scan for the estimate and the run that follow.

#include "training/TrainingJob.h"
#include "ui/retrain/ITrainingBackend.h"

#include <filesystem>

namespace continuo::app {

class TrainingBackend : public ui::retrain::ITrainingBackend {
public:
    /// `cacheDir`: where corpus caches go ("" = music::defaultCacheDir()).
    explicit TrainingBackend(std::filesystem::path cacheDir = {});

    ui::retrain::ScanReport scan(const ui::retrain::TrainingSetup& setup, const ScanProgress& progress,
                                 const std::atomic<bool>& cancel) override;
    double estimateSeconds(const ui::retrain::TrainingSetup& setup, const ui::retrain::ScanReport& report,
                           const std::atomic<bool>& cancel) override;
    ui::retrain::TrainingResult train(const ui::retrain::TrainingRequest& request,
                                      const TrainProgress& progress,
                                      const std::atomic<bool>& cancel) override;

    /// The job, for tests (e.g. how many datasets it built).
    const training::TrainingJob& job() const { return job_; }

private:
    training::JobSpec spec(const ui::retrain::TrainingSetup& setup) const;

    std::filesystem::path cacheDir_;
    training::TrainingJob job_;
};

} // namespace continuo::app
