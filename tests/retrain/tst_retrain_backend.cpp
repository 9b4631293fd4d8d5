// Retraining's backend alone (app/training/TrainingBackend on core/training's job), no dialog: the scan's
// reasons and estimate, one dataset per run (issue 20), a run with nothing to hold out, and a full disk
// that keeps the last checkpoint byte for byte. The tiny preset on a tiny corpus keeps every run to seconds.

#include "retrain/RetrainTestUtil.h"

#include "modelfile/ModelFile.h"
#include "ui/settings/SettingsKeys.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cmath>

using namespace continuo;
using namespace continuo::ui::retrain;
using namespace continuo::retrain_test;
namespace fs = std::filesystem;

class TestRetrainBackend : public QObject {
    Q_OBJECT

    QTemporaryDir tmp_;
    fs::path corpus_, cache_;
    std::atomic<bool> noCancel_{false};

    TrainingSetup tinySetup(int epochs) const { return retrain_test::tinySetup(corpus_, epochs); }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationDomain("continuo.app");
        QCoreApplication::setApplicationName("continuo-retrain-backend-test");
        QVERIFY2(QSettings().fileName().contains("qttest"), qPrintable(QSettings().fileName()));
        corpus_ = fs::path(tmp_.filePath("corpus").toStdString());
        cache_ = fs::path(tmp_.filePath("cache").toStdString());
        writeMixedFolder(corpus_);
        model::setTorchThreads(2);
    }

    void scanListsEveryFileWithItsReason() {
        app::TrainingBackend backend(cache_);
        const ScanReport r = backend.scan(tinySetup(1), {}, noCancel_);
        QCOMPARE(r.filesFound, 11);
        QCOMPARE(r.midiFiles, 10);
        QCOMPARE(r.filesUsable, 6);
        const QMap<QString, QString> why = reasons(r);
        QCOMPARE(why.size(), 5);
        QCOMPARE(why.value("broken.mid"), QString("unreadable"));
        QCOMPARE(why.value("drums.mid"), QString("no melodic notes"));
        QCOMPARE(why.value("short.mid"), QString("too short"));
        // copy.mid sorts before tune0.mid: the later of the two is the duplicate.
        QCOMPARE(why.value("tune0.mid"), QString("duplicate"));
        QCOMPARE(why.value("notes.txt"), QString("not a MIDI file"));
        QVERIFY(r.notes >= 6 * 120);
        QVERIFY(r.tokens > r.notes);
        QVERIFY(r.trainingWindows > 0 && r.validationWindows > 0);
        for (const SkippedEntry& e : r.skipped)
            QVERIFY2(!e.detail.isEmpty(), qPrintable(e.file));
        // The estimate measures real steps: positive and finite.
        const double seconds = backend.estimateSeconds(tinySetup(3), r, noCancel_);
        QVERIFY2(seconds > 0 && std::isfinite(seconds), qPrintable(QString::number(seconds)));
    }

    /// Issue 20: scan, estimate and run read the folder into a dataset once (it was built three times per
    /// run, and once more per file when nothing was usable); a folder that changed is read again.
    void theDatasetIsBuiltOncePerRun() {
        app::TrainingBackend backend(cache_);
        const TrainingSetup s = tinySetup(1);
        const ScanReport r = backend.scan(s, {}, noCancel_);
        QCOMPARE(r.filesUsable, 6);
        QVERIFY(backend.estimateSeconds(s, r, noCancel_) > 0);
        TrainingRequest rq;
        rq.setup = s;
        rq.setup.maxStepsPerEpoch = 2;
        rq.checkpoint = tmp_.filePath("once/run.partial.cmodel");
        rq.finalModel = tmp_.filePath("once/run.cmodel");
        QVERIFY(backend.train(rq, {}, noCancel_).completed);
        QCOMPARE(backend.job().datasetsBuilt(), 1);

        backend.scan(s, {}, noCancel_); // the run let it go: a new scan reads the folder
        QCOMPARE(backend.job().datasetsBuilt(), 2);
        const fs::path extra = corpus_ / "extra.mid";
        fs::copy_file(corpus_ / "tune1.mid", extra);
        backend.estimateSeconds(s, r, noCancel_); // a file more: read again
        fs::remove(extra);
        QCOMPARE(backend.job().datasetsBuilt(), 3);

        // Nothing usable: the reasons come with the dataset's error, not from reading each file again.
        const fs::path bad(tmp_.filePath("bad-once").toStdString());
        fs::create_directories(bad);
        std::ofstream(bad / "broken.mid", std::ios::binary) << "MThd";
        fs::copy_file(corpus_ / "short.mid", bad / "short.mid");
        TrainingSetup b = tinySetup(1);
        b.folder = QString::fromStdString(bad.string());
        const ScanReport none = backend.scan(b, {}, noCancel_);
        QCOMPARE(none.filesUsable, 0);
        QCOMPARE(reasons(none).value("broken.mid"), QString("unreadable"));
        QCOMPARE(reasons(none).value("short.mid"), QString("too short"));
        try {
            backend.estimateSeconds(b, none, noCancel_);
            QFAIL("no failure");
        } catch (const TrainingFailure& e) {
            QCOMPARE(e.kind(), TrainingFailure::Kind::NoUsableFile);
        }
        QCOMPARE(backend.job().datasetsBuilt(), 4);
    }

    void oneUsableFileTrainsWithoutValidation() {
        // Nothing can be held out: the run trains, its validation losses are "none" (−1), and the
        // checkpoint reads back (NaN would have been written as JSON null).
        const fs::path one(tmp_.filePath("one").toStdString());
        fs::create_directories(one);
        fs::copy_file(corpus_ / "tune2.mid", one / "only.mid");
        app::TrainingBackend backend(cache_);
        TrainingRequest rq;
        rq.setup = tinySetup(2);
        rq.setup.folder = QString::fromStdString(one.string());
        rq.checkpoint = tmp_.filePath("one-run/run.partial.cmodel");
        rq.finalModel = tmp_.filePath("one-run/run.cmodel");
        const TrainingResult r = backend.train(rq, {}, noCancel_);
        QVERIFY(r.completed);
        QCOMPARE(r.validationLosses, QVector<double>({-1, -1}));
        QCOMPARE(model::readModelFile(r.model.toStdString()).metadata.training.epochs, 2);
    }

    void fullDiskKeepsTheLastCheckpoint() {
        app::TrainingBackend backend(cache_);
        TrainingRequest rq;
        rq.setup = tinySetup(1);
        rq.checkpoint = tmp_.filePath("full/run.partial.cmodel");
        rq.finalModel = tmp_.filePath("full/run.cmodel");
        QVERIFY(backend.train(rq, {}, noCancel_).completed);
        QFile::remove(rq.finalModel);
        QFile before(rq.checkpoint);
        QVERIFY(before.open(QIODevice::ReadOnly));
        const QByteArray bytes = before.readAll();
        before.close();
        // A file size limit below the checkpoint's size: the next write fails with EFBIG as on a full disk.
        rq.setup.epochs = 2;
        rq.resume = true;
        QString message;
        int kind = -1;
        {
            const FileSizeLimit limit(rlim_t(bytes.size() / 2));
            QVERIFY(limit.set);
            try {
                backend.train(rq, {}, noCancel_);
            } catch (const TrainingFailure& e) {
                kind = int(e.kind());
                message = QString::fromStdString(e.what());
            }
        }
        QCOMPARE(kind, int(TrainingFailure::Kind::DiskFull));
        QVERIFY2(message.startsWith("the disk is full") && message.contains("intact"), qPrintable(message));
        QFile after(rq.checkpoint);
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), bytes); // the previous checkpoint, byte for byte
        // No temporary file left, nothing but the checkpoint and the first run's card.
        QCOMPARE(QDir(tmp_.filePath("full")).entryList(QDir::Files | QDir::Hidden),
                 QStringList({"run.md", "run.partial.cmodel"}));
        QVERIFY(!QFileInfo::exists(rq.finalModel));
    }
};

QTEST_MAIN(TestRetrainBackend)
#include "tst_retrain_backend.moc"
