#pragma once
// A MIDI output port over RtMidi (ALSA sequencer or JACK): list ports, open one by name, or create a
// virtual port other programs connect to. A Player drives it like the Synth.

#include "playback/MidiSink.h"
#include "playback/MidiSystem.h"

#include <memory>
#include <string>
#include <vector>

namespace continuo::playback {

/// Thread contract: construct, open and close on one thread; send/sendAt from one thread at a time (the
/// player thread while a Player drives it). RtMidi's JACK back end hands messages to the JACK process
/// thread through its own ring buffer.
class MidiOut final : public MidiSink {
public:
    /// Connects to the MIDI system (no port open yet). Throws PlaybackError: NoMidiSystem (no ALSA
    /// sequencer, and for Auto no JACK server either) or NoJackServer.
    explicit MidiOut(MidiApi api = MidiApi::Auto, const std::string& clientName = "Continuo");
    ~MidiOut() override;
    MidiOut(const MidiOut&) = delete;
    MidiOut& operator=(const MidiOut&) = delete;

    MidiApi api() const;
    /// The ports Continuo can send to, as "client:port" names (ALSA adds "client:port" numbers).
    std::vector<std::string> ports() const;
    /// Opens the first port whose name contains `name` (case-insensitive; an exact name wins). Closes any
    /// port open before. Throws PlaybackError: PortNotFound (listing the ports there are), PortFailed.
    void open(const std::string& name);
    /// Creates a port named `portName` under this client that others connect to. Throws PortFailed.
    void openVirtual(const std::string& portName = "out");
    /// Closes the port (releasing sounding notes is the Player's job). No effect when closed.
    void close();
    /// Our own flag: RtMidi's isPortOpen() is false for virtual ports.
    bool isOpen() const;
    /// The opened port's name ("" when closed).
    const std::string& portName() const;

    /// Sends at once. Ignored while no port is open: RtMidi's JACK back end would wait forever for a
    /// process thread that never drains its buffer.
    void send(const MidiMessage& message);

    // MidiSink: the steady clock; no lookahead (a port plays what it gets when it gets it).
    double clockSeconds() const override;
    double lookaheadSeconds() const override { return 0; }
    void sendAt(const MidiMessage& message, double when) override;
    void cancelPending() override {}
    bool canPlay(std::string* why = nullptr) const override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// Seconds on std::chrono::steady_clock: the clock of MIDI ports and of recorded input.
double steadySeconds();

} // namespace continuo::playback
