// Interpreting SMF events as a Song: note pairing, track channel and program, the tempo/meter/key maps.

#include "SmfBuilder.h"
#include "TestSongs.h"
#include "midi/SmfReader.h"
#include "music/SmfToSong.h"

#include <QTest>

using namespace continuo;
using namespace continuo::test;
using music::Note;

Q_DECLARE_METATYPE(std::vector<Note>)

namespace {

music::Song songOf(const QByteArray& file) {
    return music::songFromSmf(midi::parseMidiBytes(span(file)));
}

} // namespace

namespace QTest {
template <> char* toString(const std::vector<Note>& notes) {
    QByteArray s;
    for (const Note& n : notes) {
        s += QByteArray::number(qint64(n.start)) + "+" + QByteArray::number(qint64(n.duration)) + " p" +
             QByteArray::number(n.pitch) + " v" + QByteArray::number(n.velocity) + " ch" +
             QByteArray::number(n.channel) + "; ";
    }
    return qstrdup(s.constData());
}
} // namespace QTest

class TestSongFromSmf : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pairing_data();
    void pairing();
    void pairingIsPerTrack();
    void trackChannelProgramAndNames();
    void drumTrackFlagged();
    void tempoMapFromAllTracks();
    void timeAndKeySignatures();
    void malformedMetaSkipped();
    void smpteTiming();
    void secondsThroughTempoChanges();
};

void TestSongFromSmf::pairing_data() {
    QTest::addColumn<QByteArray>("events");
    QTest::addColumn<std::vector<Note>>("expected");
    QTest::newRow("on, off") << bytes({0x00, 0x90, 60, 100, 0x60, 0x80, 60, 0}) + endOfTrack()
                             << std::vector<Note>{note(0, 96, 60, 100)};
    QTest::newRow("note-on velocity 0 ends the note")
        << bytes({0x00, 0x90, 60, 100, 0x30, 60, 0}) + endOfTrack()
        << std::vector<Note>{note(0, 48, 60, 100)};
    QTest::newRow("overlapping same pitch: first in, first out")
        << bytes({0x00, 0x90, 60, 90, 0x0A, 60, 80, 0x0A, 0x80, 60, 0, 0x0A, 60, 0}) + endOfTrack()
        << std::vector<Note>{note(0, 20, 60, 90), note(10, 20, 60, 80)};
    QTest::newRow("repeated note, off and on at one tick")
        << bytes({0x00, 0x90, 60, 90, 0x10, 0x80, 60, 0, 0x00, 0x90, 60, 70, 0x10, 0x80, 60, 0}) +
               endOfTrack()
        << std::vector<Note>{note(0, 16, 60, 90), note(16, 16, 60, 70)};
    QTest::newRow("repeated note, on before off at one tick")
        << bytes({0x00, 0x90, 60, 90, 0x10, 0x90, 60, 70, 0x00, 0x80, 60, 0, 0x10, 0x80, 60, 0}) +
               endOfTrack()
        << std::vector<Note>{note(0, 16, 60, 90), note(16, 16, 60, 70)};
    QTest::newRow("left sounding: ends at End of Track")
        << bytes({0x05, 0x90, 60, 100}) + endOfTrack(0x40) << std::vector<Note>{note(5, 0x40, 60, 100)};
    QTest::newRow("left sounding at the very end: one tick")
        << bytes({0x05, 0x90, 60, 100}) + endOfTrack(0) << std::vector<Note>{note(5, 1, 60, 100)};
    QTest::newRow("zero length: one tick")
        << bytes({0x00, 0x99, 36, 100, 0x00, 0x89, 36, 0}) + endOfTrack(0x10)
        << std::vector<Note>{note(0, 1, 36, 100, 9)};
    QTest::newRow("off without on is ignored")
        << bytes({0x00, 0x80, 60, 0, 0x00, 0x90, 62, 50, 0x08, 0x80, 62, 0}) + endOfTrack()
        << std::vector<Note>{note(0, 8, 62, 50)};
    QTest::newRow("channels pair separately")
        << bytes({0x00, 0x90, 60, 100, 0x00, 0x91, 60, 90, 0x04, 0x81, 60, 0, 0x04, 0x80, 60, 0}) +
               endOfTrack()
        << std::vector<Note>{note(0, 4, 60, 90, 1), note(0, 8, 60, 100, 0)};
    QTest::newRow("chord") << bytes({0x00, 0x90, 60, 100, 0x00, 64, 100, 0x00, 67, 100, 0x60, 60, 0, 0x00, 64,
                                     0, 0x00, 67, 0}) +
                                  endOfTrack()
                           << std::vector<Note>{note(0, 96, 60, 100), note(0, 96, 64, 100),
                                                note(0, 96, 67, 100)};
    QTest::newRow("extremes") << bytes({0x00, 0x90, 0, 1, 0x00, 127, 127, 0xFF, 0xFF, 0xFF, 0x7F, 0x80, 0, 0,
                                        0x00, 127, 0}) +
                                     endOfTrack()
                              << std::vector<Note>{note(0, 0x0FFFFFFF, 0, 1), note(0, 0x0FFFFFFF, 127, 127)};
}

void TestSongFromSmf::pairing() {
    QFETCH(QByteArray, events);
    QFETCH(std::vector<Note>, expected);
    const music::Song song = songOf(header(0, 1, 96) + track(events));
    QCOMPARE(song.tracks.size(), std::size_t(1));
    QCOMPARE(song.tracks[0].notes, expected);
}

void TestSongFromSmf::pairingIsPerTrack() {
    // A note-off in another track does not end a note: each MTrk is its own stream.
    const auto song = songOf(header(1, 2, 96) + track(bytes({0x00, 0x90, 60, 100}) + endOfTrack(0x60)) +
                             track(bytes({0x10, 0x80, 60, 0}) + endOfTrack()));
    QCOMPARE(song.tracks[0].notes, std::vector<Note>{note(0, 0x60, 60, 100)});
    QVERIFY(song.tracks[1].notes.empty());
}

void TestSongFromSmf::trackChannelProgramAndNames() {
    // Mostly channel 3 notes with one on channel 0; programs on both channels: the track takes channel 3's.
    const auto song =
        songOf(header(1, 1, 96) +
               track(bytes({0x00, 0xFF, 0x03, 0x04, 'L',  'e',  'a',  'd',  0x00, 0xFF, 0x04, 0x02,
                            'S',  'x',  0x00, 0xC0, 0x10, 0x00, 0xC3, 0x41, 0x00, 0x90, 50,   80,
                            0x00, 0x93, 60,   90,   0x00, 62,   90,   0x10, 0x80, 50,   0,    0x00,
                            0x83, 60,   0,    0x00, 62,   0,    0x00, 0xC3, 0x05}) +
                     endOfTrack()));
    const auto& t = song.tracks[0];
    QCOMPARE(t.channel, std::uint8_t(3));
    QCOMPARE(t.program, std::uint8_t(0x41));
    QCOMPARE(QString::fromStdString(t.name), QString("Lead"));
    QCOMPARE(QString::fromStdString(t.instrument), QString("Sx"));
    QCOMPARE(t.notes.size(), std::size_t(3));
    QVERIFY(!t.isDrum());
    // A track without notes takes its first channel message's channel.
    const auto empty = songOf(header(1, 1, 96) + track(bytes({0x00, 0xB5, 0x07, 0x64}) + endOfTrack()));
    QCOMPARE(empty.tracks[0].channel, std::uint8_t(5));
}

void TestSongFromSmf::drumTrackFlagged() {
    const auto song =
        songOf(header(1, 2, 96) + track(bytes({0x00, 0x99, 36, 100, 0x10, 0x89, 36, 0}) + endOfTrack()) +
               track(bytes({0x00, 0x90, 60, 100, 0x10, 0x80, 60, 0}) + endOfTrack()));
    QVERIFY(song.tracks[0].isDrum());
    QVERIFY(!song.tracks[1].isDrum());
}

void TestSongFromSmf::tempoMapFromAllTracks() {
    // Tempo events in a note track count too; two at one tick: the later one wins.
    const auto song = songOf(
        header(1, 2, 96) +
        track(bytes({0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, 0x60, 0xFF, 0x51, 0x03, 0x0F, 0x42, 0x40}) +
              endOfTrack()) +
        track(bytes({0x60, 0xFF, 0x51, 0x03, 0x03, 0xD0, 0x90, 0x60, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20}) +
              endOfTrack()));
    QCOMPARE(song.tempos.size(), std::size_t(3));
    QCOMPARE(song.tempos[0].microsPerQuarter, 500000u);
    QCOMPARE(song.tempos[1].tick, std::int64_t(0x60));
    QCOMPARE(song.tempos[1].microsPerQuarter, 250000u);
    QCOMPARE(song.tempos[2].tick, std::int64_t(0xC0));
    QCOMPARE(song.microsPerQuarterAt(0x70), 250000u);
}

void TestSongFromSmf::timeAndKeySignatures() {
    const auto song = songOf(header(1, 1, 480) +
                             track(bytes({0x00, 0xFF, 0x58, 0x04, 6,    3,    36,   8, 0x00, 0xFF, 0x59, 0x02,
                                          0xFD, 1,    0x83, 0x60, 0xFF, 0x58, 0x04, 7, 3,    24,   8}) +
                                   endOfTrack()));
    QCOMPARE(song.timeSignatures.size(), std::size_t(2));
    QCOMPARE(song.timeSignatures[0].numerator, std::uint8_t(6));
    QCOMPARE(song.timeSignatures[0].denominator, std::uint8_t(8));
    QCOMPARE(song.timeSignatures[0].ticksPerBar(480), std::int64_t(1440));
    QCOMPARE(song.timeSignatures[1].tick, std::int64_t(480));
    QCOMPARE(song.timeSignatureAt(500).numerator, std::uint8_t(7));
    QCOMPARE(song.keySignatures.size(), std::size_t(1));
    QCOMPARE(song.keySignatures[0].sharps, std::int8_t(-3));
    QVERIFY(song.keySignatures[0].minor);
}

void TestSongFromSmf::malformedMetaSkipped() {
    // A 2-byte tempo, a zero tempo, a time signature with denominator 2^9, a key with 9 sharps: all skipped.
    const auto song =
        songOf(header(1, 1, 96) +
               track(bytes({0x00, 0xFF, 0x51, 0x02, 0x07, 0xA1, 0x00, 0xFF, 0x51, 0x03, 0,    0, 0, 0x00,
                            0xFF, 0x58, 0x04, 4,    9,    24,   8,    0x00, 0xFF, 0x59, 0x02, 9, 0}) +
                     endOfTrack()));
    QVERIFY(song.tempos.empty());
    QVERIFY(song.timeSignatures.empty());
    QVERIFY(song.keySignatures.empty());
    QCOMPARE(song.microsPerQuarterAt(0), 500000u);
}

void TestSongFromSmf::smpteTiming() {
    // 25 fps × 40 ticks per frame = 1000 ticks per second: ticks are milliseconds.
    const auto song = songOf(header(1, 1, (0xE7 << 8) | 40) +
                             track(bytes({0x00, 0x90, 60, 100, 0x87, 0x68, 0x80, 60, 0}) + endOfTrack()));
    QVERIFY(song.smpte.has_value());
    QCOMPARE(song.ppq, 500);
    QCOMPARE(song.tracks[0].notes[0].duration, std::int64_t(1000));
    QCOMPARE(song.secondsAt(1000), 1.0);
}

void TestSongFromSmf::secondsThroughTempoChanges() {
    music::Song s;
    s.ppq = 100;
    s.tempos = {{0, 500000}, {200, 1000000}};
    QCOMPARE(s.secondsAt(100), 0.5);
    QCOMPARE(s.secondsAt(200), 1.0);
    QCOMPARE(s.secondsAt(300), 2.0);
}

QTEST_GUILESS_MAIN(TestSongFromSmf)
#include "tst_song_from_smf.moc"
