#include "playback/MidiOut.h"

#include "playback/PlaybackError.h"
#include "playback/RtMidiSupport.h"

#include <chrono>

namespace continuo::playback {

double steadySeconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct MidiOut::Impl {
    MidiApi api;
    rtmidi::ErrorTrap trap;
    std::unique_ptr<RtMidiOut> midi;
    bool open = false;
    std::string portName;
};

MidiOut::MidiOut(MidiApi api, const std::string& clientName)
    : impl_(std::make_unique<Impl>()) {
    impl_->api = resolveMidiApi(api);
    impl_->midi = rtmidi::makeOut(impl_->api, clientName, impl_->trap);
}

MidiOut::~MidiOut() {
    close();
}

MidiApi MidiOut::api() const {
    return impl_->api;
}

std::vector<std::string> MidiOut::ports() const {
    return rtmidi::portNames(*impl_->midi);
}

void MidiOut::open(const std::string& name) {
    close();
    impl_->portName = rtmidi::openPortByName(*impl_->midi, impl_->api, impl_->trap, name, "output");
    impl_->open = true;
}

void MidiOut::openVirtual(const std::string& portName) {
    close();
    impl_->midi->openVirtualPort(portName);
    impl_->trap.throwIfFailed(ErrorKind::PortFailed, "cannot create MIDI output port " + portName);
    impl_->open = true;
    impl_->portName = portName;
}

void MidiOut::close() {
    if (!impl_->open) return;
    impl_->midi->closePort();
    impl_->trap.failed = false;
    impl_->open = false;
    impl_->portName.clear();
}

bool MidiOut::isOpen() const {
    return impl_->open;
}
const std::string& MidiOut::portName() const {
    return impl_->portName;
}

void MidiOut::send(const MidiMessage& message) {
    if (!impl_->open || message.size == 0) return;
    impl_->midi->sendMessage(message.bytes.data(), message.size);
}

double MidiOut::clockSeconds() const {
    return steadySeconds();
}

void MidiOut::sendAt(const MidiMessage& message, double) {
    send(message);
}

bool MidiOut::canPlay(std::string* why) const {
    if (impl_->open) return true;
    if (why) *why = "no MIDI output port open";
    return false;
}

} // namespace continuo::playback
