#include "playback/JackMidiMonitor.h"

#include "playback/AudioLibraries.h"
#include "playback/PlaybackError.h"

#include <jack/jack.h>
#include <jack/midiport.h>

namespace continuo::playback {

struct JackMidiMonitor::Handles {
    jack_client_t* client = nullptr;
    jack_port_t* port = nullptr;
};

JackMidiMonitor::JackMidiMonitor(const std::string& clientName, std::size_t capacity)
    : jack_(std::make_unique<Handles>())
    , buffer_(std::make_unique<MonitoredEvent[]>(capacity))
    , capacity_(capacity) {
    initAudioLibraries();
    jack_status_t status{};
    jack_->client = jack_client_open(clientName.c_str(), JackNoStartServer, &status);
    if (!jack_->client)
        throw PlaybackError(ErrorKind::NoJackServer, "no JACK server running for the MIDI monitor");
    jack_->port = jack_port_register(jack_->client, "in", JACK_DEFAULT_MIDI_TYPE, JackPortIsInput, 0);
    if (!jack_->port || jack_set_process_callback(jack_->client, &JackMidiMonitor::process, this) != 0 ||
        jack_activate(jack_->client) != 0) {
        jack_client_close(jack_->client);
        throw PlaybackError(ErrorKind::PortFailed, "cannot create the JACK MIDI monitor port");
    }
    portName_ = jack_port_name(jack_->port);
    sampleRate_ = int(jack_get_sample_rate(jack_->client));
    period_ = int(jack_get_buffer_size(jack_->client));
}

JackMidiMonitor::~JackMidiMonitor() {
    jack_deactivate(jack_->client);
    jack_client_close(jack_->client);
}

int JackMidiMonitor::process(std::uint32_t frames, void* arg) {
    auto* self = static_cast<JackMidiMonitor*>(arg);
    void* buffer = jack_port_get_buffer(self->jack_->port, frames);
    jack_nframes_t cycleStart = 0;
    jack_time_t startUs = 0, nextUs = 0;
    float periodUs = 0;
    jack_get_cycle_times(self->jack_->client, &cycleStart, &startUs, &nextUs, &periodUs);
    const double usPerFrame = frames ? double(nextUs - startUs) / frames : 0;
    const std::uint32_t n = jack_midi_get_event_count(buffer);
    std::size_t count = self->count_.load(std::memory_order_relaxed);
    for (std::uint32_t i = 0; i < n; ++i) {
        jack_midi_event_t ev;
        if (jack_midi_event_get(&ev, buffer, i) != 0) continue;
        if (count >= self->capacity_) {
            self->dropped_.fetch_add(1, std::memory_order_relaxed);
            continue;
        }
        MonitoredEvent& slot = self->buffer_[count];
        slot.frame = std::uint64_t(cycleStart) + ev.time;
        slot.seconds = (double(startUs) + ev.time * usPerFrame) * 1e-6;
        slot.message = MidiMessage::fromBytes(ev.buffer, ev.size);
        ++count;
    }
    self->count_.store(count, std::memory_order_release);
    return 0;
}

std::vector<MonitoredEvent> JackMidiMonitor::events() const {
    const std::size_t n = count();
    return std::vector<MonitoredEvent>(buffer_.get(), buffer_.get() + n);
}

void JackMidiMonitor::clear() {
    count_.store(0, std::memory_order_release);
    dropped_.store(0, std::memory_order_release);
}

} // namespace continuo::playback
