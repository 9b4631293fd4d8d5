// Not a test: the studio recording from a MIDI keyboard and exporting a WAV, for looking at them
// (screenshots under Xvfb). A private JACK server (dummy driver) provides the ports; an RtMidi sender plays
// a few notes into the studio's input while it records. Usage: record_shots OUT_DIR
// Writes OUT_DIR/record-toolbar.png (recording, notes in the preview), OUT_DIR/record-done.png (after
// Stop) and OUT_DIR/export-progress.png (the Export WAV dialog half way), then cancels the export and quits.
// Uses test-mode settings, so the user's own settings are neither read nor written.

#include "playback/PlaybackTestUtil.h"
#include "settings/SettingsTestUtil.h"

#include "app/audio/SynthTransport.h"
#include "ui/MainWindow.h"
#include "ui/PianoRollView.h"
#include "ui/document/Document.h"
#include "ui/playback/RecordController.h"
#include "ui/playback/TransportController.h"
#include "ui/playback/WavExportController.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPushButton>
#include <QScreen>
#include <QTimer>

#include <RtMidi.h>

#include <cstdio>

using namespace continuo;

namespace {
void wait(int ms) {
    QTest::qWait(ms);
}
void shoot(const QString& path) {
    QApplication::primaryScreen()->grabWindow(0).save(path);
    std::printf("wrote %s\n", qPrintable(path));
}
} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QTemporaryDir dir;
    const QString out = argc > 1 ? QString(argv[1]) : QString("/tmp");
    test::useTestSettings();
    test::PrivateJack jack(dir, "continuo-test-record-shots");
    RtMidiOut keyboard(RtMidi::UNIX_JACK, "keyboard");
    keyboard.openVirtualPort("out");
    test::RtReceiver synth("synth");
    synth.openVirtual("in");

    ui::SoundSettings s;
    s.audioDriver = "none";
    s.midiInput = "keyboard:out";
    s.midiOutput = "synth:in";
    auto t = app::SynthTransport::create(s);
    ui::StudioServices services;
    services.transport = t;
    services.recorder = t;
    services.audition = std::make_shared<app::SynthAudition>(t);
    ui::MainWindow w(services);
    std::vector<music::Note> bass;
    for (int i = 0; i < 64; ++i)
        bass.push_back(test::note(i * 480, 400, 43 + (i % 4) * 2));
    w.document()->reset(test::songOf(bass, 32));
    w.resize(1400, 800);
    w.show();
    wait(1500);
    w.recorder()->recordAction()->trigger();
    wait(300);
    for (int key : {55, 59, 62, 60, 59, 57, 55}) {
        std::vector<unsigned char> on{0x90, (unsigned char)key, 100}, off{0x80, (unsigned char)key, 0};
        keyboard.sendMessage(&on);
        wait(220);
        keyboard.sendMessage(&off);
        wait(30);
    }
    wait(300);
    shoot(out + "/record-toolbar.png");
    w.transport()->playAction()->trigger(); // Stop
    wait(500);
    shoot(out + "/record-done.png");

    // A long song so the dialog has time to show (after 300 ms) and move.
    std::vector<music::Note> lots;
    for (int i = 0; i < 4000; ++i)
        lots.push_back(test::note(i * 480, 400, 60 + (i * 5) % 19));
    w.document()->reset(test::songOf(lots));
    w.wavExport()->exportTo(dir.filePath("long.wav"));
    QElapsedTimer cancelClock;
    QObject::connect(w.transport(), &ui::TransportController::wavExportCancelled, &w, [&] {
        std::printf("cancel took effect %.1f ms after the click\n", cancelClock.nsecsElapsed() / 1e6);
    });
    bool shot = false;
    QObject::connect(w.transport(), &ui::TransportController::exportProgress, &w, [&](double f) {
        if (!shot && f > 0.3 && w.wavExport()->progressDialog() &&
            w.wavExport()->progressDialog()->isVisible()) {
            shot = true;
            shoot(out + "/export-progress.png");
            cancelClock.start();
            w.wavExport()->progressDialog()->findChild<QPushButton*>()->click(); // Cancel, as a user does
        }
    });
    for (int i = 0; i < 600 && w.transport()->exporting(); ++i)
        wait(100);
    wait(300);
    shoot(out + "/export-cancelled.png");
    return 0;
}
