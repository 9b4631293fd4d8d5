// model/MusicalEval's evaluation-set harness (issue 15) with a stand-in Composer: the request it builds
// (seed = the first bars from the meter map, continuation from the next bar, the rest of the tune capped),
// the human figures on the real rest, and the index.tsv reading. No network is run.

#include "model/MusicalEval.h"
#include "music/SongFile.h"

#include <QTemporaryDir>
#include <QTest>

#include <fstream>

using namespace continuo;

namespace {
constexpr int Q = 480;

/// Answers every request with the notes of `answer` that start in [fromTick, fromTick + bars), the same
/// for each variation, and remembers the request.
class EchoComposer : public model::Composer {
public:
    std::vector<music::Note> answer;
    model::GenerateRequest last;
    model::ModelDescription describe() const override { return {"echo", "", ""}; }
    model::GenerateResult generate(const model::GenerateRequest& rq, const model::ProgressFn&,
                                   const std::atomic<bool>&) override {
        last = rq;
        const std::int64_t end =
            rq.fromTick + rq.bars * rq.song.timeSignatureAt(rq.fromTick).ticksPerBar(rq.song.ppq);
        std::vector<music::Note> out;
        for (const auto& n : answer)
            if (n.start >= rq.fromTick && n.start < end) out.push_back(n);
        return {std::vector<std::vector<music::Note>>(std::size_t(rq.variations), out), 0.0};
    }
};

/// A tune of `bars` bars of `beats` quarter notes each: C D E F … repeating, the same bar every time.
music::Song tune(int bars, int beats) {
    music::Song s;
    s.timeSignatures = {{0, std::uint8_t(beats), 4}};
    music::Track t;
    const int up[] = {60, 62, 64, 65};
    for (int b = 0; b < bars; ++b)
        for (int i = 0; i < beats; ++i)
            t.notes.push_back({std::int64_t(b * beats + i) * Q, Q, std::uint8_t(up[i % 4]), 90});
    s.tracks.push_back(t);
    return s;
}
} // namespace

class TestMusicalEval : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void indexAndRequest() {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        music::saveSong(root / "waltz.mid", tune(12, 3));
        music::saveSong(root / "short.mid", tune(2, 4));
        {
            std::ofstream index(root / "index.tsv");
            index << "# file\ttitle\tmeter\tkey\tseed_bars\tbars\n"
                  << "waltz.mid\tA waltz\t3/4\tC\t3\t12\n"
                  << "short.mid\tToo short\t4/4\tC\t2\t2\n";
        }
        const auto tunes = model::evalTunes(root);
        QCOMPARE(tunes.size(), std::size_t(2));
        QCOMPARE(tunes[0].title, std::string("A waltz"));
        QCOMPARE(tunes[0].seedBars, 3);

        EchoComposer echo;
        echo.answer = tune(12, 3).tracks[0].notes;
        model::TuneEvalOptions o;
        o.variations = 2;
        o.texture = music::Texture::Melody;
        o.structure = 0.9;
        const music::CopyIndex training = model::trainingIndex(root);
        const model::TuneReport r = model::evaluateTune(echo, tunes[0], o, &training);
        QVERIFY2(r.error.empty(), r.error.c_str());
        // Seed = 3 bars of 3/4; the continuation starts at bar 4 for the rest (9 bars), capped at 8.
        QCOMPARE(r.fromTick, std::int64_t(3 * 3 * Q));
        QCOMPARE(r.bars, 8);
        QCOMPARE(echo.last.fromTick, r.fromTick);
        QCOMPARE(echo.last.bars, 8);
        QCOMPARE(echo.last.variations, 2);
        QCOMPARE(echo.last.texture, music::Texture::Melody);
        QCOMPARE(echo.last.structure, 0.9);
        // The composer saw the seed alone.
        for (const auto& n : echo.last.song.tracks[0].notes)
            QVERIFY(n.start < r.fromTick);
        QCOMPARE(r.seedTexture, music::Texture::Melody);
        // The echo is the real rest: every figure equals the human one; the same bar all along.
        QCOMPARE(r.variations.size(), std::size_t(2));
        QCOMPARE(r.distinctVariations, std::size_t(1));
        for (int k = 0; k < model::kEvalFigureCount; ++k)
            QCOMPARE(r.modelFigure(k), model::evalFigure(r.human, k));
        QCOMPARE(r.human.structure.generatedBars, std::size_t(8));
        QCOMPARE(r.human.structure.rhythmRepeat, 1.0);
        QCOMPARE(r.human.structure.verbatimSeedBars, 1.0);
        QCOMPARE(r.human.longestCopy, 8); // the tune is in the "training" folder itself

        const model::TuneReport shortOne = model::evaluateTune(echo, tunes[1], o);
        QVERIFY(!shortOne.error.empty());
        QCOMPARE(shortOne.human.longestCopy, -1);
    }

    void folderWithoutIndex() {
        QTemporaryDir dir;
        const std::filesystem::path root = dir.path().toStdString();
        music::saveSong(root / "b.mid", tune(4, 4));
        music::saveSong(root / "a.mid", tune(4, 4));
        const auto tunes = model::evalTunes(root);
        QCOMPARE(tunes.size(), std::size_t(2));
        QCOMPARE(tunes[0].file.filename().string(), std::string("a.mid"));
        QCOMPARE(tunes[0].seedBars, 2);
        bool threw = false;
        try {
            model::evalTunes(root / "missing");
        } catch (const std::runtime_error&) {
            threw = true;
        }
        QVERIFY(threw);
    }

    void spreadLeavesOutUndefined() {
        const model::TuneSpread s = model::spread({0.5, -1, 1.0, 0.0});
        QCOMPARE(s.count, std::size_t(3));
        QCOMPARE(s.mean, 0.5);
        QCOMPARE(s.min, 0.0);
        QCOMPARE(s.max, 1.0);
        QCOMPARE(model::spread({-1}).mean, -1.0);
    }
};

QTEST_GUILESS_MAIN(TestMusicalEval)
#include "tst_musical_eval.moc"
