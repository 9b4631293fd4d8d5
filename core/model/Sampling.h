#pragma once
// What may be generated next, and how one token is drawn: the grammar of an encoding as a mask over the
// vocabulary, key/scale and pitch-range masks, and temperature / top-k / top-p sampling with a seeded RNG
// on the CPU (so results never depend on the device the network ran on). No LibTorch here.

#include "composer/Composer.h"
#include "music/Tokenizer.h"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace continuo::model {

// Scale ids, names and pitch classes: music/Scales.h; pitch-class names: music/PitchNames.h.

/// Which MIDI pitches may be generated: the key lock and the pitch range together.
std::array<bool, 128> allowedPitches(const std::optional<KeyLock>& key, int minPitch, int maxPitch);

/// The decoding state of one stream, and the ids that may follow it so that the stream always decodes with
/// nothing ignored. Event encoding: after PITCH only DUR; after VEL only PITCH; within one onset pitches
/// rise (a pitch not above the onset's last is never offered); a VEL only when a pitch can follow it and
/// only when it changes the bin; EOS, PAD and BOS never (generation stops at the requested length). Chord
/// encoding: any allowed PITCH or CHORD (a CHORD when all its pitch classes are allowed in the octave it
/// decodes to). Time is counted in grid steps from the first token fed.
class TokenGrammar {
public:
    TokenGrammar(const music::Tokenizer& tokenizer, const std::array<bool, 128>& pitches);
    /// Advances the state by one id (any id; out-of-grammar ids are tolerated so a seed can be replayed).
    void feed(std::int32_t id);
    /// Resets the time count to 0 (the state of the stream stays): called where generation starts.
    void resetTime() { steps_ = 0; }
    /// From here on, no SHIFT until a PITCH has come (event encoding; the chord encoding has no rests to
    /// forbid): with no notes before it, the first note sounds where the generation starts. Many training
    /// pieces open on a rest, and from BOS alone 3 of 8 seeds of the shipped model began after 1–2 silent
    /// bars.
    void noteFirst() { noteFirst_ = true; }
    /// Bar encoding: where the bars are, and the absolute step of time 0 (call after resetTime). From here
    /// on a SHIFT never reaches the bar line (BAR does that) and BAR moves time to the next bar line.
    void setBars(const music::BarGrid& bars, std::int64_t originStep) {
        bars_ = bars;
        origin_ = originStep;
    }
    /// Melody texture: one note per onset (no second PITCH before time moves on).
    void setMelody(bool melody) { melody_ = melody; }
    /// mask[id] = 1 when id may come next; mask.size() == vocabSize. At least one id is always allowed.
    /// COPY is never offered here (DecodeRow knows whether the bar it names exists).
    void allowed(std::vector<std::uint8_t>& mask) const;
    std::int64_t steps() const { return steps_; }
    int velocityBin() const { return velocityBin_; } ///< the current VEL bin, 0 = none yet

private:
    const music::Tokenizer& tok_;
    std::array<bool, 128> pitches_;
    std::vector<std::uint8_t> chordOk_; ///< chord encoding: per CHORD id
    music::TokenKind last_ = music::TokenKind::Bos;
    int lastPitchInOnset_ = -1;
    int velocityBin_ = 0;
    std::int64_t steps_ = 0;
    bool noteFirst_ = false;
    std::optional<music::BarGrid> bars_;
    std::int64_t origin_ = 0;
    bool melody_ = false;
};

struct SamplingOptions {
    double temperature = 1.0; ///< > 0
    int topK = 0;             ///< 0 = off
    double topP = 1.0;        ///< (0, 1]; 1 = off
    /// (0, 1]; 1 = off. A nucleus over the pitch tokens alone, applied first: of the pitches offered, only
    /// the most likely ones whose share of the pitch probability reaches this stay. It trims the unlikely
    /// (mostly out-of-key) pitches without narrowing the choice of rhythm the way a lower topP does.
    double pitchTopP = 1.0;
};

/// A small seeded generator (SplitMix64), identical on every platform.
class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed)
        : state_(seed) {}
    std::uint64_t next();
    double uniform() { return double(next() >> 11) * 0x1.0p-53; } ///< [0, 1)

private:
    std::uint64_t state_;
};

/// Draws one id from `logits` (size vocab) restricted to `mask`: masked softmax at `temperature`, then
/// top-k, then top-p (the smallest set of most likely ids whose mass reaches p). Deterministic for a given
/// RNG state. `scratch` avoids allocation per call.
/// `pitchTokens` (size vocab, or empty when pitchTopP is 1) marks the pitch ids options.pitchTopP acts on.
std::int32_t sampleToken(std::span<const float> logits, std::span<const std::uint8_t> mask,
                         const SamplingOptions& options, SplitMix64& rng,
                         std::vector<std::pair<float, std::int32_t>>& scratch,
                         std::span<const std::uint8_t> pitchTokens = {});
/// The ids options.pitchTopP acts on: PITCH tokens, and CHORD tokens of the chord encoding.
std::vector<std::uint8_t> pitchTokenMask(const music::Tokenizer& tokenizer);

} // namespace continuo::model
