#include "ui/retrain/TrainingController.h"
#include "ui/settings/SettingsKeys.h"
#include "ui/settings/SettingsStore.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStandardPaths>

#include <chrono>

namespace continuo::ui::retrain {
namespace {

QJsonArray toArray(const QVector<double>& v) {
    QJsonArray a;
    for (double d : v)
        a.append(d);
    return a;
}
QVector<double> fromArray(const QJsonArray& a) {
    QVector<double> v;
    for (const auto& x : a)
        v.push_back(x.toDouble());
    return v;
}

} // namespace

QJsonObject PendingRun::toJson() const {
    return {{"setup", setup.toJson()},
            {"checkpoint", checkpoint},
            {"finalModel", finalModel},
            {"epochsDone", epochsDone},
            {"trainLosses", toArray(trainLosses)},
            {"validationLosses", toArray(validationLosses)}};
}

PendingRun PendingRun::fromJson(const QJsonObject& j) {
    PendingRun r;
    r.setup = TrainingSetup::fromJson(j.value("setup").toObject());
    r.checkpoint = j.value("checkpoint").toString();
    r.finalModel = j.value("finalModel").toString();
    r.epochsDone = j.value("epochsDone").toInt();
    r.trainLosses = fromArray(j.value("trainLosses").toArray());
    r.validationLosses = fromArray(j.value("validationLosses").toArray());
    return r;
}

TrainingController::TrainingController(std::shared_ptr<ITrainingBackend> backend, QObject* parent)
    : QObject(parent)
    , backend_(std::move(backend)) {
    qRegisterMetaType<ScanReport>();
    qRegisterMetaType<TrainingProgress>();
    qRegisterMetaType<TrainingResult>();
    qRegisterMetaType<PendingRun>();
    thread_.setObjectName("continuo-training");
    worker_ = new QObject;
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    thread_.start();
}

TrainingController::~TrainingController() {
    // A run still training becomes a paused one: its record stays in the settings and the trainer leaves a
    // resumable checkpoint after the current batch. Results posted to `this` after this point are dropped by
    // Qt together with the object's pending events.
    if (cancel_) cancel_->store(true);
    thread_.quit();
    thread_.wait();
}

void TrainingController::setState(State s) {
    if (state_ == s) return;
    state_ = s;
    Q_EMIT stateChanged();
}

bool TrainingController::scan(const TrainingSetup& setup) {
    if (state_ == State::Training) return false;
    if (cancel_) cancel_->store(true); // a newer scan supersedes the one running
    auto cancel = cancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 job = ++job_;
    setState(State::Scanning);
    auto backend = backend_;
    QMetaObject::invokeMethod(worker_, [this, backend, setup, cancel, job] {
        auto post = [this](auto fn) { QMetaObject::invokeMethod(this, fn, Qt::QueuedConnection); };
        try {
            const ScanReport r = backend->scan(
                setup,
                [&](double f, const QString& stage) {
                    post([this, f, stage, job] {
                        if (job == job_) Q_EMIT scanProgress(f, stage);
                    });
                },
                *cancel);
            post([this, r, job] {
                if (job != job_) return;
                setState(State::Idle);
                Q_EMIT scanFinished(r);
            });
        } catch (const TrainingFailure& e) {
            post([this, k = int(e.kind()), m = QString::fromStdString(e.what()), job] {
                if (job != job_) return;
                setState(State::Idle);
                Q_EMIT failed(k, m);
            });
        } catch (const std::exception& e) {
            post([this, m = QString::fromStdString(e.what()), job] {
                if (job != job_) return;
                setState(State::Idle);
                Q_EMIT failed(int(TrainingFailure::Kind::Other), m);
            });
        }
    });
    return true;
}

bool TrainingController::estimate(const TrainingSetup& setup, const ScanReport& report) {
    if (state_ != State::Idle) return false;
    auto cancel = cancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 job = ++job_;
    setState(State::Estimating);
    auto backend = backend_;
    QMetaObject::invokeMethod(worker_, [this, backend, setup, report, cancel, job] {
        auto post = [this](auto fn) { QMetaObject::invokeMethod(this, fn, Qt::QueuedConnection); };
        int kind = -1;
        QString message;
        double seconds = 0;
        try {
            seconds = backend->estimateSeconds(setup, report, *cancel);
        } catch (const TrainingFailure& e) {
            kind = int(e.kind());
            message = QString::fromStdString(e.what());
        } catch (const std::exception& e) {
            kind = int(TrainingFailure::Kind::Other);
            message = QString::fromStdString(e.what());
        }
        post([this, kind, message, seconds, job] {
            if (job != job_) return;
            setState(State::Idle);
            if (kind >= 0)
                Q_EMIT failed(kind, message);
            else
                Q_EMIT estimated(seconds);
        });
    });
    return true;
}

QString TrainingController::checkpointDir() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath("training");
}

QString TrainingController::freeModelPath(const QString& name) {
    QString clean = name;
    clean.replace(QRegularExpression("[^\\w .-]"), "_");
    clean = clean.trimmed();
    if (clean.isEmpty() || clean.startsWith('.')) clean = "model" + clean;
    const QDir dir(settings::userModelsDir());
    QString path = dir.filePath(clean + ".cmodel");
    for (int n = 2; QFileInfo::exists(path); ++n)
        path = dir.filePath(QString("%1 %2.cmodel").arg(clean).arg(n));
    return path;
}

bool TrainingController::start(TrainingSetup setup) {
    if (state_ == State::Training) return false;
    if (hasPendingRun()) discardPendingRun();
    if (setup.name.trimmed().isEmpty())
        setup.name = QFileInfo(setup.folder).fileName() + " " + QDate::currentDate().toString(Qt::ISODate);
    PendingRun run;
    run.setup = setup;
    run.finalModel = freeModelPath(setup.name);
    run.setup.name = QFileInfo(run.finalModel).completeBaseName();
    run.checkpoint = QDir(checkpointDir()).filePath(run.setup.name + ".partial.cmodel");
    QFile::remove(run.checkpoint); // a leftover of a crashed run of the same name: never resumed by mistake
    runTraining(run, false);
    return true;
}

bool TrainingController::resume() {
    if (state_ == State::Training || !hasPendingRun()) return false;
    runTraining(pendingRun(), true);
    return true;
}

void TrainingController::runTraining(const PendingRun& run, bool resume) {
    if (cancel_) cancel_->store(true); // a scan or estimate still running is superseded
    auto cancel = cancel_ = std::make_shared<std::atomic<bool>>(false);
    const quint64 job = ++job_;
    stop_ = Stop::None;
    run_ = run;
    QDir().mkpath(checkpointDir());
    writePending(run_); // from now on a crash or a quit leaves a run that can be resumed
    setState(State::Training);
    Q_EMIT trainingStarted(run_);
    TrainingRequest request{run.setup, run.checkpoint, resume, run.finalModel};
    auto backend = backend_;
    QMetaObject::invokeMethod(worker_, [this, backend, request, cancel, job] {
        auto post = [this](auto fn) { QMetaObject::invokeMethod(this, fn, Qt::QueuedConnection); };
        using Clock = std::chrono::steady_clock;
        Clock::time_point last{};
        auto progress = [&](const TrainingProgress& p) {
            const auto now = Clock::now();
            if (!p.epochDone && now - last < std::chrono::milliseconds(50)) return;
            last = now;
            post([this, p, job] {
                if (job != job_) return;
                if (p.epochDone) {
                    // The checkpoint of this epoch is written right after this report: record it.
                    run_.epochsDone = p.epoch;
                    run_.trainLosses.push_back(p.trainLoss);
                    run_.validationLosses.push_back(p.validationLoss);
                    writePending(run_);
                    Q_EMIT epochFinished(p.epoch, p.trainLoss, p.validationLoss);
                }
                Q_EMIT trainingProgress(p);
            });
        };
        try {
            const TrainingResult r = backend->train(request, progress, *cancel);
            post([this, r, job] {
                if (job == job_) onTrainingEnded(&r, -1, {});
            });
        } catch (const TrainingFailure& e) {
            post([this, k = int(e.kind()), m = QString::fromStdString(e.what()), job] {
                if (job == job_) onTrainingEnded(nullptr, k, m);
            });
        } catch (const std::exception& e) {
            post([this, m = QString::fromStdString(e.what()), job] {
                if (job == job_) onTrainingEnded(nullptr, int(TrainingFailure::Kind::Other), m);
            });
        }
    });
}

void TrainingController::onTrainingEnded(const TrainingResult* result, int kind, const QString& message) {
    setState(State::Idle);
    if (!result) {
        // A failed run keeps its record while its last checkpoint exists: the user may free space and resume.
        if (!QFileInfo::exists(run_.checkpoint)) clearPending();
        Q_EMIT failed(kind, message);
        return;
    }
    if (result->completed) {
        clearPending();
        QFile::remove(run_.checkpoint);
        Q_EMIT trainingFinished(*result);
        return;
    }
    if (stop_ == Stop::Cancel) {
        clearPending();
        QFile::remove(run_.checkpoint);
        Q_EMIT trainingCancelled();
        return;
    }
    run_.epochsDone = result->epochsDone;
    run_.trainLosses = result->trainLosses;
    run_.validationLosses = result->validationLosses;
    writePending(run_);
    Q_EMIT trainingPaused(result->epochsDone);
}

void TrainingController::pause() {
    if (state_ != State::Training || !cancel_) return;
    stop_ = Stop::Pause;
    cancel_->store(true);
}

void TrainingController::cancel() {
    if (!cancel_) return;
    if (state_ == State::Training) stop_ = Stop::Cancel;
    cancel_->store(true);
}

bool TrainingController::hasPendingRun() const {
    return !SettingsStore::studio().current().retrain.pendingRun.isEmpty();
}

PendingRun TrainingController::pendingRun() const {
    const QString text = SettingsStore::studio().current().retrain.pendingRun;
    return PendingRun::fromJson(QJsonDocument::fromJson(text.toUtf8()).object());
}

void TrainingController::discardPendingRun() {
    if (state_ == State::Training || !hasPendingRun()) return;
    const PendingRun run = pendingRun();
    // Only a checkpoint in our own folder is ever deleted, whatever the record says.
    if (QFileInfo(run.checkpoint).absolutePath() == QFileInfo(checkpointDir()).absoluteFilePath())
        QFile::remove(run.checkpoint);
    clearPending();
}

void TrainingController::writePending(const PendingRun& run) const {
    SettingsStore::studio().setPendingRun(
        QString::fromUtf8(QJsonDocument(run.toJson()).toJson(QJsonDocument::Compact)));
}

void TrainingController::clearPending() const {
    SettingsStore::studio().setPendingRun({});
}

} // namespace continuo::ui::retrain
