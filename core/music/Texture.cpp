#include "music/Texture.h"

#include "music/Quantize.h"

#include <algorithm>
#include <map>
#include <vector>

namespace continuo::music {

const char* textureName(Texture t) {
    switch (t) {
    case Texture::Auto:
        return "auto";
    case Texture::Melody:
        return "melody";
    case Texture::Piano:
        return "piano";
    }
    return "auto";
}

std::optional<Texture> textureFromName(std::string_view name) {
    for (Texture t : {Texture::Auto, Texture::Melody, Texture::Piano})
        if (name == textureName(t)) return t;
    return std::nullopt;
}

Texture detectTexture(std::span<const Note> notes, int ppq) {
    if (ppq < 1) return Texture::Melody;
    constexpr int kSteps = 12; // the tokenizer's default grid
    std::vector<GridNote> grid;
    grid.reserve(notes.size());
    for (const Note& n : notes) {
        if (n.channel == 9) continue;
        const std::int64_t on = ticksToSteps(n.start, ppq, kSteps);
        const std::int64_t end = std::max(on + 1, ticksToSteps(n.start + n.duration, ppq, kSteps));
        grid.push_back({on, end - on, n.pitch, n.velocity});
    }
    return detectTexture(grid, kSteps);
}

Texture detectTexture(std::span<const GridNote> notes, int stepsPerQuarter) {
    std::map<std::int64_t, int> perOnset;
    for (const GridNote& n : notes)
        ++perOnset[n.step];
    if (perOnset.empty()) return Texture::Melody;
    std::size_t chordOnsets = 0;
    for (const auto& [step, count] : perOnset)
        if (count > 1) ++chordOnsets;
    // A note held over the next onset by more than a sixteenth is a second voice; legato overlaps of a
    // few ticks are not.
    const std::int64_t sixteenth = std::max(1, stepsPerQuarter / 4);
    std::size_t held = 0;
    for (const GridNote& n : notes) {
        const auto next = perOnset.upper_bound(n.step);
        if (next != perOnset.end() && n.step + n.length - next->first > sixteenth) ++held;
    }
    const bool chordal = chordOnsets * 10 > perOnset.size();
    const bool voices = held * 10 > notes.size();
    return chordal || voices ? Texture::Piano : Texture::Melody;
}

Texture resolveTexture(Texture requested, std::span<const Note> seed, int ppq) {
    return requested == Texture::Auto ? detectTexture(seed, ppq) : requested;
}

} // namespace continuo::music
