// Without the systems playback needs, each failure is one clear sentence and a kind the UI can show: no
// ALSA sequencer, no JACK server, no audio device, no jackd to start. Nothing hangs, nothing prints.

#include "PlaybackTestUtil.h"

#include "playback/JackMidiMonitor.h"
#include "playback/JackMidiOut.h"
#include "playback/JackServerProcess.h"
#include "playback/MidiIn.h"
#include "playback/MidiOut.h"
#include "playback/MidiSystem.h"
#include "playback/PlaybackError.h"
#include "playback/Synth.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using namespace continuo;
using playback::ErrorKind;

namespace {

// Runs `f`, expects a PlaybackError of `kind`, and returns its message.
std::string errorOf(const std::function<void()>& f, ErrorKind kind) {
    try {
        f();
    } catch (const playback::PlaybackError& e) {
        if (e.kind() != kind) return std::string("wrong kind: ") + e.what();
        return e.what();
    }
    return "no exception";
}

} // namespace

class TestPlaybackErrors : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    std::string absentServer_;

private Q_SLOTS:
    void initTestCase() {
        // Before any ALSA or JACK call in this process: an empty ALSA configuration has no "default"
        // sequencer on any machine, and no JACK server answers to this name.
        const QString emptyConf = dir_.filePath("empty-alsa.conf");
        QFile f(emptyConf);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        qputenv("ALSA_CONFIG_PATH", emptyConf.toLocal8Bit());
        absentServer_ = "continuo-absent-" + std::to_string(QCoreApplication::applicationPid());
        qputenv("JACK_DEFAULT_SERVER", QByteArray::fromStdString(absentServer_));
    }

    void noAlsaSequencer() {
        const playback::MidiApiStatus st = playback::probeMidiApi(playback::MidiApi::Alsa);
        QVERIFY(!st.available);
        QVERIFY2(st.reason.starts_with("no ALSA sequencer ("), st.reason.c_str());
        const std::string out =
            errorOf([] { playback::MidiOut o(playback::MidiApi::Alsa); }, ErrorKind::NoMidiSystem);
        QVERIFY2(out.starts_with("no MIDI system: no ALSA sequencer ("), out.c_str());
        const std::string in =
            errorOf([] { playback::MidiIn i(playback::MidiApi::Alsa); }, ErrorKind::NoMidiSystem);
        QCOMPARE(in, out);
        QCOMPARE(errorOf([] { playback::listMidiPorts(playback::MidiApi::Alsa); }, ErrorKind::NoMidiSystem),
                 out);
    }

    void noJackServer() {
        QElapsedTimer t;
        t.start();
        const std::string expected = "no JACK server running (named \"" + absentServer_ + "\")";
        QCOMPARE(errorOf([] { playback::MidiOut o(playback::MidiApi::Jack); }, ErrorKind::NoJackServer),
                 expected);
        QCOMPARE(errorOf([] { playback::MidiIn i(playback::MidiApi::Jack); }, ErrorKind::NoJackServer),
                 expected);
        QCOMPARE(errorOf([] { playback::JackMidiOut o("continuo-test"); }, ErrorKind::NoJackServer),
                 std::string("no JACK server running"));
        QCOMPARE(errorOf([] { playback::JackMidiMonitor m("continuo-test"); }, ErrorKind::NoJackServer),
                 std::string("no JACK server running for the MIDI monitor"));
        QVERIFY(!playback::JackServerProcess::isRunning(absentServer_));
        // JACK_NO_START_SERVER: libjack does not try to start a server for seconds first.
        QVERIFY2(t.elapsed() < 3000, qPrintable(QString("%1 ms").arg(t.elapsed())));
    }

    void noMidiSystemAtAll() {
        const std::string e =
            errorOf([] { playback::MidiOut o(playback::MidiApi::Auto); }, ErrorKind::NoMidiSystem);
        QVERIFY2(e.starts_with("no MIDI system: no ALSA sequencer ("), e.c_str());
        QVERIFY2(e.ends_with(" and no JACK server running (named \"" + absentServer_ + "\")"), e.c_str());
    }

    void noAudioDeviceForANamedDriver() {
        const auto sf = test::testSoundFont();
        if (sf.empty()) QSKIP("no SoundFont installed");
        QElapsedTimer t;
        t.start();
        const std::string e = errorOf(
            [&] {
                playback::Synth s({sf, 48000, 0.6, "jack", 256});
            },
            ErrorKind::NoAudioDevice);
        QVERIFY2(e.starts_with("no audio device (jack: "), e.c_str());
        QVERIFY(t.elapsed() < 5000);
        const std::string unknown = errorOf(
            [&] {
                playback::Synth s({sf, 48000, 0.6, "coreaudio", 256});
            },
            ErrorKind::NoAudioDevice);
        QVERIFY2(unknown.starts_with("no audio device (coreaudio: "), unknown.c_str());
    }

    void jackdThatCannotStart() {
        playback::JackServerProcess::Options o;
        o.jackd = "/nonexistent/jackd";
        QCOMPARE(errorOf([&] { playback::JackServerProcess s(o); }, ErrorKind::ServerFailed),
                 std::string("cannot run /nonexistent/jackd: not found (install jackd2)"));
        o.jackd = "false"; // starts, exits at once
        const std::string e = errorOf([&] { playback::JackServerProcess s(o); }, ErrorKind::ServerFailed);
        QVERIFY2(e.starts_with("jackd exited at start"), e.c_str());
        o.jackd = "jackd";
        o.period = 100;
        QVERIFY(errorOf([&] { playback::JackServerProcess s(o); }, ErrorKind::InvalidArgument)
                    .find("power of two") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestPlaybackErrors)
#include "tst_playback_errors.moc"
