#pragma once
// A deterministic test Composer (not a model, never shipped): a seeded Markov walk over the seed track's
// pitch transitions, eighth notes, honouring bars, variations, key lock, progress and cancel. `stepDelayUs`
// slows each step so cancel and responsiveness can be tested.

#include "composer/Composer.h"

#include <chrono>
#include <map>
#include <random>
#include <thread>

namespace continuo::test {

class MarkovComposer : public model::Composer {
public:
    int stepDelayUs = 0;

    model::ModelDescription describe() const override { return {"Test Markov walk", "", "tests only"}; }

    model::GenerateResult generate(const model::GenerateRequest& r, const model::ProgressFn& progress,
                                   const std::atomic<bool>& cancel) override {
        if (r.bars < 1 || r.bars > 256) throw std::runtime_error("bars must be 1–256");
        const auto& track = r.song.tracks.at(std::size_t(r.track));
        std::map<int, std::vector<int>> next;
        std::vector<int> pitches;
        for (const auto& n : track.notes)
            pitches.push_back(n.pitch);
        if (pitches.empty() || r.mode == model::GenerateMode::FromScratch) pitches = {60, 62, 64, 65, 67};
        for (std::size_t i = 0; i + 1 < pitches.size(); ++i)
            next[pitches[i]].push_back(pitches[i + 1]);
        const std::int64_t step = r.song.ppq / 2;
        const std::int64_t bar = std::int64_t(r.song.ppq) * 4;
        std::int64_t from = r.mode == model::GenerateMode::Regenerate ? r.rangeStart
                            : r.fromTick >= 0                         ? r.fromTick
                                                                      : 0;
        if (r.mode == model::GenerateMode::Continue && r.fromTick < 0)
            for (const auto& n : track.notes)
                from = std::max(from, n.end());
        const std::int64_t to = r.mode == model::GenerateMode::Regenerate ? r.rangeEnd : from + r.bars * bar;
        model::GenerateResult result;
        const int steps = int((to - from) / step);
        for (int v = 0; v < r.variations; ++v) {
            std::mt19937_64 rng(r.randomSeed * 1000 + std::uint64_t(v));
            int pitch = pitches.back();
            std::vector<music::Note> notes;
            for (int s = 0; s < steps; ++s) {
                if (cancel.load()) return result;
                if (stepDelayUs) std::this_thread::sleep_for(std::chrono::microseconds(stepDelayUs));
                // Mostly follow the seed's transitions, sometimes jump to any seed pitch (no dead loops).
                const auto& options = next.count(pitch) && rng() % 3 ? next[pitch] : pitches;
                pitch = options[rng() % options.size()];
                if (r.key) pitch = snapToKey(pitch, *r.key);
                notes.push_back({from + s * step, step, std::uint8_t(pitch), 80, track.channel,
                                 music::NoteOrigin::Generated});
                if (progress) progress(double(v * steps + s + 1) / (r.variations * steps), "walking");
            }
            result.variations.push_back(std::move(notes));
        }
        return result;
    }

    static int snapToKey(int pitch, const model::KeyLock& key) {
        static const int major[] = {0, 2, 4, 5, 7, 9, 11}, minor[] = {0, 2, 3, 5, 7, 8, 10};
        const int* scale = key.scale == model::Scale::Major ? major : minor;
        for (int d = 0; d < 12; ++d)
            for (int i = 0; i < 7; ++i)
                if ((pitch - d - key.tonic + 120) % 12 == scale[i]) return pitch - d;
        return pitch;
    }
};

} // namespace continuo::test
