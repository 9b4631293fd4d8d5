#pragma once
// A MIDI input port over RtMidi (ALSA sequencer or JACK): what a keyboard plays arrives here, stamped on
// the steady clock, and waits in a lock-free queue until its consumer polls it; an arrival hook can wake
// that consumer, so a played note need not wait for a timer.

#include "playback/MidiMessage.h"
#include "playback/MidiSystem.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace continuo::playback {

struct TimedMidiMessage {
    MidiMessage message;
    double seconds = 0; ///< arrival on the steady clock (steadySeconds(), MidiOut.h)
};

/// Thread contract: construct, open, close and setArrivalHook on one thread (the GUI thread); poll from one
/// thread at a time, the consumer (it may be another thread, e.g. a dedicated input thread). RtMidi
/// delivers on its own thread (ALSA's input thread, or JACK's process thread, where nothing may lock or
/// allocate); the message is stamped and pushed on a lock-free queue there, then the arrival hook runs.
class MidiIn {
public:
    /// Throws PlaybackError: NoMidiSystem or NoJackServer, as MidiOut.
    explicit MidiIn(MidiApi api = MidiApi::Auto, const std::string& clientName = "Continuo");
    ~MidiIn();
    MidiIn(const MidiIn&) = delete;
    MidiIn& operator=(const MidiIn&) = delete;

    MidiApi api() const;
    /// The ports Continuo can receive from.
    std::vector<std::string> ports() const;
    /// Connects to the first port whose name contains `name` (as MidiOut::open). Throws PlaybackError:
    /// PortNotFound, PortFailed.
    void open(const std::string& name);
    /// Creates a port named `portName` that other programs send to. Throws PortFailed.
    void openVirtual(const std::string& portName = "in");
    void close();
    bool isOpen() const;
    const std::string& portName() const;

    /// Takes the oldest received channel message (SysEx, clock and active sensing are filtered out).
    /// False when none waits.
    bool poll(TimedMidiMessage& out);
    /// `hook` runs after each message is queued, on RtMidi's thread (JACK: the process thread), so it must
    /// return at once without locking or allocating: bump an atomic and notify a waiting thread. Set it
    /// while the port is closed (before open()); an empty function removes it.
    void setArrivalHook(std::function<void()> hook);
    /// Messages lost because nobody polled and the queue (4096) was full.
    std::uint64_t dropped() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace continuo::playback
