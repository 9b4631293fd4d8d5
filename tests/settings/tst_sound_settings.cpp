// The sound side of the settings, real components throughout:
// - SoundPage checks the SoundFont field (a text file renamed .sf2 is refused with a sentence naming it;
//   the system SoundFont is accepted) and its Test note loads the SoundFont on a worker;
// - StudioSoundSystem lists the MIDI ports of a private JACK server (dummy driver);
// - SynthTransport routed to a JACK MIDI port plays the song into it, auditions through it and passes what
//   arrives on a MIDI input on to it (checked by an independent RtMidi receiver);
// - the SoundFont loads off the calling thread: loading → ready, a failed switch keeps the old synth, gain
//   applies live. The audio driver is "none" so this runs on a machine without a sound card.

#include "SettingsTestUtil.h"
#include "playback/PlaybackTestUtil.h"

#include "app/audio/StudioSoundSystem.h"
#include "app/audio/SynthTransport.h"
#include "ui/MainWindow.h"
#include "ui/document/Document.h"
#include "ui/generate/GeneratePanel.h"
#include "ui/playback/TransportController.h"
#include "ui/settings/MidiPage.h"
#include "ui/settings/SettingsController.h"
#include "ui/settings/SettingsStore.h"
#include "ui/settings/SoundPage.h"

#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStatusBar>
#include <QtTest>

#include <RtMidi.h>

#include <algorithm>

using namespace continuo;
using playback::MidiMessage;
using test::note;

namespace {
constexpr int kTimeoutMs = 60000; // loading a SoundFont on a loaded 2-core machine

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

int noteOnsOf(const test::RtReceiver& r, int key) {
    const auto got = r.received();
    return int(std::count_if(got.begin(), got.end(), [key](const test::Received& m) {
        return m.message.isNoteOn() && m.message.bytes[1] == key;
    }));
}

/// Counts the state listener's calls and keeps the notices.
struct Listener {
    explicit Listener(ui::ITransport& t) {
        t.setStateListener([this](const std::string& n) {
            ++calls;
            notices.push_back(n);
        });
    }
    int calls = 0;
    std::vector<std::string> notices;
};
} // namespace

class SoundSettingsTest : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::unique_ptr<test::PrivateJack> jack_;
    std::shared_ptr<app::StudioSoundSystem> sound_;
    std::string font_;

private Q_SLOTS:
    void initTestCase() {
        test::useTestSettings();
        try {
            jack_ = std::make_unique<test::PrivateJack>(dir_, "continuo-tst-sound-settings");
        } catch (const playback::PlaybackError& e) {
            QFAIL(e.what());
        }
        sound_ = std::make_shared<app::StudioSoundSystem>();
        font_ = test::testSoundFont().string();
    }

    void cleanupTestCase() { jack_.reset(); }

    void soundPageRejectsATextFileNamedSf2() {
        const QString fake = dir_.filePath("piano.sf2");
        QFile f(fake);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not a SoundFont, just text\n");
        f.close();
        ui::SoundPage page(sound_);
        page.load(ui::SettingsStore::studio().current());
        page.soundFontEdit()->setText(fake);
        const QString why = page.problem();
        QVERIFY2(why.contains("piano.sf2") && why.contains("SoundFont"), qPrintable(why));
        QVERIFY(!page.soundFontStatus()->isHidden());
        QVERIFY(page.soundFontStatus()->text().contains(why));
        // Test note says the same, without starting a worker.
        QSignalSpy done(&page, &ui::SoundPage::testFinished);
        page.testButton()->click();
        QCOMPARE(done.count(), 1);
        QCOMPARE(done.first().at(0).toBool(), false);
        QCOMPARE(done.first().at(1).toString(), why);
        // A file that does not exist is a different sentence.
        page.soundFontEdit()->setText(dir_.filePath("missing.sf2"));
        QVERIFY(!page.problem().isEmpty());
        QVERIFY(page.problem() != why);
    }

    void soundPageAcceptsTheSystemSoundFont() {
        if (font_.empty()) QSKIP("no General MIDI SoundFont installed");
        ui::SoundPage page(sound_);
        page.load(ui::SettingsStore::studio().current());
        page.soundFontEdit()->setText(QString::fromStdString(font_));
        QCOMPARE(page.problem(), QString());
        QVERIFY(page.soundFontStatus()->text().startsWith("✓"));
        // The empty field means the default lookup, which finds a SoundFont here too.
        QVERIFY(!sound_->defaultSoundFont().empty());
        page.soundFontEdit()->clear();
        QCOMPARE(page.problem(), QString());
        QVERIFY(page.soundFontEdit()->placeholderText().startsWith("Default ("));

        // Test note: the SoundFont loads on the pool (the button is disabled meanwhile); with the driver
        // "none" nothing sounds, and the page says that rather than pretending.
        page.soundFontEdit()->setText(QString::fromStdString(font_));
        page.driverBox()->setCurrentIndex(page.driverBox()->findData("none"));
        QSignalSpy done(&page, &ui::SoundPage::testFinished);
        page.playTestNote();
        QVERIFY(page.testing());
        QVERIFY(!page.testButton()->isEnabled());
        QCOMPARE(page.testStatus()->text(), QString("Loading SoundFont…"));
        QVERIFY(done.wait(kTimeoutMs));
        QCOMPARE(done.first().at(0).toBool(), false);
        const QString said = done.first().at(1).toString();
        QVERIFY2(said.contains("loads, but nothing can be heard") && said.contains("audio off"),
                 qPrintable(said));
        QVERIFY(page.testButton()->isEnabled());
        QVERIFY(page.testStatus()->text().contains(said));
    }

    // Through FluidSynth's JACK driver on the private server (dummy driver: a real audio driver with a
    // running clock, no sound card), the test chord is played and the page says with what.
    void testNoteThroughJack() {
        if (font_.empty()) QSKIP("no General MIDI SoundFont installed");
        ui::SoundPage page(sound_);
        page.load(ui::SettingsStore::studio().current());
        page.soundFontEdit()->setText(QString::fromStdString(font_));
        const int jack = page.driverBox()->findData("jack");
        if (jack < 0) QSKIP("this FluidSynth has no JACK driver");
        page.driverBox()->setCurrentIndex(jack);
        QSignalSpy done(&page, &ui::SoundPage::testFinished);
        page.testButton()->click();
        QVERIFY(done.wait(kTimeoutMs));
        const QString said = done.first().at(1).toString();
        QVERIFY2(done.first().at(0).toBool(), qPrintable(said));
        QVERIFY2(said.startsWith("Played a C major chord") && said.contains("audio: jack"), qPrintable(said));
    }

    void soundSystemListsJackPorts() {
        test::RtReceiver synth("sound-test-synth");
        synth.openVirtual("in");
        RtMidiOut keyboard(RtMidi::UNIX_JACK, "sound-test-keyboard");
        keyboard.openVirtualPort("out");
        const ui::MidiPortList ports = sound_->midiPorts();
        QVERIFY2(ports.problem.empty(), ports.problem.c_str());
        QVERIFY(contains(ports.outputs, "sound-test-synth:in"));
        QVERIFY(contains(ports.inputs, "sound-test-keyboard:out"));
        QVERIFY(!contains(ports.outputs, "sound-test-keyboard:out"));

        // The MIDI page lists them on a worker.
        ui::MidiPage page(sound_);
        QSignalSpy listed(&page, &ui::MidiPage::portsListed);
        if (page.listing()) QVERIFY(listed.wait(kTimeoutMs));
        QVERIFY(page.outputBox()->findData("sound-test-synth:in") > 0);
        QVERIFY(page.inputBox()->findData("sound-test-keyboard:out") > 0);
        // A port that appears later shows after Refresh.
        test::RtReceiver later("sound-test-later");
        later.openVirtual("in");
        QVERIFY(page.outputBox()->findData("sound-test-later:in") < 0);
        page.refreshButton()->click();
        QVERIFY(listed.wait(kTimeoutMs));
        QVERIFY(page.outputBox()->findData("sound-test-later:in") > 0);
        QVERIFY2(page.status()->text().contains("output port"), qPrintable(page.status()->text()));
    }

    // Playback, the audition and a MIDI keyboard all reach the chosen output port.
    void transportRoutedToAJackPort() {
        test::RtReceiver synth("route-synth");
        synth.openVirtual("in");
        RtMidiOut keyboard(RtMidi::UNIX_JACK, "route-keyboard");
        keyboard.openVirtualPort("out");
        ui::SoundSettings s;
        s.soundFont = font_;
        s.audioDriver = "none";
        s.midiOutput = "route-synth:in";
        s.midiInput = "route-keyboard:out";
        auto t = app::SynthTransport::create(s);
        Listener l(*t);
        QTRY_VERIFY_WITH_TIMEOUT(l.calls >= 1, kTimeoutMs);
        QVERIFY2(l.notices.front().empty(), l.notices.front().c_str()); // both ports opened
        QCOMPARE(t->outputPort(), std::string("route-synth:in"));
        QCOMPARE(t->inputPort(), std::string("route-keyboard:out"));
        // A port plays without waiting for the SoundFont.
        QVERIFY(!t->isLoading());
        QCOMPARE(t->unavailableReason(), std::string());

        const music::Song song = test::songOf({note(0, 240, 60), note(240, 240, 64), note(480, 240, 67)});
        t->play(song, 0);
        QTRY_VERIFY_WITH_TIMEOUT(
            noteOnsOf(synth, 60) == 1 && noteOnsOf(synth, 64) == 1 && noteOnsOf(synth, 67) == 1, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!t->isPlaying(), kTimeoutMs);

        app::SynthAudition audition(t);
        audition.noteOn(0, 0, 72, 90);
        QTRY_COMPARE_WITH_TIMEOUT(noteOnsOf(synth, 72), 1, kTimeoutMs);
        audition.noteOff(0, 72);

        // The keyboard's note is heard through the output (the input is polled on this thread's loop).
        QVERIFY(playback::waitForJackCycles());
        std::vector<unsigned char> on{0x90, 76, 100};
        keyboard.sendMessage(&on);
        QTRY_COMPARE_WITH_TIMEOUT(noteOnsOf(synth, 76), 1, kTimeoutMs);

        // Back to the built-in synth: nothing more reaches the port.
        ui::SoundSettings back = s;
        back.midiOutput.clear();
        back.midiInput.clear();
        t->configure(back);
        QCOMPARE(t->outputPort(), std::string());
        QCOMPARE(t->inputPort(), std::string());
        const std::size_t before = synth.count();
        audition.noteOn(0, 0, 79, 90);
        t->play(song, 0);
        QTest::qWait(300); // a negative check: give a wrongly routed note time to arrive
        QCOMPARE(noteOnsOf(synth, 79), 0);
        QCOMPARE(synth.count(), before);
    }

    // The sound system listens to the store (wired by the SettingsController): a saved change of the Sound
    // or MIDI fields reaches the running transport, whoever saved it; other fields leave it alone.
    void savedSoundSettingsReachTheTransport() {
        ui::SoundSettings s;
        s.soundFont = font_;
        s.audioDriver = "none";
        auto t = app::SynthTransport::create(s);
        ui::SettingsController controller(nullptr, std::make_shared<app::StudioSoundSystem>(t));
        ui::SettingsStore& store = ui::SettingsStore::studio();
        ui::StudioSettings next = store.current();
        next.sound = s;
        next.sound.gain = 0.9;
        QVERIFY(store.save(next).touches(ui::sections::kSound));
        QCOMPARE(t->settings().gain, 0.9);
        QCOMPARE(t->settings().soundFont, font_);
        // A change of another section does not touch the sound system.
        ui::StudioSettings stored = store.current();
        stored.compute.threads = 1;
        QCOMPARE(store.save(stored).fields, ui::SettingsFields(ui::SettingsField::CpuThreads));
        QCOMPARE(t->settings().gain, 0.9);
        store.save(ui::StudioSettings{});
    }

    void portThatCannotOpenFallsBackToTheSynth() {
        ui::SoundSettings s;
        s.soundFont = font_;
        s.audioDriver = "none";
        s.midiOutput = "no-such-port-anywhere";
        auto t = app::SynthTransport::create(s);
        Listener l(*t);
        QCOMPARE(t->outputPort(), std::string());
        QTRY_VERIFY_WITH_TIMEOUT(l.calls >= 1, kTimeoutMs);
        QVERIFY2(l.notices.front().find("no-such-port-anywhere") != std::string::npos,
                 l.notices.front().c_str());
        QVERIFY(l.notices.front().find("built-in synth") != std::string::npos);
    }

    // The SoundFont loads on the pool: the call returns at once saying "loading", the listener hears when
    // it is ready; a switch to a bad file keeps the loaded synth; the gain changes live, without a load.
    void soundFontLoadsOffTheCallingThread() {
        if (font_.empty()) QSKIP("no General MIDI SoundFont installed");
        ui::SoundSettings s;
        s.soundFont = font_;
        s.audioDriver = "none";
        auto t = app::SynthTransport::create(s);
        QVERIFY(t->isLoading());
        QCOMPARE(t->unavailableReason(), std::string("loading SoundFont…"));
        QVERIFY(!t->synth());
        Listener l(*t);
        QTRY_VERIFY_WITH_TIMEOUT(!t->isLoading(), kTimeoutMs);
        QVERIFY(t->synth());
        QCOMPARE(t->synth()->soundFont().string(), font_);
        QTRY_VERIFY_WITH_TIMEOUT(!l.notices.empty() && l.notices.back().find("loaded") != std::string::npos,
                                 kTimeoutMs);
        QVERIFY2(t->unavailableReason().find("audio off") != std::string::npos,
                 t->unavailableReason().c_str());
        playback::Synth* loaded = t->synth();

        ui::SoundSettings louder = s;
        louder.gain = 1.5;
        t->configure(louder);
        QVERIFY(!t->isLoading());
        QCOMPARE(t->synth(), loaded);
        QCOMPARE(t->synth()->gain(), 1.5);

        const QString fake = dir_.filePath("broken.sf2");
        QFile f(fake);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("RIFF");
        f.close();
        ui::SoundSettings bad = louder;
        bad.soundFont = fake.toStdString();
        const int callsBefore = l.calls;
        t->configure(bad);
        QVERIFY(t->isLoading());
        QTRY_VERIFY_WITH_TIMEOUT(!t->isLoading(), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(l.calls >= callsBefore + 2, kTimeoutMs); // loading, then the outcome
        QCOMPARE(t->synth(), loaded);
        const std::string said = l.notices.back();
        QVERIFY2(said.find("Could not switch") != std::string::npos &&
                     said.find("broken.sf2") != std::string::npos &&
                     said.find(test::testSoundFont().filename().string()) != std::string::npos,
                 said.c_str());
    }

    // Issue #6: the studio window is there before the SoundFont; Play says "Loading SoundFont…" and the
    // status bar follows the transport's state when the load is over.
    void studioOpensBeforeTheSoundFont() {
        if (font_.empty()) QSKIP("no General MIDI SoundFont installed");
        ui::SoundSettings s;
        s.soundFont = font_;
        s.audioDriver = "none";
        auto transport = app::SynthTransport::create(s);
        ui::StudioServices services;
        services.transport = transport;
        services.audition = std::make_shared<app::SynthAudition>(transport);
        services.sound = std::make_shared<app::StudioSoundSystem>(transport);
        ui::MainWindow w(services);
        w.show();
        QVERIFY(transport->isLoading());
        QVERIFY(!w.transport()->playAction()->isEnabled());
        QCOMPARE(w.transport()->playAction()->toolTip(), QString("Loading SoundFont…"));
        const auto stateLabel = [&w] {
            for (QLabel* l : w.statusBar()->findChildren<QLabel*>())
                if (!l->isHidden() && !l->text().isEmpty()) return l->text();
            return QString();
        };
        QCOMPARE(stateLabel(), QString("Loading SoundFont…"));
        const auto listen = [&w]() -> QPushButton* {
            for (QPushButton* b : w.generatePanel()->findChildren<QPushButton*>())
                if (b->text().startsWith("Listen")) return b;
            return nullptr;
        };
        QVERIFY(listen());
        QVERIFY(!listen()->isEnabled());
        QSignalSpy changed(w.transport(), &ui::TransportController::availabilityChanged);
        QTRY_VERIFY_WITH_TIMEOUT(!transport->isLoading(), kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!changed.isEmpty(), kTimeoutMs);
        // Loaded, but "none" plays nothing: the reason changes to that (the status line follows the
        // availability change through the event loop, so it is waited for, not read at once).
        QVERIFY(!w.transport()->playAction()->isEnabled());
        QTRY_VERIFY2_WITH_TIMEOUT(stateLabel().contains("audio off"), qPrintable(stateLabel()), kTimeoutMs);

        // Settings › Sound › driver JACK: the new synth loads while this one stays, then Play is enabled
        // and the status bar line goes away.
        const std::vector<std::string> drivers = services.sound->audioDrivers();
        if (!contains(drivers, "jack")) QSKIP("this FluidSynth has no JACK driver");
        playback::Synth* old = transport->synth();
        ui::SoundSettings jack = s;
        jack.audioDriver = "jack";
        changed.clear();
        services.sound->apply(jack);
        QVERIFY(transport->isLoading());
        QCOMPARE(transport->synth(), old);                          // still there until the new one is ready
        QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 2, kTimeoutMs); // loading, then loaded
        QVERIFY(!transport->isLoading());
        QVERIFY(transport->synth() != old);
        QCOMPARE(transport->synth()->audioDriver(), std::string("jack"));
        QVERIFY(w.transport()->playAction()->isEnabled());
        QCOMPARE(stateLabel(), QString());
        QVERIFY(listen()->isEnabled()); // the Generate panel's Listen follows the transport
        QVERIFY2(changed.last().first().toString().contains("loaded"),
                 qPrintable(changed.last().first().toString()));
        // Play really plays now: the playhead moves on JACK's clock.
        music::Song song = test::songOf({note(0, 60 * 480, 60)}); // 30 s: outlasts the switch below
        w.document()->reset(song);
        w.transport()->togglePlay();
        QTRY_VERIFY_WITH_TIMEOUT(transport->position() > 0, kTimeoutMs);

        // A switch that fails (a damaged file) says why and keeps playing what plays.
        const QString broken = dir_.filePath("damaged.sf2");
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("RIFF");
        f.close();
        ui::SoundSettings bad = jack;
        bad.soundFont = broken.toStdString();
        changed.clear();
        services.sound->apply(bad);
        QTRY_VERIFY_WITH_TIMEOUT(changed.count() >= 2, kTimeoutMs);
        QVERIFY(!transport->isLoading());
        QVERIFY2(changed.last().first().toString().startsWith("Could not switch the sound"),
                 qPrintable(changed.last().first().toString()));
        QCOMPARE(transport->synth()->audioDriver(), std::string("jack"));
        QVERIFY(w.transport()->isPlaying());
        const std::int64_t at = transport->position();
        QTRY_VERIFY_WITH_TIMEOUT(transport->position() > at, kTimeoutMs); // still moving

        // Back to "none", asked for while playing: the switch stops the sound and Play says why it is off.
        playback::Synth* onJack = transport->synth();
        changed.clear();
        services.sound->apply(s);
        QTRY_VERIFY_WITH_TIMEOUT(transport->synth() != onJack, kTimeoutMs);
        QTRY_VERIFY_WITH_TIMEOUT(!w.transport()->isPlaying(), kTimeoutMs);
        // The buttons and the state line follow the transport's notice, queued after the swap: wait for it.
        QTRY_VERIFY_WITH_TIMEOUT(stateLabel().contains("audio off"), kTimeoutMs);
        QVERIFY(!w.transport()->playAction()->isChecked());
        QVERIFY(!w.transport()->playAction()->isEnabled());
    }
};

QTEST_MAIN(SoundSettingsTest)
#include "tst_sound_settings.moc"
