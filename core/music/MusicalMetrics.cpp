#include "music/MusicalMetrics.h"

#include "music/PitchNames.h"
#include "music/Quantize.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <vector>

namespace continuo::music {
namespace {

struct Snapped {
    std::int64_t onset = 0; ///< steps
    std::int64_t end = 0;   ///< steps, > onset
    int pitch = 60;
};

double entropyBits(const std::map<std::int64_t, std::size_t>& counts, std::size_t total) {
    double h = 0;
    for (const auto& [value, count] : counts) {
        (void)value;
        const double p = double(count) / double(total);
        h -= p * std::log2(p);
    }
    return h + 0.0; // never -0
}

} // namespace

MusicalMetrics measureMusic(std::span<const Note> input, int ppq, std::int64_t spanStart,
                            std::int64_t spanEnd) {
    MusicalMetrics m;
    if (input.empty() || ppq < 1) return m;
    constexpr int S = kMetricsStepsPerQuarter;
    std::vector<Snapped> notes;
    notes.reserve(input.size());
    for (const Note& n : input) {
        const std::int64_t on = ticksToSteps(n.start, ppq, S);
        // Same rule as Quantize.h: both ends snapped, at least one step long.
        const std::int64_t end = std::max(on + 1, ticksToSteps(n.start + n.duration, ppq, S));
        notes.push_back({on, end, n.pitch});
    }
    std::sort(notes.begin(), notes.end(), [](const Snapped& a, const Snapped& b) {
        return a.onset != b.onset ? a.onset < b.onset : a.pitch < b.pitch;
    });
    const std::size_t n = notes.size();
    m.notes = n;

    // Pitch classes: scale fit and entropy.
    std::array<std::size_t, 12> pc{};
    for (const Snapped& s : notes)
        ++pc[std::size_t(s.pitch % 12)];
    const ScaleFit fit = bestScale(pc);
    m.bestTonic = fit.tonic;
    m.bestMinor = fit.minor;
    const std::size_t best = fit.inScale;
    m.scaleConsistency = double(best) / double(n);
    std::map<std::int64_t, std::size_t> pcCounts;
    for (int c = 0; c < 12; ++c)
        if (pc[std::size_t(c)]) pcCounts[c] = pc[std::size_t(c)];
    m.pitchClassEntropy = entropyBits(pcCounts, n);

    // Loop cover: the most frequent 8-note pitch sequence (7 bits a pitch: 56 bits a key).
    constexpr std::size_t L = 8;
    if (n > L) {
        std::map<std::uint64_t, std::vector<std::size_t>> grams;
        for (std::size_t i = 0; i + L <= n; ++i) {
            std::uint64_t key = 0;
            for (std::size_t k = 0; k < L; ++k)
                key = (key << 7) | std::uint64_t(notes[i + k].pitch & 0x7f);
            grams[key].push_back(i);
        }
        auto coverOf = [&](const std::vector<std::size_t>& at) {
            std::size_t covered = 0, reach = 0;
            for (std::size_t p : at) { // ascending: count the union of [p, p + L)
                const std::size_t from = std::max(p, reach);
                if (p + L > from) covered += p + L - from;
                reach = std::max(reach, p + L);
            }
            return covered;
        };
        std::size_t bestCount = 1, bestCover = 0;
        for (const auto& [key, at] : grams) {
            (void)key;
            if (at.size() < 2 || at.size() < bestCount) continue;
            const std::size_t cover = coverOf(at);
            if (at.size() > bestCount || cover > bestCover) {
                bestCount = at.size();
                bestCover = cover;
            }
        }
        m.loopCover = double(bestCover) / double(n);
    }

    // Durations.
    std::map<std::int64_t, std::size_t> lengths;
    for (const Snapped& s : notes)
        ++lengths[s.end - s.onset];
    m.distinctDurations = int(lengths.size());
    std::size_t modal = 0;
    for (const auto& [len, count] : lengths) {
        (void)len;
        modal = std::max(modal, count);
    }
    m.modalDurationShare = double(modal) / double(n);

    // Onsets: IOIs, polyphony, top-voice repeats.
    std::vector<std::int64_t> onsets;
    std::vector<int> top;
    for (const Snapped& s : notes) {
        if (onsets.empty() || onsets.back() != s.onset) {
            onsets.push_back(s.onset);
            top.push_back(s.pitch);
        } else {
            top.back() = std::max(top.back(), s.pitch);
        }
    }
    m.onsets = onsets.size();
    if (onsets.size() >= 2) {
        std::map<std::int64_t, std::size_t> gaps;
        for (std::size_t i = 1; i < onsets.size(); ++i)
            ++gaps[onsets[i] - onsets[i - 1]];
        m.ioiEntropy = entropyBits(gaps, onsets.size() - 1);
        std::size_t repeats = 0;
        for (std::size_t i = 1; i < top.size(); ++i)
            repeats += top[i] == top[i - 1];
        m.repeatedNoteShare = double(repeats) / double(top.size() - 1);
    }
    std::size_t sounding = 0; // O(notes × onsets): passages here are a few hundred notes
    for (std::int64_t o : onsets)
        for (const Snapped& s : notes) {
            if (s.onset > o) break;
            if (s.end > o) ++sounding;
        }
    m.polyphony = double(sounding) / double(onsets.size());

    // Empty beats over the span, in beats of S steps.
    const std::int64_t s0 = spanStart >= 0 ? ticksToSteps(spanStart, ppq, S) : (onsets.front() / S) * S;
    std::int64_t s1 = 0;
    if (spanEnd >= 0) {
        s1 = ticksToSteps(spanEnd, ppq, S);
    } else {
        for (const Snapped& s : notes)
            s1 = std::max(s1, s.end);
    }
    if (s1 > s0) {
        m.beats = (s1 - s0 + S - 1) / S;
        std::vector<bool> heard(std::size_t(m.beats), false);
        for (const Snapped& s : notes) {
            const std::int64_t a = std::max<std::int64_t>(0, s.onset - s0);
            const std::int64_t b = std::min<std::int64_t>(s1 - s0, s.end - s0);
            for (std::int64_t beat = a / S; beat * S < b; ++beat)
                heard[std::size_t(beat)] = true;
        }
        m.emptyBeatRate = double(std::count(heard.begin(), heard.end(), false)) / double(m.beats);
    }
    return m;
}

double metricValue(const MusicalMetrics& m, int index) {
    switch (index) {
    case 0:
        return double(m.notes);
    case 1:
        return m.scaleConsistency;
    case 2:
        return m.pitchClassEntropy;
    case 3:
        return m.loopCover;
    case 4:
        return double(m.distinctDurations);
    case 5:
        return m.modalDurationShare;
    case 6:
        return m.ioiEntropy;
    case 7:
        return m.emptyBeatRate;
    case 8:
        return m.polyphony;
    case 9:
        return m.repeatedNoteShare;
    default:
        return 0;
    }
}

std::string bestScaleName(const MusicalMetrics& m) {
    return keyName(m.bestTonic, m.bestMinor);
}

} // namespace continuo::music
