#pragma once
// Retraining off the GUI thread. TrainingController owns a worker QThread on which the ITrainingBackend runs
// (scan, estimate, train); it records an interrupted run in QSettings (settings::kPendingTraining) so it can
// be resumed later, also after a restart, and moves a finished model into settings::userModelsDir().
//
// Thread contract: construct, call and destroy on the GUI thread; every signal is emitted on the GUI thread
// (results travel back queued). One job at a time on the worker: scan() and estimate() are refused while a
// run trains; a newer scan supersedes an older one. It is meant to live as long as the studio (MainWindow
// owns it), so closing the retraining dialog never stops a run. Destroying it while a run trains stops the
// run as a pause (the checkpoint stays resumable) and waits for the current batch.
//
// Files: a run writes only its checkpoint, <AppData>/training/<name>.partial.cmodel (rewritten atomically
// after every epoch and on stop), and, when it ends normally, userModelsDir()/<name>.cmodel and its card
// <name>.md. Cancel deletes the checkpoint; nothing else is ever removed or overwritten (a name already
// taken gets " 2", " 3" …), so the active model and earlier models are never touched.

#include "ui/retrain/ITrainingBackend.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

Q_DECLARE_METATYPE(continuo::ui::retrain::ScanReport)
Q_DECLARE_METATYPE(continuo::ui::retrain::TrainingProgress)
Q_DECLARE_METATYPE(continuo::ui::retrain::TrainingResult)

namespace continuo::ui::retrain {

/// An interrupted run, as stored in settings::kPendingTraining (JSON).
struct PendingRun {
    TrainingSetup setup;
    QString checkpoint; ///< may be missing when the run stopped before its first save: resume starts over
    QString finalModel;
    int epochsDone = 0;
    QVector<double> trainLosses, validationLosses; ///< per finished epoch, for the plot
    QJsonObject toJson() const;
    static PendingRun fromJson(const QJsonObject& json);
};

class TrainingController : public QObject {
    Q_OBJECT
public:
    enum class State { Idle, Scanning, Estimating, Training };

    explicit TrainingController(std::shared_ptr<ITrainingBackend> backend, QObject* parent = nullptr);
    ~TrainingController() override;

    State state() const { return state_; }
    bool isTraining() const { return state_ == State::Training; }

    /// Scans setup.folder (scanProgress…, then scanFinished or failed). Returns false while a run trains.
    bool scan(const TrainingSetup& setup);
    /// Measures a few steps and emits estimated(seconds) (or failed). Returns false while busy.
    bool estimate(const TrainingSetup& setup, const ScanReport& report);
    /// Starts a new run (replacing a pending one, whose checkpoint is deleted). setup.name "" = the folder's
    /// name. Returns false while a run trains.
    bool start(TrainingSetup setup);
    /// Continues the pending run (pendingRun()). Returns false when there is none or a run trains.
    bool resume();
    /// Stops the run after the current batch, keeping a resumable checkpoint: trainingPaused follows.
    void pause();
    /// Stops the run after the current batch and deletes its checkpoint: trainingCancelled follows.
    void cancel();

    /// The run training now (valid while isTraining()): a dialog opened mid-run shows it from here.
    const PendingRun& currentRun() const { return run_; }
    /// The run recorded in settings (written at start, updated after each epoch, removed when it ends).
    bool hasPendingRun() const;
    PendingRun pendingRun() const;
    /// Forgets the pending run and deletes its checkpoint (never a finished model). Not while training.
    void discardPendingRun();

    /// <AppData>/training: where checkpoints of runs live.
    static QString checkpointDir();
    /// A file name for `name` (letters, digits, space, - _ . kept) not yet taken in userModelsDir().
    static QString freeModelPath(const QString& name);

Q_SIGNALS:
    void scanProgress(double fraction, const QString& stage);
    void scanFinished(const continuo::ui::retrain::ScanReport& report);
    void estimated(double seconds);
    /// A run began or resumed; `pending` holds its setup, paths and the epochs already done.
    void trainingStarted(const continuo::ui::retrain::PendingRun& pending);
    /// At most ~20 times a second, and always for epochDone reports.
    void trainingProgress(const continuo::ui::retrain::TrainingProgress& progress);
    /// After each epoch's validation (validationLoss −1 when the data has no validation split).
    void epochFinished(int epoch, double trainLoss, double validationLoss);
    void trainingFinished(const continuo::ui::retrain::TrainingResult& result);
    void trainingPaused(int epochsDone);
    void trainingCancelled();
    /// `kind` is a TrainingFailure::Kind; `message` one sentence for the user.
    void failed(int kind, const QString& message);
    void stateChanged();

private:
    void setState(State s);
    void runTraining(const PendingRun& run, bool resume);
    void onTrainingEnded(const TrainingResult* result, int kind, const QString& message);
    void writePending(const PendingRun& run) const;
    void clearPending() const;

    std::shared_ptr<ITrainingBackend> backend_;
    QThread thread_;
    QObject* worker_ = nullptr; ///< lives on thread_; jobs are functors posted to it
    State state_ = State::Idle;
    quint64 job_ = 0;
    std::shared_ptr<std::atomic<bool>> cancel_;
    enum class Stop { None, Pause, Cancel } stop_ = Stop::None;
    PendingRun run_; ///< the run training now
};

} // namespace continuo::ui::retrain

Q_DECLARE_METATYPE(continuo::ui::retrain::PendingRun)
