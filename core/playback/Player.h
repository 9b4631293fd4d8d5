#pragma once
// Plays a Song into a MidiSink (the Synth or a MIDI output port) from its own thread: start, stop, seek,
// a loop range, the tempo map, a playhead for the UI, and every note released on stop, seek and exit.

#include "music/Song.h"
#include "playback/MidiSink.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <semaphore>
#include <thread>

namespace continuo::playback {

struct Timeline;
template <class T> class SpscQueue;

/// A loop over song ticks [startTick, endTick), endTick > startTick ≥ 0.
struct LoopRange {
    std::int64_t startTick = 0;
    std::int64_t endTick = 0;
    bool operator==(const LoopRange&) const = default;
};

/// Thread contract. Control calls (setSong, play, stop, seek, setLoop, the destructor) come from ONE
/// thread, the GUI thread in the studio; they never block on the player thread: each posts a command on a
/// lock-free queue and returns. The query calls (isPlaying, position*, endedCount) may be made from any
/// thread (commandsPosted: the control thread only). The player thread owns the schedule; it allocates
/// nothing and takes no lock of its own. What the sink's library does is its own: FluidSynth's sequencer
/// queue takes a short mutex and may grow; RtMidi and JackMidiOut write to lock-free ring buffers.
///
/// Timing: events go to the sink up to sink.lookaheadSeconds() ahead, stamped on the sink's clock. The
/// Synth's clock is its sample clock, so timing is sample-accurate (to FluidSynth's 64-sample block);
/// JackMidiOut places each event on its JACK frame; a MidiOut port gets each event at its moment on the
/// steady clock (RtMidi's JACK back end then delivers it at the next cycle).
class Player {
public:
    /// `sink` must outlive the player. Starts the player thread (stopped, no song).
    explicit Player(MidiSink& sink);
    /// Releases every sounding note, sends all-notes-off, and joins the thread.
    ~Player();
    Player(const Player&) = delete;
    Player& operator=(const Player&) = delete;

    /// Compiles `song` (on the calling thread) and hands it over. The position (in ticks) is kept; if
    /// playing, sounding notes are released and playback continues in the new song from there.
    void setSong(const music::Song& song);
    /// Plays from the position (from the start when the position is at or past the end). No effect
    /// without a song or when already playing.
    void play();
    /// Stops and releases every sounding note; the position stays where the sound was.
    void stop();
    /// Moves the position to `tick` (≥ 0); when playing, releases sounding notes and plays on from there.
    void seek(std::int64_t tick);
    /// Loops [startTick, endTick) while playing, once the playhead is before endTick; nullopt: no loop.
    /// An empty or inverted range counts as no loop.
    void setLoop(std::optional<LoopRange> loop);

    /// Any thread. True from play() being taken up until stop(), seek-free end of song, or destruction.
    bool isPlaying() const { return playing_.load(std::memory_order_acquire); }
    /// Any thread: the tick now sounding (refreshed every ≤ 10 ms while playing).
    std::int64_t positionTick() const { return positionTick_.load(std::memory_order_acquire); }
    /// Any thread: seconds from the song's start to the playhead, through the tempo map.
    double positionSeconds() const { return positionSeconds_.load(std::memory_order_acquire); }
    /// Any thread: how many times playback reached the end of the song by itself (and stopped).
    std::uint64_t endedCount() const { return ended_.load(std::memory_order_acquire); }
    /// Any thread: how many commands the player thread has taken up; with commandsPosted(), lets a caller
    /// poll until a command is in effect.
    std::uint64_t commandsTaken() const { return taken_.load(std::memory_order_acquire); }
    std::uint64_t commandsPosted() const { return posted_; } ///< control thread only

private:
    struct Command;
    struct State;
    void post(const Command& c);
    void collectRetired();
    void run();

    MidiSink& sink_;
    std::unique_ptr<SpscQueue<Command>> commands_;  ///< control thread → player thread
    std::unique_ptr<SpscQueue<Timeline*>> retired_; ///< player thread → control thread (to free)
    std::counting_semaphore<> wake_{0};
    std::atomic<bool> playing_{false};
    std::atomic<std::int64_t> positionTick_{0};
    std::atomic<double> positionSeconds_{0};
    std::atomic<std::uint64_t> ended_{0};
    std::atomic<std::uint64_t> taken_{0};
    std::uint64_t posted_ = 0; ///< control thread only
    std::thread thread_;
};

} // namespace continuo::playback
