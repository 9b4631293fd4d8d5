#pragma once
// Notes played on a MIDI input port, heard at once: a MidiIn polled by a precise 2 ms timer on the GUI
// thread, each message handed to a callback (the transport's audition path).

#include "playback/MidiIn.h"

#include <QObject>

#include <functional>
#include <memory>
#include <string>

class QTimer;

namespace continuo::app {

/// Thread contract: GUI thread (MidiIn's contract: construct, open, poll, close on one thread). RtMidi
/// receives on its own thread and queues lock-free; the timer drains the queue here. Latency: up to the
/// poll interval plus whatever the GUI thread is busy with (a long repaint delays the note).
class MidiInputPump {
public:
    /// Opens the input port matching `portName` (MidiIn::open). Throws PlaybackError as MidiIn.
    /// `onMessage` gets each message with its arrival time on the steady clock (for the recorder).
    MidiInputPump(const std::string& portName,
                  std::function<void(const playback::TimedMidiMessage&)> onMessage);
    ~MidiInputPump();

    const std::string& portName() const { return in_.portName(); }

private:
    playback::MidiIn in_;
    std::function<void(const playback::TimedMidiMessage&)> onMessage_;
    std::unique_ptr<QTimer> timer_;
};

} // namespace continuo::app
