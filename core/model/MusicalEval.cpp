#include "model/MusicalEval.h"

#include "model/Sampling.h"
#include "model/Trainer.h"
#include "music/CorpusFiles.h"
#include "music/Dataset.h"
#include "music/SongFile.h"
#include "music/Tokenizer.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

namespace continuo::model {

music::Song simpleSeedMelody() {
    music::Song song; // defaults: ppq 480, 120 BPM, 4/4
    music::Track t;
    t.name = "Seed";
    const int q = song.ppq;
    struct N {
        int pitch, length; // length in eighths
    };
    // "Mary had a little lamb", first two bars: E D C D | E E E(half).
    const N tune[] = {{64, 2}, {62, 1}, {60, 1}, {62, 2}, {64, 2}, {64, 2}, {64, 2}, {64, 4}};
    std::int64_t tick = 0;
    for (const N& n : tune) {
        const std::int64_t len = std::int64_t(n.length) * q / 2;
        t.notes.push_back({tick, len, std::uint8_t(n.pitch), 90});
        tick += len;
    }
    t.sortNotes();
    song.tracks.push_back(std::move(t));
    return song;
}

MetricSummary summarize(const std::vector<music::MusicalMetrics>& samples) {
    MetricSummary s;
    s.samples = samples.size();
    if (samples.empty()) return s;
    std::vector<double> v(samples.size());
    for (int k = 0; k < music::kMetricCount; ++k) {
        for (std::size_t i = 0; i < samples.size(); ++i)
            v[i] = music::metricValue(samples[i], k);
        std::sort(v.begin(), v.end());
        double sum = 0;
        for (double x : v)
            sum += x;
        // Nearest-rank percentiles: with few samples they are actual observed values.
        auto pct = [&](double p) {
            const std::size_t r = std::size_t(std::ceil(p * double(v.size())));
            return v[std::min(v.size() - 1, r == 0 ? 0 : r - 1)];
        };
        const std::size_t ks = std::size_t(k);
        s.mean[ks] = sum / double(v.size());
        s.min[ks] = v.front();
        s.max[ks] = v.back();
        s.p10[ks] = pct(0.1);
        s.p90[ks] = pct(0.9);
    }
    return s;
}

ContinuationReport measureContinuations(Composer& composer, const music::Song& seed, int track,
                                        const MusicalEvalOptions& o) {
    GenerateRequest rq;
    rq.mode = GenerateMode::Continue;
    rq.song = seed;
    rq.track = track;
    rq.bars = o.bars;
    rq.variations = o.variations;
    rq.randomSeed = o.randomSeed;
    rq.key = o.key;
    if (o.decoding == Decoding::Original) {
        rq.temperature = 1.0;
        rq.topK = 1; // argmax: the sampler keeps only the most likely allowed id
        rq.topP = 1.0;
        rq.pitchTopP = 1.0;
    } else {
        rq.temperature = o.temperature;
        rq.topK = o.topK;
        rq.topP = o.topP;
        rq.pitchTopP = o.pitchTopP;
    }
    ContinuationReport r;
    for (const auto& n : seed.tracks.at(std::size_t(track)).notes)
        r.startTick = std::max(r.startTick, n.end());
    const std::int64_t end =
        r.startTick + std::int64_t(o.bars) * seed.timeSignatureAt(r.startTick).ticksPerBar(seed.ppq);
    std::atomic<bool> cancel{false};
    const GenerateResult g = composer.generate(rq, {}, cancel);
    r.seconds = g.seconds;
    std::size_t all = 0, inKey = 0;
    const auto allowed = o.key ? allowedPitches(o.key, 0, 127) : std::array<bool, 128>{};
    for (const auto& notes : g.variations) {
        r.variations.push_back(music::measureMusic(notes, seed.ppq, r.startTick, end));
        for (const auto& n : notes) {
            ++all;
            inKey += allowed[n.pitch & 0x7f];
        }
    }
    r.notes = g.variations;
    if (o.key) r.inKeyShare = all ? double(inKey) / double(all) : 1.0;
    r.summary = summarize(r.variations);
    return r;
}

std::vector<std::filesystem::path> validationFiles(const ModelMetadata& meta,
                                                   const std::filesystem::path& dataDir) {
    music::DatasetOptions dso = datasetOptions(meta.model, meta.train, meta.tokenizer);
    dso.stride = meta.model.window;
    dso.transposeLow = dso.transposeHigh = 0; // the split does not depend on augmentation
    const music::Dataset ds = music::buildDataset(dataDir, dso);
    return ds.validation.files;
}

HumanRange measureHuman(const std::vector<std::filesystem::path>& files, const music::TokenizerSettings& ts,
                        int bars) {
    HumanRange h;
    const auto tokenizer = music::Tokenizer::create(ts);
    const int S = ts.stepsPerQuarter;
    std::vector<music::MusicalMetrics> samples;
    for (const auto& file : files) {
        music::Song song;
        try {
            song = music::loadSong(file).song;
        } catch (const std::exception&) {
            continue;
        }
        const std::vector<music::MelodicPart> parts = tokenizer->melodicParts(song);
        if (parts.empty()) continue;
        ++h.files;
        // Grid notes as ticks at ppq = S (one tick a step), so bars are the meter's at that ppq.
        const std::int64_t window = std::int64_t(bars) * song.timeSignatureAt(0).ticksPerBar(S);
        for (const auto& part : parts) {
            const std::vector<music::Note> notes = music::notesFromGrid(part.notes, S, S, 0);
            std::int64_t last = 0;
            for (const auto& n : notes)
                last = std::max(last, n.end());
            for (std::int64_t w0 = 0; w0 + window <= last; w0 += window) {
                std::vector<music::Note> in;
                for (const auto& n : notes)
                    if (n.start >= w0 && n.start < w0 + window) in.push_back(n);
                if (in.empty()) continue;
                samples.push_back(music::measureMusic(in, S, w0, w0 + window));
            }
        }
    }
    h.windows = samples.size();
    h.summary = summarize(samples);
    return h;
}

std::vector<EvalTune> evalTunes(const std::filesystem::path& dir) {
    std::vector<EvalTune> tunes;
    std::ifstream index(dir / "index.tsv");
    if (index) {
        std::string line;
        while (std::getline(index, line)) {
            if (line.empty() || line[0] == '#') continue;
            std::vector<std::string> cells;
            std::stringstream ss(line);
            for (std::string cell; std::getline(ss, cell, '\t');)
                cells.push_back(cell);
            EvalTune t;
            t.file = dir / cells[0];
            t.title = cells.size() > 1 ? cells[1] : cells[0];
            if (cells.size() > 4) {
                try {
                    t.seedBars = std::max(1, std::stoi(cells[4]));
                } catch (const std::exception&) {
                    throw std::runtime_error((dir / "index.tsv").string() + ": seed bars '" + cells[4] +
                                             "' of " + cells[0] + " is not a number");
                }
            }
            tunes.push_back(std::move(t));
        }
    } else {
        for (const auto& file : music::findMidiFiles({dir}))
            tunes.push_back({file, file.stem().string(), 2});
    }
    if (tunes.empty()) throw std::runtime_error(dir.string() + ": no index.tsv and no MIDI files");
    return tunes;
}

double evalFigure(const PassageFigures& f, int index) {
    if (index < music::kStructureCount) return music::structureValue(f.structure, index);
    switch (index - music::kStructureCount) {
    case 0:
        return f.longestCopy;
    case 1:
        return f.music.notes ? f.music.scaleConsistency : -1;
    case 2:
        return f.music.notes ? f.music.loopCover : -1;
    case 3:
        return f.music.distinctDurations;
    case 4:
        return f.music.notes ? f.music.ioiEntropy : -1;
    case 5:
        return double(f.music.notes);
    default:
        return -1;
    }
}

TuneSpread spread(const std::vector<double>& values) {
    TuneSpread s;
    double sum = 0;
    for (double v : values) {
        if (v < 0) continue;
        s.min = s.count ? std::min(s.min, v) : v;
        s.max = s.count ? std::max(s.max, v) : v;
        sum += v;
        ++s.count;
    }
    if (s.count) s.mean = sum / double(s.count);
    return s;
}

double TuneReport::modelFigure(int index) const {
    std::vector<double> v;
    for (const auto& f : variations)
        v.push_back(evalFigure(f, index));
    return spread(v).mean;
}

namespace {

PassageFigures measurePassage(const std::vector<music::Note>& seed, const std::vector<music::Note>& passage,
                              const music::Song& song, std::int64_t from, std::int64_t end,
                              const std::vector<std::int64_t>& bars, const music::CopyIndex* training) {
    PassageFigures f;
    music::StructureInput in;
    in.seed = seed;
    in.generated = passage;
    in.ppq = song.ppq;
    in.meters = song.timeSignatures;
    in.startTick = from;
    in.endTick = end;
    f.structure = music::measureStructure(in);
    f.music = music::measureMusic(passage, song.ppq, from, end);
    if (training) f.longestCopy = training->longestCopy(music::melodyBars(passage, song.ppq, bars, end));
    return f;
}

} // namespace

TuneReport evaluateTune(Composer& composer, const EvalTune& tune, const TuneEvalOptions& o,
                        const music::CopyIndex* training) {
    TuneReport r;
    r.tune = tune;
    music::Song song;
    try {
        song = music::loadSong(tune.file).song;
    } catch (const std::exception& e) {
        r.error = e.what();
        return r;
    }
    int track = -1;
    for (std::size_t i = 0; track < 0 && i < song.tracks.size(); ++i)
        if (!song.tracks[i].isDrum() && !song.tracks[i].notes.empty()) track = int(i);
    if (track < 0) {
        r.error = "no melodic track with notes";
        return r;
    }
    std::vector<music::Note>& notes = song.tracks[std::size_t(track)].notes;
    const std::int64_t last = song.endTick();
    // Bars from the meter map, far enough past the tune's end for any continuation.
    const std::vector<std::int64_t> starts =
        music::barStarts(song.timeSignatures, song.ppq, last + std::int64_t(o.maxBars + 1) * 64 * song.ppq);
    int tuneBars = 0;
    for (std::int64_t s : starts)
        tuneBars += s < last;
    if (tune.seedBars >= tuneBars) {
        r.error = "the tune has " + std::to_string(tuneBars) + " bars, no more than its " +
                  std::to_string(tune.seedBars) + " seed bars";
        return r;
    }
    r.bars = std::clamp(tuneBars - tune.seedBars, 1, std::max(1, o.maxBars));
    r.fromTick = starts[std::size_t(tune.seedBars)];
    const std::int64_t end = starts[std::size_t(tune.seedBars + r.bars)];
    const std::vector<std::int64_t> genBars(starts.begin() + tune.seedBars,
                                            starts.begin() + tune.seedBars + r.bars);
    std::vector<music::Note> seed, rest;
    for (const music::Note& n : notes) {
        if (n.start < r.fromTick)
            seed.push_back(n);
        else if (n.start < end)
            rest.push_back(n);
    }
    r.seedTexture = music::detectTexture(seed, song.ppq);
    r.human = measurePassage(seed, rest, song, r.fromTick, end, genBars, training);

    GenerateRequest rq;
    rq.mode = GenerateMode::Continue;
    notes = seed; // the composer sees the seed alone
    rq.song = song;
    rq.track = track;
    rq.fromTick = r.fromTick;
    rq.bars = r.bars;
    rq.variations = o.variations;
    rq.randomSeed = o.randomSeed;
    rq.texture = o.texture;
    rq.structure = o.structure;
    rq.temperature = o.temperature;
    rq.topP = o.topP;
    rq.pitchTopP = o.pitchTopP;
    std::atomic<bool> cancel{false};
    const GenerateResult g = composer.generate(rq, {}, cancel);
    r.seconds = g.seconds;
    r.notes = g.variations;
    using Key = std::vector<std::tuple<std::int64_t, std::int64_t, int>>;
    std::vector<Key> keys;
    for (const auto& v : g.variations) {
        r.variations.push_back(measurePassage(seed, v, song, r.fromTick, end, genBars, training));
        Key k;
        for (const auto& n : v)
            k.emplace_back(n.start, n.duration, n.pitch);
        std::sort(k.begin(), k.end());
        keys.push_back(std::move(k));
    }
    r.distinctVariations = std::set<Key>(keys.begin(), keys.end()).size();
    return r;
}

music::CopyIndex trainingIndex(const std::filesystem::path& dir, std::size_t* files) {
    music::CopyIndex index;
    std::size_t read = 0;
    for (const auto& file : music::findMidiFiles({dir})) {
        try {
            for (auto& melody : music::songMelodies(music::loadSong(file).song))
                index.add(std::move(melody));
            ++read;
        } catch (const std::exception&) {
        }
    }
    if (files) *files = read;
    return index;
}

} // namespace continuo::model
