// The bar encoding (issue 15): bar lines from the meter, TEXTURE, COPY moves, the tracker's inputs beside
// each token, and round trips through the decoder.

#include "TokenTestUtil.h"
#include "music/BarGrid.h"
#include "music/BarTracker.h"
#include "music/Scales.h"
#include "music/Texture.h"
#include "music/Tokenizer.h"

#include <QTest>

#include <set>

using namespace continuo;
using music::TokenKind;

namespace {

std::unique_ptr<music::Tokenizer> barTokenizer() {
    music::TokenizerSettings s;
    s.encoding = music::Encoding::Bar;
    return music::Tokenizer::create(s);
}

/// One bar of quarter notes (ppq 480) at `bar` (4/4), pitches as given.
std::vector<music::Note> quarters(int bar, std::vector<int> pitches) {
    std::vector<music::Note> out;
    for (std::size_t i = 0; i < pitches.size(); ++i)
        out.push_back(test::note(std::int64_t(bar) * 1920 + std::int64_t(i) * 480, 480, pitches[i], 80));
    return out;
}

std::vector<std::string> names(const music::Tokenizer& tok, const std::vector<std::int32_t>& ids) {
    std::vector<std::string> out;
    for (auto id : ids)
        out.push_back(tok.tokenName(id));
    return out;
}

} // namespace

class TstBarTokens : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void barGridFollowsTheMeter() {
        std::vector<music::TimeSignature> meters(2);
        meters[0] = {0, 3, 4};
        meters[1] = {480 * 3 * 2, 6, 8}; // after two bars of 3/4
        const music::BarGrid g(meters, 480, 12);
        QCOMPARE(g.nextBarLine(0), 36);
        QCOMPARE(g.nextBarLine(35), 36);
        QCOMPARE(g.nextBarLine(36), 72);
        QCOMPARE(g.barLength(72), 36); // 6/8 = 36 steps too
        QCOMPARE(g.barStart(80), 72);
        QVERIFY(g.isBarLine(108));
        QCOMPARE(music::BarGrid().nextBarLine(-5), 48); // 4/4 by default
        // Bar numbers across the meter change, and back; far steps cost no walk over bars.
        QCOMPARE(g.barIndex(0), 0);
        QCOMPARE(g.barIndex(71), 1);
        QCOMPARE(g.barIndex(72), 2);
        QCOMPARE(g.barIndex(72 + 36 * 1000000 + 5), 1000002);
        for (std::int64_t i = 0; i < 10; ++i)
            QCOMPARE(g.barIndex(g.barLine(i)), i);
        QCOMPARE(g.barLine(2), 72);
        // A meter change inside a bar: the cut bar counts as one.
        std::vector<music::TimeSignature> cut{{0, 4, 4}, {480 * 6, 3, 4}}; // 3/4 from beat 3 of bar 2
        const music::BarGrid h(cut, 480, 12);
        QCOMPARE(h.barIndex(71), 1);
        QCOMPARE(h.barIndex(72), 2);
        QCOMPARE(h.barLine(2), 72);
        QCOMPARE(h.barLine(3), 108);
    }

    void barsCloseWithBarAndOpenWithTexture() {
        auto tok = barTokenizer();
        auto notes = quarters(0, {60, 62, 64, 65});
        const auto more = quarters(1, {67, 65, 64, 62});
        notes.insert(notes.end(), more.begin(), more.end());
        const auto stream = tok->encode(test::song({test::track(notes)}))[0].tokens;
        const auto n = names(*tok, stream);
        QCOMPARE(n[0], std::string("BOS"));
        QCOMPARE(n[1], std::string("TEXTURE(melody)"));
        QCOMPARE(std::count(n.begin(), n.end(), "BAR"), 1); // between the two bars, none after the last
        // No SHIFT reaches the bar line: the last onset of bar 1 is followed by BAR.
        const auto bar = std::find(n.begin(), n.end(), "BAR");
        QCOMPARE(*(bar - 1), std::string("DUR(12)"));
        QCOMPARE(*(bar + 1), std::string("PITCH(67)"));
        music::DecodeOptions d;
        const auto decoded = tok->decode(stream, d);
        QCOMPARE(decoded.ignored, std::size_t(0));
        QCOMPARE(decoded.notes, tok->decode(stream, d).notes);
        QCOMPARE(decoded.notes.size(), notes.size());
        for (std::size_t i = 0; i < notes.size(); ++i) {
            QCOMPARE(decoded.notes[i].start, notes[i].start);
            QCOMPARE(decoded.notes[i].pitch, notes[i].pitch);
        }
    }

    void chordsAreAPianoTexture() {
        auto tok = barTokenizer();
        std::vector<music::Note> notes = quarters(0, {60, 62, 64, 65});
        for (auto n : quarters(0, {48, 50, 52, 53}))
            notes.push_back(n);
        QCOMPARE(music::detectTexture(notes, 480), music::Texture::Piano);
        QCOMPARE(music::detectTexture(quarters(0, {60, 62, 64, 65}), 480), music::Texture::Melody);
        const auto stream = tok->encode(test::song({test::track(notes)}))[0].tokens;
        QCOMPARE(tok->tokenName(stream[1]), std::string("TEXTURE(piano)"));
    }

    void repeatedAndTransposedBarsAreCopies() {
        auto tok = barTokenizer();
        std::vector<music::Note> notes;
        for (auto [bar, pitches] : std::vector<std::pair<int, std::vector<int>>>{
                 {0, {60, 62, 64, 60}}, // A
                 {1, {60, 62, 64, 60}}, // A again: COPY(1,0)
                 {2, {64, 65, 67, 67}}, // B
                 {3,
                  {66, 67, 69, 69}}, // B up a tone... not B + 2 exactly: F# G A A vs E F G G is +2,+2,+2,+2
                 {4, {72, 74, 76, 72}}, // A an octave up, 4 bars back: COPY(4,+12)
                 {5, {67, 64, 62, 59}},
                 {6, {57, 60, 64, 69}},
                 {7, {71, 69, 67, 65}},
                 {8, {60, 62, 64, 60}}, // A as it was 8 bars back (an octave below the bar 4 back)
             })
            for (auto n : quarters(bar, pitches))
                notes.push_back(n);
        const auto n = names(*tok, tok->encode(test::song({test::track(notes)}))[0].tokens);
        std::vector<std::string> copies;
        for (const auto& s : n)
            if (s.rfind("COPY", 0) == 0) copies.push_back(s);
        QCOMPARE(copies, (std::vector<std::string>{"COPY(1,0)", "COPY(1,+2)", "COPY(4,+12)", "COPY(8,0)"}));
        // The notes of a copied bar still follow it, so decoding needs no history.
        const auto copy = std::find(n.begin(), n.end(), "COPY(1,0)");
        QCOMPARE(*(copy + 1), std::string("PITCH(60)"));
        // Every move has its own id, and the ids fill the COPY range.
        std::set<std::int32_t> ids;
        for (int distance : music::kCopyDistances) {
            for (int t = -music::kCopyTranspose; t <= music::kCopyTranspose; ++t) {
                QCOMPARE(*tok->copyMove(tok->copyToken({distance, t})), (music::CopyMove{distance, t}));
                ids.insert(tok->copyToken({distance, t}));
            }
            for (int s = -music::kCopyScaleSteps; s <= music::kCopyScaleSteps; ++s) {
                if (s == 0) continue;
                const music::CopyMove m{distance, s, true};
                QCOMPARE(*tok->copyMove(tok->copyToken(m)), m);
                ids.insert(tok->copyToken(m));
            }
        }
        QCOMPARE(int(ids.size()), tok->range(TokenKind::Copy).count);
        QCOMPARE(*ids.begin(), tok->range(TokenKind::Copy).first);
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, tok->copyToken({1, 0, true}));
        QVERIFY_THROWS_EXCEPTION(std::out_of_range, tok->copyToken({1, 7, true}));
    }

    void scaleStepsStayInTheKey() {
        QCOMPARE(music::moveByScaleSteps(60, 0, 1), 62); // C → D in C major
        QCOMPARE(music::moveByScaleSteps(64, 0, 1), 65); // E → F: a semitone, still one step
        QCOMPARE(music::moveByScaleSteps(71, 0, 1), 72); // B → C, over the octave line
        QCOMPARE(music::moveByScaleSteps(60, 0, -1), 59);
        QCOMPARE(music::moveByScaleSteps(60, 0, 7), 72);  // seven steps: the octave
        QCOMPARE(music::moveByScaleSteps(61, 0, 1), 63);  // C# moves as C and keeps its sharp
        QCOMPARE(music::moveByScaleSteps(66, 7, 1), 67);  // F# → G in G major
        QCOMPARE(music::moveByScaleSteps(55, 7, -2), 52); // G → E in G major, below the tonic's octave
        for (int tonic = 0; tonic < 12; ++tonic)
            for (int p = 40; p < 90; ++p)
                for (int s = -6; s <= 6; ++s) {
                    const int moved = music::moveByScaleSteps(p, tonic, s);
                    const bool inKey = music::moveByScaleSteps(p, tonic, 0) == p &&
                                       std::count(music::kMajorSteps.begin(), music::kMajorSteps.end(),
                                                  ((p - tonic) % 12 + 12) % 12) == 1;
                    if (inKey) // a note of the key stays in the key
                        QVERIFY(std::count(music::kMajorSteps.begin(), music::kMajorSteps.end(),
                                           ((moved - tonic) % 12 + 12) % 12) == 1);
                    QVERIFY(s >= 0 ? moved >= p : moved <= p);
                }
    }

    void sequencesInTheKeyAreScaleStepCopies() {
        auto tok = barTokenizer();
        std::vector<music::Note> notes;
        for (auto [bar, pitches] : std::vector<std::pair<int, std::vector<int>>>{
                 {0, {60, 64, 67, 60}}, // C E G C
                 {1, {62, 65, 69, 62}}, // one step up in C major: D F A D, not +2 (D F# A D)
                 {2, {59, 62, 65, 59}}, // two steps below bar 1, but first one step below bar 0: B D F B
                 {3, {66, 69, 72, 66}}, // bar 2 + 7 semitones: no scale move makes F#
             })
            for (auto n : quarters(bar, pitches))
                notes.push_back(n);
        const auto stream = tok->encode(test::song({test::track(notes)}))[0].tokens;
        const auto n = names(*tok, stream);
        std::vector<std::string> copies;
        for (const auto& s : n)
            if (s.rfind("COPY", 0) == 0) copies.push_back(s);
        QCOMPARE(copies, (std::vector<std::string>{"COPY(1,+1 steps)", "COPY(2,-1 steps)", "COPY(1,+7)"}));
        // The tracker expands a scale-step COPY into exactly the notes that follow it.
        music::BarTracker tracker(*tok);
        std::size_t i = 0;
        while (n[i] != "COPY(1,+1 steps)")
            tracker.feed(stream[i++]);
        QCOMPARE(tracker.key(), 0);
        const auto body = tracker.copyContent(*tok->copyMove(stream[i]));
        QVERIFY(body);
        QCOMPARE(names(*tok, *body),
                 std::vector<std::string>(n.begin() + std::ptrdiff_t(i) + 1,
                                          n.begin() + std::ptrdiff_t(i + 1 + body->size())));
        // No key before the first note: no scale-step move.
        QVERIFY(!music::BarTracker(*tok).copyPitches({1, 1, true}));
    }

    void trackerSuggestsWhatTheBarBeforePlayed() {
        auto tok = barTokenizer();
        auto notes = quarters(0, {60, 62, 64, 65});
        for (auto x : quarters(1, {60, 62, 64, 65}))
            notes.push_back(x);
        auto stream = tok->encode(test::song({test::track(notes)}))[0].tokens;
        // Replay: after the BAR, lookback 1 suggests bar 1's first PITCH; after it, its DUR; then SHIFT(12).
        music::BarTracker tracker(*tok);
        const std::int32_t V = tok->vocabSize();
        const std::int32_t lb1 = V + music::BarTracker::kPositions;
        std::size_t i = 0;
        for (; i < stream.size(); ++i) {
            tracker.feed(stream[i]);
            if (tok->kind(stream[i]) == TokenKind::Bar) break;
        }
        QCOMPARE(tracker.inputs()[0], V + 0); // position 0
        QCOMPARE(tracker.inputs()[1] - lb1, tok->token(TokenKind::Pitch, 60));
        QCOMPARE(tracker.inputs()[2] - lb1 - V - 1, V); // no bar 2 back yet: "none"
        // Copying bar 1 is possible and gives exactly the notes of bar 2.
        const auto body = tracker.copyContent({1, 0});
        QVERIFY(body);
        QCOMPARE(
            names(*tok, *body),
            names(*tok, std::vector<std::int32_t>(stream.begin() + std::ptrdiff_t(i) + 2, stream.end() - 1)));
        // Inputs per step: token first, then the tracker's three.
        const auto inputs = tok->stepInputs(stream);
        constexpr std::size_t K = 7;
        QCOMPARE(tok->inputsPerStep(), int(K));
        QCOMPARE(inputs.size(), stream.size() * K);
        for (std::size_t k = 0; k < stream.size(); ++k) {
            QCOMPARE(inputs[k * K], stream[k]);
            for (std::size_t j = 1; j < K; ++j)
                QVERIFY(inputs[k * K + j] >= V && inputs[k * K + j] < tok->inputVocab());
        }
        // The key input: none before the first note, then C major for these C-major notes.
        const std::int32_t key0 = V + music::BarTracker::kPositions + 3 * (V + 1);
        QCOMPARE(inputs[1 * K + 5], key0 + 12); // after TEXTURE
        QCOMPARE(inputs[inputs.size() - 2], key0 + 0);
        // The bar in its phrase: 0 in the first bar, 1 after its BAR.
        const std::int32_t phrase0 = key0 + music::BarTracker::kKeys;
        QCOMPARE(inputs[1 * K + 6], phrase0);
        QCOMPARE(inputs.back(), phrase0 + 1);
    }

    void trailingRestReachesTheStartInsideItsBar() {
        auto tok = barTokenizer();
        music::EncodeOptions o;
        o.eos = false;
        o.untilTick = 1920 * 2 + 960; // bar 3, beat 3
        const auto notes = quarters(0, {60, 62, 64, 65});
        const auto stream = tok->encodeNotes(notes, 480, o).tokens;
        const auto n = names(*tok, stream);
        QCOMPARE(std::count(n.begin(), n.end(), "BAR"), 2);
        QCOMPARE(n.back(), std::string("SHIFT(24)"));
        // A start far away costs a few bar lines, not one per bar.
        o.untilTick = std::int64_t(1) << 40;
        QVERIFY(tok->encodeNotes(notes, 480, o).tokens.size() < 40);
    }

    void longSilencesDropWholePhrases() {
        // A silence keeps 4 empty bars, then loses whole 8-bar phrases: the BARs before a note still count
        // its bar modulo 8 (the bar-in-phrase input), and a silence of any length costs at most 11 BARs.
        auto tok = barTokenizer();
        for (const int at : {3, 10, 13, 100000, 100005}) {
            auto notes = quarters(0, {60});
            for (auto x : quarters(at, {62}))
                notes.push_back(x);
            const auto s = tok->encode(test::song({test::track(notes)}))[0];
            const auto n = names(*tok, s.tokens);
            const auto bars = std::count(n.begin(), n.end(), "BAR");
            QCOMPARE(bars % 8, at % 8);
            QVERIFY(bars <= 12);
            QCOMPARE(bars == at, at <= 12); // nothing dropped from a short silence
            QCOMPARE(s.clamped > 0, at > 12);
        }
    }

    void transposeMovesPitchesNotCopies() {
        auto tok = barTokenizer();
        auto notes = quarters(0, {60, 62});
        for (auto x : quarters(1, {60, 62}))
            notes.push_back(x);
        auto stream = tok->encode(test::song({test::track(notes)}))[0].tokens;
        const auto before = names(*tok, stream);
        QVERIFY(tok->transpose(stream, 3));
        const auto after = names(*tok, stream);
        QCOMPARE(std::count(after.begin(), after.end(), "COPY(1,0)"), 1);
        QCOMPARE(std::count(after.begin(), after.end(), "PITCH(63)"), 2);
        QVERIFY(before != after);
    }
};

QTEST_APPLESS_MAIN(TstBarTokens)
#include "tst_bar_tokens.moc"
