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
    /// Renders `song` to a WAV file (blocking: call it from a worker thread); throws std::runtime_error.
    virtual void renderWav(const music::Song& song, const std::string& path) = 0;
};

} // namespace continuo::ui
