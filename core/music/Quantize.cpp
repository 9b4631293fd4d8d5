#include "music/Quantize.h"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <string>

namespace continuo::music {
namespace {

// Floor division that stays right for negative numerators (C++ truncates toward zero).
std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

void checkGrid(int ppq, int stepsPerQuarter) {
    if (stepsPerQuarter < 1 || stepsPerQuarter > kMaxStepsPerQuarter) {
        throw std::invalid_argument("steps per quarter must be 1–" + std::to_string(kMaxStepsPerQuarter) +
                                    ", not " + std::to_string(stepsPerQuarter));
    }
    if (ppq < 1) throw std::invalid_argument("ppq must be ≥ 1, not " + std::to_string(ppq));
}

} // namespace

std::int64_t ticksToSteps(std::int64_t ticks, int ppq, int stepsPerQuarter) {
    // round(ticks * spq / ppq) with halves up, in integers so that no platform rounds differently.
    return floorDiv(2 * ticks * stepsPerQuarter + ppq, 2 * std::int64_t(ppq));
}

std::int64_t stepsToTicks(std::int64_t steps, int ppq, int stepsPerQuarter) {
    return floorDiv(2 * steps * ppq + stepsPerQuarter, 2 * std::int64_t(stepsPerQuarter));
}

std::vector<GridNote> quantizeNotes(std::span<const Note> notes, int ppq, int stepsPerQuarter) {
    checkGrid(ppq, stepsPerQuarter);
    std::vector<GridNote> out;
    out.reserve(notes.size());
    for (const Note& n : notes) {
        const std::int64_t on = std::max<std::int64_t>(0, ticksToSteps(n.start, ppq, stepsPerQuarter));
        const std::int64_t off = ticksToSteps(n.end(), ppq, stepsPerQuarter);
        out.push_back({on, std::max<std::int64_t>(1, off - on), std::uint8_t(std::min<int>(n.pitch, 127)),
                       std::uint8_t(std::clamp<int>(n.velocity, 1, 127))});
    }
    resolveOverlaps(out);
    return out;
}

void resolveOverlaps(std::vector<GridNote>& notes) {
    std::sort(notes.begin(), notes.end(), [](const GridNote& a, const GridNote& b) {
        return a.step != b.step ? a.step < b.step : a.pitch < b.pitch;
    });
    // Same pitch, same step: merge into the first of the run.
    std::size_t w = 0;
    for (std::size_t r = 0; r < notes.size(); ++r) {
        if (w > 0 && notes[w - 1].step == notes[r].step && notes[w - 1].pitch == notes[r].pitch) {
            notes[w - 1].length = std::max(notes[w - 1].length, notes[r].length);
            notes[w - 1].velocity = std::max(notes[w - 1].velocity, notes[r].velocity);
        } else {
            notes[w++] = notes[r];
        }
    }
    notes.resize(w);
    // Same pitch, later onset while still sounding: cut the earlier one. Only the latest note of each pitch
    // can still be sounding, since every earlier one was already cut at the next onset of its pitch.
    std::int64_t lastIndex[128];
    std::fill(std::begin(lastIndex), std::end(lastIndex), -1);
    for (std::size_t i = 0; i < notes.size(); ++i) {
        const int p = notes[i].pitch;
        if (lastIndex[p] >= 0) {
            GridNote& prev = notes[std::size_t(lastIndex[p])];
            if (prev.step + prev.length > notes[i].step) prev.length = notes[i].step - prev.step;
        }
        lastIndex[p] = std::int64_t(i);
    }
}

std::vector<Note> notesFromGrid(std::span<const GridNote> notes, int ppq, int stepsPerQuarter,
                                std::uint8_t channel, std::int64_t startTick) {
    checkGrid(ppq, stepsPerQuarter);
    std::vector<Note> out;
    out.reserve(notes.size());
    for (const GridNote& g : notes) {
        Note n;
        n.start = startTick + stepsToTicks(g.step, ppq, stepsPerQuarter);
        const std::int64_t end = startTick + stepsToTicks(g.step + g.length, ppq, stepsPerQuarter);
        n.duration = std::max<std::int64_t>(1, end - n.start);
        n.pitch = g.pitch;
        n.velocity = g.velocity;
        n.channel = channel;
        out.push_back(n);
    }
    std::sort(out.begin(), out.end(), noteLess);
    return out;
}

Song quantizeSong(const Song& song, int stepsPerQuarter) {
    checkGrid(song.ppq, stepsPerQuarter);
    Song out = song;
    for (Track& track : out.tracks) {
        std::map<std::uint8_t, std::vector<Note>> byChannel;
        for (const Note& n : track.notes)
            byChannel[n.channel].push_back(n);
        track.notes.clear();
        for (const auto& [channel, notes] : byChannel) {
            const std::vector<GridNote> grid = quantizeNotes(notes, song.ppq, stepsPerQuarter);
            std::vector<Note> back = notesFromGrid(grid, song.ppq, stepsPerQuarter, channel);
            track.notes.insert(track.notes.end(), back.begin(), back.end());
        }
        track.sortNotes();
    }
    return out;
}

} // namespace continuo::music
