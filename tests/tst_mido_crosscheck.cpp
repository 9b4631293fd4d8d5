// Cross-check against an independent reader: for MIDI files written by mido and for every MIDI file of
// Debian's openttd-openmsx, simutrans-data, planetblupi-music-midi and pianobooster, Continuo's notes
// (per track: channel, pitch, start, end, velocity) and tempo map equal mido's, note for note.

#include "TestSongs.h"
#include "music/SongFile.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace continuo;
using test::debianMidiFiles;

namespace {

const char* kPython = "/usr/bin/python3"; // Debian's python3-mido lives there, not in other interpreters

std::optional<QString> runPython(const QStringList& args) {
    QProcess p;
    p.start(kPython, args);
    if (!p.waitForFinished(300000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        qWarning("%s", p.readAllStandardError().constData());
        return std::nullopt;
    }
    return QString::fromUtf8(p.readAllStandardOutput());
}

// [[channel, pitch, start, end, velocity], ...] sorted, as mido_notes.py prints a track.
QJsonArray notesOf(const music::Track& t) {
    std::vector<std::array<qint64, 5>> rows;
    for (const auto& n : t.notes)
        rows.push_back({n.channel, n.pitch, n.start, n.end(), n.velocity});
    std::sort(rows.begin(), rows.end());
    QJsonArray out;
    for (const auto& r : rows)
        out.append(QJsonArray{r[0], r[1], r[2], r[3], r[4]});
    return out;
}

} // namespace

class TestMidoCrossCheck : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void sameNotesAsMido_data();
    void sameNotesAsMido();
    void coverage();

private:
    QTemporaryDir dir_;
    QStringList files_;
    QHash<QString, QJsonObject> mido_;
    int compared_ = 0;
};

void TestMidoCrossCheck::initTestCase() {
    QVERIFY2(QFileInfo::exists(kPython),
             "needs /usr/bin/python3 with python3-mido (scripts/install-deps.sh --with-tests)");
    QVERIFY(dir_.isValid());
    const QString tools = CONTINUO_TOOLS_DIR;
    QVERIFY2(runPython({tools + "/mido_make_files.py", dir_.path(), "40"}),
             "mido could not write the test files");
    QDirIterator it(dir_.path(), {"*.mid"}, QDir::Files);
    while (it.hasNext())
        files_ << it.next();
    files_.sort();
    QCOMPARE(files_.size(), 40);
    // Data bytes above 127 (issue 17): both readers take them as 127 (mido with clip=True).
    const QString loud = dir_.filePath("data-bytes-over-127.mid");
    QFile f(loud);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QByteArray("MThd\0\0\0\x06\0\x01\0\x01\0\x60MTrk\0\0\0\x17", 22));
    f.write(QByteArray("\0\x90\x3c\xcc"   // note-on, velocity 0xCC
                       "\0\x91\x40\x80"   // note-on, velocity 0x80
                       "\x30\x80\x3c\xff" // note-off, release velocity 0xFF
                       "\x30\x91\x40\0"   // note-on velocity 0: off
                       "\0\xc0\x85"       // program 0x85
                       "\0\xff\x2f\0",    // End of Track
                       23));
    f.close();
    files_ << loud;
    files_ << debianMidiFiles();
    const std::optional<QString> out = runPython(QStringList{tools + "/mido_notes.py"} + files_);
    QVERIFY2(out, "mido_notes.py failed");
    for (const QString& line : out->split('\n', Qt::SkipEmptyParts)) {
        const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
        mido_.insert(o["file"].toString(), o);
    }
    QCOMPARE(mido_.size(), files_.size());
}

void TestMidoCrossCheck::sameNotesAsMido_data() {
    QTest::addColumn<QString>("path");
    for (const QString& f : files_)
        QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
}

void TestMidoCrossCheck::sameNotesAsMido() {
    QFETCH(QString, path);
    const QJsonObject m = mido_.value(path);
    QVERIFY2(m["ok"].toBool(), qPrintable("mido could not read it: " + m["error"].toString()));
    const music::LoadedSong loaded = music::loadSong(path.toStdString());
    const music::Song& song = loaded.song;
    QCOMPARE(song.format, m["format"].toInt());
    QCOMPARE(song.ppq, m["ticks_per_beat"].toInt());
    const QJsonArray tracks = m["tracks"].toArray();
    QCOMPARE(qsizetype(song.tracks.size()), tracks.size());
    for (qsizetype i = 0; i < tracks.size(); ++i) {
        const QJsonArray ours = notesOf(song.tracks[std::size_t(i)]);
        const QJsonArray theirs = tracks[i].toArray();
        if (ours != theirs) {
            QCOMPARE(ours.size(), theirs.size());
            for (qsizetype k = 0; k < ours.size(); ++k) {
                QVERIFY2(
                    ours[k] == theirs[k],
                    qPrintable(
                        QString("track %1 note %2: continuo %3, mido %4")
                            .arg(i)
                            .arg(k)
                            .arg(
                                QString(QJsonDocument(ours[k].toArray()).toJson(QJsonDocument::Compact)),
                                QString(QJsonDocument(theirs[k].toArray()).toJson(QJsonDocument::Compact)))));
            }
        }
    }
    QJsonArray ourTempos;
    for (const auto& t : song.tempos)
        ourTempos.append(QJsonArray{qint64(t.tick), qint64(t.microsPerQuarter)});
    QCOMPARE(ourTempos, m["tempos"].toArray());
    ++compared_;
}

void TestMidoCrossCheck::coverage() {
    // The cross-check means something only if it ran on the real files too.
    qInfo("compared %d files with mido (40 written by mido, 1 with data bytes over 127, %lld from Debian "
          "packages)",
          compared_, qlonglong(files_.size() - 41));
    QVERIFY2(files_.size() - 41 >= 100, "expected the Debian MIDI packages (>= 100 files) to be installed");
    QCOMPARE(compared_, int(files_.size()));
}

QTEST_GUILESS_MAIN(TestMidoCrossCheck)
#include "tst_mido_crosscheck.moc"
