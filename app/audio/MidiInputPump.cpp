#include "MidiInputPump.h"

#include <QTimer>

namespace continuo::app {

namespace {
constexpr int kPollMs = 2; // a played note should sound within a few ms; one lock-free pop per tick when idle
}

MidiInputPump::MidiInputPump(const std::string& portName,
                             std::function<void(const playback::TimedMidiMessage&)> onMessage)
    : in_(playback::MidiApi::Auto, "Continuo input")
    , onMessage_(std::move(onMessage))
    , timer_(std::make_unique<QTimer>()) {
    in_.open(portName);
    timer_->setTimerType(Qt::PreciseTimer);
    timer_->setInterval(kPollMs);
    QObject::connect(timer_.get(), &QTimer::timeout, timer_.get(), [this] {
        playback::TimedMidiMessage m;
        while (in_.poll(m))
            onMessage_(m);
    });
    timer_->start();
}

MidiInputPump::~MidiInputPump() {
    timer_->stop();
    in_.close();
}

} // namespace continuo::app
