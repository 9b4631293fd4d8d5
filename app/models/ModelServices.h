#pragma once
// The studio's model and compute settings applied to core/model: which Composer generates (the active model
// or, when that file is missing or broken, the shipped default — said, never silent), on which device, with
// how many LibTorch threads, and whether CUDA is there (asked on the engine thread, never on the GUI thread).
// Built without LibTorch, it answers "no engine" and CUDA = 0, so callers need no #ifdef.

#include "ui/models/ComputeInfo.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>
#include <string>

class QWidget;

namespace continuo::model {
class Composer;
}
namespace continuo::ui {
class ComputePage;
class Engine;
class ModelPage;
struct SettingsChange;
struct StudioSettings;
} // namespace continuo::ui

namespace continuo::app {

/// The model choices of the settings (StudioSettings::model and ::compute).
struct ModelChoice {
    QString file;            ///< "" = the shipped default
    QString device = "auto"; ///< "auto", "cpu", "cuda"
    int threads = 0;         ///< 0 = every core
    static ModelChoice of(const ui::StudioSettings& settings);
};

/// What openActive() settled on.
struct ActiveModel {
    std::shared_ptr<model::Composer> composer; ///< null when nothing usable is installed
    std::string device;                        ///< passed to the Composer: "auto", "cpu" or "cuda"
    std::string problem;                       ///< why composer is null (one sentence), else ""
    std::string note;                          ///< a fallback the user should hear about, else ""
    /// The chosen file could not be used and the shipped default stands in (`note` says why); a device
    /// fallback ("cuda" without a GPU runs on the CPU) alone leaves it false.
    bool usedDefaultInstead = false;
};

/// The Composer for `choice`: the chosen file (checked now, weights loaded on first generate on the engine
/// thread) or the shipped default when the file is missing or broken (note says so). `cudaDevices` (−1 =
/// not known yet) turns "cuda" into "cpu" when there is no GPU (note says so). Reads and checks the model
/// file: call it at startup or off the GUI thread. Never throws.
ActiveModel openActive(const ModelChoice& choice, int cudaDevices);

/// Thread contract: GUI thread. Owns the ComputeInfo the Compute page reads. Listens to
/// ui::SettingsStore::studio(): a saved change of the active model or the device rebuilds the Composer off
/// the GUI thread and swaps it into the Engine (applied() follows); a change of the CPU threads sets
/// LibTorch's threads on the engine thread.
class ModelServices : public QObject {
    Q_OBJECT
public:
    /// Starts the CUDA query and applies the thread count on `engine`'s thread (not owned; outlives this).
    explicit ModelServices(ui::Engine* engine, QObject* parent = nullptr);
    ~ModelServices() override;

    ui::ComputeInfo* computeInfo() { return &compute_; }
    /// The settings dialog's pages, wired to this studio: the user's models folder and the shipped default
    /// (ModelPage), this ComputeInfo (ComputePage). Connect ModelPage::retrainRequested to the retrain
    /// dialog.
    ui::ModelPage* createModelPage(QWidget* parent) const;
    ui::ComputePage* createComputePage(QWidget* parent);

    /// Rebuilds the Composer from the stored settings and swaps it into the Engine (applied() follows),
    /// as a change of the active model does.
    void reloadActive();

    /// Retraining's "Try it": opens `file` (checked off the GUI thread) on the chosen device without
    /// touching the Engine or the active model; trialReady() hands it over for one job (message() says why
    /// not, when the file is unusable; a device fallback is said and the trial goes on).
    void tryModel(const QString& file);

Q_SIGNALS:
    /// GUI thread: tryModel's Composer, for one Engine job (GenerateController::generate(composer)); its
    /// weights load on the engine thread at that job.
    void trialReady(std::shared_ptr<continuo::model::Composer> composer);
    /// A sentence for the status bar / Generate panel: a fallback taken, a model that could not be used.
    void message(const QString& text);
    /// The Engine now has the Composer for the settings (after a saved change, reloadActive() or a late CUDA
    /// answer).
    void applied();

private:
    void onSettingsChanged(const ui::SettingsChange& change);
    void rebuild();
    void setThreads(int threads);

    ui::Engine* engine_;
    ui::ComputeInfo compute_;
    QFutureWatcher<ActiveModel> opening_;
    QFutureWatcher<ActiveModel> trying_;
    bool reopen_ = false; ///< settings changed again while a rebuild ran
};

} // namespace continuo::app
