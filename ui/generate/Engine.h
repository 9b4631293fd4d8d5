#pragma once
// Generation off the GUI thread: an EngineWorker (a QObject living on its own QThread) runs the Composer;
// Engine is its GUI-side handle. Requests go in with QMetaObject::invokeMethod, progress and results come
// back as queued signals, and cancel is an atomic flag the Composer checks between steps.

#include "model/Composer.h"

#include <QObject>
#include <QString>
#include <QThread>

#include <atomic>
#include <memory>

Q_DECLARE_METATYPE(continuo::model::GenerateResult)

namespace continuo::ui {

/// Lives on the engine thread. Owns the Composer (which is only ever used there).
class EngineWorker : public QObject {
    Q_OBJECT
public:
    explicit EngineWorker(std::shared_ptr<model::Composer> composer);
    /// Runs on the engine thread (invoked queued by Engine); blocks it until the Composer returns.
    /// `cancel` is the job's own flag, set from the GUI thread.
    void run(quint64 job, const model::GenerateRequest& request, const std::atomic<bool>& cancel);

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
/// whose late results are dropped (job numbers).
class Engine : public QObject {
    Q_OBJECT
public:
    /// `composer` may be null: no model installed (hasModel() false, generate() refuses).
    explicit Engine(std::shared_ptr<model::Composer> composer, QObject* parent = nullptr);
    ~Engine() override;

    bool hasModel() const { return composer_ != nullptr; }
    /// Read once at construction, before the Composer is used on the engine thread.
    const model::ModelDescription& description() const { return description_; }
    bool isBusy() const { return busy_; }

    void generate(const model::GenerateRequest& request);
    /// Asks the running job to stop; finished(…, cancelled = true) follows.
    void cancel();

Q_SIGNALS:
    void started();
    void progress(double fraction, const QString& stage);
    void finished(const continuo::model::GenerateResult& result, bool cancelled);
    void failed(const QString& message);

private:
    std::shared_ptr<model::Composer> composer_;
    model::ModelDescription description_;
    std::shared_ptr<std::atomic<bool>> cancel_; ///< the current job's flag (one per job: no lost cancels)
    QThread thread_;
    EngineWorker* worker_ = nullptr;
    quint64 job_ = 0;
    bool busy_ = false;
};

} // namespace continuo::ui
