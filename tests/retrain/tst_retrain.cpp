// Retraining from the studio (issue 8), through the dialog and its controller: the scan shown, the folder
// errors, a real run with its plot, cancel within one batch, pause and resume (also "after a restart"),
// fine-tuning, a full disk during a dialog run, and the new model made active and generating. The backend
// alone (scan reasons, one dataset per run, no validation, full disk) is tst_retrain_backend. Real backend
// throughout (app/training/TrainingBackend); the tiny preset on a tiny corpus keeps every run to seconds.
//
// With CONTINUO_RETRAIN_SHOTS=DIR the dialog is shown and grabbed into DIR at the scan, mid-run and done.

#include "retrain/RetrainTestUtil.h"

#include "model/DefaultModel.h"
#include "model/MusicalEval.h"
#include "music/Tokenizer.h"
#include "ui/retrain/LossPlot.h"
#include "ui/retrain/RetrainDialog.h"
#include "ui/retrain/TrainingController.h"
#include "ui/settings/SettingsKeys.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

#include <csignal>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace continuo;
using namespace continuo::ui::retrain;
using namespace continuo::retrain_test;
namespace fs = std::filesystem;
namespace settings = continuo::ui::settings;

class TestRetrain : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    fs::path corpus_, cache_;
    std::atomic<bool> noCancel_{false};

    /// Starts `name` (3 tiny epochs) and pauses it once epoch 1 is done, the backend held there so not one
    /// batch more runs; `paused` receives trainingPaused. Check QTest::currentTestFailed() after.
    void pauseAfterFirstEpoch(TrainingController& controller, GatedBackend& backend, const QString& name,
                              QSignalSpy& paused) {
        backend.gateEpoch = 1; // hold after epoch 1's validation (its checkpoint follows)
        QSignalSpy epochs(&controller, &TrainingController::epochFinished);
        TrainingSetup s = tinySetup(3);
        s.name = name;
        QVERIFY(controller.start(s));
        QVERIFY(epochs.wait(60000));
        controller.pause();
        backend.release();
        QVERIFY(paused.wait(30000));
    }

    TrainingSetup tinySetup(int epochs) const { return retrain_test::tinySetup(corpus_, epochs); }
    /// The options a quick test run needs (the default preset takes seconds per step on 2 shared cores).
    static void useTinyPreset(RetrainDialog& dialog, int epochs) {
        auto* preset = dialog.findChild<QComboBox*>("presetCombo");
        preset->setCurrentIndex(preset->findData("tiny"));
        dialog.findChild<QSpinBox*>("epochsSpin")->setValue(epochs);
        dialog.findChild<QSpinBox*>("transposeLowSpin")->setValue(0);
        dialog.findChild<QSpinBox*>("transposeHighSpin")->setValue(0);
    }
    void shot(QWidget* w, const char* name) {
        const QByteArray dir = qgetenv("CONTINUO_RETRAIN_SHOTS");
        if (dir.isEmpty()) return;
        QCoreApplication::processEvents();
        w->grab().save(QDir(QString::fromLocal8Bit(dir)).filePath(name));
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationDomain("continuo.app");
        QCoreApplication::setApplicationName("continuo-retrain-test");
        QVERIFY2(QSettings().fileName().contains("qttest"), qPrintable(QSettings().fileName()));
        QVERIFY(settings::userModelsDir().contains("qttest"));
        QDir(settings::userModelsDir()).removeRecursively();
        QDir(TrainingController::checkpointDir()).removeRecursively();
        QSettings().clear();
        corpus_ = fs::path(tmp_.filePath("corpus").toStdString());
        cache_ = fs::path(tmp_.filePath("cache").toStdString());
        writeMixedFolder(corpus_);
        model::setTorchThreads(2);
    }

    void dialogShowsTheScan() {
        TrainingController controller(std::make_shared<app::TrainingBackend>(cache_));
        RetrainDialog dialog(&controller, {});
        dialog.show();
        QSignalSpy scanned(&controller, &TrainingController::scanFinished);
        QSignalSpy estimated(&controller, &TrainingController::estimated);
        useTinyPreset(dialog, 3);
        dialog.setFolder(QString::fromStdString(corpus_.string()));
        QVERIFY(scanned.wait(30000));
        QCOMPARE(dialog.findChild<QLabel*>("filesUsable")->text(), QString("6"));
        auto* table = dialog.findChild<QTableWidget*>("skippedTable");
        QCOMPARE(table->rowCount(), 5);
        QSet<QString> shown;
        for (int i = 0; i < table->rowCount(); ++i)
            shown.insert(table->item(i, 0)->text() + ": " + table->item(i, 1)->text());
        QVERIFY(shown.contains("broken.mid: unreadable"));
        QVERIFY(shown.contains("notes.txt: not a MIDI file"));
        QVERIFY(dialog.findChild<QLabel*>("notesTokens")->text().contains("notes"));
        QVERIFY(estimated.wait(60000));
        QVERIFY(dialog.findChild<QLabel*>("estimate")->text().startsWith("about"));
        QCOMPARE(QSettings().value(settings::kLastTrainingFolder).toString(),
                 QString::fromStdString(corpus_.string()));
        QVERIFY(dialog.findChild<QPushButton*>("startButton")->isEnabled());
        dialog.findChild<QToolButton*>("showSkipped")->setChecked(true);
        shot(&dialog, "retrain-scan.png");
    }

    void folderErrorsAreOneSentence() {
        app::TrainingBackend backend(cache_);
        auto kindOf = [&](const QString& folder, QString* message = nullptr) {
            TrainingSetup s = tinySetup(1);
            s.folder = folder;
            try {
                backend.scan(s, {}, noCancel_);
            } catch (const TrainingFailure& e) {
                if (message) *message = QString::fromStdString(e.what());
                return int(e.kind());
            }
            return -1;
        };
        QString message;
        const QString empty = tmp_.filePath("empty");
        QDir().mkpath(empty);
        QCOMPARE(kindOf(empty, &message), int(TrainingFailure::Kind::EmptyFolder));
        QVERIFY(message.contains("is empty"));
        QCOMPARE(kindOf(tmp_.filePath("missing"), &message), int(TrainingFailure::Kind::UnreadableFolder));
        QVERIFY(message.contains("does not exist"));

        // Only files that cannot be used: a report with nothing usable and each reason.
        const fs::path bad(tmp_.filePath("bad").toStdString());
        fs::create_directories(bad);
        std::ofstream(bad / "broken.mid", std::ios::binary) << "MThd";
        std::ofstream(bad / "readme.txt") << "hello";
        TrainingSetup s = tinySetup(1);
        s.folder = QString::fromStdString(bad.string());
        const ScanReport r = backend.scan(s, {}, noCancel_);
        QCOMPARE(r.filesUsable, 0);
        QCOMPARE(reasons(r).value("broken.mid"), QString("unreadable"));
        QCOMPARE(reasons(r).value("readme.txt"), QString("not a MIDI file"));
        TrainingController controller(std::make_shared<app::TrainingBackend>(cache_));
        RetrainDialog dialog(&controller, {});
        QSignalSpy scanned(&controller, &TrainingController::scanFinished);
        dialog.setFolder(s.folder);
        QVERIFY(scanned.wait(30000));
        auto* error = dialog.findChild<QLabel*>("errorLabel");
        QVERIFY(!error->isHidden());
        QVERIFY2(error->text().startsWith("No usable MIDI file"), qPrintable(error->text()));
        QVERIFY(!dialog.findChild<QPushButton*>("startButton")->isEnabled());

        // A folder without permission. Root reads it anyway, so that case is only checked as a user.
        const QString locked = tmp_.filePath("locked");
        QDir().mkpath(locked);
        QFile::copy(QString::fromStdString((corpus_ / "tune1.mid").string()), locked + "/a.mid");
        ::chmod(locked.toLocal8Bit().constData(), 0);
        const bool rootReads = QDir(locked).entryList(QDir::Files).size() > 0;
        if (!rootReads) {
            QCOMPARE(kindOf(locked, &message), int(TrainingFailure::Kind::UnreadableFolder));
            QVERIFY2(message.contains("cannot be read"), qPrintable(message));
        }
        ::chmod(locked.toLocal8Bit().constData(), 0755);
        if (rootReads)
            qInfo("running as root: permissions are not enforced, the unreadable folder is not checked");
    }

    void runThroughTheDialogMakesActiveAndGenerates() {
        TrainingController controller(std::make_shared<app::TrainingBackend>(cache_));
        RetrainDialog dialog(&controller, {});
        dialog.show();
        QSignalSpy scanned(&controller, &TrainingController::scanFinished);
        useTinyPreset(dialog, 3);
        dialog.setFolder(QString::fromStdString(corpus_.string()));
        QVERIFY(scanned.wait(30000));
        dialog.findChild<QLineEdit*>("nameEdit")->setText("my tunes");
        QSignalSpy epochs(&controller, &TrainingController::epochFinished);
        QSignalSpy finished(&controller, &TrainingController::trainingFinished);
        QSignalSpy failed(&controller, &TrainingController::failed);
        QTRY_VERIFY_WITH_TIMEOUT(dialog.findChild<QPushButton*>("startButton")->isEnabled(), 60000);
        dialog.findChild<QPushButton*>("startButton")->click();
        QVERIFY(controller.isTraining());
        QVERIFY(controller.hasPendingRun()); // recorded at once: a crash leaves it resumable
        QVERIFY(epochs.wait(60000));
        shot(&dialog, "retrain-running.png");
        {
            // Closing the dialog never stops the run; a dialog opened now shows it with its epochs so far.
            RetrainDialog again(&controller, {});
            QVERIFY(controller.isTraining());
            QCOMPARE(again.lossPlot()->pointCount(), controller.currentRun().epochsDone);
            QVERIFY(again.findChild<QPushButton*>("pauseButton")->isEnabled());
        }
        QVERIFY2(finished.wait(120000) || !finished.isEmpty(),
                 failed.isEmpty() ? "" : qPrintable(failed.first().at(1).toString()));
        const TrainingResult r = finished.first().first().value<TrainingResult>();
        QVERIFY(r.completed);
        QCOMPARE(r.epochsDone, 3);
        QCOMPARE(epochs.size(), 3);
        QCOMPARE(dialog.lossPlot()->pointCount(), 3); // one point per epoch
        QCOMPARE(dialog.lossPlot()->trainLosses(), r.trainLosses);
        // Saved in the user's models folder with its card, without the resume state; checkpoint gone.
        QCOMPARE(QFileInfo(r.model).absolutePath(), QDir(settings::userModelsDir()).absolutePath());
        QCOMPARE(QFileInfo(r.model).fileName(), QString("my tunes.cmodel"));
        QVERIFY(QFileInfo(r.card).isFile());
        QFile card(r.card);
        QVERIFY(card.open(QIODevice::ReadOnly));
        QVERIFY(card.readAll().contains("| 3 |"));
        const model::ModelFileContents f = model::readModelFile(r.model.toStdString());
        QVERIFY(!f.sections.count("TRST"));
        QCOMPARE(f.metadata.training.epochs, 3);
        QVERIFY(QDir(TrainingController::checkpointDir()).entryList(QDir::Files).isEmpty());
        QVERIFY(!controller.hasPendingRun());
        shot(&dialog, "retrain-done.png");

        // Make active: the setting and the signal; Try it: the signal with the file.
        QSignalSpy activated(&dialog, &RetrainDialog::modelActivated);
        QSignalSpy tried(&dialog, &RetrainDialog::tryRequested);
        dialog.findChild<QPushButton*>("makeActiveButton")->click();
        QCOMPARE(QSettings().value(settings::kActiveModel).toString(), r.model);
        QCOMPARE(activated.size(), 1);
        dialog.findChild<QPushButton*>("tryButton")->click();
        QCOMPARE(tried.first().first().toString(), r.model);
        // The active model generates through the same path the studio's engine uses.
        const model::DefaultComposer d = model::openComposerDeferred(r.model.toStdString());
        QVERIFY2(d.composer, d.problem.c_str());
        model::GenerateRequest rq;
        rq.song = model::simpleSeedMelody();
        rq.bars = 2;
        rq.randomSeed = 5;
        const model::GenerateResult g = d.composer->generate(rq, {}, noCancel_);
        QVERIFY(!g.variations.at(0).empty());
        QVERIFY(dialog.activeModelPath() == r.model);
    }

    void cancelStopsWithinOneBatchAndDiscards() {
        auto backend = std::make_shared<GatedBackend>(cache_);
        backend->gateEpoch = 1;
        backend->gateStep = 2;
        TrainingController controller(backend);
        QSignalSpy cancelled(&controller, &TrainingController::trainingCancelled);
        QSignalSpy progress(&controller, &TrainingController::trainingProgress);
        const QStringList before = QDir(settings::userModelsDir()).entryList(QDir::Files);
        QVERIFY(controller.start(tinySetup(3)));
        // The worker holds after batch 2; cancel from the GUI thread, then let it go on.
        QTRY_VERIFY_WITH_TIMEOUT(backend->lastStepReported == 2, 60000);
        controller.cancel();
        backend->release();
        QVERIFY(cancelled.wait(30000));
        QCOMPARE(backend->reportsAfterGate.load(), 0); // not one more batch after the cancel
        QVERIFY(!controller.hasPendingRun());
        QVERIFY(QDir(TrainingController::checkpointDir()).entryList(QDir::Files).isEmpty());
        QCOMPARE(QDir(settings::userModelsDir()).entryList(QDir::Files), before);
    }

    // "Train anew" with a paused run asks first: Cancel keeps the run and its checkpoint, "Discard It and
    // Train" replaces it.
    void trainAnewAsksBeforeDiscardingAPausedRun() {
        auto backend = std::make_shared<GatedBackend>(cache_);
        TrainingController controller(backend);
        QSignalSpy paused(&controller, &TrainingController::trainingPaused);
        pauseAfterFirstEpoch(controller, *backend, "kept run", paused);
        if (QTest::currentTestFailed()) return;
        const QString checkpoint = controller.pendingRun().checkpoint;
        QVERIFY(QFileInfo(checkpoint).isFile());
        backend->gateEpoch = -1;

        RetrainDialog dialog(&controller, {});
        dialog.show();
        QSignalSpy scanned(&controller, &TrainingController::scanFinished);
        useTinyPreset(dialog, 1);
        dialog.setFolder(QString::fromStdString(corpus_.string()));
        QVERIFY(scanned.wait(30000));
        auto* start = dialog.findChild<QPushButton*>("startButton");
        QTRY_VERIFY_WITH_TIMEOUT(start->isEnabled(), 60000);
        QSignalSpy started(&controller, &TrainingController::trainingStarted);
        const auto answer = [&](QMessageBox::StandardButton which) {
            QMessageBox* ask = nullptr;
            QTRY_VERIFY_WITH_TIMEOUT(
                (ask = dialog.findChild<QMessageBox*>("confirmTrainAnew")) && ask->isVisible(), 10000);
            ask->button(which)->click();
        };
        start->click();
        answer(QMessageBox::Cancel);
        QCoreApplication::processEvents();
        QCOMPARE(started.size(), 0);
        QVERIFY(controller.hasPendingRun());
        QVERIFY(QFileInfo(checkpoint).isFile());

        QSignalSpy finished(&controller, &TrainingController::trainingFinished);
        start->click();
        answer(QMessageBox::Discard);
        QTRY_COMPARE_WITH_TIMEOUT(started.size(), 1, 10000);
        QVERIFY(!QFileInfo(checkpoint).exists()); // the paused run's checkpoint went with it
        QVERIFY(finished.wait(120000));
    }

    void pauseThenResumeAfterRestart() {
        {
            auto backend = std::make_shared<GatedBackend>(cache_);
            TrainingController controller(backend);
            QSignalSpy paused(&controller, &TrainingController::trainingPaused);
            pauseAfterFirstEpoch(controller, *backend, "paused run", paused);
            if (QTest::currentTestFailed()) return;
            QCOMPARE(paused.first().first().toInt(), 1);
            QCOMPARE(backend->reportsAfterGate.load(), 0);
            QVERIFY(controller.hasPendingRun());
            const PendingRun run = controller.pendingRun();
            QCOMPARE(run.epochsDone, 1);
            QCOMPARE(run.trainLosses.size(), 1);
            QVERIFY(QFileInfo(run.checkpoint).isFile());
        } // the studio quits

        // "After a restart": a new controller reads the record; the dialog shows the run so far.
        TrainingController controller(std::make_shared<app::TrainingBackend>(cache_));
        QVERIFY(controller.hasPendingRun());
        RetrainDialog dialog(&controller, {});
        QCOMPARE(dialog.lossPlot()->pointCount(), 1);
        QVERIFY(dialog.findChild<QPushButton*>("resumeButton")->isVisibleTo(&dialog));
        QSignalSpy started(&controller, &TrainingController::trainingStarted);
        QSignalSpy epochs(&controller, &TrainingController::epochFinished);
        QSignalSpy finished(&controller, &TrainingController::trainingFinished);
        dialog.findChild<QPushButton*>("resumeButton")->click();
        QCOMPARE(started.size(), 1);
        QCOMPARE(started.first().first().value<PendingRun>().epochsDone, 1);
        QVERIFY(finished.wait(120000));
        QCOMPARE(epochs.size(), 2);
        QCOMPARE(epochs.first().first().toInt(), 2); // epochs go on from where they stopped
        const TrainingResult r = finished.first().first().value<TrainingResult>();
        QCOMPARE(r.epochsDone, 3);
        QCOMPARE(r.trainLosses.size(), 3);
        QCOMPARE(dialog.lossPlot()->pointCount(), 3);
        QCOMPARE(QFileInfo(r.model).fileName(), QString("paused run.cmodel"));
        QVERIFY(!controller.hasPendingRun());
    }

    void quittingMidRunLeavesItResumable() {
        {
            auto backend = std::make_shared<GatedBackend>(cache_);
            backend->gateEpoch = 1;
            auto controller = std::make_unique<TrainingController>(backend);
            QSignalSpy epochs(controller.get(), &TrainingController::epochFinished);
            TrainingSetup s = tinySetup(2);
            s.name = "quit mid run";
            QVERIFY(controller->start(s));
            QVERIFY(epochs.wait(60000));
            backend->release();
            controller.reset(); // the studio quits while the run trains: it stops after the current batch
            QVERIFY(backend->reportsAfterGate.load() <= 1);
        }
        TrainingController controller(std::make_shared<app::TrainingBackend>(cache_));
        QVERIFY(controller.hasPendingRun());
        const PendingRun run = controller.pendingRun();
        QCOMPARE(run.setup.name, QString("quit mid run"));
        QVERIFY(QFileInfo(run.checkpoint).isFile());
        QSignalSpy finished(&controller, &TrainingController::trainingFinished);
        QVERIFY(controller.resume());
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().first().value<TrainingResult>().epochsDone, 2);
        QVERIFY(!controller.hasPendingRun());
    }

    void fineTuneStartsFromTheModel() {
        const QString base = QSettings().value(settings::kActiveModel).toString();
        QVERIFY2(QFileInfo(base).isFile(), "needs the model of runThroughTheDialogMakesActiveAndGenerates");
        // Core: with no step taken, the fine-tune's checkpoint holds the base's weights exactly.
        music::DatasetOptions o =
            model::test::tinyDatasetOptions(model::preset("tiny").train, model::preset("tiny").model, cache_);
        o.tokenizer = model::readModelFile(base.toStdString()).metadata.tokenizer; // the base's language
        const music::Dataset ds = music::buildDataset(corpus_, o);
        model::TrainOptions opt;
        opt.train = model::preset("tiny").train;
        opt.initFrom = base.toStdString();
        opt.out = tmp_.filePath("ft0.cmodel").toStdString();
        opt.stopAfterSteps = 0;
        model::train(ds, opt, {}, noCancel_);
        // The network's inputs for a few tokens (with the bar encoding, each token's and its tracker's).
        const std::vector<std::int32_t> probe =
            music::Tokenizer::create(o.tokenizer)
                ->stepInputs(std::vector<std::int32_t>{1, 60, 70, 80, 90, 100});
        QCOMPARE(model::LstmModel::load(opt.out).logits(probe),
                 model::LstmModel::load(base.toStdString()).logits(probe));
        QVERIFY(model::readModelFile(opt.out).metadata.training.preset.starts_with("fine-tune of"));
        // A dataset tokenized another way is refused with a clear message.
        music::DatasetOptions chord = o;
        chord.tokenizer.encoding = music::Encoding::Chord;
        const music::Dataset other = music::buildDataset(corpus_, chord);
        try {
            model::train(other, opt, {}, noCancel_);
            QFAIL("a fine-tune on differently tokenized data must be refused");
        } catch (const model::TrainingError& e) {
            QCOMPARE(e.kind(), model::TrainingError::Kind::Incompatible);
            QVERIFY2(QString(e.what()).contains("fine-tuning needs"), e.what());
        }
        // Through the controller: "Fine-tune the active model".
        TrainingController controller(std::make_shared<app::TrainingBackend>(cache_));
        TrainingSetup s = tinySetup(1);
        s.name = "fine tuned";
        s.baseModel = base;
        QSignalSpy finished(&controller, &TrainingController::trainingFinished);
        QVERIFY(controller.start(s));
        QVERIFY(finished.wait(120000));
        const TrainingResult r = finished.first().first().value<TrainingResult>();
        const model::ModelFileContents f = model::readModelFile(r.model.toStdString());
        QVERIFY(f.metadata.training.preset.starts_with("fine-tune of my tunes.cmodel"));
        QCOMPARE(f.metadata.model, model::readModelFile(base.toStdString()).metadata.model);
    }

    void fullDiskInTheDialogKeepsTheRunResumable() {
        // The studio's path: the dialog shows the message, the record and the last checkpoint stay, the
        // active model is untouched, and Resume finishes the run once there is room again.
        const QString active = QSettings().value(settings::kActiveModel).toString();
        QFile activeFile(active);
        QVERIFY(activeFile.open(QIODevice::ReadOnly));
        const QByteArray activeBytes = activeFile.readAll();
        activeFile.close();
        auto backend = std::make_shared<GatedBackend>(cache_);
        backend->gateEpoch = 2; // epoch 1's checkpoint is on disk; epoch 2's is about to be written
        TrainingController controller(backend);
        RetrainDialog dialog(&controller, {});
        QSignalSpy epochs(&controller, &TrainingController::epochFinished);
        QSignalSpy failed(&controller, &TrainingController::failed);
        TrainingSetup s = tinySetup(3);
        s.name = "disk full run";
        QVERIFY(controller.start(s));
        QTRY_VERIFY_WITH_TIMEOUT(epochs.size() == 2, 60000);
        const QString checkpoint = controller.currentRun().checkpoint;
        QFile before(checkpoint);
        QVERIFY(before.open(QIODevice::ReadOnly));
        const QByteArray bytes = before.readAll();
        before.close();
        bool gotFailure = false;
        {
            const FileSizeLimit limit(rlim_t(bytes.size() / 2));
            QVERIFY(limit.set);
            backend->release();
            gotFailure = failed.wait(60000);
        }
        QVERIFY(gotFailure);
        QCOMPARE(failed.first().at(0).toInt(), int(TrainingFailure::Kind::DiskFull));
        auto* error = dialog.findChild<QLabel*>("errorLabel");
        QVERIFY(!error->isHidden());
        QVERIFY2(error->text().startsWith("the disk is full") && error->text().contains("Resume"),
                 qPrintable(error->text()));
        QVERIFY(controller.hasPendingRun());
        QFile after(checkpoint);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), bytes);
        QVERIFY(activeFile.open(QIODevice::ReadOnly));
        QCOMPARE(activeFile.readAll(), activeBytes);
        QVERIFY(dialog.findChild<QPushButton*>("resumeButton")->isEnabled());
        QSignalSpy finished(&controller, &TrainingController::trainingFinished);
        backend->gateEpoch = -1; // no hold this time
        dialog.findChild<QPushButton*>("resumeButton")->click();
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.first().first().value<TrainingResult>().epochsDone, 3);
    }
};

QTEST_MAIN(TestRetrain)
#include "tst_retrain.moc"
