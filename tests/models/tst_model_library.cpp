// core/modelfile/ModelLibrary: the shipped default and the user's models listed with their cards (read
// without LibTorch), broken files listed with their problem, import checked and atomic, remove protecting the
// default.

#include "ModelsTestUtil.h"
#include "modelfile/ModelLibrary.h"

#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace continuo::model;
namespace fs = std::filesystem;

namespace {

std::string cardValue(const ModelEntry& e, const std::string& label) {
    for (const ModelCardLine& l : modelCard(*e.metadata))
        if (l.label == label) return l.value;
    return "<no line " + label + ">";
}

std::vector<std::string> names(const fs::path& dir) {
    std::vector<std::string> n;
    for (const auto& e : fs::directory_iterator(dir))
        n.push_back(e.path().filename().string());
    std::sort(n.begin(), n.end());
    return n;
}

} // namespace

class TestModelLibrary : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    fs::path root_, builtIn_, trained_, users_;
    TrainingSummary summary_;

    fs::path path(const std::string& name) const { return root_ / name; }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        root_ = tmp_.path().toStdString();
        fs::create_directories(path("shipped"));
        builtIn_ = path("shipped") / kDefaultModelFileName;
        test::trainTinyModel(path("corpus"), builtIn_, 2, 1);
        trained_ = path("trained.cmodel");
        summary_ = test::trainTinyModel(path("corpus"), trained_, 1, 2);
        QCOMPARE(summary_.epochs, 2);
        users_ = path("users");
    }

    void init() {
        fs::remove_all(users_);
        fs::create_directories(users_);
    }

    void listsDefaultThenUserModelsWithCards() {
        fs::copy_file(trained_, users_ / "b-melodies.cmodel");
        fs::copy_file(trained_, users_ / "a-jazz.cmodel");
        test::writeBytes(users_ / "notes.txt", "not a model"); // not a .cmodel: not listed
        const std::vector<ModelEntry> list = listModels(users_, builtIn_);
        QCOMPARE(list.size(), std::size_t(3));
        QVERIFY(list[0].builtIn);
        QCOMPARE(list[0].path, builtIn_);
        QCOMPARE(list[0].displayName, std::string("Shipped default (tiny)"));
        QVERIFY(list[0].usable());
        QCOMPARE(list[1].displayName, std::string("a-jazz"));
        QCOMPARE(list[2].displayName, std::string("b-melodies"));
        QVERIFY(!list[1].builtIn);

        const ModelEntry& e = list[1];
        QVERIFY2(e.usable(), e.problem.c_str());
        const TrainingSummary& t = e.metadata->training;
        QCOMPARE(t.corpusPath, summary_.corpusPath);
        QCOMPARE(cardValue(e, "Corpus"), path("corpus").string());
        QCOMPARE(cardValue(e, "Corpus SHA-256"), summary_.corpusHash);
        QCOMPARE(summary_.corpusHash.size(), std::size_t(64));
        QCOMPARE(cardValue(e, "Date"), t.date);
        QVERIFY2(t.date.size() == 20 && t.date.starts_with("20") && t.date.back() == 'Z', t.date.c_str());
        QCOMPARE(cardValue(e, "Preset"), std::string("tiny"));
        const ModelConfig tiny = preset("tiny").model;
        QVERIFY2(
            cardValue(e, "Architecture")
                .starts_with("LSTM " + std::to_string(tiny.layers) + " × " + std::to_string(tiny.hidden)),
            cardValue(e, "Architecture").c_str());
        QVERIFY(cardValue(e, "Epochs").starts_with("2"));
        char loss[32];
        std::snprintf(loss, sizeof loss, "%.3f nats/token", summary_.trainLoss);
        QCOMPARE(cardValue(e, "Training loss"), std::string(loss));
        std::snprintf(loss, sizeof loss, "%.3f nats/token", summary_.validationLoss);
        QCOMPARE(cardValue(e, "Validation loss"), std::string(loss));
        QVERIFY(e.metadata->parameters > 1000);
        std::string digits = cardValue(e, "Parameters");
        std::erase(digits, ',');
        QCOMPARE(digits, std::to_string(e.metadata->parameters));
        QVERIFY(cardValue(e, "Tokenizer").starts_with("event encoding (encoding=event"));
    }

    void brokenFilesAreListedWithTheirProblem() {
        QVERIFY(test::writeCorruptCopy(trained_, users_ / "flipped.cmodel"));
        QByteArray bytes = test::readBytes(trained_);
        test::writeBytes(users_ / "short.cmodel", bytes.left(bytes.size() / 3));
        test::writeBytes(users_ / "text.cmodel", "hello");
        const std::vector<ModelEntry> list = listModels(users_, builtIn_);
        QCOMPARE(list.size(), std::size_t(4));
        for (std::size_t i = 1; i < list.size(); ++i) {
            QVERIFY2(!list[i].usable(), list[i].displayName.c_str());
            QVERIFY(!list[i].metadata);
            QVERIFY2(list[i].problem.find(list[i].path.string()) != std::string::npos,
                     list[i].problem.c_str());
        }
        QVERIFY2(list[1].problem.find("checksum") != std::string::npos, list[1].problem.c_str()); // flipped
        QVERIFY2(list[2].problem.find("trunc") != std::string::npos ||
                     list[2].problem.find("ends") != std::string::npos,
                 list[2].problem.c_str()); // short
        QVERIFY2(list[3].problem.find("not a Continuo model") != std::string::npos, list[3].problem.c_str());
    }

    void missingDefaultAndMissingFolder() {
        const std::vector<ModelEntry> list = listModels(path("no-such-folder"), path("gone.cmodel"));
        QCOMPARE(list.size(), std::size_t(1));
        QVERIFY(list[0].builtIn);
        QVERIFY(!list[0].usable());
        QVERIFY(listModels(path("no-such-folder"), {}).empty());
    }

    void importCopiesACheckedFileUnderAFreeName() {
        const fs::path a = importModel(trained_, users_ / "new");
        QCOMPARE(a, users_ / "new" / "trained.cmodel");
        QCOMPARE(test::readBytes(a), test::readBytes(trained_));
        const fs::path b = importModel(trained_, users_ / "new");
        QCOMPARE(b, users_ / "new" / "trained-2.cmodel");
        QCOMPARE(names(users_ / "new"), (std::vector<std::string>{"trained-2.cmodel", "trained.cmodel"}));
        QVERIFY(inspectModel(b, false).usable());
    }

    void importRefusesACorruptFile() {
        const fs::path bad = path("bad.cmodel");
        QVERIFY(test::writeCorruptCopy(trained_, bad));
        const QByteArray before = test::readBytes(bad);
        try {
            importModel(bad, users_);
            QFAIL("a corrupt model was imported");
        } catch (const ModelFileError& e) {
            QCOMPARE(e.kind(), ModelFileError::Kind::Corrupt);
            QVERIFY2(std::string(e.what()).find(bad.string()) != std::string::npos, e.what());
        }
        QVERIFY(names(users_).empty()); // nothing written, not even a temporary file
        QCOMPARE(test::readBytes(bad), before);
        QVERIFY_THROWS_EXCEPTION(ModelFileError, importModel(path("missing.cmodel"), users_));
    }

    void removeDeletesUserModelsOnly() {
        const fs::path mine = importModel(trained_, users_);
        removeModel(mine, users_, builtIn_);
        QVERIFY(!fs::exists(mine));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, removeModel(builtIn_, users_, builtIn_));
        QVERIFY(fs::exists(builtIn_));
        // The default is protected even when it sits in the user folder (e.g. CONTINUO_DEFAULT_MODEL there).
        const fs::path inside = importModel(trained_, users_);
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, removeModel(inside, users_, inside));
        QVERIFY(fs::exists(inside));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, removeModel(trained_, users_, builtIn_)); // outside
        QVERIFY(fs::exists(trained_));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, removeModel(users_ / "gone.cmodel", users_, builtIn_));
    }
};

QTEST_GUILESS_MAIN(TestModelLibrary)
#include "tst_model_library.moc"
