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
    std::map<std::int64_t, int> perOnset;
    std::vector<std::pair<std::int64_t, std::int64_t>> spans; // onset, end in steps
    for (const Note& n : notes) {
        if (n.channel == 9) continue;
        const std::int64_t on = ticksToSteps(n.start, ppq, kSteps);
        ++perOnset[on];
        spans.emplace_back(on, std::max(on + 1, ticksToSteps(n.start + n.duration, ppq, kSteps)));
    }
    if (perOnset.empty()) return Texture::Melody;
    std::size_t chordOnsets = 0;
    for (const auto& [step, count] : perOnset)
        if (count > 1) ++chordOnsets;
    // A note held over the next onset by more than a sixteenth (3 steps) is a second voice; legato
    // overlaps of a few ticks are not.
    std::size_t held = 0;
    for (const auto& [on, end] : spans) {
        const auto next = perOnset.upper_bound(on);
        if (next != perOnset.end() && end - next->first > 3) ++held;
    }
    const bool chordal = chordOnsets * 10 > perOnset.size();
    const bool voices = held * 10 > spans.size();
    return chordal || voices ? Texture::Piano : Texture::Melody;
}

Texture resolveTexture(Texture requested, std::span<const Note> seed, int ppq) {
    return requested == Texture::Auto ? detectTexture(seed, ppq) : requested;
}

} // namespace continuo::music
