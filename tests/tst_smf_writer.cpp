// Writing: Song → SMF → Song gives the same Song (format 1), the same notes (format 0), and the raw
// event layer survives serialize → parse byte for byte.

#include "TestSongs.h"
#include "midi/MidiError.h"
#include "midi/SmfReader.h"
#include "midi/SmfWriter.h"
#include "music/SmfToSong.h"
#include "music/SongFile.h"
#include "music/SongToSmf.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <filesystem>

using namespace continuo;
using music::Note;
using music::Song;
using test::debianMidiFiles;
using test::note;

Q_DECLARE_METATYPE(continuo::music::Song)

namespace {

music::Track trackOf(std::string name, int channel, int program, std::vector<Note> notes) {
    music::Track t;
    t.name = std::move(name);
    t.channel = std::uint8_t(channel);
    t.program = std::uint8_t(program);
    for (Note& n : notes)
        n.channel = std::uint8_t(channel);
    t.notes = std::move(notes);
    t.sortNotes();
    return t;
}

Song roundTrip(const Song& s, int format = 1) {
    const auto bytes = midi::serializeSmf(music::smfFromSong(s, format));
    return music::songFromSmf(midi::parseSmf(bytes));
}

std::vector<Note> allNotes(const Song& s) {
    std::vector<Note> out;
    for (const auto& t : s.tracks)
        out.insert(out.end(), t.notes.begin(), t.notes.end());
    std::sort(out.begin(), out.end(), music::noteLess);
    return out;
}

} // namespace

class TestSmfWriter : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void songRoundTrip_data();
    void songRoundTrip();
    void formatZeroKeepsNotes();
    void rawEventsRoundTrip();
    void rejectsWhatCannotBeWritten();
    void atomicFileWrite();
    void realFilesRoundTrip_data();
    void realFilesRoundTrip();
};

void TestSmfWriter::songRoundTrip_data() {
    QTest::addColumn<Song>("song");
    Song melody;
    melody.ppq = 480;
    melody.tracks = {trackOf(
        "Melody", 0, 0,
        {note(0, 480, 60), note(480, 240, 62, 80), note(720, 240, 64, 90), note(1200, 960, 67, 127)})};
    QTest::newRow("melody with a rest") << melody;

    Song chords = melody;
    chords.tracks[0].notes = {note(0, 960, 48), note(0, 960, 55), note(0, 960, 64), note(0, 480, 72),
                              note(960, 960, 50)};
    chords.tracks[0].sortNotes();
    QTest::newRow("chords with voicing") << chords;

    Song overlap = melody;
    overlap.tracks[0].notes = {note(0, 100, 60, 90), note(50, 100, 60, 70), note(150, 10, 60, 60),
                               note(160, 40, 60, 50)};
    QTest::newRow("same pitch overlapping and repeated") << overlap;

    Song sameStart = melody;
    sameStart.tracks[0].notes = {note(0, 50, 60, 90), note(0, 100, 60, 70), note(0, 100, 60, 71)};
    sameStart.tracks[0].sortNotes();
    QTest::newRow("same pitch, same start, different lengths") << sameStart;

    Song band;
    band.ppq = 96;
    band.tempos = {{0, 500000}, {384, 400000}, {1536, 600000}};
    band.timeSignatures = {{0, 4, 4, 24, 8}, {768, 6, 8, 36, 8}, {1344, 7, 8, 24, 8}};
    band.keySignatures = {{0, -3, true}, {768, 2, false}};
    band.tracks = {trackOf("Conductor", 0, 0, {}),
                   trackOf("Bass", 1, 33, {note(0, 96, 36), note(96, 96, 43)}),
                   trackOf("Drums", 9, 0, {note(0, 1, 36), note(0, 1, 42), note(48, 1, 42)}),
                   trackOf("Strings", 2, 48, {note(0, 1536, 60, 40), note(0, 1536, 64, 41)})};
    band.tracks[1].instrument = "Fretless";
    QTest::newRow("band: conductor, drums, maps") << band;

    Song mixed = melody;
    mixed.tracks[0].notes = {note(0, 10, 60, 100, 0), note(0, 10, 60, 100, 3), note(5, 10, 61, 100, 3),
                             note(20, 5, 62, 100, 0)};
    QTest::newRow("one track, several channels") << mixed;

    Song extremes;
    extremes.ppq = 0x7FFF;
    extremes.tracks = {trackOf("", 15, 127, {note(0, 0x0FFFFFFF, 0, 1), note(0x0FFFFFFF, 1, 127, 127)})};
    QTest::newRow("extremes: pitch 0/127, velocity 1/127, 28-bit delta") << extremes;

    Song longer;
    longer.tracks = {trackOf("drone", 0, 0, {note(0, 3 * 0x0FFFFFFFLL + 5, 40), note(10, 5, 64)})};
    QTest::newRow("a note longer than one SMF delta can say") << longer;

    Song smpte;
    smpte.smpte = music::SmpteTiming{25, 40};
    smpte.ppq = 500;
    smpte.tracks = {trackOf("t", 0, 0, {note(0, 1000, 60)})};
    QTest::newRow("SMPTE division") << smpte;

    Song empty;
    empty.tracks = {trackOf("Nothing yet", 0, 5, {})};
    QTest::newRow("a track without notes") << empty;
}

void TestSmfWriter::songRoundTrip() {
    QFETCH(Song, song);
    QCOMPARE(roundTrip(song), song);
    Song f2 = song;
    f2.format = 2;
    QCOMPARE(roundTrip(f2, 2), f2);
}

void TestSmfWriter::formatZeroKeepsNotes() {
    Song s;
    s.tempos = {{0, 600000}};
    s.tracks = {trackOf("A", 0, 1, {note(0, 10, 60), note(10, 10, 62)}),
                trackOf("B", 4, 40, {note(5, 10, 70)})};
    const Song back = roundTrip(s, 0);
    QCOMPARE(back.format, 0);
    QCOMPARE(back.tracks.size(), std::size_t(1));
    QCOMPARE(back.tracks[0].name, std::string("A"));
    QCOMPARE(allNotes(back), allNotes(s));
    QCOMPARE(back.tempos, s.tempos);
}

void TestSmfWriter::rawEventsRoundTrip() {
    midi::SmfFile f;
    f.format = 1;
    f.division.ticksPerQuarter = 192;
    midi::Track t;
    const std::uint8_t sysex[] = {0x7E, 0x7F, 0x09, 0x01, 0xF7};
    const std::uint8_t text[] = {'h', 'i'};
    t.addPayloadEvent(0, 0xF0, 0, sysex);
    t.addMeta(0, midi::kMetaText, text);
    t.addChannel(0, 0xC2, 7);
    t.addChannel(0, 0x92, 60, 100);
    t.addChannel(0, 0x92, 64, 100); // running status
    t.addChannel(10, 0xE2, 0, 64);
    t.addChannel(20, 0x82, 60, 0);
    t.addMeta(30, midi::kMetaEndOfTrack, {});
    f.tracks.push_back(t);
    const auto bytes = midi::serializeSmf(f);
    const auto back = midi::parseSmf(bytes);
    QCOMPARE(back.tracks.size(), std::size_t(1));
    const auto& e = back.tracks[0].events;
    QCOMPARE(e.size(), t.events.size());
    for (std::size_t i = 0; i < e.size(); ++i) {
        QCOMPARE(e[i].tick, t.events[i].tick);
        QCOMPARE(e[i].status, t.events[i].status);
        QCOMPARE(e[i].data1, t.events[i].data1);
        QCOMPARE(e[i].data2, t.events[i].data2);
        QCOMPARE(e[i].metaType, t.events[i].metaType);
        const auto a = back.tracks[0].payloadOf(e[i]);
        const auto b = t.payloadOf(t.events[i]);
        QVERIFY(std::equal(a.begin(), a.end(), b.begin(), b.end()));
    }
    // Writing what was read gives the same bytes.
    QVERIFY(midi::serializeSmf(back) == bytes);
}

void TestSmfWriter::rejectsWhatCannotBeWritten() {
    midi::SmfFile f;
    midi::Track t;
    t.addChannel(10, 0x90, 60, 100);
    t.addChannel(5, 0x80, 60, 0);
    f.tracks.push_back(t);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, midi::serializeSmf(f));
    midi::SmfFile two;
    two.format = 0;
    two.tracks.resize(2);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, midi::serializeSmf(two));
    Song bad;
    bad.tracks = {trackOf("x", 0, 0, {note(0, 0, 60)})};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, music::smfFromSong(bad));
}

void TestSmfWriter::atomicFileWrite() {
    QTemporaryDir dir;
    Song s;
    s.tracks = {trackOf("t", 0, 0, {note(0, 10, 60)})};
    const std::string path = dir.filePath("song.mid").toStdString();
    music::saveSong(path, s);
    QCOMPARE(music::loadSong(path).song, s);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{"song.mid"}); // no temporary
    // Exporting over a private file keeps it private (issue 20: it became 0644 by the umask).
    namespace fs = std::filesystem;
    const fs::perms ownerOnly = fs::perms::owner_read | fs::perms::owner_write;
    fs::permissions(path, ownerOnly);
    music::saveSong(path, s);
    QCOMPARE(fs::status(path).permissions() & fs::perms::all, ownerOnly);
    // A folder that does not exist: a clear error, nothing written.
    try {
        music::saveSong(dir.filePath("missing/song.mid").toStdString(), s);
        QFAIL("expected an error");
    } catch (const midi::MidiError& e) {
        // The file and the reason (issue 20: "…: cannot be written (cannot create a file in its folder)").
        QCOMPARE(QString(e.what()), "cannot write " + dir.filePath("missing/song.mid") + " (its folder " +
                                        dir.filePath("missing") +
                                        " does not exist): No such file or directory");
    }
    // A folder where the file should go (issue 17): named as a folder, not "cannot be replaced (Success)",
    // and no temporary file left in the parent.
    QVERIFY(QDir(dir.path()).mkdir("out"));
    try {
        music::saveSong(dir.filePath("out").toStdString(), s);
        QFAIL("expected an error");
    } catch (const midi::MidiError& e) {
        QCOMPARE(QString(e.what()), dir.filePath("out") +
                                        ": is a folder, not a file; name the MIDI file to write, "
                                        "such as " +
                                        dir.filePath("out/song.mid"));
    }
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{"song.mid"});
}

void TestSmfWriter::realFilesRoundTrip_data() {
    QTest::addColumn<QString>("path");
    const QStringList files = debianMidiFiles();
    if (files.isEmpty())
        QSKIP("no Debian MIDI packages installed (scripts/install-deps.sh --with-tests installs them)");
    for (const QString& f : files)
        QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
}

void TestSmfWriter::realFilesRoundTrip() {
    QFETCH(QString, path);
    const Song song = music::loadSong(path.toStdString()).song;
    QVERIFY(song.noteCount() > 0);
    QCOMPARE(roundTrip(song), song);
    // Format 0 merges the tracks: notes of one channel and pitch from different tracks may then lie inside
    // one another, which MIDI cannot express, so only their durations may pair differently. Every onset,
    // with its velocity and channel, survives.
    auto onsets = [](const Song& s) {
        std::vector<Note> v = allNotes(s);
        for (Note& n : v)
            n.duration = 1;
        std::sort(v.begin(), v.end(), music::noteLess);
        return v;
    };
    QCOMPARE(onsets(roundTrip(song, 0)), onsets(song));
}

QTEST_GUILESS_MAIN(TestSmfWriter)
#include "tst_smf_writer.moc"
