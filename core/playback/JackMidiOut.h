#pragma once
// A JACK MIDI output that places every event on its exact frame. RtMidi's JACK back end writes whatever
// it has at the start of the next cycle, so its timing is quantised to the JACK period (5.3 ms at 256
// frames, 48 kHz); this sink takes events ahead of time, stamped on JACK's clock, and writes each at the
// frame offset where it is due, which is what the Player's sample-accurate schedule needs.

#include "playback/MidiSink.h"

#include <memory>
#include <string>
#include <vector>

namespace continuo::playback {

/// Thread contract: construct, connect and destroy on one thread; sendAt/cancelPending from one thread
/// (the player thread). JACK's process thread pops the events from a lock-free queue (no lock, no
/// allocation there). If the server goes away, canPlay() turns false and events are dropped.
class JackMidiOut final : public MidiSink {
public:
    /// Connects to the JACK server named by JACK_DEFAULT_SERVER (never starting one) as `clientName`
    /// and registers the output port `portName`. `marginSeconds` (0–10) is how late the player thread may
    /// wake before an event misses its frame; it adds to the output's latency, which a MIDI port rarely
    /// notices. Throws PlaybackError: NoJackServer, PortFailed, InvalidArgument.
    explicit JackMidiOut(const std::string& clientName = "Continuo", const std::string& portName = "out",
                         double marginSeconds = 0.015);
    ~JackMidiOut() override;
    JackMidiOut(const JackMidiOut&) = delete;
    JackMidiOut& operator=(const JackMidiOut&) = delete;

    /// JACK MIDI input ports this output can connect to.
    std::vector<std::string> ports() const;
    /// Connects to the first port containing `name` (case-insensitive; an exact name wins) and returns
    /// its full name. Throws PlaybackError: PortNotFound (listing the ports), PortFailed.
    std::string connect(const std::string& name);
    /// Our port's full name ("client:port"), for others to connect to it (a virtual port, in RtMidi's words).
    const std::string& portName() const;
    int sampleRate() const;
    int periodFrames() const;

    // MidiSink: JACK's clock (CLOCK_MONOTONIC, like steadySeconds()); events are taken up to two periods
    // plus the margin ahead, so they are queued before the cycle that plays them begins.
    double clockSeconds() const override;
    double lookaheadSeconds() const override;
    /// The whole lookahead: the first events must land on their frames too.
    double startDelaySeconds() const override { return lookaheadSeconds(); }
    void sendAt(const MidiMessage& message, double when) override;
    void cancelPending() override;
    bool canPlay(std::string* why = nullptr) const override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace continuo::playback
