#include "ui/generate/Engine.h"

#include <QElapsedTimer>

#include <stdexcept>

namespace continuo::ui {

EngineWorker::EngineWorker(std::shared_ptr<model::Composer> composer)
    : composer_(std::move(composer)) {}

void EngineWorker::run(quint64 job, const model::GenerateRequest& request,
                       const std::shared_ptr<model::Composer>& composer, const std::atomic<bool>& cancel) {
    QElapsedTimer sinceEmit;
    sinceEmit.start();
    double lastFraction = -1;
    // A model calls progress every step (hundreds a second); the GUI needs a few updates a second.
    const model::ProgressFn progressFn = [&](double fraction, const std::string& stage) {
        if (sinceEmit.elapsed() < 33 && fraction - lastFraction < 0.05 && fraction < 1.0) return;
        sinceEmit.restart();
        lastFraction = fraction;
        Q_EMIT progress(job, fraction, QString::fromStdString(stage));
    };
    try {
        model::Composer* c = composer ? composer.get() : composer_.get();
        if (!c) throw std::runtime_error("no model is installed, so nothing can be generated");
        model::GenerateResult result = c->generate(request, progressFn, cancel);
        Q_EMIT finished(job, result, cancel.load());
    } catch (const std::exception& e) {
        Q_EMIT failed(job, QString::fromStdString(e.what()));
    }
}

Engine::Engine(std::shared_ptr<model::Composer> composer, QObject* parent)
    : QObject(parent)
    , hasModel_(composer != nullptr) {
    qRegisterMetaType<continuo::model::GenerateResult>();
    if (composer) description_ = composer->describe();
    // The thread runs even without a model, so one can be handed in later (setComposer).
    worker_ = new EngineWorker(std::move(composer));
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    connect(
        worker_, &EngineWorker::progress, this,
        [this](quint64 job, double f, const QString& stage) {
            if (job == job_) Q_EMIT progress(f, stage);
        },
        Qt::QueuedConnection);
    connect(
        worker_, &EngineWorker::finished, this,
        [this](quint64 job, const model::GenerateResult& r, bool cancelled) {
            if (job != job_) return; // a superseded job
            busy_ = false;
            Q_EMIT finished(r, cancelled);
        },
        Qt::QueuedConnection);
    connect(
        worker_, &EngineWorker::failed, this,
        [this](quint64 job, const QString& message) {
            if (job != job_) return;
            busy_ = false;
            Q_EMIT failed(message);
        },
        Qt::QueuedConnection);
    thread_.setObjectName("continuo-engine");
    thread_.start();
}

Engine::~Engine() {
    if (cancel_) cancel_->store(true);
    thread_.quit();
    thread_.wait();
}

void Engine::generate(const model::GenerateRequest& request, std::shared_ptr<model::Composer> composer) {
    if (!hasModel_ && !composer) {
        Q_EMIT failed(tr("No model is installed, so nothing can be generated yet."));
        return;
    }
    // The previous job is told to stop; the new one runs after it on the one engine thread.
    if (cancel_) cancel_->store(true);
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 job = ++job_;
    busy_ = true;
    // The functor, and with it the job's composer, is destroyed on the engine thread after the call.
    QMetaObject::invokeMethod(
        worker_,
        [worker = worker_, job, request, composer = std::move(composer), cancel = cancel_] {
            worker->run(job, request, composer, *cancel);
        },
        Qt::QueuedConnection);
    Q_EMIT started();
}

void Engine::cancel() {
    if (busy_ && cancel_) cancel_->store(true);
}

void Engine::setComposer(std::shared_ptr<model::Composer> composer) {
    hasModel_ = composer != nullptr;
    description_ = composer ? composer->describe() : model::ModelDescription{};
    QMetaObject::invokeMethod(
        worker_, [worker = worker_, c = std::move(composer)]() mutable { worker->setComposer(std::move(c)); },
        Qt::QueuedConnection);
    Q_EMIT modelChanged();
}

void Engine::post(std::function<void()> task) {
    QMetaObject::invokeMethod(worker_, std::move(task), Qt::QueuedConnection);
}

} // namespace continuo::ui
