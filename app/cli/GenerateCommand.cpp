// continuo-cli generate [--model MODEL] [--seed-midi IN.mid] --out OUT.mid [--bars N] [--temperature T]
//     [--top-k K] [--top-p P] [--variations N] [--random-seed S] [--key C --scale major|minor|…]
// Continues the seed's first melodic track (or starts from scratch without one); N > 1 variations write
// OUT-1.mid … OUT-N.mid. Without --model: the shipped default model.

#include "cli/Commands.h"
#include "model/DefaultModel.h"
#include "model/LstmComposer.h"
#include "model/Sampling.h"
#include "music/PitchNames.h"
#include "music/Scales.h"
#include "music/SongFile.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <unistd.h>

namespace continuo::cli {
namespace {

namespace fs = std::filesystem;

fs::path variationPath(const fs::path& out, int i, int n) {
    if (n == 1) return out;
    fs::path p = out;
    return p.replace_filename(out.stem().string() + "-" + std::to_string(i) + out.extension().string());
}

} // namespace

Run addGenerateCommand(CLI::App& app) {
    struct Options {
        std::string model, seedMidi, out, key, scale = "major", mode = "continue", device = "cpu",
                                               precision = "auto", texture = "auto";
        int track = -1, threads = 0;
        bool onlyNew = false;
        model::GenerateRequest rq;
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("generate", "Continue a melody (or start one) with a trained model");
    cmd->add_option("--model", o->model, "model file (default: the shipped default model)");
    cmd->add_option("--seed-midi", o->seedMidi, "MIDI file whose melody is continued (none: from scratch)");
    cmd->add_option("--out", o->out, "MIDI file to write (N variations: OUT-1.mid … OUT-N.mid)")->required();
    cmd->add_option("--bars", o->rq.bars, "bars to generate, in the seed's meter")
        ->check(CLI::Range(1, 256))
        ->capture_default_str();
    cmd->add_option("--temperature", o->rq.temperature, "sampling temperature (> 0)")
        ->check(CLI::Range(0.01, 100.0))
        ->capture_default_str();
    cmd->add_option("--top-k", o->rq.topK, "keep the K most likely tokens (0 = off)")
        ->check(CLI::Range(0, 100000))
        ->capture_default_str();
    cmd->add_option("--top-p", o->rq.topP, "nucleus sampling (1 = off)")
        ->check(CLI::Range(0.001, 1.0))
        ->capture_default_str();
    cmd->add_option(
           "--pitch-top-p", o->rq.pitchTopP,
           "nucleus over the pitches alone: trims unlikely (mostly out-of-key) notes, keeps the rhythm")
        ->check(CLI::Range(0.001, 1.0))
        ->capture_default_str();
    cmd->add_option("--variations", o->rq.variations, "independent results, 1-8")
        ->check(CLI::Range(1, 8))
        ->capture_default_str();
    cmd->add_option("--random-seed", o->rq.randomSeed, "same inputs + seed = same notes")
        ->capture_default_str();
    cmd->add_option("--key", o->key, "lock to a key: tonic C, C#, Db, … B");
    cmd->add_option("--scale", o->scale,
                    "scale of --key: " + music::scaleIdList() + " (\"minor\" = natural-minor)")
        ->capture_default_str();
    cmd->add_option("--texture", o->texture,
                    "auto (the seed's: a single line gets a line, chords get piano writing), melody or piano")
        ->check(CLI::IsMember({"auto", "melody", "piano"}))
        ->capture_default_str();
    cmd->add_option("--structure", o->rq.structure,
                    "how readily whole bars come back (COPY moves): 0 free … 0.5 as learnt … 1 repetitive")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    cmd->add_option("--min-pitch", o->rq.minPitch, "lowest MIDI pitch generated")->check(CLI::Range(0, 127));
    cmd->add_option("--max-pitch", o->rq.maxPitch, "highest MIDI pitch generated")->check(CLI::Range(0, 127));
    cmd->add_option("--track", o->track, "seed track index (default: the first melodic track with notes)");
    cmd->add_option("--mode", o->mode, "continue, scratch, or regenerate (--range-start/--range-end)")
        ->check(CLI::IsMember({"continue", "scratch", "regenerate"}))
        ->capture_default_str();
    cmd->add_option("--from-tick", o->rq.fromTick,
                    "where new notes start (default: the end of the seed track)");
    cmd->add_option("--range-start", o->rq.rangeStart, "regenerate: first tick of the range");
    cmd->add_option("--range-end", o->rq.rangeEnd, "regenerate: tick after the range");
    cmd->add_flag("--only-new", o->onlyNew,
                  "write only the generated notes: one track, without the seed's notes or its other tracks "
                  "(default: the whole song with them)");
    cmd->add_option("--device", o->device, "cpu, auto or cuda")
        ->check(CLI::IsMember({"auto", "cpu", "cuda"}))
        ->capture_default_str();
    cmd->add_option("--threads", o->threads, "CPU threads (0 = every core)")->check(CLI::Range(0, 256));
    cmd->add_option("--precision", o->precision,
                    "CPU decoding arithmetic: fp32, bf16x3 (AMX: 8 variations cost about one) or auto "
                    "(bf16x3 where the CPU has AMX)")
        ->check(CLI::IsMember({"auto", "fp32", "bf16x3"}))
        ->capture_default_str();
    return [o] {
        model::GenerateRequest rq = o->rq;
        rq.texture = *music::textureFromName(o->texture);
        // Checked before the model loads: each is a mistake in the command, not in the model.
        if (rq.minPitch > rq.maxPitch)
            throw UsageError("--min-pitch " + std::to_string(rq.minPitch) + " is above --max-pitch " +
                             std::to_string(rq.maxPitch) + "; the range runs from low to high within 0-127");
        if (fs::is_directory(o->out))
            throw UsageError("--out " + o->out + " is a folder; name the MIDI file to write, such as " +
                             (fs::path(o->out) / "generated.mid").string());
        if (!o->key.empty()) {
            const auto tonic = music::pitchClassFromName(o->key);
            const auto scale = music::scaleFromId(o->scale);
            if (!tonic) throw UsageError("--key: '" + o->key + "' is not a key (C, C#, Db, … B)");
            if (!scale)
                throw UsageError("--scale: unknown scale '" + o->scale + "' (" + music::scaleIdList() + ")");
            rq.key = model::KeyLock{*tonic, *scale};
        }
        fs::path modelFile = o->model;
        if (modelFile.empty()) {
            std::string looked;
            modelFile = model::findDefaultModel(&looked);
            if (modelFile.empty())
                throw std::runtime_error(
                    "no --model given and no default model is installed (looked for " + looked +
                    "); train one with `continuo-cli train --data DIR --out MODEL` and pass --model MODEL");
        }
        model::setTorchThreads(o->threads);
        model::LstmComposer composer(modelFile, o->device);
        composer.decodePrecision = *model::parsePrecision(o->precision);
        if (!o->seedMidi.empty()) {
            rq.song = music::loadSong(o->seedMidi).song;
            rq.track = o->track;
            if (rq.track < 0) {
                for (std::size_t i = 0; i < rq.song.tracks.size(); ++i)
                    if (!rq.song.tracks[i].isDrum() && !rq.song.tracks[i].notes.empty()) {
                        rq.track = int(i);
                        break;
                    }
                if (rq.track < 0)
                    throw std::runtime_error(o->seedMidi + ": no melodic track with notes to continue");
            }
            rq.mode = o->mode == "scratch"      ? model::GenerateMode::FromScratch
                      : o->mode == "regenerate" ? model::GenerateMode::Regenerate
                                                : model::GenerateMode::Continue;
        } else {
            if (o->mode == "regenerate") throw UsageError("--mode regenerate needs --seed-midi");
            rq.mode = model::GenerateMode::FromScratch;
            music::Track t;
            t.name = "Continuo";
            rq.song.tracks.push_back(t);
            rq.track = 0;
        }
        std::atomic<bool> cancel{false};
        const model::GenerateResult r = composer.generate(rq, {}, cancel);
        std::size_t tokens = 0;
        for (const auto& row : composer.lastTokens())
            tokens += row.size();
        for (int i = 0; i < int(r.variations.size()); ++i) {
            music::Song song = rq.song;
            music::Track& track = song.tracks[std::size_t(rq.track)];
            if (o->onlyNew || rq.mode == model::GenerateMode::FromScratch) track.notes.clear();
            if (rq.mode == model::GenerateMode::Regenerate)
                std::erase_if(track.notes, [&](const music::Note& n) {
                    return n.start >= rq.rangeStart && n.start < rq.rangeEnd;
                });
            track.notes.insert(track.notes.end(), r.variations[std::size_t(i)].begin(),
                               r.variations[std::size_t(i)].end());
            track.sortNotes();
            if (o->onlyNew) { // the song's tempo, meter and key maps stay: the notes keep their times
                music::Track kept = std::move(track);
                song.tracks.assign(1, std::move(kept));
            }
            const fs::path path = variationPath(o->out, i + 1, int(r.variations.size()));
            music::saveSong(path, song);
            std::printf("%s: %zu notes generated\n", path.string().c_str(),
                        r.variations[std::size_t(i)].size());
        }
        std::printf("%zu tokens in %.3f s (%.3f ms/token)\n", tokens, r.seconds,
                    tokens ? r.seconds * 1000 / double(tokens) : 0.0);
        return 0;
    };
}

} // namespace continuo::cli
