#pragma once
// The studio's retraining engine: ui::retrain::ITrainingBackend on core/music (datasets, with the corpus
// cache) and core/model (Trainer, model files). A library of its own (continuo_studio_engine) so the retrain
// tests drive this real implementation.
//
// Thread contract: as ITrainingBackend — blocking calls on the training worker thread, one at a time. The
// object holds no state between calls besides the cache folder.

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

private:
    std::filesystem::path cacheDir_;
};

} // namespace continuo::app
