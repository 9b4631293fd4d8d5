// continuo-cli eval --model MODEL --data DIR [--json]: validation loss, perplexity and token accuracy.
// continuo-cli eval [--model MODEL] --musical [--data DIR] [--seed-midi IN.mid] [--variations 8] [--bars 16]
//     [--random-seed S] [--decoding continuo|original] [--key C --scale major] [--json]: musical figures of
//     the generated part of N continuations, and of windows of the validation files (the human range).
// continuo-cli eval [--model MODEL] --musical --melodies DIR [--variations 8] [--random-seed S]
//     [--texture auto|melody|piano] [--structure X] [--data TRAINDIR] [--json]: song-structure figures of
//     continuations of each tune's first bars against the tune's real rest (issue 15), and the goals.

#include "cli/Commands.h"
#include "model/DefaultModel.h"
#include "model/LstmComposer.h"
#include "model/MusicalEval.h"
#include "model/Sampling.h"
#include "model/Trainer.h"
#include "music/PitchNames.h"
#include "music/Scales.h"
#include "music/SongFile.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <iostream>
#include <memory>

namespace continuo::cli {
namespace {

struct EvalOptions {
    std::string model, data, split = "validation", device = "cpu";
    bool json = false, musical = false;
    int batch = 64, threads = 0;
    // --musical
    std::string seedMidi, decoding = "continuo", key, scale = "major", outDir, precision = "auto";
    int track = -1;
    model::MusicalEvalOptions me;
    // --musical --melodies
    std::string melodies, texture = "auto";
    double structure = 0.5;
    int maxBars = 8;
};

nlohmann::json summaryJson(const model::MetricSummary& s) {
    nlohmann::json j = nlohmann::json::object();
    for (int k = 0; k < music::kMetricCount; ++k) {
        const std::size_t i = std::size_t(k);
        j[music::kMetricNames[k]] = {
            {"mean", s.mean[i]}, {"min", s.min[i]}, {"max", s.max[i]}, {"p10", s.p10[i]}, {"p90", s.p90[i]}};
    }
    return j;
}

std::string findModel(const std::string& given) {
    if (!given.empty()) return given;
    std::string looked;
    std::string found = model::findDefaultModel(&looked).string();
    if (found.empty())
        throw std::runtime_error("no --model given and no default model is installed (looked for " + looked +
                                 ")");
    return found;
}

/// A figure as a table cell: "-" when undefined.
std::string cell(double v, int decimals = 2) {
    if (v < 0) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

int runTunes(const EvalOptions& o) {
    const auto texture = music::textureFromName(o.texture);
    if (!texture) throw std::runtime_error("--texture: '" + o.texture + "' is not auto, melody or piano");
    model::TuneEvalOptions to;
    to.variations = o.me.variations;
    to.randomSeed = o.me.randomSeed;
    to.texture = *texture;
    to.structure = o.structure;
    // --melodies samples as the product does (continuo decoding); the original's argmax would give 8
    // identical variations, so it is refused rather than ignored.
    if (o.decoding != "continuo")
        throw std::runtime_error(
            "--decoding original: --melodies compares 8 sampled variations; use continuo");
    to.temperature = o.me.temperature;
    to.topP = o.me.topP;
    to.pitchTopP = o.me.pitchTopP;
    to.maxBars = o.maxBars;
    const std::vector<model::EvalTune> tunes = model::evalTunes(o.melodies);
    std::optional<music::CopyIndex> training;
    std::size_t trainingFiles = 0;
    if (!o.data.empty()) {
        training = model::trainingIndex(o.data, &trainingFiles);
        if (trainingFiles == 0) throw std::runtime_error(o.data + ": no readable MIDI files for --data");
    }
    const std::string modelFile = findModel(o.model);
    model::setTorchThreads(o.threads);
    model::LstmComposer composer(modelFile, o.device);
    composer.decodePrecision = *model::parsePrecision(o.precision);

    std::vector<model::TuneReport> reports;
    for (const auto& t : tunes)
        reports.push_back(model::evaluateTune(composer, t, to, training ? &*training : nullptr));
    constexpr int F = model::kEvalFigureCount;
    // Per figure: the per-tune model means and human values, over all measured tunes, and over the tunes
    // whose seed is a single line / piano writing (for the texture-specific goals).
    struct Column {
        std::vector<double> model, human;
    };
    std::array<Column, F> all, melody, piano;
    std::size_t measured = 0, allDiffer = 0, longest = 0;
    double seconds = 0;
    for (const auto& r : reports) {
        if (!r.error.empty()) continue;
        ++measured;
        seconds += r.seconds;
        allDiffer += r.distinctVariations == r.variations.size();
        for (const auto& v : r.variations)
            longest = std::max<std::size_t>(longest, std::size_t(std::max(0, v.longestCopy)));
        for (int k = 0; k < F; ++k) {
            auto& part = r.seedTexture == music::Texture::Piano ? piano : melody;
            for (auto* c : {&all[std::size_t(k)], &part[std::size_t(k)]}) {
                c->model.push_back(r.modelFigure(k));
                c->human.push_back(model::evalFigure(r.human, k));
            }
        }
    }
    auto mean = [](const std::array<Column, F>& c, int k) {
        return model::spread(c[std::size_t(k)].model).mean;
    };
    auto defined = [](double v) { return v >= 0; };
    struct Goal {
        std::string text;
        double value;
        bool met;
        std::string shown; ///< the value as printed
    };
    std::vector<Goal> goals;
    const bool melodic = !melody[0].model.empty(), pianistic = !piano[0].model.empty();
    auto goal = [&](const std::string& text, double v, bool ok) {
        goals.push_back({text, v, defined(v) && ok, cell(v)});
    };
    const auto& c = all;
    goal("rhythm repeat >= 0.6", mean(c, 0), mean(c, 0) >= 0.6);
    goal("motif repeat >= 0.3", mean(c, 1), mean(c, 1) >= 0.3);
    goal("seed motif return >= 0.5", mean(c, 2), mean(c, 2) >= 0.5);
    goal("in the seed's key >= 0.95", mean(c, 3), mean(c, 3) >= 0.95);
    if (melodic) goal("notes per onset <= 1.1 (single-line seeds)", mean(melody, 5), mean(melody, 5) <= 1.1);
    goal("verbatim seed bars <= 0.5", mean(c, 6), mean(c, 6) <= 0.5);
    goal("the " + std::to_string(to.variations) + " variations all differ (tunes)", double(allDiffer),
         measured > 0 && allDiffer == measured);
    goals.back().shown = std::to_string(allDiffer) + " of " + std::to_string(measured);
    if (pianistic) {
        goal("piano seeds: scale consistency >= 0.9", mean(piano, 8), mean(piano, 8) >= 0.9);
        goal("piano seeds: loop cover <= 0.3", mean(piano, 9), mean(piano, 9) <= 0.3);
        goal("piano seeds: >= 4 distinct durations", mean(piano, 10), mean(piano, 10) >= 4);
        goal("piano seeds: IOI entropy >= 0.8 bits", mean(piano, 11), mean(piano, 11) >= 0.8);
    }

    if (o.json) {
        auto spreadJson = [](const std::vector<double>& v) {
            const model::TuneSpread s = model::spread(v);
            return nlohmann::json{{"mean", s.mean}, {"min", s.min}, {"max", s.max}, {"tunes", s.count}};
        };
        nlohmann::json j = {{"model", modelFile},
                            {"melodies", o.melodies},
                            {"variations", to.variations},
                            {"random_seed", to.randomSeed},
                            {"texture", o.texture},
                            {"structure", to.structure},
                            {"max_bars", to.maxBars},
                            {"tunes_measured", measured},
                            {"tunes_all_variations_differ", allDiffer},
                            {"seconds", seconds}};
        if (training)
            j["training"] = {{"data", o.data}, {"files", trainingFiles}, {"longest_copy_bars", longest}};
        nlohmann::json per = nlohmann::json::array();
        for (const auto& r : reports) {
            nlohmann::json t = {
                {"file", r.tune.file.string()}, {"title", r.tune.title}, {"seed_bars", r.tune.seedBars}};
            if (!r.error.empty()) {
                t["error"] = r.error;
                per.push_back(t);
                continue;
            }
            t["bars"] = r.bars;
            t["seed_texture"] = music::textureName(r.seedTexture);
            t["distinct_variations"] = r.distinctVariations;
            t["seconds"] = r.seconds;
            nlohmann::json variations = nlohmann::json::array();
            for (const auto& v : r.variations) {
                nlohmann::json e = nlohmann::json::object();
                for (int k = 0; k < F; ++k)
                    e[model::kEvalFigureNames[k]] = model::evalFigure(v, k);
                variations.push_back(e);
            }
            for (int k = 0; k < F; ++k) {
                t["model"][model::kEvalFigureNames[k]] = r.modelFigure(k);
                t["human"][model::kEvalFigureNames[k]] = model::evalFigure(r.human, k);
            }
            t["per_variation"] = variations;
            per.push_back(t);
        }
        j["tunes"] = per;
        for (int k = 0; k < F; ++k) {
            const std::size_t i = std::size_t(k);
            j["summary"][model::kEvalFigureNames[k]] = {{"model", spreadJson(all[i].model)},
                                                        {"human", spreadJson(all[i].human)}};
        }
        for (const Goal& g : goals)
            j["goals"][g.text] = {{"value", g.value}, {"met", g.met}};
        std::cout << j.dump(2) << '\n';
        return 0;
    }
    std::printf(
        "%s: %zu of %zu tunes in %s, %d variations each, random seed %llu, texture %s, structure %.2f "
        "(%.1f s)\n",
        modelFile.c_str(), measured, tunes.size(), o.melodies.c_str(), to.variations,
        static_cast<unsigned long long>(to.randomSeed), o.texture.c_str(), to.structure, seconds);
    if (training) std::printf("copy guard: %zu training files in %s\n", trainingFiles, o.data.c_str());
    // Per tune: model (mean over the variations) / human (the real rest).
    const int shown[] = {0, 1, 2, 3, 4, 5, 6, 7};
    const char* heads[] = {"rhythm", "motif", "seed-ret", "in-key", "groove", "n/onset", "verbatim", "copy"};
    std::printf("\n%-34s %5s %3s", "tune (model / human)", "bars", "tex");
    for (const char* h : heads)
        std::printf(" %11s", h);
    std::printf(" %8s\n", "distinct");
    for (const auto& r : reports) {
        std::string title = r.tune.title.substr(0, 34);
        if (!r.error.empty()) {
            std::printf("%-34s skipped: %s\n", title.c_str(), r.error.c_str());
            continue;
        }
        std::printf("%-34s %2d+%-2d %3s", title.c_str(), r.tune.seedBars, r.bars,
                    r.seedTexture == music::Texture::Piano ? "pno" : "mel");
        for (int k : shown) {
            const int d = k == 7 ? 0 : 2;
            const std::string v = cell(r.modelFigure(k), d) + "/" + cell(model::evalFigure(r.human, k), d);
            std::printf(" %11s", v.c_str());
        }
        std::printf(" %6zu/%zu\n", r.distinctVariations, r.variations.size());
    }
    std::printf("\n%-22s %26s %26s\n", "figure (mean of tunes)", "model mean (min-max)",
                "human mean (min-max)");
    for (int k = 0; k < F; ++k) {
        const std::size_t i = std::size_t(k);
        auto fmt = [](const std::vector<double>& v) {
            const model::TuneSpread s = model::spread(v);
            if (!s.count) return std::string("-");
            char buf[64];
            std::snprintf(buf, sizeof buf, "%.2f (%.2f-%.2f)", s.mean, s.min, s.max);
            return std::string(buf);
        };
        if (k == 7 && !training) continue;
        std::printf("%-22s %26s %26s\n", model::kEvalFigureNames[k], fmt(all[i].model).c_str(),
                    fmt(all[i].human).c_str());
    }
    std::printf("%-22s %26s\n", "variations all differ",
                (std::to_string(allDiffer) + " of " + std::to_string(measured) + " tunes").c_str());
    if (training) std::printf("%-22s %26zu\n", "longest copy (max)", longest);
    std::printf("\n");
    for (const Goal& g : goals)
        std::printf("goal %-44s %8s  %s\n", g.text.c_str(), g.shown.c_str(), g.met ? "met" : "NOT met");
    return 0;
}

int runMusical(const EvalOptions& o) {
    if (!o.melodies.empty()) return runTunes(o);
    model::MusicalEvalOptions me = o.me;
    me.decoding = o.decoding == "original" ? model::Decoding::Original : model::Decoding::Continuo;
    if (!o.key.empty()) {
        const auto tonic = music::pitchClassFromName(o.key);
        const auto scale = music::scaleFromId(o.scale);
        if (!tonic) throw std::runtime_error("--key: '" + o.key + "' is not a key (C, C#, Db, … B)");
        if (!scale)
            throw std::runtime_error("--scale: unknown scale '" + o.scale + "' (" + music::scaleIdList() +
                                     ")");
        me.key = model::KeyLock{*tonic, *scale};
    }
    std::string modelFile = o.model;
    if (modelFile.empty()) {
        std::string looked;
        modelFile = model::findDefaultModel(&looked).string();
        if (modelFile.empty())
            throw std::runtime_error("no --model given and no default model is installed (looked for " +
                                     looked + ")");
    }
    model::setTorchThreads(o.threads);
    model::LstmComposer composer(modelFile, o.device);
    composer.decodePrecision = *model::parsePrecision(o.precision);
    music::Song seed = model::simpleSeedMelody();
    int track = 0;
    if (!o.seedMidi.empty()) {
        seed = music::loadSong(o.seedMidi).song;
        track = o.track;
        for (std::size_t i = 0; track < 0 && i < seed.tracks.size(); ++i)
            if (!seed.tracks[i].isDrum() && !seed.tracks[i].notes.empty()) track = int(i);
        if (track < 0) throw std::runtime_error(o.seedMidi + ": no melodic track with notes to continue");
    }
    const model::ContinuationReport r = model::measureContinuations(composer, seed, track, me);
    if (!o.outDir.empty()) {
        std::filesystem::create_directories(o.outDir);
        for (std::size_t i = 0; i < r.notes.size(); ++i) {
            music::Song song = seed;
            auto& notes = song.tracks[std::size_t(track)].notes;
            notes.insert(notes.end(), r.notes[i].begin(), r.notes[i].end());
            song.tracks[std::size_t(track)].sortNotes();
            music::saveSong(
                std::filesystem::path(o.outDir) / ("continuation-" + std::to_string(i + 1) + ".mid"), song);
        }
    }
    std::optional<model::HumanRange> human;
    if (!o.data.empty())
        human = model::measureHuman(model::validationFiles(composer.model().metadata(), o.data),
                                    composer.model().metadata().tokenizer, me.bars);

    // The goals for 8 continuations of 16 bars (on the means).
    const auto& m = r.summary.mean;
    struct Goal {
        const char* text;
        bool met;
    };
    const Goal goals[] = {{"scale consistency >= 0.9", m[1] >= 0.9},
                          {"loop cover <= 0.3", m[3] <= 0.3},
                          {">= 4 distinct durations", m[4] >= 4},
                          {"IOI entropy >= 0.8 bits", m[6] >= 0.8}};
    if (o.json) {
        nlohmann::json j = {{"model", modelFile},
                            {"seed", o.seedMidi.empty() ? "built-in (simpleSeedMelody)" : o.seedMidi},
                            {"decoding", o.decoding},
                            {"variations", me.variations},
                            {"bars", me.bars},
                            {"random_seed", me.randomSeed},
                            {"seconds", r.seconds},
                            {"generated", summaryJson(r.summary)}};
        if (me.key) j["in_key_share"] = r.inKeyShare;
        nlohmann::json per = nlohmann::json::array();
        for (const auto& v : r.variations) {
            nlohmann::json e = nlohmann::json::object();
            for (int k = 0; k < music::kMetricCount; ++k)
                e[music::kMetricNames[k]] = music::metricValue(v, k);
            e["best_scale"] = music::bestScaleName(v);
            per.push_back(e);
        }
        j["per_variation"] = per;
        if (human)
            j["human"] = {{"data", o.data},
                          {"files", human->files},
                          {"windows", human->windows},
                          {"figures", summaryJson(human->summary)}};
        for (const Goal& g : goals)
            j["goals"][g.text] = g.met;
        std::cout << j.dump(2) << '\n';
        return 0;
    }
    std::printf("%s, %d continuations of %d bars after %s, %s decoding, random seed %llu (%.2f s)\n",
                modelFile.c_str(), me.variations, me.bars,
                o.seedMidi.empty() ? "the built-in 2-bar seed" : o.seedMidi.c_str(), o.decoding.c_str(),
                static_cast<unsigned long long>(me.randomSeed), r.seconds);
    std::printf("%-22s %8s %8s %8s", "figure (generated)", "mean", "min", "max");
    if (human)
        std::printf("   human: %6s %8s %8s  (%zu windows of %zu files)", "mean", "p10", "p90", human->windows,
                    human->files);
    std::printf("\n");
    for (int k = 0; k < music::kMetricCount; ++k) {
        const std::size_t i = std::size_t(k);
        std::printf("%-22s %8.3f %8.3f %8.3f", music::kMetricNames[k], r.summary.mean[i], r.summary.min[i],
                    r.summary.max[i]);
        if (human)
            std::printf("          %8.3f %8.3f %8.3f", human->summary.mean[i], human->summary.p10[i],
                        human->summary.p90[i]);
        std::printf("\n");
    }
    if (me.key) std::printf("in key (%s %s): %.1f %%\n", o.key.c_str(), o.scale.c_str(), r.inKeyShare * 100);
    for (const Goal& g : goals)
        std::printf("goal %-26s %s\n", g.text, g.met ? "met" : "NOT met");
    return 0;
}

} // namespace

Run addEvalCommand(CLI::App& app) {
    auto o = std::make_shared<EvalOptions>();
    CLI::App* cmd = app.add_subcommand(
        "eval", "Validation loss, perplexity and token accuracy of a model on a folder; with --musical, "
                "musical figures of its continuations against the validation files");
    cmd->add_option("--model", o->model, "model file (--musical: default the shipped default model)");
    cmd->add_option("--data", o->data,
                    "folder of MIDI files (--musical: optional, gives the human range; with --melodies: the "
                    "training files, for the longest copy)");
    cmd->add_option(
           "--split", o->split,
           "validation: the files the model's split holds out (its training corpus); all: every file")
        ->check(CLI::IsMember({"validation", "all"}))
        ->capture_default_str();
    cmd->add_flag("--json", o->json, "print JSON");
    cmd->add_option("--batch", o->batch, "windows per batch")->check(CLI::Range(1, 65536));
    cmd->add_option("--device", o->device, "cpu, auto or cuda")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
        ->capture_default_str();
    cmd->add_option("--threads", o->threads, "CPU threads (0 = every core)")->check(CLI::Range(0, 256));
    cmd->add_flag("--musical", o->musical,
                  "musical figures of the generated part of N continuations (and of the validation files)");
    cmd->add_option("--seed-midi", o->seedMidi,
                    "--musical: melody to continue (default: a built-in 2-bar one)");
    cmd->add_option("--track", o->track, "--musical: seed track (default: the first melodic one)");
    cmd->add_option("--variations", o->me.variations, "--musical: continuations, 1-8")
        ->check(CLI::Range(1, 8))
        ->capture_default_str();
    cmd->add_option("--bars", o->me.bars, "--musical: bars per continuation")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    cmd->add_option("--random-seed", o->me.randomSeed, "--musical: sampling seed")->capture_default_str();
    cmd->add_option(
           "--decoding", o->decoding,
           "--musical: continuo (temperature / top-p sampling) or original (argmax, as the original)")
        ->check(CLI::IsMember({"continuo", "original"}))
        ->capture_default_str();
    cmd->add_option("--temperature", o->me.temperature, "--musical, continuo decoding")
        ->check(CLI::Range(0.01, 100.0))
        ->capture_default_str();
    cmd->add_option("--top-p", o->me.topP, "--musical, continuo decoding")
        ->check(CLI::Range(0.001, 1.0))
        ->capture_default_str();
    cmd->add_option("--pitch-top-p", o->me.pitchTopP,
                    "--musical, continuo decoding: nucleus over pitches alone")
        ->check(CLI::Range(0.001, 1.0))
        ->capture_default_str();
    cmd->add_option("--precision", o->precision, "--musical: CPU decoding arithmetic, fp32, bf16x3 or auto")
        ->check(CLI::IsMember({"auto", "fp32", "bf16x3"}))
        ->capture_default_str();
    cmd->add_option("--out-dir", o->outDir,
                    "--musical: write the seed + each continuation as continuation-N.mid");
    cmd->add_option("--key", o->key, "--musical: lock to a key (C, C#, Db, … B) and report the share in it");
    cmd->add_option("--scale", o->scale, "--musical: scale of --key: " + music::scaleIdList())
        ->capture_default_str();
    cmd->add_option("--melodies", o->melodies,
                    "--musical: folder of tunes (index.tsv gives each one's seed bars, default 2): continue "
                    "each tune's first bars and compare song-structure figures with its real rest; --data "
                    "then names the training folder for the copy guard");
    cmd->add_option("--texture", o->texture, "--musical --melodies: auto, melody or piano")
        ->check(CLI::IsMember({"auto", "melody", "piano"}))
        ->capture_default_str();
    cmd->add_option("--structure", o->structure,
                    "--musical --melodies: 0 free ... 1 repetitive (a model without COPY moves ignores it)")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_option("--max-bars", o->maxBars,
                    "--musical --melodies: bars continued per tune (the rest of the tune, at most this)")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    return [o] {
        if (o->musical || !o->melodies.empty()) return runMusical(*o);
        if (o->model.empty() || o->data.empty()) throw std::runtime_error("eval needs --model and --data");
        model::setTorchThreads(o->threads);
        model::LstmModel m = model::LstmModel::load(o->model, std::nullopt, o->device);
        const model::ModelMetadata& meta = m.metadata();
        music::DatasetOptions dso = model::datasetOptions(meta.model, meta.train, meta.tokenizer);
        dso.stride = meta.model.window; // every target once
        dso.transposeLow = dso.transposeHigh = 0;
        if (o->split == "all") dso.validationShare = 0;
        const music::Dataset ds = music::buildDataset(std::filesystem::path(o->data), dso);
        const music::DatasetSplit& split = o->split == "all" ? ds.train : ds.validation;
        const model::EvalResult r = model::evaluate(m, split, o->batch);
        if (o->json) {
            nlohmann::json j = {
                {"model", o->model},           {"data", o->data},        {"split", o->split},
                {"files", split.files.size()}, {"targets", r.targets},   {"loss", r.loss},
                {"perplexity", r.perplexity},  {"accuracy", r.accuracy}, {"seconds", r.seconds}};
            std::cout << j.dump(2) << '\n';
        } else {
            std::printf("%s on %s (%s, %zu files, %llu targets): loss %.4f nats/token, perplexity %.3f, "
                        "accuracy %.2f %%"
                        " (%.2f s)\n",
                        o->model.c_str(), o->data.c_str(), o->split.c_str(), split.files.size(),
                        static_cast<unsigned long long>(r.targets), r.loss, r.perplexity, r.accuracy * 100,
                        r.seconds);
        }
        return 0;
    };
}

} // namespace continuo::cli
