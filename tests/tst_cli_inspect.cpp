// continuo-cli inspect: the JSON shape of the CLI contract, the file's own ticks, and one clear line on
// stderr with a non-zero exit for a broken file.

#include "music/SongFile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace continuo;

namespace {
struct Run {
    int exitCode;
    QByteArray out;
    QByteArray err;
};

Run cli(const QStringList& args) {
    QProcess p;
    p.start(CONTINUO_CLI, args);
    p.waitForFinished(60000);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}
} // namespace

class TestCliInspect : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void jsonShape();
    void textOutput();
    void brokenFiles_data();
    void brokenFiles();
    void dataBytesAbove127Warned();
    void usageErrors_data();
    void usageErrors();
    void helpIsNoError();

private:
    QTemporaryDir dir_;
    QString file_;
};

void TestCliInspect::initTestCase() {
    music::Song s;
    s.ppq = 192;
    s.tempos = {{0, 600000}, {768, 500000}};
    s.timeSignatures = {{0, 3, 4, 24, 8}};
    music::Track lead;
    lead.name = "Lead";
    lead.channel = 2;
    lead.program = 73;
    lead.notes = {{0, 192, 72, 90, 2, music::NoteOrigin::User},
                  {192, 96, 74, 80, 2, music::NoteOrigin::User}};
    music::Track drums;
    drums.name = "Kit";
    drums.channel = 9;
    drums.notes = {{0, 10, 36, 120, 9, music::NoteOrigin::User}};
    s.tracks = {lead, drums};
    file_ = dir_.filePath("two tracks.mid");
    music::saveSong(file_.toStdString(), s);
}

void TestCliInspect::jsonShape() {
    const Run r = cli({"inspect", file_, "--json"});
    QCOMPARE(r.exitCode, 0);
    QVERIFY(r.err.isEmpty());
    const QJsonObject j = QJsonDocument::fromJson(r.out).object();
    QCOMPARE(j["format"].toInt(), 1);
    QCOMPARE(j["ppq"].toInt(), 192);
    const QJsonArray tempos = j["tempos"].toArray();
    QCOMPARE(tempos.size(), 2);
    QCOMPARE(tempos[1].toObject()["tick"].toInt(), 768);
    QCOMPARE(tempos[0].toObject()["bpm"].toDouble(), 100.0);
    const QJsonArray tracks = j["tracks"].toArray();
    QCOMPARE(tracks.size(), 2);
    const QJsonObject lead = tracks[0].toObject();
    QCOMPARE(lead["name"].toString(), QString("Lead"));
    QCOMPARE(lead["channel"].toInt(), 2);
    QCOMPARE(lead["program"].toInt(), 73);
    const QJsonArray notes = lead["notes"].toArray();
    QCOMPARE(notes.size(), 2);
    const QJsonObject n1 = notes[1].toObject();
    QCOMPARE(n1["channel"].toInt(), 2);
    QCOMPARE(n1["pitch"].toInt(), 74);
    QCOMPARE(n1["start"].toInt(), 192);
    QCOMPARE(n1["end"].toInt(), 288);
    QCOMPARE(n1["velocity"].toInt(), 80);
    QVERIFY(tracks[1].toObject()["drum"].toBool());
}

void TestCliInspect::textOutput() {
    const Run r = cli({"inspect", file_});
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains("2 tracks, 3 notes"), r.out.constData());
    QVERIFY2(r.out.contains("Flute"), r.out.constData()); // GM program 73
    QVERIFY2(r.out.contains("C5"), r.out.constData());    // pitch 72
}

void TestCliInspect::brokenFiles_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    QTest::newRow("text") << QByteArray("just text") << "not a MIDI file";
    QTest::newRow("truncated") << QByteArray("MThd\0\0\0\x06\0\x01\0\x01\0\x60MTrk\0\0\0\x50\0\x90", 26)
                               << "truncated chunk";
    QTest::newRow("empty") << QByteArray() << "only 0 bytes";
}

void TestCliInspect::brokenFiles() {
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    const QString path = dir_.filePath("broken.mid");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(content);
    f.close();
    const Run r = cli({"inspect", path, "--json"});
    QCOMPARE(r.exitCode, 1);
    QVERIFY(r.out.isEmpty());
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(QString(r.err).startsWith("continuo-cli: error: broken.mid: "), r.err.constData());
    QVERIFY2(QString(r.err).contains(expected), r.err.constData());
    // A missing file is its own clear line too.
    const Run missing = cli({"inspect", dir_.filePath("nope.mid")});
    QCOMPARE(missing.exitCode, 1);
    QVERIFY(missing.err.contains("no such file"));
}

void TestCliInspect::dataBytesAbove127Warned() {
    // Issue 17: a file whose velocities are written as bytes over 127 opens, the values read as 127, and
    // inspect says so (text and JSON) from the reader's warnings.
    const QByteArray smf = QByteArray("MThd\0\0\0\x06\0\0\0\x01\0\x60", 14) +
                           QByteArray("MTrk\0\0\0\x0c", 8) +
                           QByteArray("\0\x90\x3c\xcc\x60\x80\x3c\x40\0\xff\x2f\0", 12);
    const QString path = dir_.filePath("loud.mid");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(smf);
    f.close();
    const QString warning = "track 0: 1 data byte above 127 (the first 0xCC, at byte 25) read as 127";
    const Run text = cli({"inspect", path});
    QCOMPARE(text.exitCode, 0);
    QVERIFY2(text.out.contains("vel 127"), text.out.constData());
    QVERIFY2(text.out.contains(("warning: " + warning).toUtf8()), text.out.constData());
    const Run json = cli({"inspect", path, "--json"});
    QCOMPARE(json.exitCode, 0);
    const QJsonObject j = QJsonDocument::fromJson(json.out).object();
    QCOMPARE(j["warnings"].toArray(), QJsonArray{warning});
    QCOMPARE(j["tracks"].toArray()[0].toObject()["notes"].toArray()[0].toObject()["velocity"].toInt(), 127);
    // The reader's result carries it for the studio.
    QCOMPARE(music::loadSong(path.toStdString()).warnings, std::vector<std::string>{warning.toStdString()});
}

void TestCliInspect::usageErrors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("missing argument")
        << QStringList{"inspect"} << "FILE is required (continuo-cli inspect --help";
    QTest::newRow("unknown option") << QStringList{"inspect", "x.mid", "--bogus"} << "--bogus";
    QTest::newRow("value out of range")
        << QStringList{"generate", "--out", "x.mid", "--variations", "9"} << "--variations";
    QTest::newRow("no subcommand") << QStringList{} << "(continuo-cli --help lists the options)";
}

void TestCliInspect::usageErrors() {
    // Issue 17: the contract in docs/architecture.md: a usage error exits 2 with one line that starts like
    // every other failure (CLI11's own printing exited 105/106/109 with two lines and no prefix).
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    const Run r = cli(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY(r.out.isEmpty());
    QCOMPARE(r.err.count('\n'), 1);
    QVERIFY2(r.err.startsWith("continuo-cli: error: "), r.err.constData());
    QVERIFY2(QString(r.err).contains(message), r.err.constData());
}

void TestCliInspect::helpIsNoError() {
    const Run help = cli({"inspect", "--help"});
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains("--json"));
    QCOMPARE(cli({"--version"}).exitCode, 0);
}

QTEST_GUILESS_MAIN(TestCliInspect)
#include "tst_cli_inspect.moc"
