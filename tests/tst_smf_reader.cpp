// The SMF reader, byte by byte: what it accepts, and the one clear error (with its offset) for what it
// rejects.

#include "SmfBuilder.h"
#include "midi/Container.h"
#include "midi/MidiError.h"
#include "midi/SmfReader.h"

#include <QTemporaryDir>
#include <QTest>

#include <filesystem>
#include <fstream>

#include <random>
#include <zlib.h>

using namespace continuo;
using namespace continuo::test;

namespace {

QByteArray gzip(const QByteArray& in) {
    z_stream zs{};
    deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&zs, uLong(in.size()))) + 32, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.constData()));
    zs.avail_in = uInt(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = uInt(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(int(zs.total_out));
    deflateEnd(&zs);
    return out;
}

// A small valid format-1 file: conductor track with tempo, and one note track.
QByteArray simpleFile() {
    return header(1, 2, 96) + track(bytes({0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20}) + endOfTrack()) +
           track(bytes({0x00, 0x90, 0x3C, 0x40, 0x60, 0x80, 0x3C, 0x40}) + endOfTrack());
}

midi::SmfFile parse(const QByteArray& b) {
    return midi::parseMidiBytes(span(b));
}

} // namespace

class TestSmfReader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void formatsAndDivisions_data();
    void formatsAndDivisions();
    void runningStatus();
    void noteOnVelocityZeroIsNoteOff();
    void sysexBothForms();
    void metaEvents();
    void programChangeAndOneByteMessages();
    void unknownChunksSkipped();
    void longHeaderSkipped();
    void eventsAfterEndOfTrack();
    void garbageAfterEndOfTrackTolerated();
    void fewerTracksThanDeclared();
    void declaredTrackCountDoesNotAllocate();
    void maximalVariableLengthDelta();
    void systemRealtimeTolerated();
    void dataBytesAbove127Clamped();
    void rmidContainer();
    void gzipContainer();
    void rejects_data();
    void rejects();
    void oversizedFileRefusedBeforeReading();
    void mutatedFilesNeverCrash();
};

void TestSmfReader::formatsAndDivisions_data() {
    QTest::addColumn<int>("format");
    QTest::addColumn<int>("division");
    QTest::addColumn<bool>("smpte");
    QTest::addColumn<int>("value"); // ticks per quarter, or fps
    QTest::newRow("format 0, 96 ppq") << 0 << 96 << false << 96;
    QTest::newRow("format 1, 480 ppq") << 1 << 480 << false << 480;
    QTest::newRow("format 2, 32767 ppq") << 2 << 0x7FFF << false << 0x7FFF;
    QTest::newRow("SMPTE 24 fps") << 1 << ((0xE8 << 8) | 80) << true << 24;
    QTest::newRow("SMPTE 25 fps") << 1 << ((0xE7 << 8) | 40) << true << 25;
    QTest::newRow("SMPTE 29.97 fps") << 1 << ((0xE3 << 8) | 100) << true << 29;
    QTest::newRow("SMPTE 30 fps") << 0 << ((0xE2 << 8) | 4) << true << 30;
}

void TestSmfReader::formatsAndDivisions() {
    QFETCH(int, format);
    QFETCH(int, division);
    QFETCH(bool, smpte);
    QFETCH(int, value);
    const auto f = parse(header(format, 1, division) +
                         track(bytes({0x00, 0x90, 0x40, 0x50, 0x10, 0x80, 0x40, 0x00}) + endOfTrack()));
    QCOMPARE(f.format, format);
    QCOMPARE(f.division.smpte, smpte);
    if (smpte) {
        QCOMPARE(f.division.framesPerSecond, value);
        QCOMPARE(f.division.ticksPerFrame, division & 0xFF);
    } else {
        QCOMPARE(f.division.ticksPerQuarter, value);
    }
    QCOMPARE(f.tracks.size(), std::size_t(1));
    QCOMPARE(f.tracks[0].events.size(), std::size_t(3));
    QCOMPARE(f.tracks[0].events[1].tick, std::int64_t(0x10));
    QVERIFY(f.warnings.empty());
}

void TestSmfReader::runningStatus() {
    // 90 3C 40, then 3E 40 and 40 40 under running status; B0 07 64 then 0A 40 under running status.
    const auto f = parse(header(0, 1, 96) + track(bytes({0x00, 0x90, 0x3C, 0x40, 0x00, 0x3E, 0x40, 0x10, 0x40,
                                                         0x40, 0x00, 0xB0, 0x07, 0x64, 0x00, 0x0A, 0x40}) +
                                                  endOfTrack()));
    const auto& ev = f.tracks[0].events;
    QCOMPARE(ev.size(), std::size_t(6));
    QCOMPARE(ev[1].status, std::uint8_t(0x90));
    QCOMPARE(ev[1].data1, std::uint8_t(0x3E));
    QCOMPARE(ev[2].data1, std::uint8_t(0x40));
    QCOMPARE(ev[2].tick, std::int64_t(0x10));
    QCOMPARE(ev[4].status, std::uint8_t(0xB0));
    QCOMPARE(ev[4].data1, std::uint8_t(0x0A));
    QCOMPARE(ev[4].data2, std::uint8_t(0x40));
}

void TestSmfReader::noteOnVelocityZeroIsNoteOff() {
    const auto f =
        parse(header(0, 1, 96) + track(bytes({0x00, 0x91, 0x3C, 0x40, 0x60, 0x3C, 0x00}) + endOfTrack()));
    const auto& ev = f.tracks[0].events;
    QVERIFY(ev[0].isNoteOn());
    QVERIFY(!ev[0].isNoteOff());
    QVERIFY(ev[1].isNoteOff());
    QVERIFY(!ev[1].isNoteOn());
    QCOMPARE(ev[1].channel(), std::uint8_t(1));
}

void TestSmfReader::sysexBothForms() {
    // A complete F0 sysex, then a packet split into F0 + F7 continuation, then an F7 escape of raw bytes.
    const auto f =
        parse(header(0, 1, 96) +
              track(bytes({0x00, 0xF0, 0x05, 0x7E, 0x7F, 0x09, 0x01, 0xF7, 0x00, 0xF0, 0x02, 0x43, 0x12, 0x10,
                           0xF7, 0x02, 0x00, 0xF7, 0x00, 0xF7, 0x02, 0xF3, 0x01, 0x00, 0x90, 0x3C, 0x40}) +
                    endOfTrack()));
    const auto& t = f.tracks[0];
    QCOMPARE(t.events.size(), std::size_t(6));
    QVERIFY(t.events[0].isSysex());
    QCOMPARE(t.events[0].status, std::uint8_t(0xF0));
    QCOMPARE(t.payloadOf(t.events[0]).size(), std::size_t(5));
    QCOMPARE(t.events[2].status, std::uint8_t(0xF7));
    QCOMPARE(t.events[2].tick, std::int64_t(0x10));
    QCOMPARE(t.payloadOf(t.events[3])[0], std::uint8_t(0xF3));
    QVERIFY(t.events[4].isNoteOn()); // sysex did not disturb the following channel message
}

void TestSmfReader::metaEvents() {
    const auto f = parse(
        header(1, 1, 480) +
        track(bytes({0x00, 0xFF, 0x03, 0x05, 'P',  'i',  'a',  'n',  'o',  0x00, 0xFF, 0x04, 0x03, 'E',  'P',
                     '1',  0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20, 0x00, 0xFF, 0x58, 0x04, 0x06, 0x03, 0x18,
                     0x08, 0x00, 0xFF, 0x59, 0x02, 0xFE, 0x01, 0x00, 0xFF, 0x7F, 0x03, 0x00, 0x00, 0x41}) +
              endOfTrack(0x20)));
    const auto& t = f.tracks[0];
    QCOMPARE(t.events.size(), std::size_t(7));
    QCOMPARE(t.events[0].metaType, std::uint8_t(midi::kMetaTrackName));
    QCOMPARE(QString::fromStdString(t.textOf(t.events[0])), QString("Piano"));
    QCOMPARE(QString::fromStdString(t.textOf(t.events[1])), QString("EP1"));
    QCOMPARE(t.events[2].metaType, std::uint8_t(midi::kMetaTempo));
    QCOMPARE(t.events[3].metaType, std::uint8_t(midi::kMetaTimeSignature));
    QCOMPARE(t.payloadOf(t.events[4])[0], std::uint8_t(0xFE));
    QCOMPARE(t.events[5].metaType, std::uint8_t(midi::kMetaSequencerSpecific));
    QCOMPARE(t.events[6].metaType, std::uint8_t(midi::kMetaEndOfTrack));
    QCOMPARE(t.events[6].tick, std::int64_t(0x20));
}

void TestSmfReader::programChangeAndOneByteMessages() {
    // C0 05, running-status C0 06, D0 40 (channel pressure), E0 00 40 (pitch bend), A0 3C 20.
    const auto f = parse(header(0, 1, 96) + track(bytes({0x00, 0xC0, 0x05, 0x00, 0x06, 0x00, 0xD0, 0x40, 0x00,
                                                         0xE0, 0x00, 0x40, 0x00, 0xA0, 0x3C, 0x20}) +
                                                  endOfTrack()));
    const auto& ev = f.tracks[0].events;
    QCOMPARE(ev.size(), std::size_t(6));
    QCOMPARE(ev[0].command(), std::uint8_t(midi::kProgramChange));
    QCOMPARE(ev[1].data1, std::uint8_t(6));
    QCOMPARE(ev[2].command(), std::uint8_t(midi::kChannelPressure));
    QCOMPARE(ev[3].data2, std::uint8_t(0x40));
    QCOMPARE(ev[4].data2, std::uint8_t(0x20));
}

void TestSmfReader::unknownChunksSkipped() {
    const auto f = parse(header(1, 2, 96) + chunk("XFIH", bytes({1, 2, 3})) + track(endOfTrack()) +
                         chunk("junk", QByteArray(10, 'x')) + track(endOfTrack()));
    QCOMPARE(f.tracks.size(), std::size_t(2));
    QCOMPARE(f.warnings.size(), std::size_t(2));
    QVERIFY(QString::fromStdString(f.warnings[0]).contains("XFIH"));
}

void TestSmfReader::longHeaderSkipped() {
    const QByteArray h = QByteArray("MThd") + be32(8) + bytes({0, 0, 0, 1, 0, 96, 0xAB, 0xCD});
    const auto f = parse(h + track(endOfTrack()));
    QCOMPARE(f.division.ticksPerQuarter, 96);
    QCOMPARE(f.tracks.size(), std::size_t(1));
}

void TestSmfReader::eventsAfterEndOfTrack() {
    // Readers such as mido read to the chunk's end; so does Continuo.
    const auto f = parse(header(0, 1, 96) + track(endOfTrack() + bytes({0x10, 0x90, 0x3C, 0x40})));
    QCOMPARE(f.tracks[0].events.size(), std::size_t(2));
    QCOMPARE(f.tracks[0].events[1].tick, std::int64_t(0x10));
}

void TestSmfReader::garbageAfterEndOfTrackTolerated() {
    const auto f =
        parse(header(0, 1, 96) + track(bytes({0x00, 0x90, 0x3C, 0x40}) + endOfTrack() + bytes({0x00, 0x3C})));
    QCOMPARE(f.tracks[0].events.size(), std::size_t(2));
    QCOMPARE(f.warnings.size(), std::size_t(1));
    QVERIFY(QString::fromStdString(f.warnings[0]).contains("after End of Track"));
}

void TestSmfReader::dataBytesAbove127Clamped() {
    // Issue 17: real files (five in Debian packages) write velocities as bytes over 127. They are read as
    // 127, as mido's clip=True and players read them, with one warning per track; before, the file was
    // refused ("status byte 0xCC where a data byte was expected").
    const auto f = parse(header(0, 1, 96) + track(bytes({0x00, 0x90, 0x3C, 0xCC,    // velocity 0xCC
                                                         0x60, 0x80, 0x3C, 0xFF,    // release velocity
                                                         0x00, 0xB0, 0x07, 0x90,    // controller value
                                                         0x00, 0xC0, 0x85,          // program
                                                         0x00, 0x91, 0x40, 0x50}) + // a clean note
                                                  endOfTrack()));
    const auto& ev = f.tracks.at(0).events;
    QCOMPARE(ev.size(), std::size_t(6));
    QCOMPARE(ev[0].data1, std::uint8_t(0x3C));
    QCOMPARE(ev[0].data2, std::uint8_t(127));
    QCOMPARE(ev[1].tick, std::int64_t(0x60));
    QCOMPARE(ev[1].data2, std::uint8_t(127));
    QCOMPARE(ev[2].data1, std::uint8_t(0x07));
    QCOMPARE(ev[2].data2, std::uint8_t(127));
    QCOMPARE(ev[3].data1, std::uint8_t(127));
    QCOMPARE(ev[4].data1, std::uint8_t(0x40));
    QCOMPARE(ev[4].data2, std::uint8_t(0x50));
    QCOMPARE(f.warnings.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(f.warnings[0]),
             QString("track 0: 4 data bytes above 127 (the first 0xCC, at byte 25) read as 127"));
    // Under running status the first byte decides: one with the top bit set is a status, as before.
    const auto r =
        parse(header(0, 1, 96) + track(bytes({0x00, 0x90, 0x3C, 0x40, 0x10, 0x3E, 0xA0}) + endOfTrack()));
    QCOMPARE(r.tracks.at(0).events.at(1).data2, std::uint8_t(127));
    QVERIFY(QString::fromStdString(r.warnings.at(0))
                .contains("1 data byte above 127 (the first 0xA0, at byte 28)"));
}

void TestSmfReader::fewerTracksThanDeclared() {
    const auto f = parse(header(1, 3, 96) + track(endOfTrack()));
    QCOMPARE(f.tracks.size(), std::size_t(1));
    QVERIFY(QString::fromStdString(f.warnings.at(0)).contains("declares 3 tracks"));
}

void TestSmfReader::declaredTrackCountDoesNotAllocate() {
    const auto f = parse(header(1, 0xFFFF, 96) + track(endOfTrack()));
    QCOMPARE(f.tracks.size(), std::size_t(1));
    QVERIFY(f.tracks.capacity() <= 2); // bounded by what 12 remaining bytes can hold
}

void TestSmfReader::maximalVariableLengthDelta() {
    const auto f =
        parse(header(0, 1, 96) + track(bytes({0xFF, 0xFF, 0xFF, 0x7F, 0x90, 0x3C, 0x40}) + endOfTrack()));
    QCOMPARE(f.tracks[0].events[0].tick, std::int64_t(0x0FFFFFFF));
}

void TestSmfReader::systemRealtimeTolerated() {
    const auto f =
        parse(header(0, 1, 96) +
              track(bytes({0x00, 0xF8, 0x00, 0xF2, 0x01, 0x02, 0x00, 0x90, 0x3C, 0x40}) + endOfTrack()));
    QCOMPARE(f.tracks[0].events.size(), std::size_t(4));
    QVERIFY(f.tracks[0].events[2].isNoteOn());
}

void TestSmfReader::oversizedFileRefusedBeforeReading() {
    // A sparse file one byte over the limit: refused by its size alone, with both numbers exact (rounded
    // down to MiB it used to read "64 MiB is too large" beside a 64 MiB limit).
    QTemporaryDir dir;
    const std::filesystem::path big = dir.filePath("big.mid").toStdString();
    std::ofstream(big) << "MThd";
    std::filesystem::resize_file(big, midi::kMaxMidiBytes + 1);
    try {
        midi::readMidiFile(big);
        QFAIL("no exception");
    } catch (const midi::MidiError& e) {
        QCOMPARE(QString(e.what()), QString::fromStdString(big.string()) +
                                        ": 67108865 bytes is more than a MIDI file may have (64 MiB)");
    }
}

void TestSmfReader::rmidContainer() {
    const QByteArray smf = simpleFile();
    QByteArray dataChunk = QByteArray("data") + le32(std::uint32_t(smf.size())) + smf;
    if (smf.size() % 2) dataChunk.append('\0');
    const QByteArray body =
        QByteArray("RMID") + QByteArray("LIST") + le32(6) + QByteArray("INFOxx") + dataChunk;
    const QByteArray riff = QByteArray("RIFF") + le32(std::uint32_t(body.size())) + body;
    const auto f = parse(riff);
    QCOMPARE(f.tracks.size(), std::size_t(2));
    QCOMPARE(f.division.ticksPerQuarter, 96);
    // Error offsets are positions in the RIFF file: corrupt the embedded track's declared length.
    QByteArray broken = riff;
    const int mtrk = broken.indexOf("MTrk");
    broken[mtrk + 4] = char(0x7F);
    try {
        parse(broken);
        QFAIL("expected an error");
    } catch (const midi::MidiError& e) {
        QCOMPARE(e.offset(), std::size_t(mtrk));
    }
    // A RIFF file of another type is named as such.
    QVERIFY_THROWS_EXCEPTION(midi::MidiError, parse(QByteArray("RIFF") + le32(4) + QByteArray("WAVE")));
}

void TestSmfReader::gzipContainer() {
    const auto f = parse(gzip(simpleFile()));
    QCOMPARE(f.tracks.size(), std::size_t(2));
    QCOMPARE(f.tracks[1].events.size(), std::size_t(3));
    QByteArray truncated = gzip(simpleFile());
    truncated.chop(12);
    try {
        parse(truncated);
        QFAIL("expected an error");
    } catch (const midi::MidiError& e) {
        QVERIFY2(QString(e.what()).contains("gzip"), e.what());
    }
    QByteArray corrupt = gzip(simpleFile());
    corrupt[12] = char(corrupt[12] ^ 0x55);
    corrupt[13] = char(corrupt[13] ^ 0x55);
    QVERIFY_THROWS_EXCEPTION(midi::MidiError, parse(corrupt));
    // An SMF error inside a gzip says its offset is in the decompressed data.
    try {
        parse(gzip(header(0, 1, 0) + track(endOfTrack())));
        QFAIL("expected an error");
    } catch (const midi::MidiError& e) {
        QVERIFY2(QString(e.what()).contains("decompressed"), e.what());
        QCOMPARE(e.offset(), std::size_t(12));
    }
}

void TestSmfReader::rejects_data() {
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("offset");
    const QByteArray h1 = header(0, 1, 96); // 14 bytes: track chunk at 14, its events from 22
    QTest::newRow("empty") << QByteArray() << "not a MIDI file: only 0 bytes" << 0;
    QTest::newRow("text file") << QByteArray("hello world, this is text")
                               << "expected 'MThd' but found 'hell'" << 0;
    QTest::newRow("header too short")
        << (QByteArray("MThd") + be32(4) + bytes({0, 0, 0, 1})) << "header chunk is 4 bytes" << 4;
    QTest::newRow("truncated header")
        << (QByteArray("MThd") + be32(6) + bytes({0, 0})) << "truncated header chunk" << 4;
    QTest::newRow("format 3") << (header(3, 1, 96) + track(endOfTrack())) << "unsupported SMF format 3" << 8;
    QTest::newRow("zero division") << (header(1, 1, 0) + track(endOfTrack())) << "zero ticks per quarter note"
                                   << 12;
    QTest::newRow("SMPTE 23 fps") << (header(1, 1, (0xE9 << 8) | 40) + track(endOfTrack()))
                                  << "23 frames per second" << 12;
    QTest::newRow("SMPTE 0 ticks") << (header(1, 1, 0xE700) + track(endOfTrack())) << "0 ticks per frame"
                                   << 12;
    QTest::newRow("chunk length past end")
        << (h1 + QByteArray("MTrk") + be32(100) + QByteArray(10, '\0'))
        << "truncated chunk: 'MTrk' declares 100 bytes, only 10 remain" << 14;
    QTest::newRow("truncated chunk header") << (h1 + QByteArray("MTr")) << "truncated chunk header" << 14;
    QTest::newRow("data byte without status") << (h1 + track(bytes({0x00, 0x3C, 0x40}) + endOfTrack()))
                                              << "data byte 0x3C with no running status" << 23;
    // A byte over 127 where data is due is read as 127 (dataBytesAbove127Clamped); a stream it derails
    // still ends in an error where the bytes stop making sense.
    QTest::newRow("status where data is due derails the stream")
        << (h1 + track(bytes({0x00, 0x90, 0x3C, 0x90, 0x3C, 0x40}) + endOfTrack()))
        << "unexpected end of data while reading a channel message's data byte" << 32;
    QTest::newRow("5-byte variable-length delta")
        << (h1 + track(bytes({0x81, 0x80, 0x80, 0x80, 0x00, 0x90, 0x3C, 0x40})))
        << "variable-length number longer than 4 bytes" << 22;
    QTest::newRow("event past chunk end")
        << (h1 + track(bytes({0x00, 0x90, 0x3C})))
        << "unexpected end of data while reading a channel message's data byte" << 25;
    QTest::newRow("meta length past chunk end") << (h1 + track(bytes({0x00, 0xFF, 0x01, 0x7F, 'a', 'b'})))
                                                << "meta event 0x01 declares 127 bytes" << 22;
    QTest::newRow("absurd meta length") << (h1 + track(bytes({0x00, 0xFF, 0x01, 0xFF, 0xFF, 0xFF, 0x7F})))
                                        << "declares 268435455 bytes" << 22;
    QTest::newRow("sysex length past chunk end")
        << (h1 + track(bytes({0x00, 0xF0, 0x10, 0x01}))) << "sysex declares 16 bytes" << 22;
    QTest::newRow("undefined status F4")
        << (h1 + track(bytes({0x00, 0xF4}) + endOfTrack())) << "undefined status byte 0xF4" << 23;
    QTest::newRow("delta cut off") << (h1 + track(bytes({0x00, 0x90, 0x3C, 0x40, 0x81})))
                                   << "reading a delta time" << 27;
    QTest::newRow("RIFF without data chunk")
        << (QByteArray("RIFF") + le32(12) + QByteArray("RMID") + QByteArray("LIST") + le32(0))
        << "has no 'data' chunk" << -1;
}

void TestSmfReader::rejects() {
    QFETCH(QByteArray, data);
    QFETCH(QString, message);
    QFETCH(int, offset);
    try {
        parse(data);
        QFAIL("parsed what it should reject");
    } catch (const midi::MidiError& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
        if (offset >= 0) {
            QCOMPARE(e.offset(), std::size_t(offset));
            QVERIFY2(QString(e.what()).contains(QString("at byte %1").arg(offset)), e.what());
        }
    }
}

void TestSmfReader::mutatedFilesNeverCrash() {
    // A deterministic stand-in for the fuzzer in the regular build: flip, insert and drop bytes of a valid
    // file; every result either parses or throws MidiError (nothing else, no crash, no hang).
    const QByteArray base = simpleFile();
    std::mt19937 rng(7);
    int parsed = 0, rejected = 0;
    for (int i = 0; i < 20000; ++i) {
        QByteArray b = base;
        const int edits = 1 + int(rng() % 4);
        for (int k = 0; k < edits; ++k) {
            const int at = int(rng() % std::uint32_t(b.size()));
            switch (rng() % 3) {
            case 0:
                b[at] = char(rng());
                break;
            case 1:
                b.insert(at, char(rng()));
                break;
            default:
                b.remove(at, 1);
                break;
            }
        }
        try {
            parse(b);
            ++parsed;
        } catch (const midi::MidiError&) {
            ++rejected;
        }
    }
    QVERIFY(parsed > 0);
    QVERIFY(rejected > 0);
}

QTEST_GUILESS_MAIN(TestSmfReader)
#include "tst_smf_reader.moc"
