// The network and the trainer: shapes, eval() reaching every submodule, deterministic outputs in eval
// mode, loss falling on a tiny corpus, a resumed run equal to an uninterrupted one (bit for bit on the
// CPU), and stateful decoding equal to running the whole sequence.

#include "ModelTestUtil.h"

#include <QTest>

#include <sys/resource.h>

#include <cmath>
#include <csignal>
#include <system_error>

using namespace continuo;
using namespace continuo::model;
namespace fs = std::filesystem;

class TestModelTrain : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    fs::path corpus_;
    music::Dataset ds_;
    Preset tiny_ = preset("tiny");

    fs::path path(const char* name) const { return fs::path(tmp_.path().toStdString()) / name; }
    TrainOptions options(const char* out) const {
        TrainOptions o;
        o.preset = "tiny";
        o.model = tiny_.model;
        o.train = tiny_.train;
        o.train.epochs = 3;
        o.out = path(out);
        o.device = "cpu";
        o.threads = 2;
        o.maxStepsPerEpoch = 6;
        o.corpusHash = "test";
        return o;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        corpus_ = path("corpus");
        test::writeTinyCorpus(corpus_);
        ds_ = music::buildDataset(corpus_, test::tinyDatasetOptions(tiny_.train, tiny_.model, path("cache")));
        QVERIFY(ds_.train.windowCount() > 40);
        QVERIFY(ds_.validation.windowCount() > 0);
    }

    void shapes() {
        LstmModel m = test::tinyModel();
        const int V = m.metadata().model.vocab;
        QCOMPARE(V, music::Tokenizer::create({})->vocabSize());
        const std::vector<std::int32_t> seq{1, 60, 140, 5, 70};
        QCOMPARE(m.logits(seq).size(), seq.size() * std::size_t(V));
        QCOMPARE(m.logitsStepwise(seq).size(), seq.size() * std::size_t(V));
        // Embedding + 2-layer LSTM + dense + out, by hand: the parameter count the metadata reports.
        const ModelConfig& c = m.metadata().model;
        const std::int64_t lstm =
            4LL * c.hidden * (c.embedding + c.hidden + 2) + 4LL * c.hidden * (2 * c.hidden + 2);
        QCOMPARE(m.parameterCount(),
                 std::int64_t(V) * c.embedding + lstm + (c.hidden + 1LL) * c.dense + (c.dense + 1LL) * V);
        // The seed preset is the original's size (≈5.4 M parameters: 5.5 M with its 32-wide embedding).
        ModelMetadata seed;
        seed.model = preset("seed").model;
        seed.model.vocab = V;
        const std::int64_t n = LstmModel::create(seed).parameterCount();
        QVERIFY2(n > 5'300'000 && n < 5'700'000, std::to_string(n).c_str());
    }

    void evalReachesEverySubmodule() {
        LstmModel m = test::tinyModel();
        std::size_t count = 0;
        const std::vector<std::string> training = m.submodulesInTraining(&count);
        QVERIFY2(training.empty(), training.empty() ? "" : training.front().c_str());
        QCOMPARE(count, std::size_t(7)); // net, embed, lstm, 2 dropouts, dense, out
        // Dropout off: the same input gives the same logits, bit for bit.
        const std::vector<std::int32_t> seq{1, 60, 140, 5, 70, 150};
        QCOMPARE(m.logits(seq), m.logits(seq));
    }

    void statefulEqualsFullSequence() {
        LstmModel m = test::tinyModel(5);
        std::vector<std::int32_t> seq(ds_.train.tokens.begin(), ds_.train.tokens.begin() + 80);
        const std::vector<float> full = m.logits(seq), step = m.logitsStepwise(seq);
        QCOMPARE(full.size(), step.size());
        float worst = 0;
        for (std::size_t i = 0; i < full.size(); ++i)
            worst = std::max(worst, std::abs(full[i] - step[i]));
        QVERIFY2(worst < 1e-4f, std::to_string(worst).c_str());
    }

    void lossFalls() {
        TrainOptions o = options("falls.cmodel");
        o.train.epochs = 4;
        std::vector<double> losses;
        std::atomic<bool> cancel{false};
        const TrainingSummary s = train(
            ds_, o,
            [&](const TrainProgress& p) {
                if (!p.epochDone) losses.push_back(p.trainLoss);
            },
            cancel);
        QCOMPARE(s.epochs, 4);
        QCOMPARE(s.steps, std::int64_t(24));
        QCOMPARE(s.trainLosses.size(), std::size_t(4));
        QVERIFY2(
            s.trainLosses.back() < s.trainLosses.front() - 0.3,
            (std::to_string(s.trainLosses.front()) + " -> " + std::to_string(s.trainLosses.back())).c_str());
        QVERIFY(s.validationLosses.back() < s.validationLosses.front());
        QVERIFY(std::log(double(ds_.vocabSize)) > s.trainLosses.back());
        LstmModel m = LstmModel::load(o.out);
        const EvalResult r = evaluate(m, ds_.validation);
        QVERIFY(std::abs(r.loss - s.validationLosses.back()) < 1e-4);
        QVERIFY(r.accuracy > 0 && r.accuracy <= 1);
        QVERIFY(std::abs(r.perplexity - std::exp(r.loss)) < 1e-6 * r.perplexity);
    }

    void sameSeedSameRun() {
        std::atomic<bool> cancel{false};
        const TrainingSummary a = train(ds_, options("s1.cmodel"), {}, cancel);
        const TrainingSummary b = train(ds_, options("s2.cmodel"), {}, cancel);
        QCOMPARE(a.trainLosses, b.trainLosses);
        QCOMPARE(LstmModel::load(path("s1.cmodel")).weightsArchive(),
                 LstmModel::load(path("s2.cmodel")).weightsArchive());
    }

    void resumeEqualsUninterrupted() {
        std::atomic<bool> cancel{false};
        const TrainingSummary whole = train(ds_, options("whole.cmodel"), {}, cancel);
        // Stopped mid-epoch (step 8 of 18: epoch 2, batch 2), then resumed, in a new LstmModel.
        TrainOptions first = options("part.cmodel");
        first.stopAfterSteps = 8;
        const TrainingSummary part = train(ds_, first, {}, cancel);
        QCOMPARE(part.stoppedBy, std::string("cancelled"));
        QCOMPARE(part.steps, std::int64_t(8));
        TrainOptions second = options("part.cmodel");
        second.resume = path("part.cmodel");
        const TrainingSummary resumed = train(ds_, second, {}, cancel);
        QCOMPARE(resumed.steps, whole.steps);
        QCOMPARE(resumed.trainLosses, whole.trainLosses);
        QCOMPARE(resumed.validationLosses, whole.validationLosses);
        LstmModel a = LstmModel::load(path("whole.cmodel"));
        LstmModel b = LstmModel::load(path("part.cmodel"));
        const std::vector<std::int32_t> seq(ds_.validation.tokens.begin(),
                                            ds_.validation.tokens.begin() + 30);
        QCOMPARE(a.logits(seq), b.logits(seq));
    }

    void cancelLeavesResumableFile() {
        std::atomic<bool> cancel{true};
        const TrainingSummary s = train(ds_, options("cancelled.cmodel"), {}, cancel);
        QCOMPARE(s.stoppedBy, std::string("cancelled"));
        const ModelFileContents c = readModelFile(path("cancelled.cmodel"));
        QVERIFY(c.sections.count("TRST") && c.sections.count("OPTM"));
    }

    /// Issue 17: an output the trainer cannot write fails before the first step, not after the first
    /// epoch (hours on a real corpus). No progress is reported before the error.
    void unwritableOutFailsBeforeTraining() {
        const fs::path throughAFile = corpus_ / "tune0.mid" / "x.cmodel";
        for (const fs::path& out : {fs::path("/sys/continuo-test.cmodel"), throughAFile, path("corpus")}) {
            TrainOptions o = options("unused.cmodel");
            o.out = out;
            int progressCalls = 0;
            std::atomic<bool> cancel{false};
            try {
                train(
                    ds_, o, [&](const TrainProgress&) { ++progressCalls; }, cancel);
                QFAIL(qPrintable(QString::fromStdString("trained into " + out.string())));
            } catch (const std::system_error& e) {
                QVERIFY2(std::string(e.what()).starts_with("cannot write " + out.string() + " ("), e.what());
            }
            QCOMPARE(progressCalls, 0);
        }
    }

    /// Issue 17, item 7: a disk that fills before the first checkpoint is saved does not promise "the last
    /// saved checkpoint is intact": there is none. RLIMIT_FSIZE makes writes past 4 kB fail with EFBIG,
    /// as a full disk would.
    void fullDiskBeforeAnyCheckpoint() {
        const fs::path out = path("never-saved.cmodel");
        QString message;
        int kind = -1;
        {
            ::signal(SIGXFSZ, SIG_IGN);
            rlimit old{};
            ::getrlimit(RLIMIT_FSIZE, &old);
            rlimit small = old;
            small.rlim_cur = 4096;
            QCOMPARE(::setrlimit(RLIMIT_FSIZE, &small), 0);
            std::atomic<bool> cancel{false};
            try {
                train(ds_, options("never-saved.cmodel"), {}, cancel);
            } catch (const TrainingError& e) {
                kind = int(e.kind());
                message = QString::fromStdString(e.what());
            }
            ::setrlimit(RLIMIT_FSIZE, &old);
        }
        QCOMPARE(kind, int(TrainingError::Kind::DiskFull));
        QCOMPARE(message,
                 QString::fromStdString("the disk is full: " + out.string() +
                                        " could not be saved; no checkpoint had been saved yet, free "
                                        "some space and start again"));
        QVERIFY(!fs::exists(out));
    }

    void learningRateSchedule() {
        TrainConfig c;
        c.learningRate = 1;
        c.warmupSteps = 10;
        c.minLrFactor = 0.1;
        QCOMPARE(learningRateAt(c, 0, 100), 0.1);
        QCOMPARE(learningRateAt(c, 9, 100), 1.0);
        QCOMPARE(learningRateAt(c, 10, 100), 1.0);
        QVERIFY(std::abs(learningRateAt(c, 100, 100) - 0.1) < 1e-12);
        QVERIFY(learningRateAt(c, 50, 100) < 1.0 && learningRateAt(c, 50, 100) > 0.1);
    }
};

QTEST_GUILESS_MAIN(TestModelTrain)
#include "tst_model_train.moc"
