#include "app/models/ModelWorkflow.h"

#include "ui/MainWindow.h"
#include "ui/generate/GenerateController.h"
#include "ui/models/ComputePage.h"
#include "ui/models/ModelPage.h"
#include "ui/retrain/RetrainDialog.h"
#include "ui/retrain/TrainingController.h"
#include "ui/settings/SettingsController.h"
#include "ui/settings/SettingsDialog.h"

#ifdef CONTINUO_HAVE_MODEL
#include "app/training/TrainingBackend.h"
#include "modelfile/DefaultModelLookup.h"
#endif

#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>

namespace continuo::app {

ModelWorkflow::ModelWorkflow(ui::MainWindow* window)
    : QObject(window)
    , window_(window)
    , models_(window->engine()) {
    connect(&models_, &ModelServices::message, this, &ModelWorkflow::message);
    ui::SettingsController* settings = window->settings();
    settings->addPageFactory([this]() -> ui::SettingsPage* {
        ui::ModelPage* page = models_.createModelPage(nullptr);
        connect(page, &ui::ModelPage::retrainRequested, this, [this] { openRetrainDialog(); });
        return page;
    });
    settings->addPageFactory([this]() -> ui::SettingsPage* { return models_.createComputePage(nullptr); });

    // The Model menu, before Help: what a musician looks for after the first Generate.
    auto* menu = new QMenu(tr("&Model"), window);
    const QList<QAction*> menus = window->menuBar()->actions();
    window->menuBar()->insertMenu(menus.isEmpty() ? nullptr : menus.last(), menu);
    QAction* choose = menu->addAction(tr("Choose &Model…"));
    connect(choose, &QAction::triggered, this, [settings] {
        if (ui::SettingsDialog* d = settings->openDialog()) d->showPage(tr("Model"));
    });
    QAction* retrain = menu->addAction(tr("&Retrain on a Folder…"));
    connect(retrain, &QAction::triggered, this, [this] { openRetrainDialog(); });

#ifdef CONTINUO_HAVE_MODEL
    // Scans are cached where the CLI caches corpora (music::defaultCacheDir()).
    training_ = new ui::retrain::TrainingController(std::make_shared<TrainingBackend>(), this);
#else
    retrain->setEnabled(false);
    retrain->setToolTip(
        tr("This build of Continuo has no LSTM engine (LibTorch was not found at build time)."));
#endif
    connect(&models_, &ModelServices::trialReady, this, [this](std::shared_ptr<model::Composer> composer) {
        window_->generator()->generate(std::move(composer));
    });
}

ModelWorkflow::~ModelWorkflow() = default;

ui::retrain::RetrainDialog* ModelWorkflow::openRetrainDialog() {
    if (!training_) return nullptr;
    if (dialog_) {
        dialog_->show();
        dialog_->raise();
        dialog_->activateWindow();
        return dialog_;
    }
    QString defaultModel;
#ifdef CONTINUO_HAVE_MODEL
    defaultModel = QString::fromStdString(model::findDefaultModel().string());
#endif
    dialog_ = new ui::retrain::RetrainDialog(training_, defaultModel, window_);
    dialog_->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog_, &ui::retrain::RetrainDialog::modelActivated, this, [this](const QString& file) {
        // The dialog saved it through the SettingsStore, which ModelServices listens to.
        Q_EMIT message(tr("%1 is now the active model.").arg(QFileInfo(file).completeBaseName()));
    });
    connect(dialog_, &ui::retrain::RetrainDialog::tryRequested, this, &ModelWorkflow::tryModel);
    dialog_->show();
    return dialog_;
}

void ModelWorkflow::tryModel(const QString& file) {
    Q_EMIT message(tr("Trying %1 on your sketch; the active model stays as it is.")
                       .arg(QFileInfo(file).completeBaseName()));
    models_.tryModel(file);
}

} // namespace continuo::app
