// music/StructureMetrics: every figure on hand-made bars whose values are worked out in the comments.
// ppq 480: a quarter is 480 ticks (12 grid steps), a 4/4 bar 1920, a 3/4 bar 1440.

#include "music/StructureMetrics.h"

#include <QTest>

#include <cmath>

using namespace continuo::music;

namespace {
constexpr int Q = 480;
constexpr std::int64_t BAR = 4 * Q;

/// Notes back to back from `start`: (pitch, length in ticks); pitch 0 = a rest.
std::vector<Note> line(std::int64_t start, const std::vector<std::pair<int, int>>& notes,
                       std::uint8_t channel = 0) {
    std::vector<Note> out;
    for (auto [pitch, length] : notes) {
        if (pitch > 0) out.push_back({start, length, std::uint8_t(pitch), 90, channel});
        start += length;
    }
    return out;
}
std::vector<Note> cat(std::vector<Note> a, const std::vector<Note>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}
bool near(double a, double b) {
    return std::abs(a - b) < 1e-9;
}
StructureMetrics measure(const std::vector<Note>& seed, const std::vector<Note>& gen, std::int64_t start,
                         std::int64_t end = -1, const std::vector<TimeSignature>& meters = {}) {
    StructureInput in;
    in.seed = seed;
    in.generated = gen;
    in.ppq = Q;
    in.meters = meters;
    in.startTick = start;
    in.endTick = end;
    return measureStructure(in);
}
// C D E F in quarters.
const std::vector<std::pair<int, int>> kScaleUp{{60, Q}, {62, Q}, {64, Q}, {65, Q}};
} // namespace

class TestStructureMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyContinuation() {
        const StructureMetrics m = measure(line(0, kScaleUp), {}, BAR);
        QCOMPARE(m.generatedBars, std::size_t(0));
        QCOMPARE(m.rhythmRepeat, -1.0);
        QCOMPARE(m.motifRepeat, -1.0);
        QCOMPARE(m.verbatimSeedBars, -1.0);
        QCOMPARE(m.seedMotifReturn, 0.0); // the seed's motif does not come back
        QCOMPARE(m.inSeedKey, 1.0);       // nothing out of key
        QCOMPARE(m.notesPerOnset, 0.0);
    }

    void repeatedBar() {
        // Seed: C D E F. Generated: the same bar again, then G E C(half): a new rhythm and motif.
        const auto gen = cat(line(BAR, kScaleUp), line(2 * BAR, {{67, Q}, {64, Q}, {60, 2 * Q}}));
        const StructureMetrics m = measure(line(0, kScaleUp), gen, BAR);
        QCOMPARE(m.seedBars, std::size_t(1));
        QCOMPARE(m.generatedBars, std::size_t(2));
        QVERIFY(near(m.rhythmRepeat, 0.5));
        QVERIFY(near(m.motifRepeat, 0.5));
        QVERIFY(near(m.verbatimSeedBars, 0.5));
        QCOMPARE(m.seedMotifReturn, 1.0);
        QCOMPARE(m.notesPerOnset, 1.0);
        QCOMPARE(m.inSeedKey, 1.0);
        // Onset vectors {0,12,24,36} vs {0,12,24}: one of 48 positions differs.
        QVERIFY(near(m.grooveConsistency, 1.0 - 1.0 / 48));
    }

    void transposedMotif() {
        // Generated: C D E F up a tone (D E F# G) — the motif returns, not verbatim; then the same rhythm
        // with other intervals (C E D F): a rhythm repeat but no motif repeat.
        const auto gen = cat(line(BAR, {{62, Q}, {64, Q}, {66, Q}, {67, Q}}),
                             line(2 * BAR, {{60, Q}, {64, Q}, {62, Q}, {65, Q}}));
        const StructureMetrics m = measure(line(0, kScaleUp), gen, BAR);
        QCOMPARE(m.rhythmRepeat, 1.0);
        QVERIFY(near(m.motifRepeat, 0.5));
        QCOMPARE(m.verbatimSeedBars, 0.0);
        QCOMPARE(m.seedMotifReturn, 1.0);
        QCOMPARE(m.seedTonic, 0); // C major: the seed C D E F
        QCOMPARE(m.seedMinor, false);
        QVERIFY(near(m.inSeedKey, 7.0 / 8)); // F# is out
    }

    void syncopatedBar() {
        // e q q q e: onsets at 0, 6, 18, 30, 42 steps. The second bar has that rhythm with other pitches:
        // it repeats the first generated bar's rhythm; the first repeats nothing (the seed is in quarters).
        const std::vector<std::pair<int, int>> sync{{60, Q / 2}, {62, Q}, {64, Q}, {62, Q}, {60, Q / 2}};
        const std::vector<std::pair<int, int>> sync2{{67, Q / 2}, {65, Q}, {64, Q}, {65, Q}, {67, Q / 2}};
        const auto gen = cat(line(BAR, sync), line(2 * BAR, sync2));
        const std::vector<std::int64_t> starts{0, BAR, 2 * BAR};
        const auto bars = melodyBars(gen, Q, starts, 3 * BAR);
        QCOMPARE(bars[1].positions, (std::vector<int>{0, 6, 18, 30, 42}));
        QCOMPARE(bars[2].pitches, (std::vector<int>{67, 65, 64, 65, 67}));
        const StructureMetrics m = measure(line(0, kScaleUp), gen, BAR);
        QVERIFY(near(m.rhythmRepeat, 0.5));
        QCOMPARE(m.motifRepeat, 0.0); // intervals +2 +2 −2 −2 vs −2 −1 +1 +2
        QCOMPARE(m.grooveConsistency, 1.0);
        QCOMPARE(m.seedMotifReturn, 0.0);
    }

    void threeFourBars() {
        const std::vector<TimeSignature> waltz{{0, 3, 4}};
        QCOMPARE(barStarts(waltz, Q, 3 * 3 * Q), (std::vector<std::int64_t>{0, 1440, 2880}));
        // A change to 3/4 at bar 2 (a 4/4 bar first), and one mid-bar that cuts the bar short.
        const std::vector<TimeSignature> change{{0, 4, 4}, {BAR, 3, 4}};
        QCOMPARE(barStarts(change, Q, BAR + 2 * 1440), (std::vector<std::int64_t>{0, BAR, BAR + 1440}));
        const std::vector<TimeSignature> early{{0, 4, 4}, {Q, 3, 4}};
        QCOMPARE(barStarts(early, Q, Q + 1440 + 1), (std::vector<std::int64_t>{0, Q, Q + 1440}));
        // Seed: C E G | (3/4). Generated: C E G and E G C: the first repeats the seed bar, which it would
        // not if the bars were 4/4 (the two bars would then share one bar from tick 1920).
        const auto seed = line(0, {{60, Q}, {64, Q}, {67, Q}});
        const auto gen =
            cat(line(1440, {{60, Q}, {64, Q}, {67, Q}}), line(2880, {{64, Q}, {67, Q}, {72, Q}}));
        const StructureMetrics m = measure(seed, gen, 1440, 3 * 1440, waltz);
        QCOMPARE(m.generatedBars, std::size_t(2));
        QCOMPARE(m.rhythmRepeat, 1.0);
        QVERIFY(near(m.motifRepeat, 0.5)); // E G C: +3 +5 is not +4 +3
        QVERIFY(near(m.verbatimSeedBars, 0.5));
        QCOMPARE(m.grooveConsistency, 1.0); // the same 3 onsets of 36 steps
        // The same notes read as 4/4 are one 4/4 bar and a half: no repeat at all.
        const StructureMetrics four = measure(seed, gen, 1440, 3 * 1440);
        QVERIFY(four.rhythmRepeat < 1.0);
    }

    void seedMotifReturns() {
        // Seed: bar 1 C D E F, bar 2 G(q) E(q) C(h), bar 3 one whole note (1 onset: not a motif).
        // Generated: bar 2's motif up a fourth, then something new: 1 of 2 motifs returns.
        const auto seed = cat(cat(line(0, kScaleUp), line(BAR, {{67, Q}, {64, Q}, {60, 2 * Q}})),
                              line(2 * BAR, {{60, 4 * Q}}));
        const auto gen = cat(line(3 * BAR, {{72, Q}, {69, Q}, {65, 2 * Q}}),
                             line(4 * BAR, {{60, Q / 2}, {60, Q / 2}, {62, 3 * Q}}));
        const StructureMetrics m = measure(seed, gen, 3 * BAR);
        QCOMPARE(m.seedBars, std::size_t(3));
        QVERIFY(near(m.seedMotifReturn, 0.5));
        QVERIFY(near(m.motifRepeat, 0.5));
        QCOMPARE(m.verbatimSeedBars, 0.0);
        // A seed of single whole notes has no motif: undefined.
        const StructureMetrics none = measure(line(0, {{60, 4 * Q}, {64, 4 * Q}}), gen, 2 * BAR);
        QCOMPARE(none.seedMotifReturn, -1.0);
        // No seed at all: the key is undefined too.
        QCOMPARE(measure({}, gen, 0).inSeedKey, -1.0);
    }

    void chordsAndTopLine() {
        // Triads on three beats and a single note on the fourth: (3 + 3 + 3 + 1) / 4 notes per onset. The
        // melody is the top note of each chord, E F G C5 — verbatim the seed's single line.
        const auto seedLine = line(0, {{64, Q}, {65, Q}, {67, Q}, {72, Q}});
        std::vector<Note> gen;
        const int chords[3][3] = {{48, 55, 64}, {53, 57, 65}, {55, 59, 67}};
        for (int c = 0; c < 3; ++c)
            for (int p : chords[c])
                gen.push_back({BAR + c * Q, Q, std::uint8_t(p), 80});
        gen.push_back({BAR + 3 * Q, Q, 72, 80});
        const StructureMetrics m = measure(seedLine, gen, BAR);
        QVERIFY(near(m.notesPerOnset, 2.5));
        QCOMPARE(m.verbatimSeedBars, 1.0);
        QCOMPARE(m.motifRepeat, 1.0);
    }

    void drumsIgnored() {
        // The repeated bar again, with a drum hit on every eighth of the generated bar and a drum seed bar
        // that would otherwise be an "earlier bar".
        std::vector<Note> drums;
        for (int i = 0; i < 8; ++i)
            drums.push_back({BAR + i * Q / 2, Q / 2, 36, 100, 9});
        const auto gen = cat(line(BAR, kScaleUp), drums);
        const StructureMetrics m = measure(line(0, kScaleUp), gen, BAR);
        QCOMPARE(m.rhythmRepeat, 1.0);
        QCOMPARE(m.verbatimSeedBars, 1.0);
        QCOMPARE(m.notesPerOnset, 1.0);
        QCOMPARE(m.inSeedKey, 1.0); // pitch 36 (C) would be in key anyway; 8 more notes would change nothing
        const auto drumSeed = line(0, {{42, Q}, {42, Q}, {42, Q}, {42, Q}}, 9);
        const StructureMetrics d = measure(drumSeed, line(BAR, kScaleUp), BAR);
        QCOMPARE(d.seedBars, std::size_t(0));
        QCOMPARE(d.rhythmRepeat, 0.0);
        QCOMPARE(d.inSeedKey, -1.0);
    }

    void grooveWithEmptyBar() {
        // Generated bar 2 in quarters, bar 3 empty (the span runs to the end of bar 3): 4 of 48 differ.
        const StructureMetrics m = measure(line(0, kScaleUp), line(BAR, kScaleUp), BAR, 3 * BAR);
        QVERIFY(near(m.grooveConsistency, 1.0 - 4.0 / 48));
        QCOMPARE(m.generatedBars, std::size_t(1));
        // One bar only: undefined.
        QCOMPARE(measure(line(0, kScaleUp), line(BAR, kScaleUp), BAR).grooveConsistency, -1.0);
    }

    void longestCopyFromTraining() {
        // A training melody of 4 distinct bars; a continuation that copies its bars 2 and 3 (then one
        // bar of its own, then bar 4 alone) copies 2 bars in a row.
        const std::vector<std::int64_t> starts{0, BAR, 2 * BAR, 3 * BAR};
        const auto train = cat(cat(line(0, kScaleUp), line(BAR, {{67, Q}, {64, Q}, {60, 2 * Q}})),
                               cat(line(2 * BAR, {{62, 2 * Q}, {65, 2 * Q}}), line(3 * BAR, {{60, 4 * Q}})));
        CopyIndex index;
        index.add(melodyBars(train, Q, starts, 4 * BAR));
        index.add(melodyBars(line(0, {{50, 4 * Q}, {52, 4 * Q}}), Q, starts, 4 * BAR));
        const auto gen =
            cat(cat(line(0, {{67, Q}, {64, Q}, {60, 2 * Q}}), line(BAR, {{62, 2 * Q}, {65, 2 * Q}})),
                cat(line(2 * BAR, {{61, 4 * Q}}), line(3 * BAR, {{60, 4 * Q}})));
        QCOMPARE(index.longestCopy(melodyBars(gen, Q, starts, 4 * BAR)), 2);
        // Transposed it is not a copy note for note.
        auto up = gen;
        for (Note& n : up)
            n.pitch = std::uint8_t(n.pitch + 2);
        QCOMPARE(index.longestCopy(melodyBars(up, Q, starts, 4 * BAR)), 0);
        // The whole training melody: 4 bars.
        QCOMPARE(index.longestCopy(melodyBars(train, Q, starts, 4 * BAR)), 4);
        // Bars of two different melodies in a row do not make a longer stretch: 52 whole then 62/65.
        const auto mixed = cat(line(BAR, {{52, 4 * Q}}), line(2 * BAR, {{62, 2 * Q}, {65, 2 * Q}}));
        QCOMPARE(index.longestCopy(melodyBars(mixed, Q, starts, 4 * BAR)), 1);
    }

    void songMelodiesPerTrack() {
        Song song;
        Track a, b, drums;
        a.notes = line(0, kScaleUp);
        b.notes = line(0, {{48, 4 * Q}});
        drums.channel = 9;
        drums.notes = line(0, {{90, Q}}, 9);
        song.tracks = {a, b, drums};
        const auto melodies = songMelodies(song);
        QCOMPARE(melodies.size(), std::size_t(3)); // merged top line, then each melodic track
        QCOMPARE(melodies[0][0].pitches, (std::vector<int>{60, 62, 64, 65}));
        QCOMPARE(melodies[2][0].pitches, (std::vector<int>{48}));
    }
};

QTEST_APPLESS_MAIN(TestStructureMetrics)
#include "tst_structure_metrics.moc"
