#include "LiveOutput.h"

#include "playback/MidiOut.h"
#include "playback/Synth.h"

namespace continuo::app {

void LiveOutput::setSynth(std::shared_ptr<playback::Synth> synth) {
    {
        const std::lock_guard lock(mutex_);
        synth_.swap(synth);
    }
    // `synth` now holds the old one: if this was its last owner, its driver stops here, outside the lock.
}

void LiveOutput::setPort(std::unique_ptr<playback::MidiOut> port) {
    {
        const std::lock_guard lock(mutex_);
        port_.swap(port);
    }
}

void LiveOutput::send(const playback::MidiMessage& message) {
    const std::lock_guard lock(mutex_);
    if (port_ && port_->isOpen())
        port_->send(message);
    else if (synth_ && synth_->hasAudio())
        synth_->send(message);
}

void LiveOutput::allNotesOff() {
    const std::lock_guard lock(mutex_);
    if (port_ && port_->isOpen()) {
        for (int ch = 0; ch < 16; ++ch)
            port_->send(playback::MidiMessage::controlChange(ch, playback::kAllNotesOff, 0));
    } else if (synth_) {
        synth_->allNotesOff();
    }
}

} // namespace continuo::app
