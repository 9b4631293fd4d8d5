#include "playback/OfflineRender.h"

#include "playback/PlaybackError.h"
#include "playback/Synth.h"
#include "playback/Timeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

namespace continuo::playback {

namespace {
using Clock = std::chrono::steady_clock;
constexpr int kBlockFrames = 4096;
} // namespace

RenderResult renderSong(const music::Song& song, const RenderOptions& options,
                        const std::function<void(const AudioBlock&)>& consume,
                        const RenderProgress& progress) {
    if (!(options.tailSeconds >= 0 && options.tailSeconds <= 60)) {
        throw PlaybackError(ErrorKind::InvalidArgument, "render tail must be 0–60 s");
    }
    const auto loadStart = Clock::now();
    SynthOptions synthOptions;
    synthOptions.soundFont = options.soundFont;
    synthOptions.sampleRate = options.sampleRate;
    synthOptions.gain = options.gain;
    synthOptions.audioDriver = "none";
    Synth synth(synthOptions);
    const Timeline timeline(song);

    RenderResult result;
    result.sampleRate = options.sampleRate;
    result.soundFont = synth.soundFont();
    const auto start = Clock::now();
    result.loadSeconds = std::chrono::duration<double>(start - loadStart).count();
    for (const music::Track& t : song.tracks)
        result.notes += t.notes.size();

    for (const MidiMessage& m : timeline.setup)
        synth.send(m);
    const double rate = options.sampleRate;
    const std::int64_t total = std::llround((timeline.endSeconds + options.tailSeconds) * rate);
    auto frameOf = [&](const TimedEvent& e) { return std::int64_t(std::llround(e.seconds * rate)); };

    const bool isFloat = options.format == SampleFormat::Float32;
    std::vector<std::int16_t> s16(isFloat ? 0 : 2 * kBlockFrames);
    std::vector<float> f32(isFloat ? 2 * kBlockFrames : 0);
    const std::int64_t progressStep = std::max<std::int64_t>(kBlockFrames, std::llround(rate / 2));
    std::int64_t nextProgress = progressStep;

    std::size_t i = 0;
    std::int64_t frame = 0;
    while (frame < total) {
        // Events are applied between writes, so each starts at its own sample (FluidSynth then rounds it
        // to its 64-sample block, deterministically).
        while (i < timeline.events.size() && frameOf(timeline.events[i]) <= frame)
            synth.send(timeline.events[i++].message);
        std::int64_t next = std::min(total, frame + kBlockFrames);
        if (i < timeline.events.size()) next = std::min(next, frameOf(timeline.events[i]));
        const int n = int(next - frame);
        AudioBlock block;
        block.frames = n;
        if (isFloat) {
            synth.renderInterleaved(f32.data(), n);
            block.f32 = f32.data();
            for (int k = 0; k < 2 * n; ++k)
                result.peak = std::max(result.peak, double(std::fabs(f32[std::size_t(k)])));
        } else {
            synth.renderInterleaved(s16.data(), n);
            block.s16 = s16.data();
            for (int k = 0; k < 2 * n; ++k)
                result.peak = std::max(result.peak, std::abs(int(s16[std::size_t(k)])) / 32768.0);
        }
        consume(block);
        frame = next;
        if (progress && frame >= nextProgress) {
            nextProgress += progressStep;
            if (!progress(double(frame) / double(total))) {
                result.cancelled = true;
                break;
            }
        }
    }
    result.frames = frame;
    result.audioSeconds = double(frame) / rate;
    result.wallSeconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (progress && !result.cancelled) progress(1.0);
    return result;
}

RenderResult renderSongToWav(const music::Song& song, const std::filesystem::path& out,
                             const RenderOptions& options, const RenderProgress& progress) {
    WavWriter writer(out, options.sampleRate, 2, options.format);
    RenderResult result = renderSong(
        song, options,
        [&](const AudioBlock& b) {
            if (b.f32) {
                writer.write(b.f32, b.frames);
            } else {
                writer.write(b.s16, b.frames);
            }
        },
        progress);
    if (!result.cancelled) writer.finish();
    return result;
}

} // namespace continuo::playback
