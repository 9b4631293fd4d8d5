// Playback in the studio: the TransportController in the real MainWindow.
// - Play/Stop, the moving playhead and seeking drive a REAL playback::Player through app's SynthTransport,
//   but into a sink on the steady clock instead of FluidSynth's audio driver: this machine has no sound card,
//   and the audio device is not what is tested here (core/playback's own tests cover the synth).
// - Mute/solo, loop ranges and the "no sound" state use a fake ITransport that records what it is asked,
//   because they are about what the studio asks for, not about sound.
// - Export WAV is a real FluidSynth render (TimGM6mb, the small Debian SoundFont) read back from disk.

#include "app/audio/SynthTransport.h"
#include "ui/MainWindow.h"
#include "ui/PianoRollView.h"
#include "ui/document/Commands.h"
#include "ui/document/Document.h"
#include "ui/playback/TransportController.h"
#include "ui/session/Session.h"

#include <QAction>
#include <QLabel>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>

using namespace continuo;

namespace {

/// A MidiSink on the steady clock that counts what reaches it: lets a real Player run without audio.
class SteadySink final : public playback::MidiSink {
public:
    double clockSeconds() const override {
        return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    }
    double lookaheadSeconds() const override { return 0.05; }
    void sendAt(const playback::MidiMessage& m, double) override {
        if ((m.bytes[0] & 0xF0) == 0x90 && m.bytes[2] > 0) noteOns.fetch_add(1);
    }
    void cancelPending() override {}
    bool canPlay(std::string*) const override { return true; }
    std::atomic<int> noteOns{0};
};

/// Records what the studio asks for; plays nothing.
class FakeTransport final : public ui::ITransport {
public:
    std::string unavailableReason() const override { return reason; }
    void play(const music::Song& s, std::int64_t from) override {
        song = s;
        fromTick = from;
        playing = true;
        ++plays;
    }
    void stop() override { playing = false; }
    bool isPlaying() const override { return playing; }
    void setLoop(std::optional<ui::LoopRange> l) override { loop = l; }
    std::int64_t position() const override { return pos; }
    bool renderWav(const music::Song&, const std::string&, const RenderProgress&) override { return true; }
    std::string reason;
    music::Song song;
    std::int64_t fromTick = -1, pos = 0;
    bool playing = false;
    int plays = 0;
    std::optional<ui::LoopRange> loop;
};

std::filesystem::path smallSoundFont() {
    for (const char* p : {"/usr/share/sounds/sf2/TimGM6mb.sf2", "/usr/share/sounds/sf2/default-GM.sf2"})
        if (std::filesystem::exists(p)) return p;
    return {};
}

/// The real MainWindow on a real SynthTransport whose Player drives a SteadySink (members in destruction
/// order: the window lets go of the transport before the sink it plays into goes).
struct RealTransportStudio {
    SteadySink sink;
    std::shared_ptr<app::SynthTransport> transport =
        std::make_shared<app::SynthTransport>(sink, smallSoundFont());
    ui::MainWindow window{ui::StudioServices{{}, {}, transport, {}, nullptr, nullptr}};
};

/// Two tracks of quarter notes over 4 bars at 120 BPM (8 s), ppq 480.
music::Song twoTracks() {
    music::Song song;
    song.ppq = 480;
    for (int t = 0; t < 2; ++t) {
        music::Track track;
        track.name = t == 0 ? "melody" : "bass";
        track.channel = std::uint8_t(t);
        track.program = t == 0 ? 0 : 32;
        for (int i = 0; i < 16; ++i)
            track.notes.push_back(
                music::Note{i * 480, 400, std::uint8_t(t == 0 ? 72 : 48), 100, track.channel});
        song.tracks.push_back(track);
    }
    return song;
}

struct Wav {
    int rate = 0, channels = 0;
    std::int64_t frames = 0;
    double peak = 0;
};

/// The PCM16 WAV WavWriter writes, walked chunk by chunk.
Wav readWav(const QString& path) {
    std::ifstream in(path.toStdString(), std::ios::binary);
    std::vector<char> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    Wav w;
    auto u32 = [&](std::size_t at) {
        std::uint32_t v;
        std::memcpy(&v, b.data() + at, 4);
        return v;
    };
    auto u16 = [&](std::size_t at) {
        std::uint16_t v;
        std::memcpy(&v, b.data() + at, 2);
        return v;
    };
    if (b.size() < 12 || std::memcmp(b.data(), "RIFF", 4) != 0) return w;
    for (std::size_t at = 12; at + 8 <= b.size(); at += 8 + u32(at + 4) + (u32(at + 4) & 1)) {
        if (std::memcmp(b.data() + at, "fmt ", 4) == 0) {
            w.channels = u16(at + 10);
            w.rate = int(u32(at + 12));
        } else if (std::memcmp(b.data() + at, "data", 4) == 0 && w.channels > 0) {
            const std::size_t n = std::min<std::size_t>(u32(at + 4), b.size() - at - 8) / 2;
            w.frames = std::int64_t(n) / w.channels;
            for (std::size_t i = 0; i < n; ++i) {
                std::int16_t s;
                std::memcpy(&s, b.data() + at + 8 + 2 * i, 2);
                w.peak = std::max(w.peak, std::abs(s / 32768.0));
            }
        }
    }
    return w;
}

} // namespace

class TransportTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void spaceTogglesPlayAndPlayheadMoves() {
        RealTransportStudio studio;
        ui::MainWindow& w = studio.window;
        w.document()->reset(twoTracks());
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.roll()->setFocus();
        ui::TransportController* t = w.transport();
        QVERIFY(t->available());
        QVERIFY(t->playAction()->isEnabled());
        QSignalSpy changed(t, &ui::TransportController::playingChanged);

        QTest::keyClick(w.roll(), Qt::Key_Space);
        QVERIFY(t->isPlaying());
        QVERIFY(t->playAction()->isChecked());
        QCOMPARE(changed.count(), 1);
        // The real player advances on the steady clock; the 30 Hz timer moves the roll's playhead.
        QTRY_VERIFY_WITH_TIMEOUT(w.session()->playhead() > 240, 5000);
        QVERIFY(studio.sink.noteOns.load() > 0);

        QTest::keyClick(w.roll(), Qt::Key_Space);
        QVERIFY(!t->isPlaying());
        QTRY_VERIFY(!studio.transport->isPlaying());
        QVERIFY(!t->playAction()->isChecked());
        const std::int64_t stoppedAt = w.session()->playhead();
        QTest::qWait(100);
        QCOMPARE(w.session()->playhead(), stoppedAt); // stopped means stopped

        // Play again from a playhead the user set: the sound starts there.
        w.session()->setPlayhead(4 * 480);
        QTest::keyClick(w.roll(), Qt::Key_Space);
        QTRY_VERIFY(studio.transport->position() >= 4 * 480);
        QVERIFY(w.session()->playhead() >= 4 * 480);
        t->stop();
        QTRY_VERIFY(!studio.transport->isPlaying());
    }

    void songEndsByItself() {
        RealTransportStudio studio;
        ui::MainWindow& w = studio.window;
        music::Song song = twoTracks();
        for (auto& tr : song.tracks)
            tr.notes.resize(1); // one 400-tick note: about 0.4 s
        w.document()->reset(song);
        QSignalSpy changed(w.transport(), &ui::TransportController::playingChanged);
        w.transport()->togglePlay();
        QTRY_COMPARE_WITH_TIMEOUT(changed.count(), 2, 5000); // started, then ended by itself
        QVERIFY(!w.transport()->playAction()->isChecked());
        QVERIFY(w.session()->playhead() > 0);
    }

    void muteAndSoloAreRespected() {
        auto fake = std::make_shared<FakeTransport>();
        ui::StudioServices services;
        services.transport = fake;
        ui::MainWindow w(services);
        std::vector<ui::TrackProps> props(2);
        props[0].name = "melody";
        props[1].name = "bass";
        props[1].mute = true;
        w.document()->reset(twoTracks(), props);
        w.transport()->togglePlay();
        QCOMPARE(fake->plays, 1);
        QCOMPARE(fake->song.tracks.size(), std::size_t(2));
        QCOMPARE(fake->song.tracks[0].notes.size(), std::size_t(16));
        QVERIFY(fake->song.tracks[1].notes.empty());
        w.transport()->togglePlay();
        QVERIFY(!fake->playing);

        // Solo the bass (unmuted): only it sounds. The change applies while playing.
        w.transport()->togglePlay();
        ui::TrackProps bass = w.document()->tracks()[1].props;
        bass.mute = false;
        bass.solo = true;
        w.document()->undoStack()->push(
            ui::TrackCommand::changeProps(w.document(), w.document()->tracks()[1].id, bass, "solo"));
        QCOMPARE(fake->plays, 3);
        QVERIFY(fake->song.tracks[0].notes.empty());
        QCOMPARE(fake->song.tracks[1].notes.size(), std::size_t(16));
    }

    void loopSelectionOrSong() {
        auto fake = std::make_shared<FakeTransport>();
        ui::StudioServices services;
        services.transport = fake;
        ui::MainWindow w(services);
        w.document()->reset(twoTracks());
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        w.roll()->setFocus();
        QTest::keyClick(w.roll(), Qt::Key_L); // nothing selected: the whole song
        QVERIFY(w.transport()->loopAction()->isChecked());
        QVERIFY(fake->loop);
        QCOMPARE(fake->loop->start, std::int64_t(0));
        QCOMPARE(fake->loop->end, w.document()->endTick());

        QSet<ui::NoteId> two;
        const auto& notes = w.document()->tracks()[0].notes;
        auto it = notes.begin();
        std::advance(it, 4);
        two.insert(it->first);
        two.insert(std::next(it)->first);
        w.session()->setSelection(two);
        w.transport()->togglePlay(); // play re-reads the loop from the selection
        QVERIFY(fake->loop);
        QCOMPARE(fake->loop->start, std::int64_t(4 * 480));
        QCOMPARE(fake->loop->end, std::int64_t(5 * 480 + 400));

        QTest::keyClick(w.roll(), Qt::Key_L);
        QVERIFY(!fake->loop);
    }

    void tempoIsOneUndoStep() {
        ui::MainWindow w;
        w.document()->reset(twoTracks());
        auto* box = w.findChild<QSpinBox*>("tempoBox");
        QVERIFY(box);
        QCOMPARE(box->value(), 120);
        const int before = w.document()->undoStack()->count();
        box->setValue(90);
        QCOMPARE(w.document()->undoStack()->count(), before + 1);
        QCOMPARE(w.document()->meta().tempos.size(), std::size_t(1));
        QCOMPARE(w.document()->meta().tempos[0].microsPerQuarter, 666667u);
        w.document()->undoStack()->undo();
        QVERIFY(w.document()->meta().tempos.empty());
        QCOMPARE(box->value(), 120); // the box follows undo
        w.document()->undoStack()->redo();
        QCOMPARE(box->value(), 90);
    }

    void noSoundSaysSoAndDisablesPlay() {
        auto fake = std::make_shared<FakeTransport>();
        fake->reason = "no audio device (pulseaudio: connection refused)";
        ui::StudioServices services;
        services.transport = fake;
        ui::MainWindow w(services);
        w.document()->reset(twoTracks());
        w.show();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QVERIFY(!w.transport()->available());
        QVERIFY(!w.transport()->playAction()->isEnabled());
        QVERIFY(!w.transport()->loopAction()->isEnabled());
        w.roll()->setFocus();
        QTest::keyClick(w.roll(), Qt::Key_Space);
        QCOMPARE(fake->plays, 0);
        bool said = false;
        for (QLabel* l : w.statusBar()->findChildren<QLabel*>())
            said = said || l->text().contains("no audio device");
        QVERIFY(said);
    }

    void exportWavRendersOnWorker() {
        if (smallSoundFont().empty()) QSKIP("no General MIDI SoundFont installed");
        RealTransportStudio studio;
        ui::MainWindow& w = studio.window;
        w.document()->reset(twoTracks());
        QTemporaryDir dir;
        const QString path = dir.filePath("song.wav");
        QSignalSpy done(w.transport(), &ui::TransportController::wavExported);
        w.transport()->exportWav(path);
        QVERIFY(w.transport()->exporting()); // on the thread pool: the GUI thread came straight back
        QVERIFY(done.wait(60000));
        QCOMPARE(done.first().at(0).toString(), path);
        QCOMPARE(done.first().at(1).toString(), QString());
        const Wav wav = readWav(path);
        QCOMPARE(wav.channels, 2);
        QCOMPARE(wav.rate, 44100);
        // 16 quarter notes at 120 BPM end at 7.5 + 0.4167 s; the render adds a 2 s tail.
        const double expected = w.document()->toSong().secondsAt(w.document()->endTick()) + 2.0;
        QVERIFY2(std::abs(wav.frames / 44100.0 - expected) < 0.05,
                 qPrintable(QString("%1 s, expected %2 s").arg(wav.frames / 44100.0).arg(expected)));
        QVERIFY2(wav.peak > 0.05, qPrintable(QString("peak %1").arg(wav.peak)));
    }

    void exportWavErrorIsReported() {
        if (smallSoundFont().empty()) QSKIP("no General MIDI SoundFont installed");
        RealTransportStudio studio;
        ui::MainWindow& w = studio.window;
        w.document()->reset(twoTracks());
        QSignalSpy done(w.transport(), &ui::TransportController::wavExported);
        w.transport()->exportWav("/nonexistent-folder/song.wav");
        QVERIFY(done.wait(60000));
        QVERIFY(!done.first().at(1).toString().isEmpty());
    }
};

QTEST_MAIN(TransportTest)
#include "tst_transport.moc"
