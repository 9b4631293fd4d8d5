#include "app/models/ModelServices.h"

#include "model/DefaultModel.h"
#include "ui/generate/Engine.h"
#include "ui/models/ComputePage.h"
#include "ui/models/ModelPage.h"
#include "ui/settings/SettingsKeys.h"
#include "ui/settings/SettingsStore.h"

#ifdef CONTINUO_HAVE_MODEL
#include "model/LstmModel.h"
#endif

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace continuo::app {
namespace {
/// Core messages may end without a full stop; two of them follow each other here.
[[maybe_unused]] std::string sentence(std::string s) {
    if (!s.empty() && s.back() != '.') s += '.';
    return s;
}
} // namespace

ModelChoice ModelChoice::of(const ui::StudioSettings& s) {
    ModelChoice c;
    c.file = s.model.activeModel;
    c.device = s.compute.device;
    c.threads = s.compute.threads;
    return c;
}

namespace {
ModelChoice stored() {
    return ModelChoice::of(ui::SettingsStore::studio().current());
}
} // namespace

ActiveModel openActive(const ModelChoice& choice, int cudaDevices) {
    ActiveModel r;
#ifdef CONTINUO_HAVE_MODEL
    r.device = choice.device.toStdString();
    if (r.device != "cpu" && r.device != "cuda") r.device = "auto";
    if (r.device == "cuda" && cudaDevices == 0) {
        r.device = "cpu";
        r.note = "CUDA was chosen but LibTorch sees no CUDA GPU here, so the model runs on the CPU.";
    }
    if (!choice.file.isEmpty()) {
        model::DefaultComposer chosen = model::openComposerDeferred(choice.file.toStdString(), r.device);
        if (chosen.composer) {
            r.composer = std::move(chosen.composer);
            return r;
        }
        // Lose nothing: the setting stays, the default generates meanwhile, and the user is told why.
        r.note += (r.note.empty() ? "" : " ") + sentence(chosen.problem) +
                  " The shipped default model is used instead.";
        r.usedDefaultInstead = true;
    }
    model::DefaultComposer fallback = model::openDefaultComposer(r.device);
    r.composer = std::move(fallback.composer);
    r.problem = fallback.problem;
#else
    (void)choice;
    (void)cudaDevices;
    r.problem = "This build of Continuo has no LSTM engine (LibTorch was not found at build time).";
#endif
    return r;
}

ModelServices::ModelServices(ui::Engine* engine, QObject* parent)
    : QObject(parent)
    , engine_(engine) {
    connect(&opening_, &QFutureWatcherBase::finished, this, [this] {
        const ActiveModel m = opening_.result();
        engine_->setComposer(m.composer);
        if (!m.note.empty()) Q_EMIT message(QString::fromStdString(m.note));
        if (!m.composer && !m.problem.empty()) Q_EMIT message(QString::fromStdString(m.problem));
        Q_EMIT applied();
        if (reopen_) rebuild();
    });
    connect(&trying_, &QFutureWatcherBase::finished, this, [this] {
        // Taken out of the future so that the job holds the only reference (released on the engine thread).
        ActiveModel m = trying_.future().takeResult();
        if (!m.note.empty()) Q_EMIT message(QString::fromStdString(m.note));
        // A trial of a file that turned out unusable generates with nothing rather than with the default
        // under the new model's name; a device fallback (no GPU for "cuda") still tries the file.
        if (m.usedDefaultInstead || !m.composer) return;
        Q_EMIT trialReady(std::move(m.composer));
    });
#ifdef CONTINUO_HAVE_MODEL
    // Initialising CUDA can take seconds: the engine thread asks, the answer comes back queued.
    QPointer<ui::ComputeInfo> info(&compute_);
    engine_->post([info] {
        const int gpus = model::cudaDeviceCount();
        QMetaObject::invokeMethod(
            qApp,
            [info, gpus] {
                if (info) info->setCudaDevices(gpus);
            },
            Qt::QueuedConnection);
    });
    // A model opened for "cuda" before the answer was known must move to the CPU when there is no GPU.
    connect(&compute_, &ui::ComputeInfo::cudaDevicesChanged, this, [this](int gpus) {
        if (gpus == 0 && stored().device == QLatin1String("cuda")) rebuild();
    });
#else
    compute_.setCudaDevices(0);
#endif
    connect(&ui::SettingsStore::studio(), &ui::SettingsStore::changed, this,
            &ModelServices::onSettingsChanged);
    setThreads(stored().threads);
}

ModelServices::~ModelServices() {
    opening_.waitForFinished();
}

ui::ModelPage* ModelServices::createModelPage(QWidget* parent) const {
    // findDefaultModel only tests a few paths for existence (no file is read).
    return new ui::ModelPage(ui::settings::userModelsDir(),
                             QString::fromStdString(model::findDefaultModel().string()), parent);
}

ui::ComputePage* ModelServices::createComputePage(QWidget* parent) {
    return new ui::ComputePage(&compute_, parent);
}

void ModelServices::onSettingsChanged(const ui::SettingsChange& change) {
    using F = ui::SettingsField;
    if (change.touches(F::CpuThreads)) setThreads(change.after.compute.threads);
    if (change.touches(F::ActiveModel | F::ComputeDevice)) rebuild();
}

void ModelServices::reloadActive() {
    rebuild();
}

void ModelServices::rebuild() {
    if (opening_.isRunning()) {
        reopen_ = true;
        return;
    }
    reopen_ = false;
    // Settings are read here, on the GUI thread; the file check runs on the pool.
    opening_.setFuture(QtConcurrent::run(openActive, stored(), compute_.cudaDevices()));
}

void ModelServices::tryModel(const QString& file) {
    if (trying_.isRunning()) return; // one trial at a time; the button is pressed again once it is done
    ModelChoice choice = stored();
    choice.file = file;
    trying_.setFuture(QtConcurrent::run(openActive, choice, compute_.cudaDevices()));
}

void ModelServices::setThreads(int threads) {
#ifdef CONTINUO_HAVE_MODEL
    // Set on the thread that generates (model::setTorchThreads says why).
    engine_->post([threads] { model::setTorchThreads(threads); });
#else
    (void)threads;
#endif
}

} // namespace continuo::app
