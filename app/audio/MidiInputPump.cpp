#include "MidiInputPump.h"

#include "LiveOutput.h"

namespace continuo::app {

MidiInputPump::MidiInputPump(const std::string& portName, LiveOutput& thru,
                             std::function<void(const playback::TimedMidiMessage&)> onMessage)
    : in_(playback::MidiApi::Auto, "Continuo input")
    , thru_(thru)
    , onMessage_(std::move(onMessage))
    , context_(std::make_unique<QObject>()) {
    // RtMidi's thread (JACK's process thread) may neither lock nor allocate: an atomic and a futex wake.
    in_.setArrivalHook([this] {
        arrivals_.fetch_add(1, std::memory_order_release);
        arrivals_.notify_one();
    });
    in_.open(portName);
    thread_ = std::thread([this] { run(); });
}

MidiInputPump::~MidiInputPump() {
    in_.close(); // nothing arrives any more
    stop_.store(true);
    arrivals_.fetch_add(1, std::memory_order_release);
    arrivals_.notify_one();
    thread_.join();
    context_.reset(); // after the join: the input thread posts to it
}

void MidiInputPump::run() {
    for (;;) {
        // Read before draining: a message that lands after the drain has bumped the count, so the wait
        // below returns at once instead of sleeping on it.
        const std::uint32_t seen = arrivals_.load(std::memory_order_acquire);
        playback::TimedMidiMessage m;
        while (in_.poll(m)) {
            thru_.send(m.message);
            QMetaObject::invokeMethod(
                context_.get(), [this, m] { onMessage_(m); }, Qt::QueuedConnection);
        }
        if (stop_.load()) return;
        arrivals_.wait(seen, std::memory_order_acquire);
    }
}

} // namespace continuo::app
