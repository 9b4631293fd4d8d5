#pragma once
// Songs as token streams for the LSTM, and token streams (possibly generated, imperfect) back to notes.
//
// The vocabulary is fixed by the TokenizerSettings alone, never by the data, so new data can never change a
// tensor's shape. Token ids are std::int32_t in [0, vocabSize()); ids 0, 1, 2 are PAD, BOS, EOS in every
// encoding, and each other kind of token is one contiguous range (range()), so the engine can build
// grammar masks (after PITCH only DUR) and key-lock masks (PITCH ids of the scale) from ranges alone.
//
// "event" encoding, on a grid of stepsPerQuarter steps per quarter note:
//     SHIFT(k) k = 1..S    advance time k steps (a longer gap: several SHIFTs; over maxRest: clamped)
//     VEL(b)   b = 1..B    velocity bin of the following notes (emitted only when it changes)
//     PITCH(p) p = 0..127  a note starts now …
//     DUR(d)   d = 1..D    … and lasts d steps (a longer note is clamped to D)
// A stream is BOS, then per onset (in time order) the SHIFTs that reach it and its notes from the lowest
// pitch up as [VEL] PITCH DUR, then EOS. Notes of one onset have no SHIFT between them, so chords keep
// octave and voicing.
//
// "chord" encoding (the original student method, kept to compare on the same data): one token per onset,
// PITCH(p) when one pitch starts, else CHORD(m) with m = the 12-bit set of pitch classes sounding (1..4095,
// bit c = pitch class c), octaves lost. No time, duration or velocity: decoding places token i at
// i × chordStep steps, each note chordStep steps long, chords in the octave above middle C, velocity 100.
//
// Which notes make a stream: drums (a drum track, or any note on channel 10) never; the rest per the
// settings' InstrumentPolicy. Notes are quantized (Quantize.h) before encoding. A note's origin (user or
// generated) is never in the tokens.

#include "music/BarGrid.h"
#include "music/Quantize.h"
#include "music/Song.h"
#include "music/Texture.h"
#include "music/TokenizerSettings.h"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace continuo::music {

/// Bar, Texture and Copy exist in the "bar" encoding alone (see BarTokenizer.cpp):
///     BAR             the bar ends here: time moves to the next bar line (BarGrid)
///     TEXTURE(t)      after BOS: the stream is a single line (Melody) or piano writing (Piano)
///     COPY(k, t)      first in a bar: this bar repeats the bar k back (k = 1, 2, 4, 8) transposed by t
///                     semitones (−12…12), or moved by ±1…±6 steps of the key so far (a diatonic
///                     sequence, which stays in the key; BarTracker::key); its notes follow as ordinary
///                     tokens, so decoding ignores COPY
enum class TokenKind { Pad, Bos, Eos, Shift, Velocity, Pitch, Duration, Chord, Bar, Texture, Copy, Invalid };
inline constexpr int kTokenKinds = 11; ///< the kinds with ids (all but Invalid)

/// COPY's distances in bars, its transpositions (−kCopyTranspose … kCopyTranspose semitones) and its
/// moves along the key (±1 … ±kCopyScaleSteps degrees; 0 is the untransposed copy, ±7 the octave).
inline constexpr std::array<int, 4> kCopyDistances{1, 2, 4, 8};
inline constexpr int kCopyTranspose = 12;
inline constexpr int kCopyScaleSteps = 6;
/// COPY ids per distance: the semitone moves, then the scale-step moves.
inline constexpr int kCopyMovesPerDistance = 2 * kCopyTranspose + 1 + 2 * kCopyScaleSteps;
struct CopyMove {
    int distance = 1;  ///< bars back: 1, 2, 4 or 8
    int transpose = 0; ///< semitones −12…12, or with `scaleSteps` degrees of the key so far (±1…±6)
    bool scaleSteps = false;
    bool operator==(const CopyMove&) const = default;
};

/// The ids of one kind: [first, first + count). count 0: the encoding has no such token.
struct TokenRange {
    std::int32_t first = 0;
    std::int32_t count = 0;
    std::int32_t end() const { return first + count; }
    bool contains(std::int32_t id) const { return id >= first && id < first + count; }
    bool operator==(const TokenRange&) const = default;
};

/// One encoded stream: BOS … EOS (as EncodeOptions asks).
struct TokenStream {
    std::vector<std::int32_t> tokens;
    std::string part;        ///< what it holds: "all melodic tracks", a track name, "top voice"
    std::size_t notes = 0;   ///< notes encoded (after quantization and the overlap rule)
    std::size_t clamped = 0; ///< DURs clamped to D plus rests shortened to maxRest
};

/// What the bar encoding needs besides the notes: where the bars are, and the stream's texture.
struct GridContext {
    BarGrid bars;                   ///< bar lines, in steps from the song's tick 0
    std::int64_t origin = 0;        ///< the absolute step of the stream's step 0 (decoding a continuation)
    std::optional<Texture> texture; ///< TEXTURE after BOS; unset: detected from the notes
};

struct EncodeOptions {
    bool bos = true; ///< start with BOS
    bool eos = true; ///< end with EOS (leave it off to continue the stream by generation)
    /// ≥ 0: after the last onset, SHIFTs up to this tick (in the notes' ppq), never clamped: where the
    /// engine starts generating. Before the last onset: ignored. Event encoding only.
    std::int64_t untilTick = -1;
    /// Bar encoding: the stream's texture (unset: detected from the notes, Texture.h).
    std::optional<Texture> texture;
    /// Bar encoding, encodeNotes: the meter map the notes' bars follow (empty: 4/4).
    std::vector<TimeSignature> meters;
};

struct DecodeOptions {
    int ppq = 480;              ///< ticks per quarter note of the notes made, 1–32767
    std::int64_t startTick = 0; ///< tick of the stream's step 0
    std::uint8_t channel = 0;   ///< channel of the notes made, 0–15
    /// Bar encoding: the meter map BAR follows (ticks at ppq; empty: 4/4).
    std::vector<TimeSignature> meters;
};

struct Decoded {
    std::vector<Note> notes;  ///< sorted by noteLess, overlap rule applied, origin User
    std::int64_t endTick = 0; ///< the time the stream reached (its last onset plus any trailing SHIFTs)
    std::size_t ignored = 0;  ///< ids outside the vocabulary or out of grammar (DUR without PITCH, PITCH
                              ///< without DUR, a SHIFT/PITCH/DUR token in the chord encoding …)
    bool sawEos = false;      ///< decoding stopped at an EOS
};

/// The melodic notes of a song as the policy sees them, on the grid (sorted, overlap rule applied).
struct MelodicPart {
    std::string name;
    std::vector<GridNote> notes;
};

/// Thread safety: a Tokenizer is immutable after create(); every const member may be called from any
/// number of threads at once.
class Tokenizer {
public:
    /// Throws std::invalid_argument for settings out of range (TokenizerSettings::validate).
    static std::unique_ptr<Tokenizer> create(const TokenizerSettings& settings);
    virtual ~Tokenizer() = default;

    const TokenizerSettings& settings() const { return settings_; }
    std::int32_t vocabSize() const { return vocabSize_; }
    static constexpr std::int32_t pad() { return 0; }
    static constexpr std::int32_t bos() { return 1; }
    static constexpr std::int32_t eos() { return 2; }

    /// The id range of a kind (count 0 when the encoding has none, and for Invalid).
    TokenRange range(TokenKind kind) const;
    /// Invalid for ids outside [0, vocabSize()).
    TokenKind kind(std::int32_t id) const;
    /// The token's number: k of SHIFT, b of VEL, p of PITCH, d of DUR, the pitch-class mask of CHORD;
    /// 0 for PAD/BOS/EOS and Invalid.
    int value(std::int32_t id) const;
    /// The id of (kind, value); throws std::out_of_range if the encoding has no such token.
    std::int32_t token(TokenKind kind, int value) const;
    /// "PITCH(60)", "SHIFT(3)", "CHORD(0,4,7)", "BOS", "<invalid 9999>": for logs and tests.
    std::string tokenName(std::int32_t id) const;

    /// Velocity 1–127 (0 counts as 1, over 127 as 127) → bin 1..B.
    int velocityBin(int velocity) const;
    /// Bin 1..B → the velocity it decodes to (the middle of the bin); bins outside 1..B are clamped.
    int binVelocity(int bin) const;

    /// The melodic parts of `song` per the policy, quantized: what encode() encodes, one part per stream.
    /// Empty when the song has no melodic notes.
    std::vector<MelodicPart> melodicParts(const Song& song) const;

    /// Encodes the melodic notes of `song`: one stream (merge, top-voice) or one per melodic track and
    /// channel (per-track); none when the song has no melodic notes. untilTick is in the song's ticks.
    std::vector<TokenStream> encode(const Song& song, const EncodeOptions& options = {}) const;
    /// Encodes `notes` (in `ppq` ticks) as one part whatever their channels (no drum filtering: the caller
    /// chose them); top-voice policy keeps the top voice. For the engine's seed.
    TokenStream encodeNotes(std::span<const Note> notes, int ppq, const EncodeOptions& options = {}) const;
    /// Encodes grid notes that are sorted and overlap-free (resolveOverlaps) as they are; `untilStep` as
    /// EncodeOptions::untilTick, in steps (−1: none).
    /// `context` is read by the bar encoding alone.
    virtual TokenStream encodeGrid(std::span<const GridNote> notes, bool bos = true, bool eos = true,
                                   std::int64_t untilStep = -1, const GridContext& context = {}) const = 0;

    /// Decodes any id sequence without throwing: out-of-vocabulary ids and tokens out of grammar are
    /// skipped and counted, PAD and BOS are skipped, EOS ends decoding. Grid notes through notesFromGrid.
    Decoded decode(std::span<const std::int32_t> tokens, const DecodeOptions& options = {}) const;
    /// The grid notes a stream holds (overlap rule applied) and the step it ends on; `ignored`/`sawEos`
    /// as in Decoded.
    /// `context` (bar encoding alone): BAR moves to the next bar line after origin + the time so far.
    virtual std::vector<GridNote> decodeGrid(std::span<const std::int32_t> tokens,
                                             std::int64_t* endStep = nullptr, std::size_t* ignored = nullptr,
                                             bool* sawEos = nullptr,
                                             const GridContext& context = {}) const = 0;
    /// decode() into a Song: one track "Decoded" on channel 0, `ppq` ticks per quarter, 120 BPM, 4/4.
    Song decodeSong(std::span<const std::int32_t> tokens, int ppq = 480) const;

    /// Transposes a stream in place by `semitones` (PITCH ids move; CHORD masks rotate). Returns false and
    /// leaves `tokens` unchanged when a pitch would leave 0–127. Other ids are left alone.
    virtual bool transpose(std::span<std::int32_t> tokens, int semitones) const = 0;

    /// Bar encoding: the COPY token of a move, and the move of a COPY id (nullopt for another id).
    std::int32_t copyToken(CopyMove move) const;
    std::optional<CopyMove> copyMove(std::int32_t id) const;
    /// Bar encoding: the TEXTURE token of Melody or Piano (Auto has none).
    std::int32_t textureToken(Texture texture) const;

    /// What the network reads at each step: the token alone (1), or for the bar encoding the token plus
    /// five inputs (6): position in the bar, what the bars 1 and 2 back suggest, the key so far, the bar's
    /// place in a phrase (BarTracker.h).
    int inputsPerStep() const;
    /// Ids of those inputs, [0, inputVocab()): vocabSize() when there is one input per step.
    std::int32_t inputVocab() const;
    /// The inputs of every step of a stream that starts at BOS (or at a bar line), inputsPerStep() ids per
    /// token, token first. For one input per step: the tokens themselves.
    std::vector<std::int32_t> stepInputs(std::span<const std::int32_t> tokens) const;

protected:
    /// `ranges` indexed by TokenKind (Pad … Chord), contiguous from 0.
    Tokenizer(const TokenizerSettings& settings, const std::array<TokenRange, kTokenKinds>& ranges);

private:
    TokenizerSettings settings_;
    std::array<TokenRange, kTokenKinds> ranges_;
    std::int32_t vocabSize_ = 0;
    std::vector<std::uint8_t> binOfVelocity_; ///< index 0–127
    std::vector<std::uint8_t> velocityOfBin_; ///< index 1..B
};

/// The highest note of each onset, each cut to end at the next onset (≥ 1 step): the top-voice policy.
std::vector<GridNote> topVoice(std::span<const GridNote> notes);

} // namespace continuo::music
