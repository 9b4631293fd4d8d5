#pragma once
// What a tokenizer is: the few numbers that fix its vocabulary. A model file stores them (toString) and
// refuses a tokenizer whose settings differ; the corpus cache is keyed by them.

#include <optional>
#include <string>
#include <string_view>

namespace continuo::music {

/// How notes become tokens (see Tokenizer.h for both grammars).
enum class Encoding {
    Event, ///< SHIFT / VEL / PITCH / DUR: durations, rests, velocity, octaves and voicing survive
    Chord, ///< the original student method: one token per onset (a pitch, or a chord's pitch classes)
    /// The event tokens with the bar made explicit (issue 15): every bar ends with BAR (SHIFTs never cross
    /// a bar line), a stream opens with its TEXTURE, a bar may be a COPY of the bar 1, 2, 4 or 8 back
    /// (transposed by up to an octave, or moved along the key so far), and the network gets the position
    /// in the bar, what the bars 1, 2 and 4 back would play next, the key so far and the bar's place in
    /// its phrase as inputs beside each token (BarTracker.h).
    Bar
};

/// Which notes of a multi-track file make the melodic data. Drums (channel 10) are always left out.
enum class InstrumentPolicy {
    Merge,    ///< every melodic track in one stream (the default)
    PerTrack, ///< one stream per melodic track and channel
    TopVoice, ///< one stream holding the highest note of each onset, cut to end at the next onset
    /// every melodic track merged (as Merge), plus each track that plays a single line (Texture.h) as a
    /// stream of its own: the data of a model that writes both piano parts and melodies
    Textures
};

struct TokenizerSettings {
    Encoding encoding = Encoding::Event;
    InstrumentPolicy policy = InstrumentPolicy::Merge;
    /// Grid resolution, 1–96 steps per quarter note. 12 puts sixteenths (3) and eighth-note triplets (4)
    /// on the grid.
    int stepsPerQuarter = 12;
    /// S, the longest single SHIFT in steps (1–1024); longer gaps take several SHIFTs. 48 = one 4/4 bar.
    int maxShift = 48;
    /// B, the number of velocity bins (1–127); bin b covers an equal share of velocities 1–127.
    int velocityBins = 8;
    /// D, the longest DUR in steps (1–4096); longer notes are clamped to it (and counted as clamped).
    /// 96 = two 4/4 bars.
    int maxDuration = 96;
    /// The longest silence kept between two onsets, in steps (0 = no limit, else ≥ 1). A longer one is
    /// shortened to it (and counted as clamped), so that a track resting for 40 bars costs a few SHIFTs,
    /// not 40. 192 = four 4/4 bars.
    int maxRest = 192;
    /// Chord encoding only: steps between consecutive onsets when decoding (1–4096; the original placed
    /// every token an eighth note apart: 6 at 12 steps per quarter).
    int chordStep = 6;

    bool operator==(const TokenizerSettings&) const = default;

    /// A stable one-line form, e.g. "encoding=event policy=merge spq=12 shift=48 vel=8 dur=96 rest=192
    /// chordstep=6". parse(toString()) == *this.
    std::string toString() const;
    /// Reads toString's form; missing keys keep their defaults. Throws std::invalid_argument naming the
    /// first unknown key, malformed value or out-of-range setting.
    static TokenizerSettings parse(std::string_view text);
    /// Throws std::invalid_argument naming the first setting out of its range.
    void validate() const;
};

const char* encodingName(Encoding e);                            ///< "event", "chord"
std::optional<Encoding> encodingFromName(std::string_view name); ///< nullopt for an unknown name
const char* policyName(InstrumentPolicy p);                      ///< "merge", "per-track", "top-voice"
std::optional<InstrumentPolicy> policyFromName(std::string_view name);

} // namespace continuo::music
