#pragma once
// Offline rendering of a Song through FluidSynth: as fast as the CPU allows, with every event placed at
// its own sample position, into a WAV file or any consumer of audio blocks.

#include "music/Song.h"
#include "playback/WavWriter.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>

namespace continuo::playback {

struct RenderOptions {
    std::filesystem::path soundFont; ///< empty: the default lookup (SoundFonts.h)
    int sampleRate = 44100;          ///< Hz: 44100 or 48000 (22050–96000 accepted)
    SampleFormat format = SampleFormat::Int16;
    double gain = 0.5;        ///< as SynthOptions::gain
    double tailSeconds = 2.0; ///< 0–60 s of audio after the last note ends, for releases and reverb
};

struct RenderResult {
    std::int64_t frames = 0; ///< stereo frames produced
    int sampleRate = 0;
    double audioSeconds = 0;
    double wallSeconds = 0; ///< time spent rendering (SoundFont loading excluded)
    double loadSeconds = 0; ///< time spent loading the SoundFont
    std::filesystem::path soundFont;
    bool cancelled = false;
    /// The loudest sample rendered, 0–1 of full scale (before the 16-bit conversion clips it).
    double peak = 0;
    /// Notes the song asked the synth to play (drums included).
    std::size_t notes = 0;
    /// The song has notes but nothing louder than −74 dBFS (a few steps of 16-bit dither) came out: a
    /// SoundFont with no sound for the song's instruments (damaged samples, a kit without melodic presets)
    /// or gain 0. Worth a warning: the WAV is written, but the user would otherwise find out by listening.
    bool silent() const { return notes > 0 && !cancelled && peak < kSilentPeak; }
    static constexpr double kSilentPeak = 2e-4;
    /// Audio seconds per wall-clock second (× real time).
    double speed() const { return wallSeconds > 0 ? audioSeconds / wallSeconds : 0; }
};

/// A block of interleaved stereo audio: exactly one of `s16` / `f32` is set, per RenderOptions::format.
struct AudioBlock {
    const std::int16_t* s16 = nullptr;
    const float* f32 = nullptr;
    int frames = 0;
};

/// Called on the rendering thread with the fraction done (0–1); return false to cancel.
using RenderProgress = std::function<bool(double)>;

/// Renders `song` (programs per track, tempo map) plus the tail. `consume` gets the blocks in order, on
/// the calling thread. Throws PlaybackError (SoundFont problems, InvalidArgument for the options).
RenderResult renderSong(const music::Song& song, const RenderOptions& options,
                        const std::function<void(const AudioBlock&)>& consume,
                        const RenderProgress& progress = {});

/// renderSong into a stereo WAV file at `out`, written atomically: a cancelled or failed render leaves no
/// file behind. Throws PlaybackError (also WriteFailed).
RenderResult renderSongToWav(const music::Song& song, const std::filesystem::path& out,
                             const RenderOptions& options = {}, const RenderProgress& progress = {});

} // namespace continuo::playback
