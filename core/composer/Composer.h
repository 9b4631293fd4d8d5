#pragma once
// The engine as the studio and the CLI see it: generate notes that continue a song. No LibTorch here;
// the LSTM implementation (issue "engine") lives behind this interface in core/model, and tests or the
// studio can hand in any other implementation.

#include "music/Scales.h"
#include "music/Song.h"
#include "music/Texture.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace continuo::model {

/// Scales the key lock knows: one definition in core/music (ids, names, pitch classes: music/Scales.h).
using Scale = music::Scale;

struct KeyLock {
    int tonic = 0; ///< pitch class of the key's root, 0 = C … 11 = B
    Scale scale = Scale::Major;
};

enum class GenerateMode {
    Continue,   ///< append after `fromTick`, conditioned on the notes before it
    Regenerate, ///< replace [rangeStart, rangeEnd): left context = notes before it; notes after it stay
    FromScratch ///< no seed notes
};

/// The latest tick a generation may start or end at: 2^40 ticks (at 480 ticks a quarter, 120 BPM, about
/// 36 years of music). Later ticks cannot be meant, and grid arithmetic on them would overflow; a request
/// that reaches past it is refused with one sentence.
inline constexpr std::int64_t kMaxGenerateTick = std::int64_t(1) << 40;

struct GenerateRequest {
    GenerateMode mode = GenerateMode::Continue;
    music::Song song;            ///< the seed: its tempo map, meter and ppq define bars and ticks
    int track = 0;               ///< index into song.tracks of the track to continue (seed notes)
    std::int64_t fromTick = -1;  ///< Continue: where new notes start; −1 = end of the track's last note
                                 ///< (≤ kMaxGenerateTick with the bars asked for)
    std::int64_t rangeStart = 0; ///< Regenerate: the time range, in ticks
    std::int64_t rangeEnd = 0;
    int bars = 4;             ///< length to generate, in bars of the song's meter, 1–256
    double temperature = 1.0; ///< > 0; 1 = the model's distribution
    int topK = 0;             ///< 0 = off
    double topP = 0.95;       ///< nucleus sampling, (0, 1]; 1 = off
    /// Nucleus over the pitches alone, (0, 1]; 1 = off (SamplingOptions::pitchTopP). 0.75 is Continuo's
    /// default: on the shipped model it keeps 8 continuations of a C-major tune 92–95 % in the best-fitting
    /// scale (0.84 with 1) with as many durations as before (resources/models/continuo-default.md).
    double pitchTopP = 0.75;
    int variations = 1;           ///< 1–8 independent results (one batch)
    std::uint64_t randomSeed = 0; ///< same request + seed → same notes
    std::optional<KeyLock> key;   ///< only pitches of this key are generated
    int minPitch = 0;             ///< generated pitches stay within [minPitch, maxPitch], MIDI 0–127
    int maxPitch = 127;
    /// Single line or piano writing; Auto = the seed's (music::detectTexture). A model without texture
    /// conditioning ignores it.
    music::Texture texture = music::Texture::Auto;
    /// How readily the model repeats a bar from 1, 2, 4 or 8 bars back (its COPY moves), 0–1:
    /// 0 = free (never copies a whole bar), 0.5 = as learnt from the data (the default), 1 = repetitive.
    /// A model without COPY moves ignores it.
    double structure = 0.5;
};

struct GenerateResult {
    /// One entry per variation: the new notes only, in the request song's ticks, sorted, with
    /// origin = NoteOrigin::Generated and the channel of the requested track.
    std::vector<std::vector<music::Note>> variations;
    double seconds = 0; ///< wall time spent
};

/// Progress of a long call: fraction 0–1 and a short stage text ("reading seed", "step 120 of 480").
using ProgressFn = std::function<void(double fraction, const std::string& stage)>;

/// What a model is, for the settings dialog and `continuo-cli info`.
struct ModelDescription {
    std::string name;    ///< e.g. "Continuo default (compact)"
    std::string path;    ///< file it was loaded from ("" for built-in)
    std::string summary; ///< one paragraph: corpus, preset, epochs, losses, device, date
};

/// Thread contract: an implementation is used from one thread at a time (the engine worker). generate()
/// blocks that thread; `progress` is called on it; `cancel` may be set from any thread and is checked
/// between steps, after which generate() returns what it has (possibly nothing) without throwing.
/// Errors (a request out of range, a model that cannot run) throw std::runtime_error with one sentence.
class Composer {
public:
    virtual ~Composer() = default;
    virtual ModelDescription describe() const = 0;
    virtual GenerateResult generate(const GenerateRequest& request, const ProgressFn& progress,
                                    const std::atomic<bool>& cancel) = 0;
};

} // namespace continuo::model
