// File ▸ Export WAV with progress and Cancel, on a real FluidSynth render (app's SynthTransport with the
// small Debian SoundFont, a steady-clock sink standing in for the audio device, which is not used here):
// - a render reports rising progress through the dialog and completes: the file is there, the dialog gone;
// - Cancel (the button, or Escape) in the progress dialog stops a long render: no file at a new path, the
// file already at a path
//   stays byte for byte, no ".part" file is left, the status bar says "cancelled" and no error box opens.

#include "app/audio/SynthTransport.h"
#include "ui/MainWindow.h"
#include "ui/document/Document.h"
#include "ui/playback/TransportController.h"
#include "ui/playback/WavExportController.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <filesystem>

using namespace continuo;

namespace {
/// Temporary files the writer (io::AtomicFile) would leave beside `path`, hidden ones included.
QStringList temporaryFilesBeside(const QString& path) {
    return QDir(QFileInfo(path).absolutePath()).entryList({"*.tmp-*", "*.part"}, QDir::Files | QDir::Hidden);
}
constexpr int kTimeoutMs = 120000; // loading the SoundFont and rendering on a loaded 2-core machine

class SteadySink final : public playback::MidiSink {
public:
    double clockSeconds() const override {
        return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    }
    double lookaheadSeconds() const override { return 0.05; }
    void sendAt(const playback::MidiMessage&, double) override {}
    void cancelPending() override {}
    bool canPlay(std::string*) const override { return true; }
};

std::filesystem::path smallSoundFont() {
    for (const char* p : {"/usr/share/sounds/sf2/TimGM6mb.sf2", "/usr/share/sounds/sf2/default-GM.sf2"})
        if (std::filesystem::exists(p)) return p;
    return {};
}

/// A melody of quarter notes at 120 BPM: `bars` bars (2 s each).
music::Song melody(int bars) {
    music::Song song;
    song.ppq = 480;
    music::Track t;
    t.name = "melody";
    for (int i = 0; i < bars * 4; ++i)
        t.notes.push_back(music::Note{i * 480, 400, std::uint8_t(60 + (i * 7) % 24), 100, 0});
    song.tracks.push_back(t);
    return song;
}

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}
} // namespace

class ExportWavTest : public QObject {
    Q_OBJECT

    SteadySink sink_;

    std::unique_ptr<ui::MainWindow> window(int bars) {
        ui::StudioServices services;
        services.transport = std::make_shared<app::SynthTransport>(sink_, smallSoundFont());
        auto w = std::make_unique<ui::MainWindow>(services);
        w->document()->reset(melody(bars));
        return w;
    }

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        if (smallSoundFont().empty()) QSKIP("no General MIDI SoundFont installed");
    }

    void progressRisesAndTheRenderCompletes() {
        auto w = window(16); // 32 s of audio + the 2 s tail
        QTemporaryDir dir;
        const QString path = dir.filePath("song.wav");
        QSignalSpy progress(w->transport(), &ui::TransportController::exportProgress);
        QSignalSpy done(w->transport(), &ui::TransportController::wavExported);
        w->wavExport()->exportTo(path);
        QProgressDialog* dialog = w->wavExport()->progressDialog();
        QVERIFY(dialog);
        QCOMPARE(dialog->maximum(), 100);
        QVERIFY(dialog->findChild<QPushButton*>()); // a Cancel button, unlike the old busy dialog
        QVERIFY(done.wait(kTimeoutMs));
        QCOMPARE(done.first().at(1).toString(), QString());
        QVERIFY(!w->wavExport()->progressDialog()); // closed
        QVERIFY(QFile::exists(path));
        QVERIFY(temporaryFilesBeside(path).isEmpty());
        QVERIFY(w->statusBar()->currentMessage().startsWith("Exported"));
        // The progress reports were posted before the render returned: all are here, rising to 1.
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.last().at(0).toDouble() >= 1.0, kTimeoutMs);
        QVERIFY2(progress.count() >= 10, qPrintable(QString("%1 reports").arg(progress.count())));
        double last = -1;
        for (const auto& args : progress) {
            const double f = args.at(0).toDouble();
            QVERIFY2(f > last && f >= 0 && f <= 1, qPrintable(QString("%1 after %2").arg(f).arg(last)));
            last = f;
        }
    }

    void cancelLeavesNoFileAndKeepsTheOldOne() {
        auto w = window(600); // 20 minutes: far from done when Cancel is pressed
        QTemporaryDir dir;
        const QString fresh = dir.filePath("fresh.wav");
        const QString existing = dir.filePath("existing.wav");
        {
            QFile f(existing);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("the take from yesterday, not to be lost");
        }
        const QByteArray old = readAll(existing);
        for (const QString& path : {fresh, existing}) {
            QSignalSpy progress(w->transport(), &ui::TransportController::exportProgress);
            QSignalSpy cancelled(w->transport(), &ui::TransportController::wavExportCancelled);
            QSignalSpy done(w->transport(), &ui::TransportController::wavExported);
            w->wavExport()->exportTo(path);
            QProgressDialog* dialog = w->wavExport()->progressDialog();
            QVERIFY(dialog);
            // Press Cancel once the render is under way (past the SoundFont load).
            QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty(), kTimeoutMs);
            if (path == fresh) {
                auto* cancel = dialog->findChild<QPushButton*>();
                QVERIFY(cancel);
                cancel->click();
            } else {
                QTest::keyClick(dialog, Qt::Key_Escape); // Escape cancels too
            }
            QVERIFY(cancelled.wait(kTimeoutMs));
            QCOMPARE(cancelled.first().at(0).toString(), path);
            QCOMPARE(done.count(), 0);
            QVERIFY(progress.last().at(0).toDouble() < 0.5); // it stopped early, not at the end
            QVERIFY(!w->wavExport()->progressDialog());
            QVERIFY(!w->transport()->exporting());
            QVERIFY(temporaryFilesBeside(path).isEmpty());
            QVERIFY2(w->statusBar()->currentMessage().contains("cancelled"),
                     qPrintable(w->statusBar()->currentMessage()));
            QVERIFY(!w->findChild<QMessageBox*>("exportWavError")); // a cancel is not an error
        }
        QVERIFY(!QFile::exists(fresh));
        QCOMPARE(readAll(existing), old);
    }
};

QTEST_MAIN(ExportWavTest)
#include "tst_export_wav.moc"
