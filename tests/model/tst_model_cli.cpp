// continuo-cli train / info / generate / eval end to end on a tiny folder of MIDI files made here.

#include "ModelTestUtil.h"

#include <QProcess>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <map>

using namespace continuo;
namespace fs = std::filesystem;

class TestModelCli : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;

    struct Out {
        int code = -1;
        QString out, err;
    };
    Out cli(const QStringList& args) {
        QProcess p;
        p.start(CONTINUO_CLI, args);
        p.waitForFinished(120000);
        return {p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }
    QString path(const char* name) const { return tmp_.filePath(name); }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        model::test::writeTinyCorpus(path("corpus").toStdString());
    }

    void trainInfoGenerateEval() {
        const QString model = path("tiny.cmodel");
        Out t =
            cli({"train", "--data", path("corpus"), "--out", model, "--preset", "tiny", "--epochs", "2",
                 "--device", "cpu", "--threads", "2", "--max-steps-per-epoch", "5", "--no-cache", "--quiet"});
        QVERIFY2(t.code == 0, qPrintable(t.err));
        QVERIFY(t.out.contains("2 epochs"));
        QVERIFY(fs::is_regular_file(model.toStdString()));

        Out i = cli({"info", model});
        QVERIFY2(i.code == 0, qPrintable(i.err));
        QVERIFY(i.out.contains("tokenizer: encoding=bar policy=textures")); // the default: the shipped kind
        QVERIFY(i.out.contains("2 x LSTM(32)"));
        QVERIFY(i.out.contains("2 of 2 epochs"));
        Out ij = cli({"info", model, "--json"});
        const auto j = nlohmann::json::parse(ij.out.toStdString());
        QCOMPARE(j["training"]["epochs"].get<int>(), 2);

        // Resume with more epochs continues the same file.
        Out r = cli({"train", "--data", path("corpus"), "--out", model, "--resume", model, "--epochs", "3",
                     "--device", "cpu", "--max-steps-per-epoch", "5", "--no-cache", "--quiet"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains("3 epochs"));

        Out g = cli({"generate", "--model", model, "--seed-midi", path("corpus/tune0.mid"), "--out",
                     path("out.mid"), "--bars", "4", "--variations", "3", "--random-seed", "5", "--key", "C",
                     "--scale", "major"});
        QVERIFY2(g.code == 0, qPrintable(g.err));
        for (const char* f : {"out-1.mid", "out-2.mid", "out-3.mid"}) {
            QVERIFY(fs::is_regular_file(path(f).toStdString()));
            const music::Song s = music::loadSong(path(f).toStdString()).song;
            QVERIFY(s.noteCount() > 120); // the seed and the new notes
        }
        Out g2 =
            cli({"generate", "--model", model, "--out", path("scratch.mid"), "--bars", "2", "--only-new"});
        QVERIFY2(g2.code == 0, qPrintable(g2.err));
        QVERIFY(fs::is_regular_file(path("scratch.mid").toStdString()));

        // --only-new on a song of two tracks: the file holds the new notes alone, in one track, after the
        // seed's end.
        music::Song two = music::loadSong(path("corpus/tune0.mid").toStdString()).song;
        QVERIFY(!two.tracks.empty());
        const std::int64_t seedEnd = two.tracks[0].notes.back().end();
        music::Track bass = two.tracks[0];
        bass.name = "bass";
        bass.channel = 2;
        two.tracks.push_back(bass);
        music::saveSong(path("two.mid").toStdString(), two);
        Out g3 = cli({"generate", "--model", model, "--seed-midi", path("two.mid"), "--out", path("new.mid"),
                      "--bars", "2", "--only-new"});
        QVERIFY2(g3.code == 0, qPrintable(g3.err));
        const music::Song fresh = music::loadSong(path("new.mid").toStdString()).song;
        QCOMPARE(int(fresh.tracks.size()), 1);
        QVERIFY(g3.out.contains(QString("%1 notes generated").arg(fresh.noteCount())));
        for (const music::Note& n : fresh.tracks[0].notes)
            QVERIFY(n.start >= seedEnd - two.ppq); // the start is snapped to the grid

        Out e = cli({"eval", "--model", model, "--data", path("corpus"), "--json"});
        QVERIFY2(e.code == 0, qPrintable(e.err));
        const auto ej = nlohmann::json::parse(e.out.toStdString());
        QVERIFY(ej["loss"].get<double>() > 0);
        QVERIFY(ej["perplexity"].get<double>() > 1);
        QVERIFY(ej["accuracy"].get<double>() >= 0);
    }

    void clearErrors() {
        std::ofstream(path("bad.cmodel").toStdString()) << "not a model";
        Out i = cli({"info", path("bad.cmodel")});
        QCOMPARE(i.code, 1);
        QVERIFY(i.err.startsWith("continuo-cli: error:"));
        QVERIFY(i.err.contains("not a Continuo model"));
        QCOMPARE(i.err.count('\n'), 1);
        Out g = cli({"generate", "--model", path("bad.cmodel"), "--out", path("x.mid")});
        QCOMPARE(g.code, 1);
        Out missing = cli({"train", "--data", path("nowhere"), "--out", path("y.cmodel")});
        QCOMPARE(missing.code, 1);
        QCOMPARE(missing.err.count('\n'), 1);
    }

    /// Issue 17: info refuses what generate refuses, with the same sentence: weights that do not match the
    /// declared architecture, non-finite weights, an architecture over the parameter limit. Before, info
    /// described all three as fine.
    void infoRefusesWhatLoadingRefuses() {
        const std::string good = path("good.cmodel").toStdString();
        model::test::tinyModel().save(good);
        const model::ModelFileContents c = model::readModelFile(good);
        std::map<std::string, std::string> sections = c.sections;
        sections.erase("META");
        model::ModelMetadata wider = c.metadata;
        wider.model.hidden = 1024;
        wider.model.layers = 4;
        std::ofstream(path("wider.cmodel").toStdString(), std::ios::binary)
            << model::buildModelFile(wider, sections);
        model::ModelMetadata huge = c.metadata;
        huge.model.hidden = 8192;
        huge.model.layers = 16;
        std::ofstream(path("huge.cmodel").toStdString(), std::ios::binary)
            << model::buildModelFile(huge, sections);
        sections["WGHT"] = model::test::withFirstWeight(c.sections.at("WGHT"), std::nanf(""));
        std::ofstream(path("nan.cmodel").toStdString(), std::ios::binary)
            << model::buildModelFile(c.metadata, sections);
        const QStringList expected{"the declared architecture (4 x LSTM(1024)",
                                   "parameters, more than the 268435456",
                                   "the model's weights hold NaN or infinite values"};
        const QStringList files{"wider.cmodel", "huge.cmodel", "nan.cmodel"};
        for (int i = 0; i < files.size(); ++i) {
            const Out info = cli({"info", path(qPrintable(files[i]))});
            QCOMPARE(info.code, 1);
            QCOMPARE(info.err.count('\n'), 1);
            QVERIFY2(info.err.startsWith("continuo-cli: error: " + path(qPrintable(files[i])) + ": "),
                     qPrintable(info.err));
            QVERIFY2(info.err.contains(expected[i]), qPrintable(info.err));
            const Out gen =
                cli({"generate", "--model", path(qPrintable(files[i])), "--out", path("never.mid")});
            QCOMPARE(gen.code, 1);
            QCOMPARE(gen.err, info.err);
        }
        QVERIFY(!fs::exists(path("never.mid").toStdString()));
        QCOMPARE(cli({"info", path("good.cmodel")}).code, 0);
    }

    /// Issue 17, item 7: mistakes in the command are usage errors (exit 2, one line) said before any model
    /// loads, and a folder where a file is meant is called a folder.
    void commandMistakes() {
        const Out range =
            cli({"generate", "--min-pitch", "100", "--max-pitch", "10", "--out", path("r.mid")});
        QCOMPARE(range.code, 2);
        QCOMPARE(
            range.err,
            QString(
                "continuo-cli: error: --min-pitch 100 is above --max-pitch 10; the range runs from low to "
                "high within 0-127 (continuo-cli generate --help lists the options)\n"));
        fs::create_directories(path("outdir").toStdString());
        const Out outDir = cli({"generate", "--out", path("outdir")});
        QCOMPARE(outDir.code, 2);
        QCOMPARE(outDir.err.count('\n'), 1);
        QVERIFY2(outDir.err.contains("--out " + path("outdir") + " is a folder; name the MIDI file to write"),
                 qPrintable(outDir.err));
        QVERIFY(!outDir.err.contains("Success"));
        fs::create_directories(path("dir.cmodel").toStdString());
        const Out modelDir = cli({"info", path("dir.cmodel")});
        QCOMPARE(modelDir.code, 1);
        QCOMPARE(modelDir.err,
                 "continuo-cli: error: " + path("dir.cmodel") + ": is a folder, not a model file\n");
        const Out trainDir = cli({"train", "--data", path("corpus"), "--out", path("outdir")});
        QCOMPARE(trainDir.code, 2);
        QVERIFY2(
            trainDir.err.contains("--out " + path("outdir") + " is a folder; name the model file to write"),
            qPrintable(trainDir.err));
    }

    /// Issue 17, item 7: `train --out` where no file can be written fails at the start, before the corpus
    /// is read and long before the first checkpoint (it failed after the first epoch). sysfs takes no new
    /// file even for root; a path through a file is the other case every user can make.
    void trainOutThatCannotBeWrittenFailsAtStart() {
        const std::pair<QString, QString> cases[] = {
            {"/sys/continuo-test.cmodel", "(its folder /sys does not take new files): "},
            {path("corpus/tune0.mid/x.cmodel"), "(" + path("corpus/tune0.mid") + " is not a folder): "}};
        for (const auto& [out, why] : cases) {
            const Out t =
                cli({"train", "--data", path("corpus"), "--out", out, "--preset", "tiny", "--epochs", "1",
                     "--device", "cpu", "--max-steps-per-epoch", "2", "--no-cache", "--progress", "0"});
            QCOMPARE(t.code, 1);
            QCOMPARE(t.err.count('\n'), 1);
            QVERIFY2(t.err.startsWith("continuo-cli: error: cannot write " + out + " " + why),
                     qPrintable(t.err));
            QVERIFY2(!t.err.contains("epoch") && !t.err.contains("train: "), qPrintable(t.err));
        }
    }
};

QTEST_GUILESS_MAIN(TestModelCli)
#include "tst_model_cli.moc"
