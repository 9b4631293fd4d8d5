#pragma once
// Notes played on a MIDI input port, heard at once and recorded. RtMidi's thread queues each message
// (lock-free) and wakes the pump's own input thread, which sends the message straight to the LiveOutput
// (the synth or the output port) and then hands it to the GUI thread, queued, for recording and display.
// A busy GUI thread (a long repaint) delays only that hand-over, never the sound; the recorder places
// notes by their arrival stamps, so it does not mind the delay either.

#include "playback/MidiIn.h"

#include <QObject>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

namespace continuo::app {

class LiveOutput;

/// Thread contract: construct and destroy on the GUI thread (MidiIn's contract: open and close there);
/// the input thread is the only one that polls the port. The GUI thread must run an event loop for
/// `onMessage` to be called.
class MidiInputPump {
public:
    /// Opens the input port matching `portName` (MidiIn::open) and starts the input thread. Throws
    /// PlaybackError as MidiIn. Each message goes first to `thru` (not owned; outlives this), on the input
    /// thread, within microseconds of its arrival; then to `onMessage` on the GUI thread (queued, in order),
    /// with its arrival time on the steady clock.
    MidiInputPump(const std::string& portName, LiveOutput& thru,
                  std::function<void(const playback::TimedMidiMessage&)> onMessage);
    /// Closes the port and stops the input thread; messages not yet handed to the GUI thread are dropped.
    ~MidiInputPump();
    MidiInputPump(const MidiInputPump&) = delete;
    MidiInputPump& operator=(const MidiInputPump&) = delete;

    const std::string& portName() const { return in_.portName(); }

private:
    void run();

    playback::MidiIn in_;
    LiveOutput& thru_;
    std::function<void(const playback::TimedMidiMessage&)> onMessage_;
    std::unique_ptr<QObject> context_; ///< GUI-thread receiver of the hand-overs; deleting it drops the rest
    std::atomic<std::uint32_t> arrivals_{0}; ///< bumped on RtMidi's thread after each message
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

} // namespace continuo::app
