#pragma once
// Shared by the model tests: a tiny corpus of MIDI files written in the test, and tiny configs, so every
// test trains in seconds on 2 cores.

#include "model/LstmModel.h"
#include "model/Trainer.h"
#include "music/SongFile.h"
#include "music/Tokenizer.h"

#include <QTemporaryDir>

#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>

namespace continuo::model::test {

/// `files` melodies (random walks in C major with some two-note chords), `notes` notes each.
inline void writeTinyCorpus(const std::filesystem::path& dir, int files = 6, int notes = 120,
                            unsigned seed = 7) {
    std::filesystem::create_directories(dir);
    std::mt19937 rng(seed);
    const int scale[7] = {0, 2, 4, 5, 7, 9, 11};
    for (int f = 0; f < files; ++f) {
        music::Song song;
        music::Track t;
        t.name = "melody";
        int degree = 7 + int(rng() % 7);
        std::int64_t tick = 0;
        for (int i = 0; i < notes; ++i) {
            degree = std::clamp(degree + int(rng() % 5) - 2, 0, 20);
            const int pitch = 48 + 12 * (degree / 7) + scale[degree % 7];
            const std::int64_t len = (1 + std::int64_t(rng() % 2)) * 240;
            t.notes.push_back({tick, len, std::uint8_t(pitch), std::uint8_t(70 + rng() % 40)});
            if (i % 8 == 0) t.notes.push_back({tick, len, std::uint8_t(pitch - 12), 80});
            tick += len;
        }
        t.sortNotes();
        song.tracks.push_back(t);
        music::saveSong(dir / ("tune" + std::to_string(f) + ".mid"), song);
    }
}

inline music::DatasetOptions tinyDatasetOptions(const TrainConfig& train, const ModelConfig& model,
                                                const std::filesystem::path& cache) {
    music::DatasetOptions o = datasetOptions(model, train, music::TokenizerSettings{});
    o.useCache = false;
    o.cacheDir = cache;
    o.threads = 1;
    return o;
}

/// A tiny untrained model for the default tokenizer.
inline LstmModel tinyModel(std::uint64_t seed = 1, music::TokenizerSettings tokenizer = {}) {
    ModelMetadata m;
    const Preset p = preset("tiny");
    m.tokenizer = tokenizer;
    m.model = p.model;
    const auto tok = music::Tokenizer::create(tokenizer);
    m.model.vocab = tok->vocabSize();
    if (tok->inputsPerStep() > 1) {
        m.model.inputsPerStep = tok->inputsPerStep();
        m.model.inputVocab = tok->inputVocab();
    }
    m.train = p.train;
    m.train.seed = seed;
    return LstmModel::create(m);
}

namespace detail {
inline std::uint32_t crc32(std::string_view bytes) {
    std::uint32_t c = 0xFFFFFFFFu;
    for (const char ch : bytes) {
        c ^= std::uint8_t(ch);
        for (int k = 0; k < 8; ++k)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
    }
    return ~c;
}
inline std::uint32_t le(const std::string& s, std::size_t at, int bytes) {
    std::uint32_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= std::uint32_t(std::uint8_t(s[at + std::size_t(i)])) << (8 * i);
    return v;
}
inline void putLe32(std::string& s, std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        s[at + std::size_t(i)] = char((v >> (8 * i)) & 0xff);
}

} // namespace detail

/// A LibTorch weights archive (a zip whose records are stored, not compressed) with the first float of its
/// first tensor record (".../data/0") replaced by `value` and that record's CRC-32 mended in the local and
/// central headers: an archive that loads, with one weight that is not a number. No LibTorch in this test.
inline std::string withFirstWeight(std::string zip, float value) {
    const std::size_t eocd = zip.rfind(std::string("PK\x05\x06", 4));
    if (eocd == std::string::npos) return {};
    std::size_t at = detail::le(zip, eocd + 16, 4);
    for (std::uint32_t i = 0, n = detail::le(zip, eocd + 10, 2); i < n; ++i) {
        const std::size_t nameLen = detail::le(zip, at + 28, 2), extra = detail::le(zip, at + 30, 2),
                          comment = detail::le(zip, at + 32, 2);
        const std::string name = zip.substr(at + 46, nameLen);
        if (name.ends_with("/data/0") && detail::le(zip, at + 10, 2) == 0) {
            const std::size_t local = detail::le(zip, at + 42, 4);
            const std::size_t data =
                local + 30 + detail::le(zip, local + 26, 2) + detail::le(zip, local + 28, 2);
            const std::size_t size = detail::le(zip, at + 20, 4);
            std::memcpy(zip.data() + data, &value, sizeof value);
            const std::uint32_t crc = detail::crc32(std::string_view(zip).substr(data, size));
            detail::putLe32(zip, local + 14, crc);
            detail::putLe32(zip, at + 16, crc);
            return zip;
        }
        at += 46 + nameLen + extra + comment;
    }
    return {};
}

} // namespace continuo::model::test
