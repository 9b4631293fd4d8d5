// Record from the MIDI input into the roll, real components throughout: a private JACK server (dummy
// driver) as the MIDI system, the studio's SynthTransport listening to a JACK port of an independent RtMidi
// sender (the "keyboard") and playing the song into an RtMidi receiver (the "synth"), in the real
// MainWindow. Checks: Record is disabled with a reason without an input; Record plays the song from the
// playhead and takes the keyboard's notes (shown live as a preview); Stop (Space's Play/Stop) adds them to
// the current track at the played pitches as ONE undo step, selected; nothing played leaves no undo step;
// generated variations and a take keep a preview each (generating while recording loses neither).

#include "playback/PlaybackTestUtil.h"
#include "settings/SettingsTestUtil.h"
#include "studio/MarkovComposer.h"

#include "app/audio/SynthTransport.h"
#include "playback/MidiSystem.h"
#include "ui/MainWindow.h"
#include "ui/PianoRollView.h"
#include "ui/document/Document.h"
#include "ui/generate/GenerateController.h"
#include "ui/playback/RecordController.h"
#include "ui/playback/TransportController.h"
#include "ui/session/Session.h"

#include <QAction>
#include <QMenuBar>
#include <QStatusBar>
#include <QToolBar>
#include <QtTest>

#include <RtMidi.h>

#include <algorithm>

using namespace continuo;
using test::note;

namespace {
constexpr int kTimeoutMs = 30000; // generous: a loaded 2-core machine, JACK with 1024-frame periods

int noteOnsOf(const test::RtReceiver& r, int key) {
    const auto got = r.received();
    return int(std::count_if(got.begin(), got.end(), [key](const test::Received& m) {
        return m.message.isNoteOn() && m.message.bytes[1] == key;
    }));
}

ui::StudioServices servicesWith(const ui::SoundSettings& s) {
    auto t = app::SynthTransport::create(s);
    ui::StudioServices services;
    services.audition = std::make_shared<app::SynthAudition>(t);
    services.recorder = t;
    services.transport = t;
    return services;
}

void send(RtMidiOut& out, unsigned char status, int key, int velocity) {
    std::vector<unsigned char> m{status, (unsigned char)key, (unsigned char)velocity};
    out.sendMessage(&m);
}
} // namespace

class RecordTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<test::PrivateJack> jack_;

private Q_SLOTS:
    void initTestCase() {
        test::useTestSettings();
        try {
            jack_ = std::make_unique<test::PrivateJack>(dir_, "continuo-test-record");
        } catch (const playback::PlaybackError& e) {
            QFAIL(e.what());
        }
    }

    void cleanupTestCase() { jack_.reset(); }

    void recordNeedsAnInputPort() {
        ui::SoundSettings s;
        s.audioDriver = "none";
        ui::MainWindow w(servicesWith(s));
        QAction* record = w.recorder()->recordAction();
        QVERIFY(!record->isEnabled());
        QVERIFY2(record->toolTip().contains("Settings ▸ MIDI"), qPrintable(record->toolTip()));
        // It sits in the transport toolbar right after Play and Loop, and in the Transport menu.
        auto* bar = w.findChild<QToolBar*>("transportBar");
        QVERIFY(bar);
        QCOMPARE(bar->actions().value(2), record);
        QCOMPARE(record->shortcut(), QKeySequence(Qt::Key_R));
        bool inMenu = false;
        for (QAction* menu : w.menuBar()->actions())
            if (menu->menu() && menu->menu()->actions().contains(record)) inMenu = true;
        QVERIFY(inMenu);
        // Triggered anyway (a stale shortcut): nothing starts.
        w.recorder()->startRecording();
        QVERIFY(!w.recorder()->recording());
    }

    void recordsTheKeyboardIntoTheCurrentTrack() {
        test::RtReceiver synth("record-synth");
        synth.openVirtual("in");
        RtMidiOut keyboard(RtMidi::UNIX_JACK, "record-keyboard");
        keyboard.openVirtualPort("out");
        ui::SoundSettings s;
        s.audioDriver = "none";
        s.midiOutput = "record-synth:in";
        s.midiInput = "record-keyboard:out";
        ui::StudioServices services = servicesWith(s);
        services.composer = std::make_shared<test::MarkovComposer>();
        ui::MainWindow w(services);
        ui::RecordController* rec = w.recorder();
        QTRY_VERIFY_WITH_TIMEOUT(rec->recordAction()->isEnabled(), kTimeoutMs);

        // The song the player hears: a bass line at 120 BPM (pitch 40), 2 bars.
        std::vector<music::Note> bass;
        for (int i = 0; i < 8; ++i)
            bass.push_back(note(i * 480, 400, 40));
        w.document()->reset(test::songOf(bass));
        ui::Document* doc = w.document();
        const std::size_t before = doc->noteCount();
        const int steps = doc->undoStack()->count();
        w.session()->setPlayhead(480); // record from beat 2

        rec->recordAction()->trigger();
        QVERIFY(rec->recording());
        QVERIFY(rec->recordAction()->isChecked());
        QCOMPARE(w.transport()->playAction()->text(), QString("Stop"));
        // Playback runs from the playhead: the bass reaches the output port.
        QTRY_VERIFY_WITH_TIMEOUT(noteOnsOf(synth, 40) >= 1, kTimeoutMs);

        QVERIFY(playback::waitForJackCycles());
        for (int key : {60, 64, 67}) {
            send(keyboard, 0x90, key, 100);
            QTest::qWait(80); // a held key: gives the note a length (no timing is asserted)
            send(keyboard, 0x80, key, 0);
            QTest::qWait(40);
        }
        // Live: the notes appear in the roll as a preview while still recording.
        QTRY_COMPARE_WITH_TIMEOUT(w.session()->preview(ui::PreviewOwner::Record).size(), std::size_t(3),
                                  kTimeoutMs);
        QVERIFY(rec->recording());
        QCOMPARE(doc->noteCount(), before); // not in the document yet

        // Generate while recording (regression: one preview for both, so the variations replaced the take's
        // notes on screen, the next key played replaced the variations, and Stop cleared them): each keeps
        // its own preview.
        ui::GenerateSettings settings;
        settings.bars = 1;
        settings.variations = 2;
        w.session()->setGenerateSettings(settings);
        QSignalSpy ready(w.generator(), &ui::GenerateController::resultsReady);
        w.generator()->generate();
        QVERIFY(ready.wait(kTimeoutMs));
        const std::vector<music::Note> variation = w.session()->preview(ui::PreviewOwner::Generate);
        QCOMPARE(variation.size(), std::size_t(8)); // one bar of eighths
        QCOMPARE(w.session()->preview(ui::PreviewOwner::Record).size(), std::size_t(3));
        send(keyboard, 0x90, 62, 100); // a key played after the variations arrived
        QTest::qWait(80);
        send(keyboard, 0x80, 62, 0);
        QTRY_COMPARE_WITH_TIMEOUT(w.session()->preview(ui::PreviewOwner::Record).size(), std::size_t(4),
                                  kTimeoutMs);
        QCOMPARE(w.session()->preview(ui::PreviewOwner::Generate), variation);
        // The keyboard is heard through the output too.
        QTRY_COMPARE_WITH_TIMEOUT(noteOnsOf(synth, 64), 1, kTimeoutMs);

        // Stop as Space does (Play/Stop means Stop while recording).
        w.transport()->playAction()->trigger();
        QVERIFY(!rec->recording());
        QVERIFY(!rec->recordAction()->isChecked());
        QVERIFY(w.session()->preview(ui::PreviewOwner::Record).empty());
        QCOMPARE(w.session()->preview(ui::PreviewOwner::Generate), variation); // Stop leaves the variations
        QCOMPARE(w.generator()->variationCount(), 2);
        QTRY_VERIFY_WITH_TIMEOUT(!w.transport()->isPlaying(), kTimeoutMs);
        QCOMPARE(w.transport()->playAction()->text(), QString("Play"));

        QCOMPARE(doc->noteCount(), before + 4);
        QCOMPARE(doc->undoStack()->count(), steps + 1);
        QCOMPARE(doc->undoStack()->undoText(), QString("Record notes"));
        const ui::TrackData* track = doc->track(doc->currentTrack());
        QVERIFY(track);
        std::vector<int> pitches;
        for (const auto& [id, n] : track->notes) {
            if (n.pitch == 40) continue;
            pitches.push_back(n.pitch);
            QVERIFY2(n.start >= 480, qPrintable(QString("note at tick %1").arg(n.start)));
            QVERIFY(n.duration >= 1);
            QCOMPARE(int(n.velocity), 100);
            QVERIFY(w.session()->selection().contains(id)); // the take is selected
        }
        std::sort(pitches.begin(), pitches.end());
        QCOMPARE(pitches, (std::vector<int>{60, 62, 64, 67}));
        QCOMPARE(w.session()->selection().size(), qsizetype(4));
        QVERIFY2(w.statusBar()->currentMessage().contains("Recorded 4 notes"),
                 qPrintable(w.statusBar()->currentMessage()));

        // One undo removes the whole take.
        doc->undoStack()->undo();
        QCOMPARE(doc->noteCount(), before);
        doc->undoStack()->redo();
        QCOMPARE(doc->noteCount(), before + 4);
        // The variations are still there to accept, as their own undo step.
        w.generator()->accept();
        QCOMPARE(doc->noteCount(), before + 4 + variation.size());
        QVERIFY(w.session()->preview(ui::PreviewOwner::Generate).empty());
        doc->undoStack()->undo();
        QCOMPARE(doc->noteCount(), before + 4);

        // A take with nothing played: no undo step, and the status bar says so. R stops it too.
        const int stepsNow = doc->undoStack()->count();
        rec->recordAction()->trigger();
        QVERIFY(rec->recording());
        rec->recordAction()->trigger();
        QVERIFY(!rec->recording());
        QCOMPARE(doc->undoStack()->count(), stepsNow);
        QVERIFY(w.statusBar()->currentMessage().contains("Nothing recorded"));
    }

    // With no sound at all (audio off, no output port) the keyboard still records, and Play/Stop (Space)
    // is enabled as the Stop button while it does.
    void recordsWithoutSound() {
        RtMidiOut keyboard(RtMidi::UNIX_JACK, "silent-keyboard");
        keyboard.openVirtualPort("out");
        ui::SoundSettings s;
        s.audioDriver = "none";
        s.soundFont = "/nonexistent/none.sf2";
        s.midiInput = "silent-keyboard:out";
        ui::MainWindow w(servicesWith(s));
        ui::RecordController* rec = w.recorder();
        QTRY_VERIFY_WITH_TIMEOUT(rec->recordAction()->isEnabled(), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(
            !w.transport()->available() && !w.transport()->unavailableText().contains("Loading"), kTimeoutMs);
        QVERIFY(!w.transport()->playAction()->isEnabled());
        rec->recordAction()->trigger();
        QVERIFY(rec->recording());
        QVERIFY(w.transport()->playAction()->isEnabled());
        QVERIFY(playback::waitForJackCycles());
        send(keyboard, 0x90, 72, 90);
        QTest::qWait(50);
        send(keyboard, 0x80, 72, 0);
        QTRY_COMPARE_WITH_TIMEOUT(w.session()->preview(ui::PreviewOwner::Record).size(), std::size_t(1),
                                  kTimeoutMs);
        w.transport()->playAction()->trigger();
        QVERIFY(!rec->recording());
        QVERIFY(!w.transport()->playAction()->isEnabled());
        QCOMPARE(w.document()->noteCount(), std::size_t(1));
        QCOMPARE(int(w.document()->note(*w.session()->selection().begin())->pitch), 72);
    }
};

QTEST_MAIN(RecordTest)
#include "tst_record.moc"
