// The studio as main() wires it (MainWindow + ModelWorkflow): Settings shows the Model and Compute pages
// and the Model page's "Retrain on a folder…" opens the one retraining dialog; the Model menu does the
// same; "Make active" from the retraining dialog swaps the Engine's model; "Try it" generates from the
// sketch with the new model for that one job, never replacing the Engine's active one. Real LSTM generation
// with the shipped model (a copy of it stands in for a freshly trained one).

#include "models/StudioWithModels.h"

#include "app/models/ModelWorkflow.h"
#include "model/DefaultModel.h"
#include "ui/MainWindow.h"
#include "ui/document/Commands.h"
#include "ui/document/Document.h"
#include "ui/generate/Engine.h"
#include "ui/generate/GenerateController.h"
#include "ui/retrain/RetrainDialog.h"
#include "ui/settings/SettingsController.h"
#include "ui/settings/SettingsDialog.h"
#include "ui/settings/SettingsKeys.h"
#include "ui/settings/SettingsPage.h"
#include "ui/settings/SettingsStore.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace continuo;
namespace keys = continuo::ui::settings;

namespace {
constexpr int kTimeoutMs = test::kStudioTimeoutMs;
using Studio = test::StudioWithModels;
} // namespace

class TestStudioModelWorkflow : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString copy_; ///< the shipped model under another name: a "freshly trained" model

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation).contains(".qttest"));
        const std::filesystem::path shipped = model::findDefaultModel();
        QVERIFY2(!shipped.empty(), "the shipped default model is not found");
        copy_ = dir_.filePath("my-music.cmodel");
        QVERIFY(QFile::copy(QString::fromStdString(shipped.string()), copy_));
    }
    void cleanup() { QSettings().clear(); }

    void settingsHasModelPagesAndRetrainOpensTheDialog() {
        Studio s;
        ui::SettingsDialog* d = s.window.settings()->openDialog();
        QVERIFY(d);
        QStringList titles;
        for (int i = 0; i < d->pageCount(); ++i)
            titles << d->page(i)->title();
        QVERIFY2(titles.contains("Model") && titles.contains("Compute"), qPrintable(titles.join(", ")));
        QVERIFY(d->showPage("Model"));
        QPushButton* retrain = nullptr;
        for (QPushButton* b : d->currentPage()->findChildren<QPushButton*>())
            if (b->text().contains("Retrain")) retrain = b;
        QVERIFY(retrain);
        retrain->click();
        auto dialogs = s.window.findChildren<ui::retrain::RetrainDialog*>();
        QCOMPARE(dialogs.size(), 1);
        QVERIFY(dialogs.front()->isVisible());
        QCOMPARE(s.workflow->openRetrainDialog(), dialogs.front()); // one at a time

        // The Model menu offers the same, before Help.
        QStringList menus;
        for (QAction* a : s.window.menuBar()->actions())
            menus << a->text();
        QVERIFY2(menus.indexOf("&Model") >= 0 && menus.indexOf("&Model") < menus.indexOf("&Help"),
                 qPrintable(menus.join(", ")));
    }

    void makeActiveSwapsTheEnginesModel() {
        Studio s;
        ui::retrain::RetrainDialog* dialog = s.workflow->openRetrainDialog();
        QVERIFY(dialog);
        QSignalSpy applied(s.workflow->models(), &app::ModelServices::applied);
        // What the dialog's Make active does: save through the store (which announces it), then signal.
        ui::SettingsStore::studio().setActiveModel(copy_);
        Q_EMIT dialog->modelActivated(copy_);
        QVERIFY(applied.wait(kTimeoutMs));
        QCOMPARE(QString::fromStdString(s.window.engine()->description().path), copy_);
    }

    void tryItGeneratesWithTheNewModelAndKeepsTheActiveOne() {
        Studio s;
        s.sketch();
        const std::string active = s.window.engine()->description().path;
        QVERIFY(!active.empty());
        QSignalSpy trial(s.workflow->models(), &app::ModelServices::trialReady);
        QSignalSpy results(s.window.generator(), &ui::GenerateController::resultsReady);
        QSignalSpy failed(s.window.generator(), &ui::GenerateController::generationFailed);
        s.workflow->tryModel(copy_);
        QVERIFY(trial.wait(kTimeoutMs));
        // The trial's Composer is the new file's, handed to one job; the Engine keeps the active one.
        const auto composer = trial.front().front().value<std::shared_ptr<model::Composer>>();
        QVERIFY(composer);
        QCOMPARE(QString::fromStdString(composer->describe().path), copy_);
        QCOMPARE(s.window.engine()->description().path, active);
        QTRY_VERIFY_WITH_TIMEOUT(results.count() + failed.count() > 0, kTimeoutMs);
        QCOMPARE(failed.count(), 0);
        QVERIFY(results.front().front().toInt() > 0);
        QCOMPARE(s.window.engine()->description().path, active);             // the active model stayed
        QVERIFY(QSettings().value(keys::kActiveModel).toString().isEmpty()); // and was never changed
    }
};

QTEST_MAIN(TestStudioModelWorkflow)
#include "tst_studio_model_workflow.moc"
