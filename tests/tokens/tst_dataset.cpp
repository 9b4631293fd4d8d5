// The dataset builder: skip reasons, the split by file, windows, augmentation, the cache, the CLI report.

#include "TokenTestUtil.h"
#include "music/Dataset.h"
#include "music/SongFile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <fstream>
#include <set>

using namespace continuo;
using namespace continuo::test;
namespace fs = std::filesystem;

namespace {

void writeBytes(const fs::path& p, const std::string& bytes) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << bytes;
}

// n usable files (two of them in a subfolder, as .midi), plus one of each kind of unusable file.
void makeCorpus(const fs::path& dir, int usable) {
    for (int i = 0; i < usable; ++i) {
        const fs::path name = i < 2 ? dir / "sub" / ("song" + std::to_string(i) + ".midi")
                                    : dir / ("song" + std::to_string(i) + ".mid");
        fs::create_directories(name.parent_path());
        music::saveSong(name, melody(unsigned(100 + i), 80 + 10 * i));
    }
    std::string smf;
    {
        const fs::path tmp = dir / "tmp.bin";
        music::saveSong(tmp, melody(999, 50));
        std::ifstream in(tmp, std::ios::binary);
        smf.assign(std::istreambuf_iterator<char>(in), {});
        fs::remove(tmp);
    }
    writeBytes(dir / "broken.mid", smf.substr(0, smf.size() / 2));
    writeBytes(dir / "notes.mid", "These are not notes, just text.\n");
    music::saveSong(dir / "drums.mid",
                    song({track({note(0, 60, 36, 100, 9), note(240, 60, 38, 100, 9)}, 9, "drums")}));
    music::saveSong(dir / "short.kar", melody(5, 4));
    fs::copy_file(dir / "song3.mid", dir / "zz-copy-of-song3.mid");
    writeBytes(dir / "readme.txt", "not a MIDI name: never looked at\n");
}

music::DatasetOptions optionsIn(const QTemporaryDir& cache) {
    music::DatasetOptions o;
    o.cacheDir = cache.filePath("cache").toStdString();
    return o;
}

} // namespace

class TestDataset : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void skipReasons_data();
    void skipReasons();
    void nothingUsable_data();
    void nothingUsable();
    void split_data();
    void split();
    void windows_data();
    void windows();
    void augmentation();
    void cache();
    void policiesAndEncodings_data();
    void policiesAndEncodings();
    void cliReport();

private:
    QTemporaryDir corpus_;
    QTemporaryDir cache_;
    music::Dataset built_;
};

void TestDataset::initTestCase() {
    QVERIFY(corpus_.isValid() && cache_.isValid());
    makeCorpus(corpus_.path().toStdString(), 12);
    built_ = music::buildDataset(fs::path(corpus_.path().toStdString()), optionsIn(cache_));
}

void TestDataset::skipReasons_data() {
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("reason"); // empty: usable
    QTest::newRow("good") << "song5.mid"
                          << "";
    QTest::newRow("good, in a subfolder, .midi") << "sub/song1.midi"
                                                 << "";
    QTest::newRow("truncated MIDI") << "broken.mid"
                                    << "unreadable";
    QTest::newRow("text named .mid") << "notes.mid"
                                     << "unreadable";
    QTest::newRow("drums only") << "drums.mid"
                                << "no melodic notes";
    QTest::newRow("four notes") << "short.kar"
                                << "too short";
    QTest::newRow("same bytes as another") << "zz-copy-of-song3.mid"
                                           << "duplicate";
}

void TestDataset::skipReasons() {
    QFETCH(QString, file);
    QFETCH(QString, reason);
    const fs::path path = fs::path(corpus_.path().toStdString()) / file.toStdString();
    QCOMPARE(built_.stats.filesFound, std::size_t(12 + 5));
    QCOMPARE(built_.stats.filesUsable, std::size_t(12));
    const auto it = std::find_if(built_.skipped.begin(), built_.skipped.end(),
                                 [&](const auto& s) { return s.file == path; });
    if (reason.isEmpty()) {
        QVERIFY(it == built_.skipped.end());
        const auto& t = built_.train.files;
        const auto& v = built_.validation.files;
        QVERIFY(std::count(t.begin(), t.end(), path) + std::count(v.begin(), v.end(), path) == 1);
    } else {
        QVERIFY2(it != built_.skipped.end(), "not reported as skipped");
        QCOMPARE(QString(music::skipReasonName(it->reason)), reason);
        QVERIFY(!it->detail.empty());
    }
}

void TestDataset::nothingUsable_data() {
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QString>("message");
    QTest::newRow("empty folder") << QStringList{} << "no MIDI files";
    QTest::newRow("only bad files") << QStringList{"a.mid", "b.rmi"} << "no usable MIDI file";
    QTest::newRow("no such folder") << QStringList{"<missing>"} << "no such folder";
}

void TestDataset::nothingUsable() {
    QFETCH(QStringList, files);
    QFETCH(QString, message);
    QTemporaryDir dir;
    fs::path root = dir.path().toStdString();
    for (const QString& f : files) {
        if (f == "<missing>")
            root /= "missing";
        else
            writeBytes(root / f.toStdString(), "MThd");
    }
    try {
        music::buildDataset(root, optionsIn(cache_));
        QFAIL("no DatasetError");
    } catch (const music::DatasetError& e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
}

void TestDataset::split_data() {
    QTest::addColumn<quint64>("seed");
    QTest::addColumn<double>("share");
    QTest::addColumn<int>("validationFiles");
    QTest::newRow("defaults") << quint64(1) << 0.1 << 1;
    QTest::newRow("seed 2, a quarter") << quint64(2) << 0.25 << 3;
    QTest::newRow("seed 3, half") << quint64(3) << 0.5 << 6;
    QTest::newRow("no validation") << quint64(4) << 0.0 << 0;
}

void TestDataset::split() {
    QFETCH(quint64, seed);
    QFETCH(double, share);
    QFETCH(int, validationFiles);
    music::DatasetOptions o = optionsIn(cache_);
    o.seed = seed;
    o.validationShare = share;
    const music::Dataset a = music::buildDataset(fs::path(corpus_.path().toStdString()), o);
    QCOMPARE(int(a.validation.files.size()), validationFiles);
    QCOMPARE(a.train.files.size() + a.validation.files.size(), std::size_t(12));
    std::set<fs::path> train(a.train.files.begin(), a.train.files.end());
    for (const fs::path& f : a.validation.files)
        QVERIFY2(!train.count(f), "a file in both splits");
    // Same seed, same split, whatever the cache did.
    o.useCache = false;
    const music::Dataset b = music::buildDataset(fs::path(corpus_.path().toStdString()), o);
    QCOMPARE(b.validation.files, a.validation.files);
    QCOMPARE(b.train.tokens, a.train.tokens);
    // Every stream of each split comes from that split's files only.
    for (std::int32_t f : a.validation.streamFile)
        QVERIFY(!train.count(a.validation.files[std::size_t(f)]));
}

void TestDataset::windows_data() {
    QTest::addColumn<int>("window");
    QTest::addColumn<int>("stride");
    QTest::newRow("L 100, default stride") << 100 << 0;
    QTest::newRow("L 32, stride 1") << 32 << 1;
    QTest::newRow("L 64, stride 64") << 64 << 64;
}

void TestDataset::windows() {
    QFETCH(int, window);
    QFETCH(int, stride);
    music::DatasetOptions o = optionsIn(cache_);
    o.window = window;
    o.stride = stride;
    const music::Dataset ds = music::buildDataset(fs::path(corpus_.path().toStdString()), o);
    for (const music::DatasetSplit* s : {&ds.train, &ds.validation}) {
        QVERIFY(s->windowCount() > 0);
        QCOMPARE(s->streamStarts.back(), std::int64_t(s->tokens.size()));
        // Each window (inputs L, targets L shifted by one) lies inside one stream, and each stream's last
        // token is some window's last target.
        std::size_t stream = 0;
        std::set<std::int64_t> ends;
        for (std::size_t w = 0; w < s->windowCount(); ++w) {
            const std::int64_t start = s->windowStarts[w];
            while (s->streamStarts[stream + 1] <= start)
                ++stream;
            QVERIFY(start + window + 1 <= s->streamStarts[stream + 1]);
            QCOMPARE(s->window(w, window).size(), std::size_t(window) + 1);
            ends.insert(start + window + 1);
        }
        for (std::size_t k = 1; k < s->streamStarts.size(); ++k)
            QVERIFY(ends.count(s->streamStarts[k]));
        for (std::int32_t id : s->tokens)
            QVERIFY(id >= 0 && id < ds.vocabSize);
    }
}

void TestDataset::augmentation() {
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    music::saveSong(root / "low.mid", melody(1, 60, 0, 20));     // cannot go down 5
    music::saveSong(root / "high.mid", melody(2, 60, 100, 125)); // cannot go up past 127
    music::saveSong(root / "mid.mid", melody(3, 60, 50, 70));
    music::DatasetOptions o = optionsIn(cache_);
    o.validationShare = 0;
    const music::Dataset ds = music::buildDataset(root, o);
    QCOMPARE(ds.train.files.size(), std::size_t(3));
    std::map<std::string, std::set<int>> seen;
    for (std::size_t s = 0; s < ds.train.streamCount(); ++s) {
        seen[ds.train.files[std::size_t(ds.train.streamFile[s])].filename().string()].insert(
            ds.train.streamTranspose[s]);
    }
    QCOMPARE(seen["mid.mid"].size(), std::size_t(12));
    QVERIFY(!seen["low.mid"].count(-5) && seen["low.mid"].count(6));
    QVERIFY(!seen["high.mid"].count(6) && seen["high.mid"].count(-5));
    QCOMPARE(ds.train.untransposedTokens, ds.stats.tokens);
    QVERIFY(ds.train.tokens.size() > ds.train.untransposedTokens * 8); // 7–12 keys per file
}

void TestDataset::cache() {
    QTemporaryDir dir, cacheDir;
    const fs::path root = dir.path().toStdString();
    makeCorpus(root, 6);
    const std::size_t found = 6 + 5;
    const music::DatasetOptions o = optionsIn(cacheDir);
    const music::Dataset cold = music::buildDataset(root, o);
    QCOMPARE(cold.stats.filesParsed, found);
    QCOMPARE(cold.stats.filesFromCache, std::size_t(0));
    QVERIFY(cold.stats.cacheWritten && fs::exists(cold.stats.cacheFile));

    const music::Dataset warm = music::buildDataset(root, o);
    QCOMPARE(warm.stats.filesParsed, std::size_t(0));
    QCOMPARE(warm.stats.filesFromCache, found);
    QVERIFY(!warm.stats.cacheWritten);
    QCOMPARE(warm.train.tokens, cold.train.tokens);
    QCOMPARE(warm.validation.windowStarts, cold.validation.windowStarts);
    QCOMPARE(warm.skipped.size(), cold.skipped.size());

    // One file changes: only it is read again.
    music::saveSong(root / "song4.mid", melody(4444, 90));
    const music::Dataset changed = music::buildDataset(root, o);
    QCOMPARE(changed.stats.filesParsed, std::size_t(1));
    QCOMPARE(changed.stats.filesFromCache, found - 1);
    QVERIFY(changed.train.tokens != cold.train.tokens || changed.validation.tokens != cold.validation.tokens);

    // Other tokenizer settings: another cache.
    music::DatasetOptions chord = o;
    chord.tokenizer.encoding = music::Encoding::Chord;
    QCOMPARE(music::buildDataset(root, chord).stats.filesParsed, found);

    // A damaged cache (garbage, or cut short) is ignored, not trusted.
    writeBytes(cold.stats.cacheFile, "CNTCORPS garbage");
    const music::Dataset repaired = music::buildDataset(root, o);
    QCOMPARE(repaired.stats.filesParsed, found);
    QCOMPARE(repaired.train.tokens, changed.train.tokens);
    fs::resize_file(cold.stats.cacheFile, fs::file_size(cold.stats.cacheFile) / 2);
    const music::Dataset again = music::buildDataset(root, o);
    QCOMPARE(again.stats.filesParsed, found);
    QCOMPARE(again.train.tokens, changed.train.tokens);

    // --no-cache: nothing read from or written to the cache.
    music::DatasetOptions off = o;
    off.useCache = false;
    const music::Dataset uncached = music::buildDataset(root, off);
    QCOMPARE(uncached.stats.filesFromCache, std::size_t(0));
    QVERIFY(uncached.stats.cacheFile.empty());
}

void TestDataset::policiesAndEncodings_data() {
    QTest::addColumn<QString>("encoding");
    QTest::addColumn<QString>("policy");
    QTest::addColumn<int>("streamsPerFile");
    QTest::newRow("event, merge") << "event"
                                  << "merge" << 1;
    QTest::newRow("event, per-track") << "event"
                                      << "per-track" << 2;
    QTest::newRow("event, top-voice") << "event"
                                      << "top-voice" << 1;
    QTest::newRow("chord, merge") << "chord"
                                  << "merge" << 1;
}

void TestDataset::policiesAndEncodings() {
    QFETCH(QString, encoding);
    QFETCH(QString, policy);
    QFETCH(int, streamsPerFile);
    QTemporaryDir dir;
    const fs::path root = dir.path().toStdString();
    for (int i = 0; i < 3; ++i) {
        music::Song s = melody(unsigned(10 + i), 150, 60, 84, 0);
        s.tracks.push_back(melody(unsigned(20 + i), 150, 36, 55, 1).tracks[0]);
        s.tracks.push_back(track({note(0, 60, 36, 100, 9)}, 9, "drums"));
        music::saveSong(root / ("multi" + std::to_string(i) + ".mid"), s);
    }
    music::DatasetOptions o = optionsIn(cache_);
    o.tokenizer.encoding = *music::encodingFromName(encoding.toStdString());
    o.tokenizer.policy = *music::policyFromName(policy.toStdString());
    o.transposeLow = o.transposeHigh = 0;
    const music::Dataset ds = music::buildDataset(root, o);
    QCOMPARE(ds.stats.filesUsable, std::size_t(3));
    QCOMPARE(int(ds.train.streamCount() + ds.validation.streamCount()), 3 * streamsPerFile);
    QCOMPARE(ds.vocabSize, music::Tokenizer::create(o.tokenizer)->vocabSize());
}

void TestDataset::cliReport() {
    QProcess cli;
    cli.start(CONTINUO_CLI, {"corpus", corpus_.path(), "--json", "--cache-dir", cache_.filePath("cli"),
                             "--encoding", "event", "--policy", "merge"});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonObject j = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    QCOMPARE(j["filesFound"].toInt(), 17);
    QCOMPARE(j["usable"].toInt(), 12);
    QCOMPARE(j["skipped"].toArray().size(), 5);
    QVERIFY(j["skipped"].toArray()[0].toObject().contains("reason"));
    QCOMPARE(j["train"].toObject()["tokens"].toInteger(), qint64(built_.train.tokens.size()));
    QVERIFY(j["notes"].toInteger() > 0 && j.contains("clampedShare") && j.contains("seconds"));
    QCOMPARE(j["cached"].toBool(), false);
    cli.start(CONTINUO_CLI, {"corpus", corpus_.path(), "--json", "--cache-dir", cache_.filePath("cli"),
                             "--encoding", "event", "--policy", "merge"});
    QVERIFY(cli.waitForFinished(60000));
    QCOMPARE(QJsonDocument::fromJson(cli.readAllStandardOutput()).object()["cached"].toBool(), true);

    // A folder with nothing usable: non-zero exit, one line on stderr.
    QTemporaryDir empty;
    cli.start(CONTINUO_CLI, {"corpus", empty.path()});
    QVERIFY(cli.waitForFinished(60000));
    QVERIFY(cli.exitCode() != 0);
    const QByteArray err = cli.readAllStandardError();
    QCOMPARE(err.count('\n'), 1);
    QVERIFY(err.contains("no MIDI files"));
}

QTEST_GUILESS_MAIN(TestDataset)
#include "tst_dataset.moc"
