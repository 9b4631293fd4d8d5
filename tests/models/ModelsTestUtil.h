#pragma once
// Shared by the model-library and model-settings tests: real (tiny) models trained by the core trainer on a
// corpus written in the test, and byte-level damage to a model file.

#include "model/DefaultModel.h"
#include "model/ModelTestUtil.h"

#include <QByteArray>
#include <QFile>

#include <atomic>
#include <filesystem>
#include <string>

namespace continuo::model::test {

/// Trains the "tiny" preset for `epochs` short epochs on `corpus` (written if missing) into `out`.
inline TrainingSummary trainTinyModel(const std::filesystem::path& corpus, const std::filesystem::path& out,
                                      std::uint64_t seed, int epochs) {
    if (!std::filesystem::exists(corpus)) writeTinyCorpus(corpus);
    const Preset tiny = preset("tiny");
    TrainOptions o;
    o.preset = "tiny";
    o.model = tiny.model;
    o.train = tiny.train;
    o.train.epochs = epochs;
    o.train.seed = seed;
    o.train.patience = 0;
    o.out = out;
    o.device = "cpu";
    o.threads = 2;
    o.maxStepsPerEpoch = 4;
    o.corpusPath = corpus.string();
    const music::Dataset ds =
        music::buildDataset(corpus, tinyDatasetOptions(o.train, o.model, corpus.parent_path() / "cache"));
    o.corpusHash = corpusHash(corpus, ds);
    std::atomic<bool> cancel{false};
    return train(ds, o, {}, cancel);
}

inline QByteArray readBytes(const std::filesystem::path& file) {
    QFile f(QString::fromStdString(file.string()));
    if (!f.open(QIODevice::ReadOnly)) return {};
    return f.readAll();
}

inline bool writeBytes(const std::filesystem::path& file, const QByteArray& bytes) {
    QFile f(QString::fromStdString(file.string()));
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

/// A copy of `good` with one byte in the middle flipped (inside the weights: a checksum fails).
inline bool writeCorruptCopy(const std::filesystem::path& good, const std::filesystem::path& out) {
    QByteArray bytes = readBytes(good);
    if (bytes.size() < 100) return false;
    bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x5a);
    return writeBytes(out, bytes);
}

} // namespace continuo::model::test
