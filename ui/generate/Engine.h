#pragma once
// Generation off the GUI thread: an EngineWorker (a QObject living on its own QThread) runs the Composer;
// Engine is its GUI-side handle. Requests go in with QMetaObject::invokeMethod, progress and results come
// back as queued signals, and cancel is an atomic flag the Composer checks between steps. A job runs on the
// Composer handed in with it, or on the Engine's own (the active model).

#include "composer/Composer.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <functional>
#include <memory>

Q_DECLARE_METATYPE(continuo::model::GenerateResult)

namespace continuo::ui {

/// Lives on the engine thread. Owns the Composer (which is only ever used there).
class EngineWorker : public QObject {
    Q_OBJECT
public:
    explicit EngineWorker(std::shared_ptr<model::Composer> composer);
    /// Runs on the engine thread (invoked queued by Engine); blocks it until the Composer returns.
    /// `composer`: this job's alone (null = the worker's own). `cancel` is the job's own flag, set from the
    /// GUI thread.
    void run(quint64 job, const model::GenerateRequest& request,
             const std::shared_ptr<model::Composer>& composer, const std::atomic<bool>& cancel);
    /// Engine thread: replaces the Composer (the old one is released here, on the thread that used it).
    void setComposer(std::shared_ptr<model::Composer> composer) { composer_ = std::move(composer); }

Q_SIGNALS:
    /// Emitted on the engine thread, at most ~30 times a second; connect queued.
    void progress(quint64 job, double fraction, const QString& stage);
    /// Emitted on the engine thread when generate() returned (`cancelled`: it stopped early); connect queued.
    void finished(quint64 job, const continuo::model::GenerateResult& result, bool cancelled);
    /// Emitted on the engine thread with the Composer's one-sentence error; connect queued.
    void failed(quint64 job, const QString& message);

private:
    std::shared_ptr<model::Composer> composer_;
};

/// GUI-side handle of the engine thread. Thread contract: construct, call and destroy on the GUI thread;
/// its signals are emitted on the GUI thread. One job at a time: a new generate() cancels the previous one,
/// whose late results are dropped (job numbers). Work reaches the engine thread in call order (queued
/// events), so a generate() after setComposer() always runs on the new Composer.
class Engine : public QObject {
    Q_OBJECT
public:
    /// `composer` may be null: no model installed (hasModel() false, generate() refuses).
    explicit Engine(std::shared_ptr<model::Composer> composer, QObject* parent = nullptr);
    ~Engine() override;

    /// Whether the Composer that the next generate() uses exists.
    bool hasModel() const { return hasModel_; }
    /// Of the Composer that the next generate() uses: read on the GUI thread when it is handed in, before the
    /// engine thread uses it.
    const model::ModelDescription& description() const { return description_; }
    bool isBusy() const { return busy_; }

    /// Runs `request` on `composer` when given — for this job only, e.g. retraining's "Try it", so nothing
    /// has to be swapped back whatever becomes of the job — else on the Engine's Composer (refused with
    /// failed() when there is none). A given composer is released on the engine thread after the job.
    void generate(const model::GenerateRequest& request, std::shared_ptr<model::Composer> composer = nullptr);
    /// Asks the running job to stop; finished(…, cancelled = true) follows.
    void cancel();
    /// Hands in another Composer (null: none; generate() then refuses). description() and hasModel() change
    /// now and modelChanged() is emitted; on the engine thread the swap happens after the running job, if
    /// any, has finished (it is not cancelled: its result, from the old Composer, still arrives). The old
    /// Composer is released on the engine thread. `composer` must not be in use elsewhere.
    void setComposer(std::shared_ptr<model::Composer> composer);
    /// Runs `task` on the engine thread after the work queued before it (e.g. model::setTorchThreads, whose
    /// thread contract is in model/LstmModel.h, or a CUDA query). `task` must not throw; it reports back
    /// with a queued call of its own.
    void post(std::function<void()> task);

Q_SIGNALS:
    void started();
    void progress(double fraction, const QString& stage);
    void finished(const continuo::model::GenerateResult& result, bool cancelled);
    void failed(const QString& message);
    /// setComposer() was called: hasModel() and description() describe the new Composer.
    void modelChanged();

private:
    bool hasModel_ = false;
    model::ModelDescription description_;
    std::shared_ptr<std::atomic<bool>> cancel_; ///< the current job's flag (one per job: no lost cancels)
    QThread thread_;
    EngineWorker* worker_ = nullptr;
    quint64 job_ = 0;
    bool busy_ = false;
};

} // namespace continuo::ui
