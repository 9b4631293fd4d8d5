#include "model/MusicalEval.h"

#include "model/Sampling.h"
#include "model/Trainer.h"
#include "music/Dataset.h"
#include "music/SongFile.h"
#include "music/Tokenizer.h"

#include <algorithm>
#include <cmath>

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

} // namespace continuo::model
