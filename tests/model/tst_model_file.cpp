// The model file: SHA-256 against known vectors, save → load gives identical logits, and every kind of
// damaged file gives its own clear error (never a crash: the checksum is verified before LibTorch sees
// a byte).

#include "ModelTestUtil.h"
#include "modelfile/ModelFile.h"
#include "modelfile/Sha256.h"

#include <QTest>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <limits>
#include <system_error>

#include <fstream>
#include <sstream>

using namespace continuo;
using namespace continuo::model;
namespace fs = std::filesystem;

namespace {

long maxRssMb() {
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

} // namespace

class TestModelFile : public QObject {
    Q_OBJECT
    QTemporaryDir tmp_;
    fs::path good_;
    std::string bytes_;

    fs::path path(const char* name) const { return fs::path(tmp_.path().toStdString()) / name; }
    fs::path write(const char* name, const std::string& bytes) const {
        std::ofstream(path(name), std::ios::binary) << bytes;
        return path(name);
    }
    ModelFileError::Kind kindOf(const fs::path& p,
                                const std::optional<music::TokenizerSettings>& expect = {}) {
        try {
            LstmModel::load(p, expect);
        } catch (const ModelFileError& e) {
            // Every message names the file.
            if (std::string(e.what()).find(p.string()) == std::string::npos)
                qWarning("no file name in: %s", e.what());
            return std::string(e.what()).find(p.string()) == std::string::npos ? ModelFileError::Kind(-1)
                                                                               : e.kind();
        }
        QTest::qFail("no error", __FILE__, __LINE__);
        return ModelFileError::Kind::Unreadable;
    }

private Q_SLOTS:
    void initTestCase() {
        QVERIFY(tmp_.isValid());
        good_ = path("good.cmodel");
        test::tinyModel().save(good_);
        std::ifstream in(good_, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        bytes_ = ss.str();
        QVERIFY(bytes_.size() > 1000);
    }

    void sha256KnownVectors() {
        QCOMPARE(toHex(sha256(std::string_view(""))),
                 std::string("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        QCOMPARE(toHex(sha256(std::string_view("abc"))),
                 std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QCOMPARE(toHex(sha256(std::string_view("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
                 std::string("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"));
        Sha256 million;
        const std::string a(1000, 'a');
        for (int i = 0; i < 1000; ++i)
            million.update(a);
        QCOMPARE(toHex(million.finish()),
                 std::string("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"));
        // Split updates across block boundaries give the same digest.
        const std::string text(200, 'x');
        Sha256 parts;
        parts.update(std::string_view(text).substr(0, 63));
        parts.update(std::string_view(text).substr(63, 70));
        parts.update(std::string_view(text).substr(133));
        QCOMPARE(toHex(parts.finish()), toHex(sha256(std::string_view(text))));
        // An empty update (a null data() pointer: UBSan checks the memcpy) changes nothing, even mid-block.
        Sha256 withEmpty;
        withEmpty.update(std::string_view(text).substr(0, 10));
        withEmpty.update(std::span<const std::uint8_t>());
        withEmpty.update(std::string_view(text).substr(10));
        QCOMPARE(toHex(withEmpty.finish()), toHex(sha256(std::string_view(text))));
    }

    void saveLoadGivesIdenticalLogits() {
        LstmModel a = test::tinyModel(3);
        a.metadata().training.epochs = 5;
        a.save(path("a.cmodel"));
        LstmModel b = LstmModel::load(path("a.cmodel"));
        const std::vector<std::int32_t> seq{1, 60, 140, 5, 70, 150, 12, 3, 64, 160};
        QCOMPARE(a.logits(seq), b.logits(seq));
        QCOMPARE(b.metadata().training.epochs, 5);
        QCOMPARE(b.metadata().model, a.metadata().model);
        QCOMPARE(b.metadata().tokenizer, a.metadata().tokenizer);
        QCOMPARE(b.parameterCount(), a.parameterCount());
        // Atomic write: no temporary file left beside it.
        int files = 0;
        for (const auto& e : fs::directory_iterator(tmp_.path().toStdString()))
            if (e.path().filename().string().starts_with(".a.cmodel")) ++files;
        QCOMPARE(files, 0);
    }

    void metadataRoundTrip() {
        const ModelFileContents c = readModelFile(good_);
        const ModelMetadata m = metadataFromJson(metadataToJson(c.metadata), "x");
        QCOMPARE(metadataToJson(m), metadataToJson(c.metadata));
    }

    void metadataNumbersOutOfRange_data() {
        QTest::addColumn<QString>("from");
        QTest::addColumn<QString>("to");
        QTest::addColumn<QString>("field");
        // fuzz_model_file found the first: nlohmann cast 4.33e83 to int (undefined behaviour).
        QTest::newRow("float far past int") << "\"hidden\": "
                                            << "\"hidden\": 4.33333e+83, \"x\": "
                                            << "hidden";
        QTest::newRow("integer past int") << "\"batch\": "
                                          << "\"batch\": 4294967296, \"x\": "
                                          << "batch";
        QTest::newRow("fraction") << "\"layers\": "
                                  << "\"layers\": 1.5, \"x\": "
                                  << "layers";
        QTest::newRow("negative seed") << "\"seed\": "
                                       << "\"seed\": -1, \"x\": "
                                       << "seed";
    }
    void metadataNumbersOutOfRange() {
        // A number that cannot be the field's integer is refused as corrupt, naming the field.
        QFETCH(QString, from);
        QFETCH(QString, to);
        QFETCH(QString, field);
        const ModelFileContents c = readModelFile(good_);
        QString json = QString::fromStdString(metadataToJson(c.metadata));
        QVERIFY(json.contains(from));
        json.replace(json.indexOf(from), from.size(), to);
        try {
            metadataFromJson(json.toStdString(), "m.cmodel");
            QFAIL("no exception");
        } catch (const ModelFileError& e) {
            QCOMPARE(e.kind(), ModelFileError::Kind::Corrupt);
            QVERIFY2(QString(e.what()).contains("\"" + field + "\" is "), e.what());
        }
    }

    void corruptFiles() {
        using K = ModelFileError::Kind;
        QCOMPARE(kindOf(write("empty.cmodel", "")), K::NotAModel);
        QCOMPARE(kindOf(write("zeros.cmodel", std::string(bytes_.size(), '\0'))), K::NotAModel);
        QCOMPARE(kindOf(write("text.cmodel", "hello, this is not a model at all")), K::NotAModel);
        QCOMPARE(kindOf(path("missing.cmodel")), K::Unreadable);
        for (std::size_t cut :
             {std::size_t(5), std::size_t(12), std::size_t(40), bytes_.size() / 2, bytes_.size() - 1})
            QCOMPARE(kindOf(write("cut.cmodel", bytes_.substr(0, cut))), K::Truncated);
        // Flipped bytes anywhere in a section (metadata or the weights) fail the checksum.
        for (std::size_t at : {std::size_t(100), bytes_.size() / 3, bytes_.size() / 2, bytes_.size() - 10}) {
            std::string bad = bytes_;
            bad[at] = char(bad[at] ^ 0x5a);
            QCOMPARE(kindOf(write("flip.cmodel", bad)), K::Corrupt);
        }
        std::string bad = bytes_ + "x";
        QCOMPARE(kindOf(write("extra.cmodel", bad)), K::Corrupt);
        std::string newer = bytes_;
        newer[8] = 2;
        QCOMPARE(kindOf(write("newer.cmodel", newer)), K::UnsupportedVersion);
        music::TokenizerSettings other;
        other.stepsPerQuarter = 24;
        QCOMPARE(kindOf(good_, other), K::TokenizerMismatch);
        // The same file with the tokenizer it was made for loads.
        LstmModel::load(good_, music::TokenizerSettings{});
    }

    /// Issue 17: a huge file is judged by its header and section lengths before it is read. Each case runs
    /// in a child process whose address space is capped 512 MB above what it already maps: reading the
    /// whole 4 GB file first (as before) ran into the cap and ended with the wrong sentence ("truncated"
    /// for a metadata section that declares 4 GB) after reading half a gigabyte.
    void hugeFilesAreRefusedBeforeReading() {
        using K = ModelFileError::Kind;
        const auto kindUnderMemoryCap = [](const std::string& file) {
            const pid_t pid = ::fork();
            if (pid == 0) {
                long pages = 0;
                if (FILE* f = std::fopen("/proc/self/statm", "r")) {
                    if (std::fscanf(f, "%ld", &pages) != 1) pages = 0;
                    std::fclose(f);
                }
                const rlim_t cap = rlim_t(pages) * rlim_t(::sysconf(_SC_PAGESIZE)) + (rlim_t(512) << 20);
                const rlimit limit{cap, cap};
                ::setrlimit(RLIMIT_AS, &limit);
                try {
                    readModelFile(file);
                    ::_exit(1);
                } catch (const ModelFileError& e) {
                    ::_exit(10 + int(e.kind()));
                } catch (...) {
                    ::_exit(2); // bad_alloc: the file was read whole
                }
            }
            int status = 0;
            ::waitpid(pid, &status, 0);
            return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        };
        const std::uint64_t fourGb = std::uint64_t(4) << 30;
        // No header: "not a Continuo model" after 16 bytes.
        const std::string sparse = path("sparse.cmodel");
        write("sparse.cmodel", "");
        fs::resize_file(sparse, fourGb);
        QCOMPARE(kindUnderMemoryCap(sparse), 10 + int(K::NotAModel));
        // A real header whose META declares the rest of a 4 GB file: refused by its declared length.
        std::string head = bytes_.substr(0, 16 + 44);
        const std::uint64_t declared = fourGb - head.size();
        for (int b = 0; b < 8; ++b)
            head[std::size_t(20 + b)] = char((declared >> (8 * b)) & 0xff);
        const std::string meta = path("bigmeta.cmodel");
        write("bigmeta.cmodel", head);
        fs::resize_file(meta, fourGb);
        QCOMPARE(kindUnderMemoryCap(meta), 10 + int(K::Corrupt));
        // A section longer than the file: truncated, also without reading it.
        head = bytes_.substr(0, 16 + 44);
        for (int b = 0; b < 8; ++b)
            head[std::size_t(20 + b)] = char(((fourGb * 2) >> (8 * b)) & 0xff);
        write("longer.cmodel", head);
        fs::resize_file(path("longer.cmodel"), fourGb);
        QCOMPARE(kindUnderMemoryCap(path("longer.cmodel")), 10 + int(K::Truncated));
        fs::remove(sparse);
        fs::remove(meta);
        fs::remove(path("longer.cmodel"));
    }

    void wellFormedFileWithBadWeights() {
        // A file with valid checksums whose weights archive is garbage: LibTorch is handed bytes that pass
        // our checks; its error must come back as ModelFileError, not a crash.
        ModelFileContents c = readModelFile(good_);
        std::map<std::string, std::string> sections = c.sections;
        sections.erase("META");
        sections["WGHT"] = std::string(4096, 'Z');
        QCOMPARE(kindOf(write("garbage-weights.cmodel", buildModelFile(c.metadata, sections))),
                 ModelFileError::Kind::Corrupt);
        sections["WGHT"] = c.sections.at("WGHT").substr(0, c.sections.at("WGHT").size() / 2);
        QCOMPARE(kindOf(write("half-weights.cmodel", buildModelFile(c.metadata, sections))),
                 ModelFileError::Kind::Corrupt);
        ModelMetadata wider = c.metadata;
        wider.model.hidden *= 2;
        sections["WGHT"] = c.sections.at("WGHT");
        QCOMPARE(kindOf(write("wrong-shape.cmodel", buildModelFile(wider, sections))),
                 ModelFileError::Kind::Corrupt);
        // LibTorch's own message comes back as one line: c10::Error::what() carries a 20-line backtrace.
        sections["WGHT"] = std::string(4096, 'Z');
        try {
            LstmModel::load(write("garbage-weights.cmodel", buildModelFile(c.metadata, sections)));
            QFAIL("garbage weights loaded");
        } catch (const ModelFileError& e) {
            QVERIFY2(std::string(e.what()).find('\n') == std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("do not load") != std::string::npos, e.what());
        }
    }

    /// Issue 17: the architecture a file declares is checked against its weights before any network is
    /// built. A few kB of weights under a header declaring 8 x LSTM(1536) (142 M parameters, within every
    /// field's range) built a 570 MB network first and only then compared shapes; the refusal now names
    /// the first tensor that differs, and the process does not grow.
    void declaredArchitectureIsCheckedBeforeBuilding() {
        ModelFileContents c = readModelFile(good_);
        std::map<std::string, std::string> sections = c.sections;
        sections.erase("META");
        ModelMetadata big = c.metadata;
        big.model.hidden = 1536;
        big.model.layers = 8;
        QVERIFY(big.model.parameterCount() > 100'000'000 && big.model.parameterCount() < kMaxParameters);
        const fs::path file = write("declares-more.cmodel", buildModelFile(big, sections));
        const long before = maxRssMb();
        try {
            LstmModel::load(file);
            QFAIL("a model whose weights do not match its architecture loaded");
        } catch (const ModelFileError& e) {
            const std::string what = e.what();
            QCOMPARE(e.kind(), ModelFileError::Kind::Corrupt);
            QVERIFY2(
                what.starts_with(file.string() + ": the declared architecture (8 x LSTM(1536), embedding 16"),
                e.what());
            QVERIFY2(what.ends_with(
                         ") does not match the weights (lstm.weight_ih_l0 is 128 x 16 where 6144 x 16 is "
                         "needed)"),
                     e.what());
            QVERIFY2(what.find('\n') == std::string::npos, e.what());
        }
        QVERIFY2(
            maxRssMb() - before < 200,
            qPrintable(QString("the process grew by %1 MB: the network was built").arg(maxRssMb() - before)));
        // The same file through the check info runs.
        try {
            checkModelWeights(readModelFile(file), file.string());
            QFAIL("checkModelWeights passed it");
        } catch (const ModelFileError& e) {
            QVERIFY2(std::string(e.what()).find("does not match the weights") != std::string::npos, e.what());
        }
    }

    /// Issue 17: 16 x LSTM(8192) is within each field's range but is 8.3 G parameters (33 GB): such a
    /// header is refused where the metadata is read (info, the model library, the studio's first look), in
    /// one sentence, whatever the weights hold.
    void hugeDeclaredArchitectureIsRefusedOnRead() {
        ModelFileContents c = readModelFile(good_);
        std::map<std::string, std::string> sections = c.sections;
        sections.erase("META");
        ModelMetadata huge = c.metadata;
        huge.model.hidden = 8192;
        huge.model.layers = 16;
        const fs::path file = write("huge.cmodel", buildModelFile(huge, sections));
        try {
            readModelFile(file);
            QFAIL("a model of 8.3 G parameters was read as fine");
        } catch (const ModelFileError& e) {
            QCOMPARE(e.kind(), ModelFileError::Kind::Corrupt);
            QVERIFY2(std::string(e.what()).find("16 x LSTM(8192)") != std::string::npos, e.what());
            QVERIFY2(std::string(e.what()).find("more than the 268435456 a model may have") !=
                         std::string::npos,
                     e.what());
            QVERIFY2(std::string(e.what()).find('\n') == std::string::npos, e.what());
        }
        QCOMPARE(kindOf(file), ModelFileError::Kind::Corrupt);
    }

    /// The parameter count computed from a config (for the limit above) is the built network's.
    void parameterCountMatchesTheNetwork() {
        for (const auto& tokenizer :
             {music::TokenizerSettings{}, music::TokenizerSettings::parse("encoding=event")}) {
            const LstmModel m = test::tinyModel(1, tokenizer);
            QCOMPARE(m.metadata().model.parameterCount(), m.parameterCount());
        }
        ModelConfig seed = preset("seed").model;
        seed.vocab = 283;
        QCOMPARE(seed.parameterCount(), std::int64_t(5'533'819)); // the 5.53 M of the docs
    }

    /// Issue 17: NaN or infinite weights (a diverged run, a damaged export) pass every checksum and used to
    /// generate a note or two without a word; they are refused on load, and by info's check.
    void nonFiniteWeightsAreRefused() {
        ModelFileContents c = readModelFile(good_);
        std::map<std::string, std::string> sections = c.sections;
        sections.erase("META");
        for (const float bad :
             {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
            sections["WGHT"] = test::withFirstWeight(c.sections.at("WGHT"), bad);
            QVERIFY(!sections["WGHT"].empty());
            const fs::path file = write("nan.cmodel", buildModelFile(c.metadata, sections));
            try {
                LstmModel::load(file);
                QFAIL("a model with a non-finite weight loaded");
            } catch (const ModelFileError& e) {
                QCOMPARE(e.kind(), ModelFileError::Kind::Corrupt);
                QVERIFY2(std::string(e.what()).find("the model's weights hold NaN or infinite values") !=
                             std::string::npos,
                         e.what());
            }
        }
        // The same bytes with a finite value load: the edit itself is sound.
        sections["WGHT"] = test::withFirstWeight(c.sections.at("WGHT"), 0.25f);
        LstmModel::load(write("finite.cmodel", buildModelFile(c.metadata, sections)));
    }

    /// Issue 17, item 7: a folder given as a model says so ("no such model file" before); writing over a
    /// folder names the error once ("Is a directory: Is a directory" before).
    void foldersAreNamedAsFolders() {
        const fs::path dir = path("folder.cmodel");
        fs::create_directories(dir);
        try {
            readModelFile(dir);
            QFAIL("a folder was read as a model");
        } catch (const ModelFileError& e) {
            QCOMPARE(e.kind(), ModelFileError::Kind::Unreadable);
            QCOMPARE(std::string(e.what()), dir.string() + ": is a folder, not a model file");
        }
        fs::create_directories(dir / "inside");
        try {
            writeFileAtomically(dir, "bytes");
            QFAIL("a file was written over a folder");
        } catch (const std::system_error& e) {
            const QString what = e.what();
            QVERIFY2(what.count("Is a directory") == 1 || what.count("Directory not empty") == 1, e.what());
            QVERIFY2(what.startsWith("cannot write " + QString::fromStdString(dir.string()) + " (a folder"),
                     e.what());
        }
        try {
            checkWritable(dir);
            QFAIL("a folder passed as writable");
        } catch (const std::system_error& e) {
            QCOMPARE(e.code(), std::make_error_code(std::errc::is_a_directory));
        }
        // A folder that takes no new file, even for root (sysfs), a path through a file, a missing folder.
        const std::pair<fs::path, std::string> cases[] = {
            {"/sys/continuo-test.cmodel", "(its folder /sys does not take new files): "},
            {good_ / "x.cmodel", "(" + good_.string() + " is not a folder): Not a directory"},
            {path("missing") / "x.cmodel", "(its folder " + path("missing").string() + " does not exist): "}};
        for (const auto& [nowhere, why] : cases) {
            try {
                checkWritable(nowhere);
                QFAIL(qPrintable(QString::fromStdString(nowhere.string()) + " passed as writable"));
            } catch (const std::system_error& e) {
                QVERIFY2(std::string(e.what()).starts_with("cannot write " + nowhere.string() + " " + why),
                         e.what());
            }
        }
        // A read-only folder: root writes into one anyway (sysfs above stands in for it there).
        if (::geteuid() != 0) {
            const fs::path readOnly = path("read-only");
            fs::create_directories(readOnly);
            fs::permissions(readOnly, fs::perms::owner_read | fs::perms::owner_exec);
            QVERIFY_THROWS_EXCEPTION(std::system_error, checkWritable(readOnly / "x.cmodel"));
            fs::permissions(readOnly, fs::perms::owner_all);
        }
        checkWritable(path("fine.cmodel"));
        QVERIFY(!fs::exists(path("fine.cmodel")));
    }
};

QTEST_GUILESS_MAIN(TestModelFile)
#include "tst_model_file.moc"
