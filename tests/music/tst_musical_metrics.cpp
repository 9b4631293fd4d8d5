// music/MusicalMetrics: every figure on hand-made passages whose values are worked out in the comments.

#include "music/MusicalMetrics.h"

#include <QTest>

#include <cmath>

using namespace continuo::music;

namespace {
/// Notes back to back: (pitch, length in ticks) from tick `start`.
std::vector<Note> line(const std::vector<std::pair<int, int>>& notes, std::int64_t start = 0) {
    std::vector<Note> out;
    for (auto [pitch, length] : notes) {
        out.push_back({start, length, std::uint8_t(pitch), 90});
        start += length;
    }
    return out;
}
bool near(double a, double b) {
    return std::abs(a - b) < 1e-9;
}
} // namespace

class TestMusicalMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyPassage() {
        const MusicalMetrics m = measureMusic({}, 480);
        QCOMPARE(m.notes, std::size_t(0));
        QCOMPARE(m.scaleConsistency, 1.0);
        QCOMPARE(m.polyphony, 0.0);
    }

    void cMajorScale() {
        // C4 … C5 in quarters, span 12 beats: 8 heard, 4 empty.
        const auto notes =
            line({{60, 480}, {62, 480}, {64, 480}, {65, 480}, {67, 480}, {69, 480}, {71, 480}, {72, 480}});
        const MusicalMetrics m = measureMusic(notes, 480, 0, 12 * 480);
        QCOMPARE(m.notes, std::size_t(8));
        QCOMPARE(m.scaleConsistency, 1.0);
        QCOMPARE(bestScaleName(m), std::string("C major")); // A minor holds the same notes; C sounds twice
        // C 2/8, six others 1/8: 0.25·2 + 6·0.125·3 = 2.75 bits.
        QVERIFY(near(m.pitchClassEntropy, 2.75));
        QCOMPARE(m.loopCover, 0.0); // 8 notes: no 8-note sequence can occur twice
        QCOMPARE(m.distinctDurations, 1);
        QCOMPARE(m.modalDurationShare, 1.0);
        QCOMPARE(m.ioiEntropy, 0.0); // every gap is a quarter
        QCOMPARE(m.polyphony, 1.0);  // each note ends exactly where the next starts
        QCOMPARE(m.repeatedNoteShare, 0.0);
        QCOMPARE(m.beats, std::int64_t(12));
        QVERIFY(near(m.emptyBeatRate, 4.0 / 12));
    }

    void sameNoteRepeated() {
        // The original's failure: one pitch, one length, 20 times.
        std::vector<std::pair<int, int>> v(20, {60, 240});
        const MusicalMetrics m = measureMusic(line(v), 480);
        QCOMPARE(m.repeatedNoteShare, 1.0);
        QCOMPARE(m.loopCover, 1.0); // 60×8 occurs 13 times, covering all 20 notes
        QCOMPARE(m.pitchClassEntropy, 0.0);
        QCOMPARE(m.distinctDurations, 1);
        QCOMPARE(m.modalDurationShare, 1.0);
        QCOMPARE(m.ioiEntropy, 0.0);
        QCOMPARE(m.emptyBeatRate, 0.0); // no span given: first onset's beat to the last end, all heard
        QCOMPARE(m.beats, std::int64_t(10));
    }

    void rhythm() {
        // q e e h q: gaps 12, 6, 6, 24 steps → shares ¼ ½ ¼ → 1.5 bits; lengths 12, 6, 24 → 3 distinct,
        // the most common (q and e, twice each) 2/5.
        const auto notes = line({{60, 480}, {62, 240}, {64, 240}, {65, 960}, {67, 480}});
        const MusicalMetrics m = measureMusic(notes, 480);
        QVERIFY(near(m.ioiEntropy, 1.5));
        QCOMPARE(m.distinctDurations, 3);
        QVERIFY(near(m.modalDurationShare, 0.4));
        QCOMPARE(m.onsets, std::size_t(5));
    }

    void polyphonyAndTopVoice() {
        // C-E-G triads on beats 0, 1, 2 over a bass C3 held 3 beats: 4 notes sound at every onset; the top
        // voice (G) repeats at both later onsets.
        std::vector<Note> notes;
        for (int beat = 0; beat < 3; ++beat)
            for (int p : {60, 64, 67})
                notes.push_back({beat * 480, 480, std::uint8_t(p), 90});
        notes.push_back({0, 1440, 48, 90});
        const MusicalMetrics m = measureMusic(notes, 480);
        QCOMPARE(m.polyphony, 4.0);
        QCOMPARE(m.repeatedNoteShare, 1.0);
        QCOMPARE(m.onsets, std::size_t(3));
    }

    void loopCover() {
        // An 8-note motif twice, then 4 other notes: the motif occurs at notes 0 and 8 → 16 of 20 = 0.8.
        std::vector<std::pair<int, int>> v;
        for (int rep = 0; rep < 2; ++rep)
            for (int p : {60, 62, 64, 65, 67, 69, 71, 72})
                v.push_back({p, 240});
        for (int p : {50, 51, 52, 53})
            v.push_back({p, 240});
        QVERIFY(near(measureMusic(line(v), 480).loopCover, 0.8));
    }

    void scaleFitAndEmptyBeats() {
        // C C# D D# E: any major or minor scale holds at most 3 of them → 0.6.
        QVERIFY(near(
            measureMusic(line({{60, 480}, {61, 480}, {62, 480}, {63, 480}, {64, 480}}), 480).scaleConsistency,
            0.6));
        // Notes on beats 0 and 4 (quarters): span beats 0–4, three of five silent.
        const std::vector<Note> sparse{{0, 480, 60, 90}, {1920, 480, 62, 90}};
        const MusicalMetrics m = measureMusic(sparse, 480);
        QCOMPARE(m.beats, std::int64_t(5));
        QVERIFY(near(m.emptyBeatRate, 0.6));
    }

    void independentOfPpq() {
        const auto a =
            line({{60, 480}, {62, 240}, {64, 240}, {65, 960}, {67, 480}, {60, 160}, {64, 160}, {67, 160}});
        std::vector<Note> b = a;
        for (Note& n : b) // the same at ppq 96
            n.start /= 5, n.duration /= 5;
        for (int k = 0; k < kMetricCount; ++k)
            QCOMPARE(metricValue(measureMusic(a, 480), k), metricValue(measureMusic(b, 96), k));
    }
};

QTEST_GUILESS_MAIN(TestMusicalMetrics)
#include "tst_musical_metrics.moc"
