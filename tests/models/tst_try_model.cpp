// Retraining's "Try it" (issue 20): the trial model goes with its one job and never replaces the Engine's
// active model, so a request that cannot be built leaves nothing behind; and a device fallback ("cuda"
// chosen on a machine without a GPU) is said but does not stop the trial. The studio as main() wires it
// (MainWindow + ModelWorkflow), real LSTM generation with the shipped model; a copy of it under another
// name stands in for a freshly trained model.

#include "models/StudioWithModels.h"

#include "app/models/ModelWorkflow.h"
#include "model/DefaultModel.h"
#include "ui/MainWindow.h"
#include "ui/document/Commands.h"
#include "ui/document/Document.h"
#include "ui/generate/Engine.h"
#include "ui/generate/GenerateController.h"
#include "ui/generate/GeneratePanel.h"
#include "ui/models/ComputeInfo.h"
#include "ui/settings/SettingsKeys.h"

#include <QFile>
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

class TestTryModel : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString copy_; ///< the shipped model under another name: a "freshly trained" model

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        const std::filesystem::path shipped = model::findDefaultModel();
        QVERIFY2(!shipped.empty(), "the shipped default model is not found");
        copy_ = dir_.filePath("my-music.cmodel");
        QVERIFY(QFile::copy(QString::fromStdString(shipped.string()), copy_));
    }
    void cleanup() { QSettings().clear(); }

    /// Before: the trial model was swapped into the Engine and swapped back only on a result or a failure,
    /// so "Regenerate selection" with nothing selected left it there for the user's next Generate.
    void aTrialWhoseRequestCannotBeBuiltLeavesTheActiveModel() {
        Studio s;
        ui::GenerateSettings g = s.window.generatePanel()->settings();
        g.where = ui::GenerateWhere::RegenerateSelection; // and nothing is selected
        s.window.generatePanel()->setSettings(g);
        const std::string active = s.window.engine()->description().path;
        QVERIFY(!active.empty());
        QSignalSpy trial(s.workflow->models(), &app::ModelServices::trialReady);
        QSignalSpy started(s.window.engine(), &ui::Engine::started);
        s.workflow->tryModel(copy_);
        QVERIFY(trial.wait(kTimeoutMs));
        QCOMPARE(started.count(), 0); // the request could not be built: nothing ran
        // What the next Generate runs on is still the active model.
        QCOMPARE(s.window.engine()->description().path, active);
        QVERIFY(s.window.engine()->hasModel());
    }

    /// Before: every trial whose model came with a note was refused, the note "CUDA was chosen but …, so
    /// the model runs on the CPU" included, so Try it never worked with CUDA chosen on a CPU machine.
    void aTrialWithCudaChosenAndNoGpuRunsOnTheCpu() {
        QSettings().setValue(keys::kComputeDevice, "cuda");
        Studio s;
        s.sketch();
        ui::ComputeInfo* info = s.workflow->models()->computeInfo();
        QTRY_VERIFY_WITH_TIMEOUT(info->cudaDevices() >= 0, kTimeoutMs);
        if (info->cudaDevices() > 0)
            QSKIP("LibTorch sees a CUDA GPU here: the CPU fallback this test is about cannot happen");
        QSignalSpy trial(s.workflow->models(), &app::ModelServices::trialReady);
        QSignalSpy said(s.workflow, &app::ModelWorkflow::message);
        QSignalSpy results(s.window.generator(), &ui::GenerateController::resultsReady);
        QSignalSpy failed(s.window.generator(), &ui::GenerateController::generationFailed);
        s.workflow->tryModel(copy_);
        QVERIFY(trial.wait(kTimeoutMs));
        QTRY_VERIFY_WITH_TIMEOUT(results.count() + failed.count() > 0, kTimeoutMs);
        QCOMPARE(failed.count(), 0);
        QVERIFY(results.front().front().toInt() > 0);
        bool fallbackSaid = false;
        for (const QList<QVariant>& m : said)
            fallbackSaid = fallbackSaid || m.front().toString().contains("CUDA");
        QVERIFY(fallbackSaid); // the user still hears about the CPU
    }
};

QTEST_MAIN(TestTryModel)
#include "tst_try_model.moc"
