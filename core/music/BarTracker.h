#pragma once
// Reading a "bar" encoding stream as it goes (Tokenizer.h): which bar and where in it the stream stands,
// what the bars before held, and from that the network's inputs beside each token and the notes a COPY
// stands for. The trainer (through Tokenizer::stepInputs) and the decoder (one tracker per variation)
// use this one class, so both see the same inputs.
//
// The inputs after a token, for the next prediction (Magenta's lookback encoding, in musical time):
//   position  — steps since the bar began (clamped to kPositions − 1);
//   lookback k (k = 1, 2, 4) — the token that the bar k back would play next from the same point: at a
//     position where that bar had an onset, its next pitch there (or, after a PITCH, that note's DUR);
//     otherwise the SHIFT to its next onset, or BAR when it had none left. "None" before there is such a
//     bar. Repeating a bar token by token is then "take the lookback"; the COPY move does it in one step.
//   key — the major scale (or its relative minor) that best fits the stream's notes so far;
//   bar in phrase — BAR tokens since BOS, mod 8.
// The 4-bar lookback lets the network see the phrase's opening bar when the next phrase begins. Input ids:
// token [0, V), position V + p, lookback k at V + P + i·(V + 1) + (id or V) for the i-th distance, then
// key and bar in phrase.

#include "music/Tokenizer.h"

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

namespace continuo::music {

/// A note of a bar as the stream holds it: position in the bar, pitch, DUR and velocity bin.
struct BarNote {
    std::int64_t position = 0;
    int pitch = 60;
    int length = 1; ///< in steps, as its DUR says (≤ maxDuration)
    int velocityBin = 1;
    bool operator==(const BarNote&) const = default;
};

class BarTracker {
public:
    /// Positions the network tells apart: 96 = a bar of 8 quarters at 12 steps per quarter.
    static constexpr int kPositions = 96;
    static constexpr std::array<int, 3> kLookbacks{1, 2, 4};
    static constexpr int kInputs = 3 + int(kLookbacks.size()); ///< besides the token
    static constexpr int kKeys = 13;  ///< key input values: 12 major tonics (relative minors alike), none
    static constexpr int kPhrase = 8; ///< bar-in-phrase input values

    /// `tokenizer` must outlive the tracker (any encoding; only the bar encoding's ids mean anything).
    explicit BarTracker(const Tokenizer& tokenizer);

    /// Advances by one id. Out-of-grammar ids are tolerated (a DUR without PITCH is ignored).
    void feed(std::int32_t id);
    /// The inputs after the last id fed (ids in [vocab, inputVocab)): position, lookback 1, 2 and 4, key,
    /// bar in phrase.
    std::array<std::int32_t, kInputs> inputs() const;

    /// Steps since the current bar began.
    std::int64_t position() const { return position_; }
    /// True while the current bar holds nothing yet: no SHIFT, no note, no COPY (where COPY may stand).
    bool atBarStart() const { return atBarStart_; }
    /// BAR tokens fed since BOS.
    std::int64_t bars() const { return bars_; }
    int velocityBin() const { return velocityBin_; } ///< 0 = none yet
    /// The key so far (keyOfPitchClasses of every note fed): the major tonic 0–11, 12 = no note yet. A
    /// scale-step COPY moves along this key.
    int key() const { return key_; }
    /// The bar `distance` back (1 = the previous bar), nullptr when the stream has no such bar.
    const std::vector<BarNote>* barBack(int distance) const;
    /// The notes of the current bar so far.
    const std::vector<BarNote>& currentBar() const { return current_; }

    /// The tokens that follow COPY(move) at a bar start: the bar move.distance back transposed (or moved
    /// along key()), from the current velocity bin. nullopt when that bar does not exist, is empty, a pitch
    /// would leave 0–127, or a scale-step move has no key yet.
    std::optional<std::vector<std::int32_t>> copyContent(CopyMove move) const;
    /// The pitches of the bar move.distance back after the move (nullopt as copyContent).
    std::optional<std::vector<int>> copyPitches(CopyMove move) const;

private:
    std::int32_t lookback(int distance) const;

    const Tokenizer* tok_;
    std::deque<std::vector<BarNote>> history_; ///< the last 8 finished bars (COPY's farthest), newest first
    std::vector<BarNote> current_;
    std::int64_t position_ = 0;
    std::int64_t bars_ = 0;
    int onsetNotes_ = 0; ///< notes already at the current position in this bar
    int pendingPitch_ = -1;
    int velocityBin_ = 0;
    bool atBarStart_ = true;
    std::array<std::size_t, 12> pitchClasses_{}; ///< the stream's notes so far, per pitch class
    int key_ = 12;                               ///< the key input: major tonic 0–11, 12 = none yet
};

/// The key input of a stream whose notes so far count `pitchClasses` (C first): the tonic of the best
/// fitting major scale, or of the relative major of the best fitting minor one (bestScale); 12 when there
/// is no note. The tracker and the bar encoder's COPY search share it.
int keyOfPitchClasses(const std::array<std::size_t, 12>& pitchClasses);

/// The tokens of one bar's notes (sorted by position, then pitch) from position 0, as the bar encoding
/// writes them: SHIFTs to each onset, VEL when the bin changes from `velocityBin` (updated), PITCH, DUR.
std::vector<std::int32_t> barTokens(const Tokenizer& tokenizer, std::span<const BarNote> notes,
                                    int& velocityBin, int transpose = 0);

} // namespace continuo::music
