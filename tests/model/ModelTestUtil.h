#pragma once
// Shared by the model tests: a tiny corpus of MIDI files written in the test, and tiny configs, so every
// test trains in seconds on 2 cores.

#include "model/LstmModel.h"
#include "model/Trainer.h"
#include "music/SongFile.h"
#include "music/Tokenizer.h"

#include <QTemporaryDir>

#include <filesystem>
#include <random>

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

} // namespace continuo::model::test
