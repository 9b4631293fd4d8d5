// The "event" encoding: SHIFT / VEL / PITCH / DUR (the grammar is in Tokenizer.h).

#include "music/TokenizerImpl.h"

#include <algorithm>

namespace continuo::music::detail {
namespace {

class EventTokenizer final : public EventFamilyTokenizer {
public:
    explicit EventTokenizer(const TokenizerSettings& s)
        : EventFamilyTokenizer(s, layout(s)) {}

    TokenStream encodeGrid(std::span<const GridNote> notes, bool withBos, bool withEos,
                           std::int64_t untilStep, const GridContext&) const override {
        const TokenizerSettings& s = settings();
        const std::int32_t shift0 = range(TokenKind::Shift).first;
        const std::int32_t vel0 = range(TokenKind::Velocity).first;
        const std::int32_t pitch0 = range(TokenKind::Pitch).first;
        const std::int32_t dur0 = range(TokenKind::Duration).first;
        TokenStream out;
        std::vector<std::int32_t>& t = out.tokens;
        t.reserve(notes.size() * 3 + 8);
        if (withBos) t.push_back(bos());
        auto advance = [&](std::int64_t gap) {
            for (; gap > 0; gap -= s.maxShift)
                t.push_back(shift0 + std::int32_t(std::min<std::int64_t>(gap, s.maxShift)) - 1);
        };
        std::int64_t pos = 0;
        int bin = 0; // none yet: the first note always says its velocity
        for (const GridNote& n : notes) {
            // An onset before `pos` only comes from unsorted input; it joins the current onset.
            if (n.step > pos) {
                std::int64_t gap = n.step - pos;
                if (s.maxRest > 0 && gap > s.maxRest) {
                    gap = s.maxRest;
                    ++out.clamped;
                }
                advance(gap);
                pos = n.step;
            }
            const int b = velocityBin(n.velocity);
            if (b != bin) {
                t.push_back(vel0 + b - 1);
                bin = b;
            }
            t.push_back(pitch0 + n.pitch);
            std::int64_t length = std::max<std::int64_t>(1, n.length);
            if (length > s.maxDuration) {
                length = s.maxDuration;
                ++out.clamped;
            }
            t.push_back(dur0 + std::int32_t(length) - 1);
            ++out.notes;
        }
        if (untilStep > pos) {
            // The rest up to where generation starts: no longer than a rest between notes (training never
            // saw one longer), so a start far away costs a few SHIFTs, not one per maxShift steps.
            std::int64_t gap = untilStep - pos;
            if (s.maxRest > 0 && gap > s.maxRest) {
                gap = s.maxRest;
                ++out.clamped;
            }
            advance(gap);
        }
        if (withEos) t.push_back(eos());
        return out;
    }

private:
    static std::array<TokenRange, kTokenKinds> layout(const TokenizerSettings& s) {
        std::array<TokenRange, kTokenKinds> r{};
        r[std::size_t(TokenKind::Pad)] = {0, 1};
        r[std::size_t(TokenKind::Bos)] = {1, 1};
        r[std::size_t(TokenKind::Eos)] = {2, 1};
        r[std::size_t(TokenKind::Shift)] = {3, s.maxShift};
        r[std::size_t(TokenKind::Velocity)] = {3 + s.maxShift, s.velocityBins};
        r[std::size_t(TokenKind::Pitch)] = {3 + s.maxShift + s.velocityBins, 128};
        r[std::size_t(TokenKind::Duration)] = {3 + s.maxShift + s.velocityBins + 128, s.maxDuration};
        r[std::size_t(TokenKind::Chord)] = {0, 0};
        return r;
    }
};

} // namespace

std::vector<GridNote> decodeEventGrid(const Tokenizer& tok, std::span<const std::int32_t> tokens,
                                      std::int64_t* endStep, std::size_t* ignoredOut, bool* sawEos,
                                      const GridContext& context) {
    std::vector<GridNote> notes;
    std::int64_t time = 0;
    int velocity = tok.binVelocity(tok.velocityBin(100));
    int pending = -1; // a PITCH waiting for its DUR
    std::size_t ignored = 0;
    bool eosSeen = false;
    auto dropPending = [&] {
        if (pending >= 0) ++ignored;
        pending = -1;
    };
    for (const std::int32_t id : tokens) {
        const TokenKind k = tok.kind(id);
        if (k == TokenKind::Eos) {
            eosSeen = true;
            break;
        }
        switch (k) {
        case TokenKind::Pad:
        case TokenKind::Bos:
        case TokenKind::Texture:
        case TokenKind::Copy: // its notes follow as tokens
            break;
        case TokenKind::Bar:
            dropPending();
            time = context.bars.nextBarLine(context.origin + time) - context.origin;
            break;
        case TokenKind::Shift:
            dropPending();
            time += tok.value(id);
            break;
        case TokenKind::Velocity:
            dropPending();
            velocity = tok.binVelocity(tok.value(id));
            break;
        case TokenKind::Pitch:
            dropPending();
            pending = tok.value(id);
            break;
        case TokenKind::Duration:
            if (pending < 0) {
                ++ignored;
            } else {
                notes.push_back({time, tok.value(id), std::uint8_t(pending), std::uint8_t(velocity)});
                pending = -1;
            }
            break;
        default:
            ++ignored;
            break;
        }
    }
    dropPending();
    resolveOverlaps(notes);
    if (endStep) *endStep = time;
    if (ignoredOut) *ignoredOut = ignored;
    if (sawEos) *sawEos = eosSeen;
    return notes;
}

bool transposePitchTokens(const Tokenizer& tok, std::span<std::int32_t> tokens, int semitones) {
    const TokenRange pitch = tok.range(TokenKind::Pitch);
    for (const std::int32_t id : tokens)
        if (pitch.contains(id) && (id - pitch.first + semitones < 0 || id - pitch.first + semitones > 127))
            return false;
    for (std::int32_t& id : tokens)
        if (pitch.contains(id)) id += semitones;
    return true;
}

std::unique_ptr<Tokenizer> makeEventTokenizer(const TokenizerSettings& settings) {
    return std::make_unique<EventTokenizer>(settings);
}

} // namespace continuo::music::detail
