// The "bar" encoding (issue 15): the event tokens with every bar closed by BAR, the stream's TEXTURE after
// BOS, and COPY moves for bars that repeat the bar 1, 2, 4 or 8 back (transposed or not). The grammar is in
// Tokenizer.h; the network's extra inputs come from BarTracker.h.

#include "music/BarTracker.h"
#include "music/Scales.h"
#include "music/TokenizerImpl.h"

#include <algorithm>
#include <limits>

namespace continuo::music::detail {
namespace {

/// Empty bars always kept in a row; a longer silence loses whole 8-bar phrases beyond them (counted as
/// clamped, like maxRest), so that it costs at most 11 BARs and the bar-in-phrase count stays the song's.
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
        std::vector<std::vector<BarNote>> history;  // the bars written, oldest first
        std::array<std::size_t, 12> pitchClasses{}; // their notes, as BarTracker counts them for the key
        int bin = 0;                                // none yet: the first note always says its velocity
        std::int64_t line = 0;                      // the line of the bar being read, in the notes' steps
        std::int64_t stand = 0;                     // the line of the bar the stream stands in
        std::int64_t position = 0;                  // where the stream stands in that bar
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
                // A long silence: whole phrases of it are left out, so that the bars kept still count the
                // song's bar in its phrase (BarTracker's input); the rest is written as empty bars. The
                // cost is one step whatever the silence's length.
                const std::int64_t silent = grid.barIndex(notes[i].step) - grid.barIndex(line);
                const std::int64_t drop = silent / BarTracker::kPhrase * BarTracker::kPhrase;
                emptyRun = std::numeric_limits<int>::min() / 2; // the rest of this silence is kept
                if (drop > 0) {
                    ++out.clamped;
                    line = grid.barLine(grid.barIndex(line) + drop);
                    continue;
                }
            }
            if (!here.empty()) {
                emptyRun = 0;
                if (const auto move = findCopy(history, here, keyOfPitchClasses(pitchClasses)))
                    t.push_back(copyToken(*move));
                for (const BarNote& n : here)
                    ++pitchClasses[std::size_t(n.pitch % 12)];
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
            // The rest up to where generation starts: its bar lines, less whole phrases beyond the first
            // kMaxEmptyBars (as a silence between notes), then SHIFTs within the bar (the position in the
            // bar is what the continuation needs).
            const std::int64_t lines = grid.barIndex(untilStep) - grid.barIndex(stand);
            std::int64_t kept = lines;
            if (lines > kMaxEmptyBars) kept = kMaxEmptyBars + (lines - kMaxEmptyBars) % BarTracker::kPhrase;
            if (kept < lines) ++out.clamped;
            for (std::int64_t b = 0; b < kept; ++b)
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
    /// The first move that makes `bar` from a bar written before: distance 1, 2, 4, 8 untransposed, then
    /// moved by the fewest steps of the key so far (`key`, BarTracker::key; none when 12), then transposed
    /// by the smallest interval. A sequence that stays in the key is thus a scale-step move.
    static std::optional<CopyMove> findCopy(const std::vector<std::vector<BarNote>>& history,
                                            const std::vector<BarNote>& bar, int key) {
        auto matches = [&](int distance, auto&& move) {
            if (std::size_t(distance) > history.size()) return false;
            const std::vector<BarNote>& old = history[history.size() - std::size_t(distance)];
            if (old.size() != bar.size()) return false;
            for (std::size_t j = 0; j < bar.size(); ++j) {
                BarNote moved = old[j];
                moved.pitch = move(moved.pitch);
                if (!(moved == bar[j])) return false;
            }
            return true;
        };
        for (int distance : kCopyDistances)
            if (matches(distance, [](int p) { return p; })) return CopyMove{distance, 0, false};
        if (key < 12)
            for (int steps = 1; steps <= kCopyScaleSteps; ++steps)
                for (int sign : {1, -1})
                    for (int distance : kCopyDistances)
                        if (matches(distance, [&](int p) { return moveByScaleSteps(p, key, sign * steps); }))
                            return CopyMove{distance, sign * steps, true};
        for (int shift = 1; shift <= kCopyTranspose; ++shift)
            for (int sign : {1, -1})
                for (int distance : kCopyDistances)
                    if (matches(distance, [&](int p) { return p + sign * shift; }))
                        return CopyMove{distance, sign * shift, false};
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
        take(TokenKind::Copy, std::int32_t(kCopyDistances.size()) * kCopyMovesPerDistance);
        return r;
    }
};

} // namespace

std::unique_ptr<Tokenizer> makeBarTokenizer(const TokenizerSettings& settings) {
    return std::make_unique<BarTokenizer>(settings);
}

} // namespace continuo::music::detail
