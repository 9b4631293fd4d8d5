#include "playback/JackMidiOut.h"

#include "playback/AudioLibraries.h"
#include "playback/MidiSystem.h"
#include "playback/PlaybackError.h"
#include "playback/SpscQueue.h"

#include <jack/jack.h>
#include <jack/midiport.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <thread>

namespace continuo::playback {

namespace {
struct Stamped {
    MidiMessage message;
    std::uint32_t generation = 0; ///< events from before a cancelPending() carry an old generation
    double micros = 0;            ///< due time on JACK's clock
};
} // namespace

struct JackMidiOut::Impl {
    jack_client_t* client = nullptr;
    jack_port_t* port = nullptr;
    std::string portName;
    int sampleRate = 48000;
    int period = 256;
    double margin = 0.015;
    SpscQueue<Stamped> queue{8192};
    std::atomic<std::uint32_t> generation{0};
    std::atomic<bool> serverGone{false};
    std::atomic<std::uint64_t> cycles{0};
    // Process-thread state: an event popped but due in a later cycle waits here.
    Stamped held;
    bool holding = false;

    static int process(jack_nframes_t frames, void* arg) {
        auto* d = static_cast<Impl*>(arg);
        void* buffer = jack_port_get_buffer(d->port, frames);
        jack_midi_clear_buffer(buffer);
        d->cycles.fetch_add(1, std::memory_order_release);
        jack_nframes_t cycleFrame = 0;
        jack_time_t startUs = 0, nextUs = 0;
        float periodUs = 0;
        jack_get_cycle_times(d->client, &cycleFrame, &startUs, &nextUs, &periodUs);
        const double framesPerUs = nextUs > startUs ? double(frames) / double(nextUs - startUs) : 0;
        const std::uint32_t gen = d->generation.load(std::memory_order_acquire);
        jack_nframes_t lastOffset = 0;
        while (true) {
            if (!d->holding) {
                if (!d->queue.pop(d->held)) break;
                d->holding = true;
            }
            if (d->held.generation != gen) { // cancelled
                d->holding = false;
                continue;
            }
            const double offset = std::floor((d->held.micros - double(startUs)) * framesPerUs + 0.5);
            if (offset >= double(frames)) break; // due in a later cycle
            // Late events go first in the cycle; JACK wants offsets in order.
            const jack_nframes_t at = std::max(lastOffset, jack_nframes_t(std::max(0.0, offset)));
            jack_midi_event_write(buffer, at, d->held.message.bytes.data(), d->held.message.size);
            lastOffset = at;
            d->holding = false;
        }
        return 0;
    }

    static void shutdown(void* arg) {
        static_cast<Impl*>(arg)->serverGone.store(true, std::memory_order_release);
    }
};

JackMidiOut::JackMidiOut(const std::string& clientName, const std::string& portName, double marginSeconds)
    : impl_(std::make_unique<Impl>()) {
    if (!(marginSeconds >= 0 && marginSeconds <= 10)) {
        throw PlaybackError(ErrorKind::InvalidArgument, "JACK output margin must be 0–10 s");
    }
    initAudioLibraries();
    Impl& d = *impl_;
    d.margin = marginSeconds;
    jack_status_t status{};
    d.client = jack_client_open(clientName.c_str(), JackNoStartServer, &status);
    if (!d.client) throw PlaybackError(ErrorKind::NoJackServer, "no JACK server running");
    d.port = jack_port_register(d.client, portName.c_str(), JACK_DEFAULT_MIDI_TYPE, JackPortIsOutput, 0);
    if (!d.port) {
        jack_client_close(d.client);
        throw PlaybackError(ErrorKind::PortFailed, "cannot create JACK MIDI port " + portName);
    }
    jack_on_shutdown(d.client, &Impl::shutdown, &d);
    if (jack_set_process_callback(d.client, &Impl::process, &d) != 0 || jack_activate(d.client) != 0) {
        jack_client_close(d.client);
        throw PlaybackError(ErrorKind::PortFailed, "cannot activate JACK client " + clientName);
    }
    d.portName = jack_port_name(d.port);
    d.sampleRate = int(jack_get_sample_rate(d.client));
    d.period = int(jack_get_buffer_size(d.client));
}

JackMidiOut::~JackMidiOut() {
    jack_deactivate(impl_->client);
    jack_client_close(impl_->client);
}

std::vector<std::string> JackMidiOut::ports() const {
    std::vector<std::string> out;
    const char** names = jack_get_ports(impl_->client, nullptr, JACK_DEFAULT_MIDI_TYPE, JackPortIsInput);
    for (const char** p = names; p && *p; ++p)
        out.emplace_back(*p);
    if (names) jack_free(names);
    return out;
}

std::string JackMidiOut::connect(const std::string& name) {
    const std::vector<std::string> names = ports();
    const int index = findPort(names, name);
    if (index < 0) {
        std::string list;
        for (const std::string& n : names)
            list += (list.empty() ? "" : ", ") + n;
        throw PlaybackError(ErrorKind::PortNotFound,
                            "no JACK MIDI input port matches \"" + name + "\" (" +
                                (list.empty() ? "there are none)" : "there are: " + list + ")"));
    }
    const std::string& target = names[std::size_t(index)];
    const int err = jack_connect(impl_->client, impl_->portName.c_str(), target.c_str());
    if (err != 0 && err != EEXIST)
        throw PlaybackError(ErrorKind::PortFailed, "cannot connect to JACK port " + target);
    // JACK applies the connection at a later cycle start; events of the cycle running now would be lost.
    const std::uint64_t from = impl_->cycles.load(std::memory_order_acquire);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (impl_->cycles.load(std::memory_order_acquire) < from + 2 &&
           std::chrono::steady_clock::now() < deadline &&
           !impl_->serverGone.load(std::memory_order_acquire)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1)); // polling with a deadline
    }
    return target;
}

const std::string& JackMidiOut::portName() const {
    return impl_->portName;
}
int JackMidiOut::sampleRate() const {
    return impl_->sampleRate;
}
int JackMidiOut::periodFrames() const {
    return impl_->period;
}

double JackMidiOut::clockSeconds() const {
    return double(jack_get_time()) * 1e-6;
}

double JackMidiOut::lookaheadSeconds() const {
    return 2.0 * impl_->period / impl_->sampleRate + impl_->margin;
}

void JackMidiOut::sendAt(const MidiMessage& message, double when) {
    Impl& d = *impl_;
    if (message.size == 0 || d.serverGone.load(std::memory_order_acquire)) return;
    Stamped s{message, d.generation.load(std::memory_order_relaxed), when * 1e6};
    (void)d.queue.push(
        s); // full only if 8192 events were sent ahead of the lookahead: dropping is the lesser harm
}

void JackMidiOut::cancelPending() {
    impl_->generation.fetch_add(1, std::memory_order_acq_rel);
}

bool JackMidiOut::canPlay(std::string* why) const {
    if (!impl_->serverGone.load(std::memory_order_acquire)) return true;
    if (why) *why = "the JACK server has gone away";
    return false;
}

} // namespace continuo::playback
