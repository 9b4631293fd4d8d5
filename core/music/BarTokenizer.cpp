// The "bar" encoding (issue 15): the event tokens with every bar closed by BAR, the stream's TEXTURE after
// BOS, and COPY moves for bars that repeat the bar 1, 2, 4 or 8 back (transposed or not). The grammar is in
// Tokenizer.h; the network's extra inputs come from BarTracker.h.

#include "music/BarTracker.h"
#include "music/TokenizerImpl.h"

#include <algorithm>

namespace continuo::music::detail {
namespace {

/// Empty bars kept in a row; longer silences lose whole bars (counted as clamped, like maxRest).
constexpr int kMaxEmptyBars = 4;

class BarTokenizer final : public EventFamilyTokenizer {
public:
    explicit BarTokenizer(const TokenizerSettings& s)
        : EventFamilyTokenizer(s, layout(s)) {}

    TokenStream encodeGrid(std::span<const GridNote> notes, bool withBos, bool withEos,
                           std::int64_t untilStep, const GridContext& context) const override {
        const TokenizerSettings& s = settings();
        const BarGrid& grid = context.bars;
        const std::int32_t bar = range(TokenKind::Bar).first;
        TokenStream out;
        std::vector<std::int32_t>& t = out.tokens;
        t.reserve(notes.size() * 3 + 16);
        if (withBos) {
            t.push_back(bos());
            t.push_back(textureToken(context.texture.value_or(detectTexture(notes, s.stepsPerQuarter))));
        }
        std::vector<std::vector<BarNote>> history; // the bars written, oldest first
        int bin = 0;                               // none yet: the first note always says its velocity
        std::int64_t line = 0;                     // the line of the bar being read, in the notes' steps
        std::int64_t stand = 0;                    // the line of the bar the stream stands in
        std::int64_t position = 0;                 // where the stream stands in that bar
        int emptyRun = 0;
        std::size_t i = 0;
        while (i < notes.size()) {
            const std::int64_t next = grid.nextBarLine(line);
            std::vector<BarNote> here;
            for (; i < notes.size() && notes[i].step < next; ++i) {
                const GridNote& n = notes[i];
                std::int64_t length = std::max<std::int64_t>(1, n.length);
                if (length > s.maxDuration) {
                    length = s.maxDuration;
                    ++out.clamped;
                }
                here.push_back({std::max<std::int64_t>(0, n.step - line), n.pitch, int(length),
                                velocityBin(n.velocity)});
            }
            if (here.empty() && ++emptyRun > kMaxEmptyBars) {
                ++out.clamped; // a long silence: this bar and the empty ones after it are left out
                line = std::max(next, grid.barStart(notes[i].step));
                continue;
            }
            if (!here.empty()) {
                emptyRun = 0;
                if (const auto move = findCopy(history, here)) t.push_back(copyToken(*move));
                const std::vector<std::int32_t> body = barTokens(*this, here, bin);
                t.insert(t.end(), body.begin(), body.end());
                out.notes += here.size();
            }
            stand = line;
            position = here.empty() ? 0 : here.back().position;
            history.push_back(std::move(here));
            if (i < notes.size() || untilStep >= next) {
                t.push_back(bar);
                stand = next;
                position = 0;
            }
            line = next;
        }
        if (untilStep >= stand + position) {
            // The rest up to where generation starts: at most kMaxEmptyBars bar lines (the position in the
            // bar is what the continuation needs), then SHIFTs within the bar.
            std::int64_t lines = 0;
            for (std::int64_t l = grid.nextBarLine(stand); l <= untilStep && lines <= kMaxEmptyBars;
                 l = grid.nextBarLine(l))
                ++lines;
            if (lines > kMaxEmptyBars) ++out.clamped;
            for (std::int64_t b = 0; b < std::min<std::int64_t>(lines, kMaxEmptyBars); ++b)
                t.push_back(bar);
            if (lines > 0) position = 0;
            const std::int64_t gapStart = lines > 0 ? grid.barStart(untilStep) : stand;
            for (std::int64_t gap = untilStep - gapStart - position; gap > 0; gap -= s.maxShift)
                t.push_back(token(TokenKind::Shift, int(std::min<std::int64_t>(gap, s.maxShift))));
        }
        if (withEos) t.push_back(eos());
        return out;
    }

private:
    /// The first move that makes `bar` from a bar written before: distance 1, 2, 4 untransposed, then
    /// transposed by the smallest interval.
    static std::optional<CopyMove> findCopy(const std::vector<std::vector<BarNote>>& history,
                                            const std::vector<BarNote>& bar) {
        auto matches = [&](int distance, int transpose) {
            if (std::size_t(distance) > history.size()) return false;
            const std::vector<BarNote>& old = history[history.size() - std::size_t(distance)];
            if (old.size() != bar.size()) return false;
            for (std::size_t j = 0; j < bar.size(); ++j) {
                BarNote moved = old[j];
                moved.pitch += transpose;
                if (!(moved == bar[j])) return false;
            }
            return true;
        };
        for (int shift = 0; shift <= kCopyTranspose; ++shift)
            for (int sign : {1, -1}) {
                if (shift == 0 && sign < 0) continue;
                for (int distance : kCopyDistances)
                    if (matches(distance, sign * shift)) return CopyMove{distance, sign * shift};
            }
        return std::nullopt;
    }

    static std::array<TokenRange, kTokenKinds> layout(const TokenizerSettings& s) {
        std::array<TokenRange, kTokenKinds> r{};
        std::int32_t next = 0;
        auto take = [&](TokenKind k, std::int32_t count) {
            r[std::size_t(k)] = {next, count};
            next += count;
        };
        take(TokenKind::Pad, 1);
        take(TokenKind::Bos, 1);
        take(TokenKind::Eos, 1);
        take(TokenKind::Shift, s.maxShift);
        take(TokenKind::Velocity, s.velocityBins);
        take(TokenKind::Pitch, 128);
        take(TokenKind::Duration, s.maxDuration);
        take(TokenKind::Bar, 1);
        take(TokenKind::Texture, 2);
        take(TokenKind::Copy, std::int32_t(kCopyDistances.size()) * (2 * kCopyTranspose + 1));
        return r;
    }
};

} // namespace

std::unique_ptr<Tokenizer> makeBarTokenizer(const TokenizerSettings& settings) {
    return std::make_unique<BarTokenizer>(settings);
}

} // namespace continuo::music::detail
