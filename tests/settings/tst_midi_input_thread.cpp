// Notes played on a MIDI keyboard are heard while the GUI thread is busy (issue 20): the studio's transport
// listens to a real JACK MIDI port (a private JACK server, dummy driver; the keyboard is an RtMidi virtual
// output port) and plays through FluidSynth's JACK audio driver on the same server. The test's main thread,
// which is the GUI thread, then spins for 500 ms without an event loop, as a slow repaint would, and watches
// the synth: the note must sound (a voice becomes active) before the spin ends. It must also still reach the
// recorder, on the GUI thread, once the event loop runs again.

#include "SettingsTestUtil.h"
#include "playback/PlaybackTestUtil.h"

#include "app/audio/SynthTransport.h"
#include "playback/MidiSystem.h"
#include "playback/Synth.h"

#include <QElapsedTimer>
#include <QtTest>

#include <RtMidi.h>

#include <algorithm>

using namespace continuo;

namespace {
constexpr int kTimeoutMs = 60000; // loading a SoundFont on a loaded 2-core machine
// The GUI thread's busy spell: JACK needs a period or two (21 ms each here) and a loaded machine more.
constexpr int kBusyMs = 500;
} // namespace

class MidiInputThreadTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<test::PrivateJack> jack_;

private Q_SLOTS:
    void initTestCase() {
        test::useTestSettings();
        try {
            jack_ = std::make_unique<test::PrivateJack>(dir_, "continuo-tst-midi-input-thread");
        } catch (const playback::PlaybackError& e) {
            QFAIL(e.what()); // jackd2 is a test dependency (scripts/install-deps.sh)
        }
    }

    void cleanupTestCase() { jack_.reset(); }

    void keyboardIsHeardWhileTheGuiThreadIsBusy() {
        const std::string font = test::testSoundFont().string();
        if (font.empty()) QSKIP("no General MIDI SoundFont installed");
        const auto drivers = playback::Synth::audioDrivers();
        if (std::find(drivers.begin(), drivers.end(), "jack") == drivers.end())
            QSKIP("this FluidSynth has no JACK driver");
        RtMidiOut keyboard(RtMidi::UNIX_JACK, "busy-keyboard");
        keyboard.openVirtualPort("out");
        ui::SoundSettings s;
        s.soundFont = font;
        s.audioDriver = "jack"; // a running audio clock without a sound card
        s.midiInput = "busy-keyboard:out";
        auto t = app::SynthTransport::create(s);
        QCOMPARE(t->inputPort(), std::string("busy-keyboard:out"));
        QTRY_VERIFY_WITH_TIMEOUT(!t->isLoading(), kTimeoutMs);
        playback::Synth* synth = t->synth();
        QVERIFY2(synth && synth->hasAudio(), synth ? synth->audioStatus().c_str() : "no synth");
        t->startRecording(test::songOf({}), 0, 0);
        QVERIFY(t->isRecording());
        QVERIFY(playback::waitForJackCycles()); // the port connection is in place
        QCOMPARE(synth->activeVoiceCount(), 0);

        std::vector<unsigned char> on{0x90, 60, 100};
        keyboard.sendMessage(&on);
        // The GUI thread is busy: no event loop, no timers, until the spell is over.
        QElapsedTimer busy;
        busy.start();
        qint64 heardAfterMs = -1;
        while (busy.elapsed() < kBusyMs) {
            if (heardAfterMs < 0 && synth->activeVoiceCount() > 0) heardAfterMs = busy.elapsed();
        }
        QVERIFY2(heardAfterMs >= 0, "the note did not sound while the GUI thread was busy");
        qInfo("heard %lld ms after the key was pressed, while the GUI thread was busy", heardAfterMs);

        // The recorder still gets the note, on the GUI thread, once its event loop runs.
        QVERIFY(t->recordedSoFar().empty());
        std::vector<unsigned char> off{0x80, 60, 0};
        keyboard.sendMessage(&off);
        QTRY_COMPARE_WITH_TIMEOUT(t->recordedSoFar().size(), std::size_t(1), kTimeoutMs);
        QCOMPARE(int(t->recordedSoFar().front().pitch), 60);
        QCOMPARE(t->finishRecording().size(), std::size_t(1));
    }
};

QTEST_MAIN(MidiInputThreadTest)
#include "tst_midi_input_thread.moc"
