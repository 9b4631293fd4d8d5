#pragma once
// A JACK client with one MIDI input port that records every event with its exact frame time: the
// receiver against which tests and the benchmark measure when notes arrive. Not used by the studio.

#include "playback/MidiMessage.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace continuo::playback {

struct MonitoredEvent {
    std::uint64_t frame = 0; ///< JACK frame time at which the event sits in its cycle
    /// When that frame is due, in seconds on JACK's clock (CLOCK_MONOTONIC, the clock of steadySeconds()):
    /// the cycle's start as JACK's delay-locked loop estimates it, plus the event's offset in the cycle.
    /// Unlike frame / rate this follows the wall clock even when the dummy driver's cycles run late.
    double seconds = 0;
    MidiMessage message;
};

/// Thread contract: construct, query and destroy on one thread; JACK's process thread only writes into
/// a buffer allocated here (no lock, no allocation there).
class JackMidiMonitor {
public:
    /// Connects to the JACK server named by JACK_DEFAULT_SERVER (never starting one) as `clientName`,
    /// with an input port "in", keeping up to `capacity` events. Throws PlaybackError(NoJackServer).
    explicit JackMidiMonitor(const std::string& clientName, std::size_t capacity = 1 << 16);
    ~JackMidiMonitor();
    JackMidiMonitor(const JackMidiMonitor&) = delete;
    JackMidiMonitor& operator=(const JackMidiMonitor&) = delete;

    /// The full port name to connect to ("client:in"; JACK may have renamed the client if taken).
    const std::string& portName() const { return portName_; }
    int sampleRate() const { return sampleRate_; }
    int periodFrames() const { return period_; }
    /// Events recorded so far (events past `capacity` are counted in dropped()).
    std::size_t count() const { return count_.load(std::memory_order_acquire); }
    std::size_t dropped() const { return dropped_.load(std::memory_order_acquire); }
    /// A copy of the events recorded so far, in arrival order.
    std::vector<MonitoredEvent> events() const;
    /// Forgets what was recorded (only while nothing is being sent).
    void clear();

private:
    static int process(std::uint32_t frames, void* self);

    struct Handles;
    std::unique_ptr<Handles> jack_;
    std::unique_ptr<MonitoredEvent[]> buffer_;
    std::size_t capacity_;
    std::atomic<std::size_t> count_{0};
    std::atomic<std::size_t> dropped_{0};
    std::string portName_;
    int sampleRate_ = 0;
    int period_ = 0;
};

} // namespace continuo::playback
