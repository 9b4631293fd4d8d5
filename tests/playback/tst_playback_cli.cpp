// continuo-cli render / ports / play as scripts use them: exit 0 and the promised output on success,
// non-zero with one line on stderr otherwise; `play --port` delivers every note to a JACK port.

#include "PlaybackTestUtil.h"

#include "music/SongFile.h"
#include "playback/JackMidiMonitor.h"
#include "playback/JackServerProcess.h"
#include "playback/PlaybackError.h"
#include "playback/Timeline.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace continuo;
using test::note;

namespace {

struct Run {
    int exitCode = -1;
    QString out;
    QStringList errLines;
};

} // namespace

class TestPlaybackCli : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString midi_;
    QString emptyAlsaConf_;
    music::Song song_;

    Run cli(const QStringList& args, const QStringList& env = {}) {
        QProcess p;
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        for (const QString& kv : env)
            e.insert(kv.section('=', 0, 0), kv.section('=', 1));
        p.setProcessEnvironment(e);
        p.start(CONTINUO_CLI, args);
        if (!p.waitForFinished(60000)) return {};
        Run r;
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromUtf8(p.readAllStandardOutput());
        const QString err = QString::fromUtf8(p.readAllStandardError());
        r.errLines = err.split('\n', Qt::SkipEmptyParts);
        return r;
    }

    // No MIDI system and no JACK server, whatever this machine has.
    QStringList isolated() const {
        return {"ALSA_CONFIG_PATH=" + emptyAlsaConf_, "JACK_DEFAULT_SERVER=continuo-absent-cli"};
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        song_ =
            test::songOf({note(0, 240, 72), note(240, 240, 74), note(480, 240, 76), note(720, 480, 77)}, 73);
        midi_ = dir_.filePath("tune.mid");
        music::saveSong(midi_.toStdString(), song_);
        emptyAlsaConf_ = dir_.filePath("empty.conf");
        std::ofstream(emptyAlsaConf_.toStdString()).flush();
    }

    void renderWritesAWav() {
        const auto sf = test::testSoundFont();
        if (sf.empty()) QSKIP("no SoundFont installed");
        const QString wav = dir_.filePath("tune.wav");
        const Run r = cli({"render", midi_, "--out", wav, "--soundfont", QString::fromStdString(sf.string()),
                           "--rate", "48000", "--float", "--tail", "0.25"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.errLines.isEmpty());
        QVERIFY2(r.out.startsWith(wav + ": 1.50 s, 48000 Hz, 32-bit float stereo"),
                 qPrintable(r.out)); // 1.25 + tail
        const test::WavData w = test::readWav(wav.toStdString());
        QCOMPARE(w.sampleRate, 48000);
        QCOMPARE(w.format, 3);
        QCOMPARE(w.left.size(), std::size_t(72000));
    }

    void renderWarnsWhenSilent() {
        const QString sf = dir_.filePath("silent.sf2");
        test::writeSilentSoundFont(sf.toStdString());
        const QString wav = dir_.filePath("silent.wav");
        const Run r = cli({"render", midi_, "--out", wav, "--soundfont", sf, "--tail", "0.1"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QFileInfo::exists(wav));
        QCOMPARE(r.errLines.size(), qsizetype(1));
        QVERIFY2(
            r.errLines[0].startsWith("continuo-cli: warning: " + wav + " is silent although the song has "),
            qPrintable(r.errLines[0]));
        QVERIFY2(r.errLines[0].contains(sf), qPrintable(r.errLines[0]));
    }

    void renderFailuresAreOneLine_data() {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        const QString junk = dir_.filePath("junk.sf2");
        std::ofstream(junk.toStdString()) << "definitely not RIFF";
        const QString notMidi = dir_.filePath("notmidi.mid");
        std::ofstream(notMidi.toStdString()) << "hello";
        QTest::newRow("missing SoundFont") << QStringList{"--soundfont", "/nonexistent/x.sf2"}
                                           << "continuo-cli: error: SoundFont not found: /nonexistent/x.sf2";
        QTest::newRow("corrupt SoundFont")
            << QStringList{"--soundfont", junk}
            << "continuo-cli: error: not a SoundFont (.sf2/.sf3 starts with RIFF…sfbk): " + junk;
        QTest::newRow("not MIDI") << QStringList{"--in-place-of-midi", notMidi} << "continuo-cli: error: ";
    }

    void renderFailuresAreOneLine() {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        const QString wav = dir_.filePath("fail.wav");
        QStringList full = {"render", midi_, "--out", wav};
        if (args.first() == "--in-place-of-midi") {
            full[1] = args[1];
        } else {
            full += args;
        }
        const Run r = cli(full);
        QVERIFY(r.exitCode != 0);
        QCOMPARE(r.errLines.size(), 1);
        QVERIFY2(r.errLines[0].startsWith(error), qPrintable(r.errLines[0]));
        QVERIFY(!QFile::exists(wav));
    }

    void portsWithoutAnyMidiSystem() {
        const Run r = cli({"ports", "--json"}, isolated());
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.errLines.isEmpty());
        const QJsonObject j = QJsonDocument::fromJson(r.out.toUtf8()).object();
        const QJsonArray apis = j["apis"].toArray();
        QCOMPARE(apis.size(), 2);
        QCOMPARE(apis[0].toObject()["api"].toString(), QString("alsa"));
        QCOMPARE(apis[0].toObject()["available"].toBool(), false);
        QVERIFY(apis[0].toObject()["reason"].toString().startsWith("no ALSA sequencer"));
        QCOMPARE(apis[1].toObject()["api"].toString(), QString("jack"));
        QCOMPARE(apis[1].toObject()["reason"].toString(),
                 QString("no JACK server running (named \"continuo-absent-cli\")"));
        QVERIFY(j["outputs"].toArray().isEmpty());
        QVERIFY(j["inputs"].toArray().isEmpty());
        const Run text = cli({"ports"}, isolated());
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("jack: not available (no JACK server running"));
    }

    void playWithoutDevicesFailsClearly() {
        const Run synth = cli({"play", midi_, "--audio-driver", "jack"}, isolated());
        QCOMPARE(synth.exitCode, 1);
        QCOMPARE(synth.errLines.size(), 1);
        QVERIFY2(synth.errLines[0].startsWith("continuo-cli: error: no audio device (jack: "),
                 qPrintable(synth.errLines[0]));
        const Run port = cli({"play", midi_, "--port", "anything", "--api", "jack"}, isolated());
        QCOMPARE(port.exitCode, 1);
        QCOMPARE(port.errLines,
                 QStringList{"continuo-cli: error: no JACK server running (named \"continuo-absent-cli\")"});
        const Run any = cli({"play", midi_, "--port", "anything"}, isolated());
        QCOMPARE(any.exitCode, 1);
        QCOMPARE(any.errLines.size(), 1);
        QVERIFY(any.errLines[0].startsWith("continuo-cli: error: no MIDI system: no ALSA sequencer"));
    }

    void playToAJackPort() {
        playback::JackServerProcess::Options o;
        o.period = 256;
        std::unique_ptr<playback::JackServerProcess> server;
        try {
            server = std::make_unique<playback::JackServerProcess>(o);
        } catch (const playback::PlaybackError& e) {
            QFAIL(e.what());
        }
        qputenv("JACK_DEFAULT_SERVER", QByteArray::fromStdString(server->name()));
        const QStringList env = {"JACK_DEFAULT_SERVER=" + QString::fromStdString(server->name())};
        playback::JackMidiMonitor monitor("continuo-cli-monitor");

        const Run ports = cli({"ports", "--json", "--api", "jack"}, env);
        QCOMPARE(ports.exitCode, 0);
        const QJsonArray outputs = QJsonDocument::fromJson(ports.out.toUtf8()).object()["outputs"].toArray();
        QVERIFY(outputs.contains(QJsonObject{{"api", "jack"}, {"name", "continuo-cli-monitor:in"}}));

        const Run r = cli({"play", midi_, "--port", "cli-monitor", "--api", "jack"}, env);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.errLines.isEmpty(), qPrintable(r.errLines.join('\n')));
        QVERIFY(r.out.startsWith("playing " + midi_ + " (1.2 s) to continuo-cli-monitor:in"));
        const playback::Timeline tl(song_);
        // Program, 8 note events, then sustain off + all notes off on channel 0.
        QVERIFY(QTest::qWaitFor([&] { return monitor.count() >= tl.events.size() + 3; }, 20000));
        std::vector<playback::MidiMessage> notes;
        for (const auto& e : monitor.events()) {
            if (e.message.isNoteOn() || e.message.isNoteOff()) notes.push_back(e.message);
        }
        QCOMPARE(notes.size(), tl.events.size());
        for (std::size_t i = 0; i < notes.size(); ++i)
            QCOMPARE(notes[i], tl.events[i].message);
        qunsetenv("JACK_DEFAULT_SERVER");
    }
};

QTEST_GUILESS_MAIN(TestPlaybackCli)
#include "tst_playback_cli.moc"
