#include "playback/MidiIn.h"

#include "playback/MidiOut.h"
#include "playback/PlaybackError.h"
#include "playback/RtMidiSupport.h"
#include "playback/SpscQueue.h"

#include <atomic>

namespace continuo::playback {

struct MidiIn::Impl {
    MidiApi api;
    rtmidi::ErrorTrap trap;
    SpscQueue<TimedMidiMessage> queue{4096};
    std::atomic<std::uint64_t> dropped{0};
    std::function<void()> arrived;  // set while the port is closed: RtMidi's thread only reads it
    std::unique_ptr<RtMidiIn> midi; // after the queue: destroyed first, so its thread stops first
    bool open = false;
    std::string portName;

    // On RtMidi's input thread (JACK: the process thread): stamp, push, nothing else.
    static void receive(double, std::vector<unsigned char>* bytes, void* self) {
        auto* d = static_cast<Impl*>(self);
        if (!bytes || bytes->empty() || (*bytes)[0] < 0x80 || (*bytes)[0] >= 0xF0) return;
        TimedMidiMessage m{MidiMessage::fromBytes(bytes->data(), bytes->size()), steadySeconds()};
        if (!d->queue.push(m)) d->dropped.fetch_add(1, std::memory_order_relaxed);
        if (d->arrived) d->arrived();
    }
};

MidiIn::MidiIn(MidiApi api, const std::string& clientName)
    : impl_(std::make_unique<Impl>()) {
    impl_->api = resolveMidiApi(api);
    impl_->midi = rtmidi::makeIn(impl_->api, clientName, impl_->trap);
    impl_->midi->ignoreTypes(true, true, true);
    impl_->midi->setCallback(&Impl::receive, impl_.get());
}

MidiIn::~MidiIn() {
    close();
}

MidiApi MidiIn::api() const {
    return impl_->api;
}

std::vector<std::string> MidiIn::ports() const {
    return rtmidi::portNames(*impl_->midi);
}

void MidiIn::open(const std::string& name) {
    close();
    impl_->portName = rtmidi::openPortByName(*impl_->midi, impl_->api, impl_->trap, name, "input");
    impl_->open = true;
}

void MidiIn::openVirtual(const std::string& portName) {
    close();
    impl_->midi->openVirtualPort(portName);
    impl_->trap.throwIfFailed(ErrorKind::PortFailed, "cannot create MIDI input port " + portName);
    impl_->open = true;
    impl_->portName = portName;
}

void MidiIn::close() {
    if (!impl_->open) return;
    impl_->midi->closePort();
    impl_->trap.failed = false;
    impl_->open = false;
    impl_->portName.clear();
}

bool MidiIn::isOpen() const {
    return impl_->open;
}
const std::string& MidiIn::portName() const {
    return impl_->portName;
}

bool MidiIn::poll(TimedMidiMessage& out) {
    return impl_->queue.pop(out);
}

void MidiIn::setArrivalHook(std::function<void()> hook) {
    impl_->arrived = std::move(hook);
}

std::uint64_t MidiIn::dropped() const {
    return impl_->dropped.load(std::memory_order_relaxed);
}

} // namespace continuo::playback
