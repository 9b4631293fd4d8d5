// The "chord" encoding: the original student method (one token per onset, octaves of chords and all
// timing lost), on a fixed vocabulary so that it can be compared with the event encoding on the same data.

#include "music/TokenizerImpl.h"

namespace continuo::music::detail {
namespace {

constexpr int kChordMasks = 4095;    // every non-empty set of the 12 pitch classes
constexpr int kChordOctaveBase = 60; // chords decode in the octave from middle C up, as music21 placed them
constexpr int kChordVelocity = 100;

class ChordTokenizer final : public Tokenizer {
public:
    explicit ChordTokenizer(const TokenizerSettings& s)
        : Tokenizer(s, layout()) {}

    TokenStream encodeGrid(std::span<const GridNote> notes, bool withBos, bool withEos, std::int64_t,
                           const GridContext&) const override {
        const std::int32_t pitch0 = range(TokenKind::Pitch).first;
        const std::int32_t chord0 = range(TokenKind::Chord).first;
        TokenStream out;
        if (withBos) out.tokens.push_back(bos());
        for (std::size_t i = 0; i < notes.size();) {
            std::size_t j = i;
            int mask = 0;
            bool samePitch = true;
            for (; j < notes.size() && notes[j].step == notes[i].step; ++j) {
                mask |= 1 << (notes[j].pitch % 12);
                samePitch = samePitch && notes[j].pitch == notes[i].pitch;
            }
            out.tokens.push_back(samePitch ? pitch0 + notes[i].pitch : chord0 + mask - 1);
            out.notes += j - i;
            i = j;
        }
        if (withEos) out.tokens.push_back(eos());
        return out;
    }

    std::vector<GridNote> decodeGrid(std::span<const std::int32_t> tokens, std::int64_t* endStep,
                                     std::size_t* ignoredOut, bool* sawEos,
                                     const GridContext&) const override {
        const std::int64_t step = settings().chordStep;
        std::vector<GridNote> notes;
        std::int64_t onset = 0;
        std::size_t ignored = 0;
        bool eosSeen = false;
        for (const std::int32_t id : tokens) {
            const TokenKind k = kind(id);
            if (k == TokenKind::Eos) {
                eosSeen = true;
                break;
            }
            if (k == TokenKind::Pitch) {
                notes.push_back({onset * step, step, std::uint8_t(value(id)), kChordVelocity});
                ++onset;
            } else if (k == TokenKind::Chord) {
                const int mask = value(id);
                for (int c = 0; c < 12; ++c) {
                    if (mask & (1 << c))
                        notes.push_back(
                            {onset * step, step, std::uint8_t(kChordOctaveBase + c), kChordVelocity});
                }
                ++onset;
            } else if (k != TokenKind::Pad && k != TokenKind::Bos) {
                ++ignored;
            }
        }
        resolveOverlaps(notes);
        if (endStep) *endStep = onset * step;
        if (ignoredOut) *ignoredOut = ignored;
        if (sawEos) *sawEos = eosSeen;
        return notes;
    }

    bool transpose(std::span<std::int32_t> tokens, int semitones) const override {
        const TokenRange pitch = range(TokenKind::Pitch);
        const TokenRange chord = range(TokenKind::Chord);
        for (const std::int32_t id : tokens) {
            if (pitch.contains(id) &&
                (id - pitch.first + semitones < 0 || id - pitch.first + semitones > 127)) {
                return false;
            }
        }
        const int shift = ((semitones % 12) + 12) % 12;
        for (std::int32_t& id : tokens) {
            if (pitch.contains(id)) {
                id += semitones;
            } else if (chord.contains(id)) {
                const int mask = id - chord.first + 1;
                const int rotated = ((mask << shift) | (mask >> (12 - shift))) & 0xFFF;
                id = chord.first + rotated - 1;
            }
        }
        return true;
    }

private:
    static std::array<TokenRange, kTokenKinds> layout() {
        std::array<TokenRange, kTokenKinds> r{};
        r[std::size_t(TokenKind::Pad)] = {0, 1};
        r[std::size_t(TokenKind::Bos)] = {1, 1};
        r[std::size_t(TokenKind::Eos)] = {2, 1};
        r[std::size_t(TokenKind::Pitch)] = {3, 128};
        r[std::size_t(TokenKind::Chord)] = {3 + 128, kChordMasks};
        return r;
    }
};

} // namespace

std::unique_ptr<Tokenizer> makeChordTokenizer(const TokenizerSettings& settings) {
    return std::make_unique<ChordTokenizer>(settings);
}

} // namespace continuo::music::detail
