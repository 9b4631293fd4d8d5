#include "music/StructureMetrics.h"

#include "music/Key.h"
#include "music/Quantize.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace continuo::music {
namespace {

constexpr int S = kMetricsStepsPerQuarter;
constexpr std::size_t kMaxBars = 1'000'000; // a guard against absurd spans, far above any song

/// [start, end) of every bar that begins before `endTick`.
std::vector<std::pair<std::int64_t, std::int64_t>> barBounds(std::span<const TimeSignature> meters, int ppq,
                                                             std::int64_t endTick) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    if (ppq < 1) return out;
    TimeSignature current; // 4/4 until the map says otherwise
    std::size_t next = 0;
    for (std::int64_t t = 0; t < endTick && out.size() < kMaxBars;) {
        while (next < meters.size() && meters[next].tick <= t)
            current = meters[next++];
        std::int64_t end = t + std::max<std::int64_t>(1, current.ticksPerBar(ppq));
        if (next < meters.size() && meters[next].tick < end) end = meters[next].tick;
        out.emplace_back(t, end);
        t = end;
    }
    return out;
}

std::uint64_t barHash(const MelodyBar& b) {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](std::int64_t v) {
        h ^= std::uint64_t(v) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
        h *= 1099511628211ull;
    };
    for (std::size_t i = 0; i < b.positions.size(); ++i) {
        mix(b.positions[i]);
        mix(b.pitches[i]);
    }
    return h;
}

double share(std::size_t part, std::size_t whole) {
    return whole ? double(part) / double(whole) : -1.0;
}

} // namespace

bool MelodyBar::sameMotif(const MelodyBar& o) const {
    if (positions != o.positions || pitches.size() != o.pitches.size()) return false;
    for (std::size_t i = 1; i < pitches.size(); ++i)
        if (pitches[i] - pitches[i - 1] != o.pitches[i] - o.pitches[i - 1]) return false;
    return true;
}

std::vector<std::int64_t> barStarts(std::span<const TimeSignature> meters, int ppq, std::int64_t endTick) {
    std::vector<std::int64_t> out;
    for (const auto& [start, end] : barBounds(meters, ppq, endTick)) {
        (void)end;
        out.push_back(start);
    }
    return out;
}

std::vector<MelodyBar> melodyBars(std::span<const Note> notes, int ppq, std::span<const std::int64_t> starts,
                                  std::int64_t endTick) {
    std::vector<MelodyBar> bars(starts.size());
    if (starts.empty() || ppq < 1) return bars;
    std::vector<std::int64_t> stepStarts;
    for (std::int64_t t : starts)
        stepStarts.push_back(ticksToSteps(t, ppq, S));
    std::vector<std::map<int, int>> top(starts.size()); // position → highest pitch
    for (const Note& n : notes) {
        if (n.channel == 9 || n.start < starts.front() || n.start >= endTick) continue;
        const std::int64_t step = ticksToSteps(n.start, ppq, S);
        const auto it = std::upper_bound(stepStarts.begin(), stepStarts.end(), step);
        if (it == stepStarts.begin()) continue;
        const std::size_t bar = std::size_t(it - stepStarts.begin()) - 1;
        const int pos = int(step - stepStarts[bar]);
        auto [slot, fresh] = top[bar].try_emplace(pos, n.pitch);
        if (!fresh) slot->second = std::max(slot->second, int(n.pitch));
    }
    for (std::size_t b = 0; b < bars.size(); ++b)
        for (const auto& [pos, pitch] : top[b]) {
            bars[b].positions.push_back(pos);
            bars[b].pitches.push_back(pitch);
        }
    return bars;
}

StructureMetrics measureStructure(const StructureInput& in) {
    StructureMetrics m;
    if (in.ppq < 1) return m;
    // The continuation's notes: drums out, and nothing past the measured span.
    std::vector<Note> gen, seed;
    for (const Note& n : in.generated)
        if (n.channel != 9 && (in.endTick < 0 || n.start < in.endTick)) gen.push_back(n);
    for (const Note& n : in.seed)
        if (n.channel != 9 && n.start < in.startTick) seed.push_back(n);

    // The span's end: given, or the end of the bar holding the last generated onset.
    std::int64_t end = in.endTick;
    if (end < 0) {
        std::int64_t last = -1;
        for (const Note& n : gen)
            last = std::max(last, n.start);
        end = in.startTick;
        if (last >= 0)
            for (const auto& [b0, b1] : barBounds(in.meters, in.ppq, last + 1))
                end = std::max(end, b1);
    }
    const auto bounds = barBounds(in.meters, in.ppq, std::max(end, in.startTick + 1));
    std::vector<std::int64_t> starts;
    for (const auto& [b0, b1] : bounds) {
        (void)b1;
        starts.push_back(b0);
    }
    // The first bar of the continuation: the one holding startTick.
    std::size_t g0 = 0;
    while (g0 + 1 < bounds.size() && bounds[g0].second <= in.startTick)
        ++g0;
    const std::vector<MelodyBar> seedBars =
        melodyBars(seed, in.ppq, std::span(starts).first(g0 + 1), in.startTick);
    const std::vector<MelodyBar> genBars = melodyBars(gen, in.ppq, std::span(starts).subspan(g0), end);

    std::vector<const MelodyBar*> earlier; // bars holding an onset, in order
    for (const MelodyBar& b : seedBars)
        if (!b.positions.empty()) earlier.push_back(&b);
    m.seedBars = earlier.size();
    std::size_t rhythm = 0, motif = 0, verbatim = 0;
    for (const MelodyBar& b : genBars) {
        if (b.positions.empty()) continue;
        ++m.generatedBars;
        bool r = false, mo = false, v = false;
        for (std::size_t i = 0; i < earlier.size(); ++i) {
            r = r || b.sameRhythm(*earlier[i]);
            mo = mo || b.sameMotif(*earlier[i]);
            v = v || (i < m.seedBars && b == *earlier[i]);
        }
        rhythm += r;
        motif += mo;
        verbatim += v;
        earlier.push_back(&b);
    }
    m.rhythmRepeat = share(rhythm, m.generatedBars);
    m.motifRepeat = share(motif, m.generatedBars);
    m.verbatimSeedBars = share(verbatim, m.generatedBars);

    // The seed's distinct motifs of two onsets or more, and how many come back.
    std::vector<const MelodyBar*> motifs;
    for (const MelodyBar& b : seedBars)
        if (b.positions.size() >= 2 &&
            std::none_of(motifs.begin(), motifs.end(), [&](const MelodyBar* o) { return b.sameMotif(*o); }))
            motifs.push_back(&b);
    std::size_t returned = 0;
    for (const MelodyBar* s : motifs)
        returned +=
            std::any_of(genBars.begin(), genBars.end(), [&](const MelodyBar& b) { return b.sameMotif(*s); });
    m.seedMotifReturn = share(returned, motifs.size());

    // The seed's key.
    if (!seed.empty()) {
        const ScaleFit fit = detectKey(seed);
        m.seedTonic = fit.tonic;
        m.seedMinor = fit.minor;
        std::size_t inKey = 0;
        for (const Note& n : gen)
            inKey += fit.contains(n.pitch);
        m.inSeedKey = gen.empty() ? 1.0 : double(inKey) / double(gen.size());
    }

    // Notes per onset and the onset vectors (all notes) of every bar of the span.
    std::set<std::int64_t> onsets;
    for (const Note& n : gen)
        onsets.insert(ticksToSteps(n.start, in.ppq, S));
    if (!onsets.empty()) m.notesPerOnset = double(gen.size()) / double(onsets.size());
    std::size_t pairs = 0;
    double distance = 0;
    std::set<std::int64_t> previous;
    std::int64_t previousLength = 0;
    for (std::size_t b = g0; b < bounds.size(); ++b) {
        const std::int64_t s0 = ticksToSteps(bounds[b].first, in.ppq, S);
        const std::int64_t s1 = std::max(s0 + 1, ticksToSteps(bounds[b].second, in.ppq, S));
        std::set<std::int64_t> here;
        for (auto it = onsets.lower_bound(s0); it != onsets.end() && *it < s1; ++it)
            here.insert(*it - s0);
        if (b > g0) {
            std::vector<std::int64_t> differ;
            std::set_symmetric_difference(here.begin(), here.end(), previous.begin(), previous.end(),
                                          std::back_inserter(differ));
            distance += double(differ.size()) / double(std::max(s1 - s0, previousLength));
            ++pairs;
        }
        previous = std::move(here);
        previousLength = s1 - s0;
    }
    if (pairs) m.grooveConsistency = 1.0 - distance / double(pairs);
    return m;
}

std::vector<BarMelody> songMelodies(const Song& song) {
    std::vector<BarMelody> out;
    const std::int64_t end = song.endTick();
    if (end <= 0) return out;
    const std::vector<std::int64_t> starts = barStarts(song.timeSignatures, song.ppq, end);
    std::vector<Note> all;
    std::size_t parts = 0;
    for (const Track& t : song.tracks) {
        if (t.isDrum() || t.notes.empty()) continue;
        ++parts;
        all.insert(all.end(), t.notes.begin(), t.notes.end());
    }
    if (all.empty()) return out;
    out.push_back(melodyBars(all, song.ppq, starts, end));
    if (parts > 1)
        for (const Track& t : song.tracks)
            if (!t.isDrum() && !t.notes.empty()) out.push_back(melodyBars(t.notes, song.ppq, starts, end));
    return out;
}

void CopyIndex::add(BarMelody melody) {
    const std::size_t m = melodies_.size();
    for (std::size_t j = 0; j < melody.size(); ++j)
        if (!melody[j].positions.empty()) where_[barHash(melody[j])].emplace_back(m, j);
    melodies_.push_back(std::move(melody));
}

int CopyIndex::longestCopy(const BarMelody& generated) const {
    int best = 0;
    std::map<std::pair<std::size_t, std::size_t>, int> previous, current; // (melody, bar) → run ending there
    for (const MelodyBar& bar : generated) {
        current.clear();
        const auto it = bar.positions.empty() ? where_.end() : where_.find(barHash(bar));
        if (it != where_.end())
            for (const auto& [m, j] : it->second) {
                if (!(melodies_[m][j] == bar)) continue; // a hash collision
                int run = 1;
                if (j > 0) {
                    const auto p = previous.find({m, j - 1});
                    if (p != previous.end()) run += p->second;
                }
                current[{m, j}] = run;
                best = std::max(best, run);
            }
        std::swap(previous, current);
    }
    return best;
}

double structureValue(const StructureMetrics& m, int index) {
    switch (index) {
    case 0:
        return m.rhythmRepeat;
    case 1:
        return m.motifRepeat;
    case 2:
        return m.seedMotifReturn;
    case 3:
        return m.inSeedKey;
    case 4:
        return m.grooveConsistency;
    case 5:
        return m.notesPerOnset;
    case 6:
        return m.verbatimSeedBars;
    default:
        return -1;
    }
}

} // namespace continuo::music
