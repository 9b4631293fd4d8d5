#pragma once
// Play / stop / loop / seek as the studio sees them. `app/` implements it on core/playback's Player (which
// owns its real-time thread) and hands it to the TransportController; without a player the studio runs with
// no transport and shows "no audio" instead of a Play button that does nothing.

#include "music/Song.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace continuo::ui {

struct LoopRange {
    std::int64_t start = 0; ///< ticks
    std::int64_t end = 0;   ///< ticks, > start
};

/// Thread contract: every method is called on the GUI thread and returns without waiting on audio.
/// position() may be polled at display rate (a QTimer in the studio); it must be lock-free on the player
/// side.
class ITransport {
public:
    virtual ~ITransport() = default;
    /// Why sound is unavailable ("no audio device", "no SoundFont found"), or empty when it works.
    virtual std::string unavailableReason() const = 0;
    /// Starts playing a copy of `song` from `fromTick`; replaces anything playing.
    virtual void play(const music::Song& song, std::int64_t fromTick) = 0;
    /// Stops and sends all-notes-off.
    virtual void stop() = 0;
    virtual bool isPlaying() const = 0;
    /// Loops [start, end) while playing; nullopt plays through.
    virtual void setLoop(std::optional<LoopRange> loop) = 0;
    /// Current playhead in ticks of the song given to play().
    virtual std::int64_t position() const = 0;
    /// Called by renderWav on ITS (worker) thread with the fraction done, 0–1, rising, about every half
    /// second of audio; returning false cancels the render at that point. Must not block or touch widgets.
    using RenderProgress = std::function<bool(double fraction)>;
    /// Renders `song` to a WAV file at `path` (blocking: call it from a worker thread). The file appears only
    /// when complete (written to a temporary file, renamed onto `path`): a cancelled or failed render leaves
    /// whatever was at `path` before untouched. Returns false when `progress` cancelled it, true when the
    /// file was written; throws std::runtime_error when it could not be (the message says why).
    virtual bool renderWav(const music::Song& song, const std::string& path,
                           const RenderProgress& progress = {}) = 0;

    /// True while the transport prepares its sound (a SoundFont loading on a worker): unavailableReason()
    /// then says so and play() does nothing; a state listener hears when it is over.
    virtual bool isLoading() const { return false; }

    /// Called after isLoading() or unavailableReason() changed (or playback was stopped by a change of
    /// output), with one sentence for the status bar ("Loaded FluidR3_GM.sf2", "Could not load x.sf2: …;
    /// the previous SoundFont stays") or "". Thread contract: always on the GUI thread, queued from the
    /// event loop, never from inside a call into the transport.
    using StateListener = std::function<void(const std::string& notice)>;
    /// Replaces the listener (an empty one removes it: do so before the listener's owner goes). The
    /// default transport never changes state and ignores it.
    virtual void setStateListener(StateListener listener) { (void)listener; }
};

} // namespace continuo::ui
