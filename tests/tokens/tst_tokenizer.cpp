// Quantization, the event and chord tokenizers: round trips, the fixed vocabulary, policies, robustness.

#include "TokenTestUtil.h"
#include "music/CorpusFiles.h"
#include "music/SongFile.h"
#include "music/Tokenizer.h"

#include <QTest>

#include <algorithm>
#include <random>

using namespace continuo;
using namespace continuo::test;
using music::GridNote;
using music::Note;
using music::Tokenizer;
using music::TokenizerSettings;
using music::TokenKind;

Q_DECLARE_METATYPE(music::TokenizerSettings)

namespace {

std::unique_ptr<Tokenizer> make(music::Encoding e = music::Encoding::Event,
                                music::InstrumentPolicy p = music::InstrumentPolicy::Merge) {
    TokenizerSettings s;
    s.encoding = e;
    s.policy = p;
    return Tokenizer::create(s);
}

// What the event encoding promises to give back for on-grid notes: the velocity of their bin, channel 0.
std::vector<Note> snapped(const Tokenizer& tok, std::vector<Note> notes) {
    for (Note& n : notes) {
        n.velocity = std::uint8_t(tok.binVelocity(tok.velocityBin(n.velocity)));
        n.channel = 0;
    }
    std::sort(notes.begin(), notes.end(), music::noteLess);
    return notes;
}

QStringList names(const Tokenizer& tok, const std::vector<std::int32_t>& ids) {
    QStringList out;
    for (std::int32_t id : ids)
        out << QString::fromStdString(tok.tokenName(id));
    return out;
}

QString pitchesOf(const std::vector<Note>& notes) {
    QStringList p;
    for (const Note& n : notes)
        p << QString::number(n.pitch);
    return p.join(' ');
}

} // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void quantize_data();
    void quantize();
    void overlaps_data();
    void overlaps();
    void velocityBins();
    void roundTrip_data();
    void roundTrip();
    void clamping();
    void transpose_data();
    void transpose();
    void fixedVocabulary_data();
    void fixedVocabulary();
    void settingsText();
    void decodeGrammar_data();
    void decodeGrammar();
    void decodeNeverFails();
    void policies_data();
    void policies();
    void tempoDoesNotMoveGrid();
    void chordEncoding_data();
    void chordEncoding();
    void engineSeed();
    void realFiles_data();
    void realFiles();
};

void TestTokenizer::quantize_data() {
    QTest::addColumn<int>("ppq");
    QTest::addColumn<qint64>("start");
    QTest::addColumn<qint64>("duration");
    QTest::addColumn<qint64>("step");
    QTest::addColumn<qint64>("length");
    QTest::newRow("on the grid") << 480 << qint64(0) << qint64(480) << qint64(0) << qint64(12);
    QTest::newRow("just early: nearest") << 480 << qint64(19) << qint64(100) << qint64(0) << qint64(3);
    QTest::newRow("halfway rounds up") << 480 << qint64(20) << qint64(40) << qint64(1) << qint64(1);
    QTest::newRow("grace note keeps one step") << 480 << qint64(0) << qint64(10) << qint64(0) << qint64(1);
    QTest::newRow("eighth triplet") << 480 << qint64(160) << qint64(160) << qint64(4) << qint64(4);
    QTest::newRow("sixteenth") << 480 << qint64(120) << qint64(120) << qint64(3) << qint64(3);
    QTest::newRow("ppq 96") << 96 << qint64(8) << qint64(8) << qint64(1) << qint64(1);
    QTest::newRow("ppq 100 (not a multiple)") << 100 << qint64(50) << qint64(50) << qint64(6) << qint64(6);
    QTest::newRow("ppq 1 (coarser than the grid)") << 1 << qint64(1) << qint64(1) << qint64(12) << qint64(12);
}

void TestTokenizer::quantize() {
    QFETCH(int, ppq);
    QFETCH(qint64, start);
    QFETCH(qint64, duration);
    QFETCH(qint64, step);
    QFETCH(qint64, length);
    const std::vector<Note> in{note(start, duration, 60)};
    const std::vector<GridNote> q = music::quantizeNotes(in, ppq, 12);
    QCOMPARE(q.size(), std::size_t(1));
    QCOMPARE(qint64(q[0].step), step);
    QCOMPARE(qint64(q[0].length), length);
    if (ppq >= 12)
        QCOMPARE(music::ticksToSteps(music::stepsToTicks(step, ppq, 12), ppq, 12), std::int64_t(step));
}

void TestTokenizer::overlaps_data() {
    QTest::addColumn<std::vector<GridNote>>("in");
    QTest::addColumn<std::vector<GridNote>>("out");
    QTest::newRow("same pitch, same step: one note, longest and loudest")
        << std::vector<GridNote>{{0, 3, 60, 50}, {0, 6, 60, 90}} << std::vector<GridNote>{{0, 6, 60, 90}};
    QTest::newRow("same pitch still sounding: cut at the next onset")
        << std::vector<GridNote>{{0, 12, 60, 80}, {4, 4, 60, 80}}
        << std::vector<GridNote>{{0, 4, 60, 80}, {4, 4, 60, 80}};
    QTest::newRow("other pitches overlap freely") << std::vector<GridNote>{{0, 12, 48, 80}, {4, 4, 60, 80}}
                                                  << std::vector<GridNote>{{0, 12, 48, 80}, {4, 4, 60, 80}};
    QTest::newRow("sorted by step then pitch")
        << std::vector<GridNote>{{5, 1, 40, 80}, {0, 1, 72, 80}, {0, 1, 60, 80}}
        << std::vector<GridNote>{{0, 1, 60, 80}, {0, 1, 72, 80}, {5, 1, 40, 80}};
}

void TestTokenizer::overlaps() {
    QFETCH(std::vector<GridNote>, in);
    QFETCH(std::vector<GridNote>, out);
    music::resolveOverlaps(in);
    QCOMPARE(in, out);
}

void TestTokenizer::velocityBins() {
    const auto tok = make();
    QCOMPARE(tok->velocityBin(1), 1);
    QCOMPARE(tok->velocityBin(16), 1);
    QCOMPARE(tok->velocityBin(17), 2);
    QCOMPARE(tok->velocityBin(127), 8);
    QCOMPARE(tok->velocityBin(0), 1);
    for (int b = 1; b <= tok->settings().velocityBins; ++b)
        QCOMPARE(tok->velocityBin(tok->binVelocity(b)), b);
}

void TestTokenizer::roundTrip_data() {
    QTest::addColumn<int>("ppq");
    QTest::addColumn<std::vector<Note>>("notes");
    QTest::newRow("one note") << 480 << std::vector<Note>{note(0, 480, 60)};
    QTest::newRow("chord keeps octave and voicing")
        << 480 << std::vector<Note>{note(0, 960, 36), note(0, 960, 52), note(0, 960, 67), note(0, 960, 76)};
    QTest::newRow("rests of two bars")
        << 480 << std::vector<Note>{note(0, 240, 60), note(480 * 8, 240, 62), note(480 * 9, 120, 64)};
    QTest::newRow("leading rest") << 480 << std::vector<Note>{note(480 * 3, 480, 67)};
    QTest::newRow("long note (= D)") << 480 << std::vector<Note>{note(0, 480 * 8, 48), note(480, 120, 72)};
    QTest::newRow("eighth triplets") << 480
                                     << std::vector<Note>{note(0, 160, 60), note(160, 160, 62),
                                                          note(320, 160, 64), note(480, 160, 65),
                                                          note(640, 160, 67)};
    QTest::newRow("velocity changes") << 480
                                      << std::vector<Note>{note(0, 120, 60, 10), note(120, 120, 60, 64),
                                                           note(240, 120, 60, 127), note(240, 120, 67, 30)};
    QTest::newRow("pitch limits") << 480
                                  << std::vector<Note>{note(0, 120, 0), note(0, 120, 127), note(120, 40, 1)};
    QTest::newRow("held bass under a melody")
        << 480
        << std::vector<Note>{note(0, 1920, 36), note(0, 240, 72), note(240, 240, 74), note(480, 480, 76)};
    QTest::newRow("grace note of one step") << 480 << std::vector<Note>{note(0, 40, 71), note(40, 440, 72)};
    QTest::newRow("ppq 96") << 96 << std::vector<Note>{note(0, 24, 60), note(24, 8, 62), note(32, 64, 64)};
}

void TestTokenizer::roundTrip() {
    QFETCH(int, ppq);
    QFETCH(std::vector<Note>, notes);
    const auto tok = make();
    const music::Song in = song({track(notes)}, ppq);
    const std::vector<music::TokenStream> streams = tok->encode(in);
    QCOMPARE(streams.size(), std::size_t(1));
    QCOMPARE(streams[0].tokens.front(), Tokenizer::bos());
    QCOMPARE(streams[0].tokens.back(), Tokenizer::eos());
    QCOMPARE(streams[0].clamped, std::size_t(0));
    QCOMPARE(streams[0].notes, notes.size());
    music::DecodeOptions opt;
    opt.ppq = ppq;
    const music::Decoded out = tok->decode(streams[0].tokens, opt);
    QCOMPARE(out.ignored, std::size_t(0));
    QVERIFY(out.sawEos);
    QCOMPARE(out.notes, snapped(*tok, notes));
    // Encoding what was decoded gives the same tokens: the representation is canonical.
    QCOMPARE(tok->encodeNotes(out.notes, ppq).tokens, streams[0].tokens);
}

void TestTokenizer::clamping() {
    const auto tok = make();
    const int S = tok->settings().maxShift, D = tok->settings().maxDuration, R = tok->settings().maxRest;
    // A note of D + 4 steps and a rest of R + 50 steps: both clamped, both counted.
    const std::vector<GridNote> grid{{0, D + 4, 60, 100}, {std::int64_t(R) + 50, 1, 62, 100}};
    const music::TokenStream s = tok->encodeGrid(grid);
    QCOMPARE(s.clamped, std::size_t(2));
    const std::vector<GridNote> back = tok->decodeGrid(s.tokens);
    QCOMPARE(back.size(), std::size_t(2));
    QCOMPARE(back[0].length, std::int64_t(D));
    QCOMPARE(back[1].step, std::int64_t(R));
    // The rest takes R / S SHIFT(S) tokens.
    const int shifts = int(std::count_if(s.tokens.begin(), s.tokens.end(),
                                         [&](std::int32_t id) { return tok->kind(id) == TokenKind::Shift; }));
    QCOMPARE(shifts, (R + S - 1) / S);
}

void TestTokenizer::transpose_data() {
    QTest::addColumn<int>("encoding");
    QTest::addColumn<std::vector<Note>>("notes");
    QTest::addColumn<int>("semitones");
    QTest::addColumn<bool>("ok");
    const std::vector<Note> edges{note(0, 120, 0), note(120, 120, 127)};
    const std::vector<Note> middle{note(0, 120, 60), note(0, 120, 64), note(120, 120, 67)};
    for (int e : {0, 1}) {
        const char* n = e ? "chord" : "event";
        QTest::addRow("%s: up 6", n) << e << middle << 6 << true;
        QTest::addRow("%s: down 5", n) << e << middle << -5 << true;
        QTest::addRow("%s: 127 cannot go up", n) << e << edges << 1 << false;
        QTest::addRow("%s: 0 cannot go down", n) << e << edges << -1 << false;
        QTest::addRow("%s: 127 may go down", n) << e << std::vector<Note>{note(0, 120, 127)} << -5 << true;
        QTest::addRow("%s: 0 may go up", n) << e << std::vector<Note>{note(0, 120, 0)} << 6 << true;
    }
}

void TestTokenizer::transpose() {
    QFETCH(int, encoding);
    QFETCH(std::vector<Note>, notes);
    QFETCH(int, semitones);
    QFETCH(bool, ok);
    const auto tok = make(encoding ? music::Encoding::Chord : music::Encoding::Event);
    std::vector<std::int32_t> tokens = tok->encodeNotes(notes, 480).tokens;
    const std::vector<std::int32_t> before = tokens;
    QCOMPARE(tok->transpose(tokens, semitones), ok);
    if (!ok) {
        QCOMPARE(tokens, before);
        return;
    }
    // Transposing the tokens = encoding the transposed notes.
    std::vector<Note> moved = notes;
    for (Note& n : moved)
        n.pitch = std::uint8_t(n.pitch + semitones);
    QCOMPARE(names(*tok, tokens), names(*tok, tok->encodeNotes(moved, 480).tokens));
}

void TestTokenizer::fixedVocabulary_data() {
    QTest::addColumn<TokenizerSettings>("settings");
    QTest::addColumn<int>("vocab");
    TokenizerSettings s;
    QTest::newRow("event, defaults") << s << 3 + 48 + 8 + 128 + 96;
    s.maxShift = 24;
    s.velocityBins = 32;
    s.maxDuration = 192;
    s.stepsPerQuarter = 24;
    QTest::newRow("event, finer") << s << 3 + 24 + 32 + 128 + 192;
    s.encoding = music::Encoding::Chord;
    QTest::newRow("chord") << s << 3 + 128 + 4095;
}

void TestTokenizer::fixedVocabulary() {
    QFETCH(TokenizerSettings, settings);
    QFETCH(int, vocab);
    const auto tok = Tokenizer::create(settings);
    QCOMPARE(tok->vocabSize(), vocab);
    // The ranges tile [0, vocab) without gaps or overlaps, PAD/BOS/EOS first.
    QCOMPARE(tok->range(TokenKind::Pad), (music::TokenRange{0, 1}));
    QCOMPARE(tok->range(TokenKind::Bos), (music::TokenRange{1, 1}));
    QCOMPARE(tok->range(TokenKind::Eos), (music::TokenRange{2, 1}));
    std::vector<int> cover(std::size_t(vocab), 0);
    for (int k = 0; k < music::kTokenKinds; ++k) {
        const music::TokenRange r = tok->range(TokenKind(k));
        for (std::int32_t id = r.first; id < r.end(); ++id) {
            ++cover[std::size_t(id)];
            QCOMPARE(int(tok->kind(id)), k);
            QCOMPARE(tok->token(TokenKind(k), tok->value(id)), id);
        }
    }
    QVERIFY(std::all_of(cover.begin(), cover.end(), [](int c) { return c == 1; }));
    QCOMPARE(tok->kind(-1), TokenKind::Invalid);
    QCOMPARE(tok->kind(vocab), TokenKind::Invalid);
    // Very different data never changes it, and every id made is inside it.
    for (unsigned seed : {1u, 2u, 3u}) {
        const music::Song s = melody(seed, 300, seed == 3 ? 0 : 30, seed == 3 ? 127 : 90);
        for (const auto& stream : tok->encode(s)) {
            for (std::int32_t id : stream.tokens)
                QVERIFY(id >= 0 && id < tok->vocabSize());
        }
        QCOMPARE(Tokenizer::create(settings)->vocabSize(), vocab);
    }
}

void TestTokenizer::settingsText() {
    TokenizerSettings s;
    s.encoding = music::Encoding::Chord;
    s.policy = music::InstrumentPolicy::TopVoice;
    s.maxDuration = 200;
    QCOMPARE(TokenizerSettings::parse(s.toString()), s);
    QCOMPARE(TokenizerSettings::parse(TokenizerSettings{}.toString()), TokenizerSettings{});
    QVERIFY(TokenizerSettings::parse("spq=24") != TokenizerSettings{});
    QCOMPARE(TokenizerSettings::parse("").toString(), TokenizerSettings{}.toString());
    for (const char* bad : {"spq=0", "spq=x", "colour=blue", "encoding=words", "vel=200", "spq"}) {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TokenizerSettings::parse(bad));
    }
}

void TestTokenizer::decodeGrammar_data() {
    QTest::addColumn<QStringList>("tokens");
    QTest::addColumn<int>("notes");
    QTest::addColumn<int>("ignored");
    QTest::newRow("well formed") << QStringList{"BOS",     "VEL 4",    "PITCH 60", "DUR 3",
                                                "SHIFT 3", "PITCH 62", "DUR 3",    "EOS"}
                                 << 2 << 0;
    QTest::newRow("PITCH without DUR is dropped") << QStringList{"PITCH 60", "PITCH 62", "DUR 2"} << 1 << 1;
    QTest::newRow("DUR without PITCH is skipped") << QStringList{"DUR 2", "PITCH 62", "DUR 2"} << 1 << 1;
    QTest::newRow("PITCH cut off at the end") << QStringList{"PITCH 62", "DUR 2", "PITCH 64"} << 1 << 1;
    QTest::newRow("EOS ends decoding")
        << QStringList{"PITCH 62", "DUR 2", "EOS", "PITCH 64", "DUR 2"} << 1 << 0;
    QTest::newRow("PAD and BOS are skipped")
        << QStringList{"PAD", "BOS", "PITCH 62", "PAD", "DUR 2", "PAD"} << 1 << 0;
    QTest::newRow("ids outside the vocabulary")
        << QStringList{"ID -7", "PITCH 62", "DUR 2", "ID 99999"} << 1 << 2;
}

void TestTokenizer::decodeGrammar() {
    QFETCH(QStringList, tokens);
    QFETCH(int, notes);
    QFETCH(int, ignored);
    const auto tok = make();
    std::vector<std::int32_t> ids;
    for (const QString& t : tokens) {
        const QStringList p = t.split(' ');
        const int v = p.size() > 1 ? p[1].toInt() : 0;
        if (p[0] == "BOS")
            ids.push_back(Tokenizer::bos());
        else if (p[0] == "EOS")
            ids.push_back(Tokenizer::eos());
        else if (p[0] == "PAD")
            ids.push_back(Tokenizer::pad());
        else if (p[0] == "VEL")
            ids.push_back(tok->token(TokenKind::Velocity, v));
        else if (p[0] == "PITCH")
            ids.push_back(tok->token(TokenKind::Pitch, v));
        else if (p[0] == "DUR")
            ids.push_back(tok->token(TokenKind::Duration, v));
        else if (p[0] == "SHIFT")
            ids.push_back(tok->token(TokenKind::Shift, v));
        else
            ids.push_back(v);
    }
    const music::Decoded d = tok->decode(ids);
    QCOMPARE(int(d.notes.size()), notes);
    QCOMPARE(int(d.ignored), ignored);
}

void TestTokenizer::decodeNeverFails() {
    // Whatever a model emits, decoding gives valid notes and never throws or crashes.
    for (auto enc : {music::Encoding::Event, music::Encoding::Chord}) {
        const auto tok = make(enc);
        std::mt19937 rng(42);
        for (int round = 0; round < 300; ++round) {
            std::vector<std::int32_t> ids(rng() % 400);
            for (auto& id : ids)
                id = std::int32_t(rng() % unsigned(tok->vocabSize() + 20)) - 10;
            const music::Decoded d = tok->decode(ids, {480, 960, 3, {}});
            QVERIFY(std::is_sorted(d.notes.begin(), d.notes.end(), music::noteLess));
            for (const Note& n : d.notes) {
                QVERIFY(n.pitch <= 127 && n.velocity >= 1 && n.velocity <= 127 && n.duration >= 1 &&
                        n.start >= 960);
                QCOMPARE(int(n.channel), 3);
            }
            QVERIFY(d.endTick >= 960);
        }
    }
}

void TestTokenizer::policies_data() {
    QTest::addColumn<QString>("policy");
    QTest::addColumn<QStringList>("streams"); // pitches of each stream's notes
    QTest::newRow("merge") << "merge" << QStringList{"48 72 74 76"};
    QTest::newRow("per-track") << "per-track" << QStringList{"72 74 76", "48"};
    QTest::newRow("top-voice") << "top-voice" << QStringList{"72 74 76"};
}

void TestTokenizer::policies() {
    QFETCH(QString, policy);
    QFETCH(QStringList, streams);
    // Melody (with a stray drum-channel note, as format 0 files have), bass, and a drum track.
    const music::Song s =
        song({track({note(0, 480, 72), note(240, 60, 42, 100, 9), note(480, 480, 74), note(960, 480, 76)}, 0,
                    "melody"),
              track({note(0, 1920, 48, 100, 1)}, 1, "bass"),
              track({note(0, 60, 36, 100, 9), note(480, 60, 38, 100, 9)}, 9, "drums")});
    const auto tok = make(music::Encoding::Event, *music::policyFromName(policy.toStdString()));
    const auto encoded = tok->encode(s);
    QCOMPARE(int(encoded.size()), streams.size());
    for (std::size_t i = 0; i < encoded.size(); ++i) {
        const std::vector<Note> notes = tok->decode(encoded[i].tokens).notes;
        QCOMPARE(pitchesOf(notes), streams[int(i)]);
        if (policy == "top-voice") {
            for (std::size_t k = 0; k + 1 < notes.size(); ++k)
                QVERIFY(notes[k].end() <= notes[k + 1].start);
        }
    }
    // A song of drums only has nothing to encode.
    QVERIFY(tok->encode(song({track({note(0, 60, 36, 100, 9)}, 9, "drums")})).empty());
}

void TestTokenizer::tempoDoesNotMoveGrid() {
    const auto tok = make();
    music::Song a = melody(7, 100);
    music::Song b = a;
    b.tempos = {{0, 400000}, {480 * 8, 900000}, {480 * 20, 300000}};
    QCOMPARE(tok->encode(b)[0].tokens, tok->encode(a)[0].tokens);
}

void TestTokenizer::chordEncoding_data() {
    QTest::addColumn<std::vector<Note>>("notes");
    QTest::addColumn<QStringList>("tokens");
    QTest::addColumn<std::vector<Note>>("decoded");
    // Decoded: token i at i × 6 steps (× 40 ticks at ppq 480), each 6 steps long, velocity 100.
    QTest::newRow("single notes keep their octave")
        << std::vector<Note>{note(0, 480, 36), note(480, 480, 84)}
        << QStringList{"BOS", "PITCH(36)", "PITCH(84)", "EOS"}
        << std::vector<Note>{note(0, 240, 36), note(240, 240, 84)};
    QTest::newRow("a chord becomes its pitch classes, octave lost")
        << std::vector<Note>{note(0, 480, 48), note(0, 480, 52), note(0, 480, 55)}
        << QStringList{"BOS", "CHORD(0,4,7)", "EOS"}
        << std::vector<Note>{note(0, 240, 60), note(0, 240, 64), note(0, 240, 67)};
    QTest::newRow("octave doubling is one pitch class")
        << std::vector<Note>{note(0, 480, 48), note(0, 480, 60)} << QStringList{"BOS", "CHORD(0)", "EOS"}
        << std::vector<Note>{note(0, 240, 60)};
    QTest::newRow("rests and durations are lost")
        << std::vector<Note>{note(0, 1920, 60), note(480 * 12, 120, 62), note(480 * 12 + 120, 120, 64)}
        << QStringList{"BOS", "PITCH(60)", "PITCH(62)", "PITCH(64)", "EOS"}
        << std::vector<Note>{note(0, 240, 60), note(240, 240, 62), note(480, 240, 64)};
}

void TestTokenizer::chordEncoding() {
    QFETCH(std::vector<Note>, notes);
    QFETCH(QStringList, tokens);
    QFETCH(std::vector<Note>, decoded);
    const auto tok = make(music::Encoding::Chord);
    const auto streams = tok->encode(song({track(notes)}));
    QCOMPARE(streams.size(), std::size_t(1));
    QCOMPARE(names(*tok, streams[0].tokens), tokens);
    QCOMPARE(tok->decode(streams[0].tokens).notes, decoded);
    // Chord masks rotate under transposition.
    std::vector<std::int32_t> up = streams[0].tokens;
    QVERIFY(tok->transpose(up, 14));
    std::vector<Note> moved = decoded;
    for (Note& n : moved)
        n.pitch = std::uint8_t(n.pitch + (tok->kind(streams[0].tokens[1]) == TokenKind::Chord ? 2 : 14));
    std::sort(moved.begin(), moved.end(), music::noteLess);
    QCOMPARE(tok->decode(up).notes, moved);
}

void TestTokenizer::engineSeed() {
    // The engine's use: encode a seed without EOS up to where generation starts, decode the continuation
    // from there; the origin flag never enters the tokens.
    const auto tok = make();
    std::vector<Note> seed{note(0, 480, 60), note(480, 480, 64)};
    seed[1].origin = music::NoteOrigin::Generated;
    music::EncodeOptions opt;
    opt.eos = false;
    opt.untilTick = 480 * 4;
    const music::TokenStream s = tok->encodeNotes(seed, 480, opt);
    QVERIFY(s.tokens.back() != Tokenizer::eos());
    std::vector<Note> plain = seed;
    plain[1].origin = music::NoteOrigin::User;
    QCOMPARE(tok->encodeNotes(plain, 480, opt).tokens, s.tokens);
    const music::Decoded d = tok->decode(s.tokens);
    QCOMPARE(d.endTick, std::int64_t(480 * 4));
    const std::vector<std::int32_t> continuation{tok->token(TokenKind::Pitch, 67),
                                                 tok->token(TokenKind::Duration, 12)};
    const music::Decoded c = tok->decode(continuation, {480, d.endTick, 2, {}});
    QCOMPARE(c.notes,
             (std::vector<Note>{note(480 * 4, 480, 67, tok->binVelocity(tok->velocityBin(100)), 2)}));
    // A start far away costs no more than the longest rest (issue 17: it cost one SHIFT per 48 steps).
    opt.untilTick = std::int64_t(1) << 40;
    const music::TokenStream far = tok->encodeNotes(seed, 480, opt);
    QVERIFY(far.tokens.size() < s.tokens.size() + 8);
    QVERIFY(far.clamped > 0);
}

void TestTokenizer::realFiles_data() {
    QTest::addColumn<QString>("file");
    const auto files = music::findMidiFiles(music::debianMidiFolders());
    if (files.empty()) QSKIP("no Debian MIDI packages installed (scripts/install-deps.sh --with-tests)");
    for (const auto& f : files)
        QTest::newRow(f.filename().c_str()) << QString::fromStdString(f.string());
}

void TestTokenizer::realFiles() {
    QFETCH(QString, file);
    const music::Song original = music::loadSong(file.toStdString()).song;
    const music::Song q = music::quantizeSong(original, 12);
    // No clamping, so the only losses are the ones the encoding defines: drums, velocity bins, merging.
    TokenizerSettings settings;
    settings.maxDuration = 4096;
    settings.maxRest = 0;
    const auto tok = Tokenizer::create(settings);
    std::vector<GridNote> expected;
    for (const music::Track& t : q.tracks) {
        if (t.isDrum()) continue;
        for (const Note& n : t.notes) {
            if (n.channel == 9) continue;
            const std::int64_t step = music::ticksToSteps(n.start, q.ppq, 12);
            QCOMPARE(music::stepsToTicks(step, q.ppq, 12), n.start); // quantizeSong put it on the grid
            expected.push_back({step,
                                std::max<std::int64_t>(1, music::ticksToSteps(n.end(), q.ppq, 12) - step),
                                n.pitch, std::uint8_t(tok->binVelocity(tok->velocityBin(n.velocity)))});
        }
    }
    music::resolveOverlaps(expected);
    const auto streams = tok->encode(q);
    if (expected.empty()) {
        QVERIFY(streams.empty());
        return;
    }
    QCOMPARE(streams.size(), std::size_t(1));
    QCOMPARE(streams[0].clamped, std::size_t(0));
    QCOMPARE(tok->decodeGrid(streams[0].tokens), expected);
    // Encoding the original gives the same as encoding its quantized form.
    QCOMPARE(tok->encode(original)[0].tokens, streams[0].tokens);
}

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
