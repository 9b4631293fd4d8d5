// The shipped default model (resources/models/continuo-default.cmodel): it loads, continues a seed after
// the seed, in the requested bars and key; the lookup finds it from the build tree; a missing or broken
// default model is one clear sentence (the library, the CLI on one stderr line, the studio's panel).

#include "model/DefaultModel.h"
#include "model/LstmComposer.h"
#include "model/MusicalEval.h"
#include "model/Sampling.h"
#include "music/Tokenizer.h"
#include "ui/MainWindow.h"
#include "ui/document/Document.h"
#include "ui/generate/GenerateController.h"
#include "ui/generate/GeneratePanel.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <cstdlib>
#include <fstream>
#include <iterator>

using namespace continuo;
namespace fs = std::filesystem;

namespace {
const fs::path kShipped = fs::path(CONTINUO_SOURCE_DIR) / "resources/models/continuo-default.cmodel";

/// Sets an environment variable for one scope.
struct ScopedEnv {
    ScopedEnv(const char* name, const std::string& value)
        : name_(name) {
        ::setenv(name, value.c_str(), 1);
    }
    ~ScopedEnv() { ::unsetenv(name_); }
    const char* name_;
};

QString panelText(ui::MainWindow& w) {
    QString all;
    for (QLabel* l : w.generatePanel()->findChildren<QLabel*>())
        all += l->text() + "\n";
    return all;
}
} // namespace

class TestDefaultModel : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    std::atomic<bool> noCancel_{false};

    struct Out {
        int code = -1;
        QString out, err;
    };
    Out cli(const QStringList& args, const QString& envModel = {}) {
        QProcess p;
        if (!envModel.isEmpty()) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(model::kDefaultModelEnv, envModel);
            p.setProcessEnvironment(env);
        }
        p.start(CONTINUO_CLI, args);
        p.waitForFinished(60000);
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        QVERIFY2(fs::is_regular_file(kShipped), kShipped.c_str());
        QVERIFY2(fs::file_size(kShipped) < 40u << 20, "the shipped model should stay a few MB");
    }

    void shippedModelContinuesInKeyAndBars() {
        model::setTorchThreads(2);
        model::LstmComposer c(kShipped);
        const music::Song seed = model::simpleSeedMelody();
        model::GenerateRequest rq;
        rq.song = seed;
        rq.song.tracks[0].channel = 3;
        rq.bars = 4;
        rq.variations = 2;
        rq.randomSeed = 7;
        rq.key = model::KeyLock{0, model::Scale::Major};
        const model::GenerateResult r = c.generate(rq, {}, noCancel_);
        const std::int64_t seedEnd = 2 * 1920, end = seedEnd + 4 * 1920;
        QCOMPARE(r.variations.size(), std::size_t(2));
        const auto tok = music::Tokenizer::create(c.model().metadata().tokenizer);
        const auto inKey = music::scalePitchClasses(music::Scale::Major);
        for (std::size_t v = 0; v < 2; ++v) {
            QVERIFY(!r.variations[v].empty());
            for (const auto& n : r.variations[v]) {
                QVERIFY(n.start >= seedEnd && n.start < end); // after the seed, within the 4 bars
                QVERIFY2(inKey[n.pitch % 12], std::to_string(n.pitch).c_str());
                QCOMPARE(n.origin, music::NoteOrigin::Generated);
                QCOMPARE(n.channel, std::uint8_t(3));
            }
            // The tokens decode with nothing ignored and run to the requested length: a row stops at the
            // SHIFT that reaches the 4 bars (that last SHIFT may overshoot; notes there are dropped).
            std::int64_t endStep = 0;
            std::size_t ignored = 0;
            tok->decodeGrid(c.lastTokens()[v], &endStep, &ignored);
            QCOMPARE(ignored, std::size_t(0));
            const std::int64_t target = 4 * 4 * tok->settings().stepsPerQuarter;
            QVERIFY2(endStep >= target && endStep < target + tok->range(music::TokenKind::Shift).count,
                     std::to_string(endStep).c_str());
        }
        // Same seed, same notes.
        QCOMPARE(c.generate(rq, {}, noCancel_).variations, r.variations);
    }

    /// The trained weights through the AMX bf16x3 step and the float32 one, over a stream the model
    /// generated itself: the logits agree to 1e-3 (measured: 8.6e-5 on logits up to 31), and the
    /// generated notes of a few seeds are the same.
    void bf16x3AgreesWithFloat32OnTheShippedModel() {
        if (model::resolvePrecision(model::DecodePrecision::Auto) != model::DecodePrecision::Bf16x3)
            QSKIP("no AMX-BF16 on this CPU: the bf16x3 path cannot run here");
        model::setTorchThreads(2);
        model::LstmComposer exact(kShipped), fast(kShipped);
        exact.decodePrecision = model::DecodePrecision::Float32;
        fast.decodePrecision = model::DecodePrecision::Bf16x3;
        model::GenerateRequest rq;
        rq.song = model::simpleSeedMelody();
        rq.bars = 8;
        rq.variations = 4;
        int same = 0;
        for (std::uint64_t seed = 1; seed <= 4; ++seed) {
            rq.randomSeed = seed;
            const auto a = exact.generate(rq, {}, noCancel_).variations;
            const auto b = fast.generate(rq, {}, noCancel_).variations;
            for (std::size_t v = 0; v < a.size(); ++v)
                same += a[v] == b[v] ? 1 : 0;
        }
        const std::vector<std::int32_t> stream = exact.lastTokens()[0];
        const std::vector<float> x =
            model::decoderStepLogits(exact.model(), stream, 1, model::DecodePrecision::Float32);
        const std::vector<float> y =
            model::decoderStepLogits(exact.model(), stream, 1, model::DecodePrecision::Bf16x3);
        QCOMPARE(x.size(), y.size());
        float worst = 0, largest = 0;
        for (std::size_t i = 0; i < x.size(); ++i) {
            worst = std::max(worst, std::abs(x[i] - y[i]));
            largest = std::max(largest, std::abs(x[i]));
        }
        qInfo("%zu steps: logits within %.2g of float32's (largest |logit| %.1f); %d of 16 variations "
              "note for note the same",
              stream.size(), double(worst), double(largest), same);
        QVERIFY2(worst < 1e-3f, std::to_string(worst).c_str());
        QVERIFY(same >= 12);
    }

    void lookupFindsTheShippedModel() {
        ::unsetenv(model::kDefaultModelEnv);
        const fs::path found = model::findDefaultModel();
        QVERIFY2(!found.empty(), "no default model found from the build tree");
        QCOMPARE(fs::file_size(found), fs::file_size(kShipped));
        const model::DefaultComposer d = model::openDefaultComposer();
        QVERIFY2(d.composer, d.problem.c_str());
        QVERIFY(d.problem.empty());
        QVERIFY(QString::fromStdString(d.composer->describe().name).startsWith("Continuo default"));
        // The deferred composer loads on its first generate().
        model::GenerateRequest rq;
        rq.song = model::simpleSeedMelody();
        rq.bars = 1;
        rq.randomSeed = 3;
        QVERIFY(!d.composer->generate(rq, {}, noCancel_).variations.at(0).empty());
    }

    void missingOrBrokenModelIsOneSentence() {
        const std::string missing = tmp_.filePath("none.cmodel").toStdString();
        {
            ScopedEnv env(model::kDefaultModelEnv, missing);
            const model::DefaultComposer d = model::openDefaultComposer();
            QVERIFY(!d.composer);
            QVERIFY2(d.problem.find("No default model is installed") != std::string::npos, d.problem.c_str());
        }
        // A truncated copy of the real model and a file of garbage.
        std::ifstream in(kShipped, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), {});
        const std::string truncated = tmp_.filePath("truncated.cmodel").toStdString();
        std::ofstream(truncated, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
        const std::string garbage = tmp_.filePath("garbage.cmodel").toStdString();
        std::ofstream(garbage, std::ios::binary) << "this is not a model";
        for (const std::string& bad : {truncated, garbage}) {
            ScopedEnv env(model::kDefaultModelEnv, bad);
            const model::DefaultComposer d = model::openDefaultComposer();
            QVERIFY(!d.composer);
            QVERIFY2(d.problem.find("The default model cannot be used") != std::string::npos,
                     d.problem.c_str());
            QVERIFY(d.problem.find('\n') == std::string::npos);
        }
        // The CLI: one stderr line, no crash.
        for (const std::string& bad : {missing, truncated, garbage}) {
            const Out o = cli({"generate", "--out", tmp_.filePath("x.mid"), "--bars", "1"},
                              QString::fromStdString(bad));
            QVERIFY(o.code != 0 && o.code < 128);
            QCOMPARE(o.err.count('\n'), 1);
            QVERIFY2(o.err.startsWith("continuo-cli: error: "), qPrintable(o.err));
        }
        // The studio opens, says why, and keeps Generate off.
        ScopedEnv env(model::kDefaultModelEnv, truncated);
        const model::DefaultComposer d = model::openDefaultComposer();
        ui::StudioServices services;
        services.composer = d.composer;
        services.composerProblem = d.problem;
        ui::MainWindow w(services);
        QVERIFY(panelText(w).contains("The default model cannot be used"));
        QVERIFY(!w.generatePanel()->generateButton()->isEnabled());
    }

    void studioShowsTheModelName() {
        ::unsetenv(model::kDefaultModelEnv);
        const model::DefaultComposer d = model::openDefaultComposer();
        QVERIFY(d.composer);
        ui::MainWindow w(ui::StudioServices{d.composer, {}, {}, {}});
        QVERIFY(panelText(w).contains("Continuo default"));
        QVERIFY(w.generatePanel()->generateButton()->isEnabled());
        // Generate out of the box: the weights load on the engine thread at the first click.
        w.document()->reset(model::simpleSeedMelody());
        QSignalSpy ready(w.generator(), &ui::GenerateController::resultsReady);
        QTest::mouseClick(w.generatePanel()->generateButton(), Qt::LeftButton);
        QVERIFY(ready.wait(20000));
        QVERIFY(ready.front().front().toInt() >= 1);
    }

    void evalMusicalReportsFiguresAndKeyLock() {
        ::unsetenv(model::kDefaultModelEnv);
        const Out o = cli({"eval", "--musical", "--variations", "2", "--bars", "4", "--key", "C", "--scale",
                           "major", "--threads", "2", "--json"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const QJsonObject j = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(j["in_key_share"].toDouble(), 1.0);
        const QJsonObject g = j["generated"].toObject();
        QCOMPARE(g["scale_consistency"].toObject()["min"].toDouble(), 1.0);
        QVERIFY(g["notes"].toObject()["min"].toDouble() > 0);
        // The original's decoding is argmax: every variation is the same.
        const Out a = cli({"eval", "--musical", "--variations", "2", "--bars", "2", "--decoding", "original",
                           "--threads", "2", "--json"});
        QVERIFY2(a.code == 0, qPrintable(a.err));
        const QJsonObject n =
            QJsonDocument::fromJson(a.out.toUtf8()).object()["generated"].toObject()["notes"].toObject();
        QCOMPARE(n["min"].toDouble(), n["max"].toDouble());
    }

    void evalMelodiesOnTheShippedSet() {
        // issue 15's evaluation set: every tune measured, single lines for the melodies, piano writing for
        // the piano passages, and the human side of each figure present.
        ::unsetenv(model::kDefaultModelEnv);
        const QString eval = QStringLiteral(CONTINUO_SOURCE_DIR "/resources/eval/");
        const Out o = cli({"eval", "--musical", "--melodies", eval + "melodies", "--variations", "2",
                           "--max-bars", "2", "--threads", "2", "--json"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const QJsonObject j = QJsonDocument::fromJson(o.out.toUtf8()).object();
        QCOMPARE(j["tunes_measured"].toInt(), 20);
        for (const auto& t : j["tunes"].toArray()) {
            const QJsonObject tune = t.toObject();
            QCOMPARE(tune["seed_texture"].toString(), QStringLiteral("melody"));
            QCOMPARE(tune["bars"].toInt(), 2);
            QCOMPARE(tune["human"].toObject()["notes_per_onset"].toDouble(), 1.0);
            QVERIFY(tune["human"].toObject()["rhythm_repeat"].toDouble() >= 0);
            QCOMPARE(tune["per_variation"].toArray().size(), qsizetype(2));
        }
        QVERIFY(j["goals"].toObject().contains("motif repeat >= 0.3"));
        const Out p = cli({"eval", "--musical", "--melodies", eval + "piano", "--variations", "1",
                           "--max-bars", "1", "--threads", "2", "--json"});
        QVERIFY2(p.code == 0, qPrintable(p.err));
        const QJsonObject pj = QJsonDocument::fromJson(p.out.toUtf8()).object();
        QCOMPARE(pj["tunes_measured"].toInt(), 5);
        for (const auto& t : pj["tunes"].toArray())
            QCOMPARE(t.toObject()["seed_texture"].toString(), QStringLiteral("piano"));
        QVERIFY(pj["goals"].toObject().contains("piano seeds: IOI entropy >= 0.8 bits"));
    }

    void evalMelodiesUsesTheSamplingOptions() {
        // --melodies used to ignore --top-p, --pitch-top-p and --temperature (and --decoding): every figure
        // came out the same whatever they said. With nuclei this narrow only the likeliest token is ever
        // drawn, so both variations of a tune are the same passage.
        ::unsetenv(model::kDefaultModelEnv);
        const QString eval = QStringLiteral(CONTINUO_SOURCE_DIR "/resources/eval/melodies");
        const Out o = cli({"eval", "--musical", "--melodies", eval, "--variations", "2", "--max-bars", "2",
                           "--threads", "2", "--top-p", "0.001", "--pitch-top-p", "0.001", "--json"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        const QJsonObject j = QJsonDocument::fromJson(o.out.toUtf8()).object();
        int same = 0, tunes = 0;
        for (const auto& t : j["tunes"].toArray()) {
            const QJsonArray v = t.toObject()["per_variation"].toArray();
            QCOMPARE(v.size(), qsizetype(2));
            same += v[0] == v[1];
            ++tunes;
        }
        QCOMPARE(same, tunes);
        const Out refused = cli({"eval", "--musical", "--melodies", eval, "--decoding", "original"});
        QVERIFY(refused.code != 0);
        QVERIFY2(refused.err.contains("--decoding original"), qPrintable(refused.err));
    }

    void cliGeneratesWithoutModelFlag() {
        ::unsetenv(model::kDefaultModelEnv);
        const QString out = tmp_.filePath("default.mid");
        const Out o = cli({"generate", "--out", out, "--bars", "2", "--random-seed", "5", "--threads", "2"});
        QVERIFY2(o.code == 0, qPrintable(o.err));
        QVERIFY(fs::is_regular_file(out.toStdString()));
    }
};

QTEST_MAIN(TestDefaultModel)
#include "tst_default_model.moc"
