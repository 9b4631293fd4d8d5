#include "playback/MidiSystem.h"

#include "playback/AudioLibraries.h"
#include "playback/PlaybackError.h"
#include "playback/RtMidiSupport.h"

#include <alsa/asoundlib.h>
#include <jack/jack.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <thread>

namespace continuo::playback {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return out;
}

MidiApiStatus probeAlsa() {
    MidiApiStatus st{MidiApi::Alsa, false, {}};
    snd_seq_t* seq = nullptr;
    const int err = snd_seq_open(&seq, "default", SND_SEQ_OPEN_DUPLEX, SND_SEQ_NONBLOCK);
    if (err < 0) {
        st.reason = std::string("no ALSA sequencer (") + snd_strerror(err) + "; is /dev/snd/seq there?)";
        return st;
    }
    snd_seq_close(seq);
    st.available = true;
    return st;
}

MidiApiStatus probeJack() {
    MidiApiStatus st{MidiApi::Jack, false, {}};
    jack_status_t status{};
    jack_client_t* client = jack_client_open("continuo-probe", JackNoStartServer, &status);
    if (!client) {
        const char* server = std::getenv("JACK_DEFAULT_SERVER");
        st.reason = std::string("no JACK server running") +
                    (server ? std::string(" (named \"") + server + "\")" : "");
        return st;
    }
    jack_client_close(client);
    st.available = true;
    return st;
}

} // namespace

const char* midiApiName(MidiApi api) {
    switch (api) {
    case MidiApi::Auto:
        return "auto";
    case MidiApi::Alsa:
        return "alsa";
    case MidiApi::Jack:
        return "jack";
    }
    return "?";
}

MidiApi parseMidiApi(std::string_view name) {
    const std::string n = lower(name);
    if (n == "auto") return MidiApi::Auto;
    if (n == "alsa") return MidiApi::Alsa;
    if (n == "jack") return MidiApi::Jack;
    throw PlaybackError(ErrorKind::InvalidArgument,
                        "unknown MIDI API \"" + std::string(name) + "\" (auto, alsa, jack)");
}

MidiApiStatus probeMidiApi(MidiApi api) {
    initAudioLibraries();
    switch (api) {
    case MidiApi::Alsa:
        return probeAlsa();
    case MidiApi::Jack:
        return probeJack();
    case MidiApi::Auto: {
        MidiApiStatus alsa = probeAlsa();
        if (alsa.available) return alsa;
        MidiApiStatus jack = probeJack();
        if (jack.available) return jack;
        return {MidiApi::Auto, false, alsa.reason + " and " + jack.reason};
    }
    }
    return {};
}

MidiApi resolveMidiApi(MidiApi requested) {
    const MidiApiStatus st = probeMidiApi(requested);
    if (st.available) return st.api;
    if (requested == MidiApi::Jack) throw PlaybackError(ErrorKind::NoJackServer, st.reason);
    throw PlaybackError(ErrorKind::NoMidiSystem, "no MIDI system: " + st.reason);
}

MidiPortLists listMidiPorts(MidiApi api) {
    MidiPortLists lists;
    lists.api = resolveMidiApi(api);
    rtmidi::ErrorTrap outTrap, inTrap;
    auto out = rtmidi::makeOut(lists.api, "Continuo ports", outTrap);
    lists.outputs = rtmidi::portNames(*out);
    out.reset();
    auto in = rtmidi::makeIn(lists.api, "Continuo ports", inTrap);
    lists.inputs = rtmidi::portNames(*in);
    return lists;
}

bool waitForJackCycles(int cycles, int timeoutMs) {
    initAudioLibraries();
    jack_status_t status{};
    jack_client_t* client = jack_client_open("continuo-sync", JackNoStartServer, &status);
    if (!client) return false;
    std::atomic<int> count{0};
    jack_set_process_callback(
        client,
        [](jack_nframes_t, void* arg) {
            static_cast<std::atomic<int>*>(arg)->fetch_add(1, std::memory_order_release);
            return 0;
        },
        &count);
    bool ok = jack_activate(client) == 0;
    // The cycle running while we activate may be partial: count from the first one seen.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
    while (ok && count.load(std::memory_order_acquire) < cycles + 1) {
        if (std::chrono::steady_clock::now() >= deadline) ok = false;
        std::this_thread::sleep_for(std::chrono::milliseconds(1)); // polling with a deadline
    }
    jack_deactivate(client);
    jack_client_close(client);
    return ok;
}

int findPort(const std::vector<std::string>& ports, std::string_view name) {
    const std::string wanted = lower(name);
    for (std::size_t i = 0; i < ports.size(); ++i) {
        if (lower(ports[i]) == wanted) return int(i);
    }
    for (std::size_t i = 0; i < ports.size(); ++i) {
        if (lower(ports[i]).find(wanted) != std::string::npos) return int(i);
    }
    return -1;
}

namespace rtmidi {

void ErrorTrap::callback(RtMidiError::Type type, const std::string& text, void* self) {
    auto* trap = static_cast<ErrorTrap*>(self);
    if (type == RtMidiError::WARNING || type == RtMidiError::DEBUG_WARNING) return;
    trap->type = type;
    trap->text = text;
    trap->failed = true;
}

void ErrorTrap::throwIfFailed(ErrorKind kind, const std::string& what) {
    if (!failed) return;
    failed = false;
    throw PlaybackError(kind, what + ": " + text);
}

RtMidi::Api toRtApi(MidiApi api) {
    switch (api) {
    case MidiApi::Alsa:
        return RtMidi::LINUX_ALSA;
    case MidiApi::Jack:
        return RtMidi::UNIX_JACK;
    case MidiApi::Auto:
        break;
    }
    return RtMidi::UNSPECIFIED;
}

namespace {
template <class T> std::unique_ptr<T> make(MidiApi api, const std::string& clientName, ErrorTrap& trap) {
    initAudioLibraries();
    std::vector<RtMidi::Api> compiled;
    RtMidi::getCompiledApi(compiled);
    if (std::find(compiled.begin(), compiled.end(), toRtApi(api)) == compiled.end()) {
        throw PlaybackError(ErrorKind::NoMidiSystem,
                            std::string("this RtMidi was built without ") + midiApiName(api) + " support");
    }
    std::unique_ptr<T> midi;
    try {
        midi = std::make_unique<T>(toRtApi(api), clientName);
    } catch (const RtMidiError& e) {
        // RtMidi's constructor throws (after printing) when the ALSA sequencer is missing.
        throw PlaybackError(api == MidiApi::Jack ? ErrorKind::NoJackServer : ErrorKind::NoMidiSystem,
                            std::string("cannot start ") + midiApiName(api) + " MIDI: " + e.getMessage());
    }
    midi->setErrorCallback(&ErrorTrap::callback, &trap);
    return midi;
}
} // namespace

std::unique_ptr<RtMidiOut> makeOut(MidiApi api, const std::string& clientName, ErrorTrap& trap) {
    return make<RtMidiOut>(api, clientName, trap);
}

std::unique_ptr<RtMidiIn> makeIn(MidiApi api, const std::string& clientName, ErrorTrap& trap) {
    return make<RtMidiIn>(api, clientName, trap);
}

std::vector<std::string> portNames(RtMidi& midi) {
    std::vector<std::string> names;
    const unsigned n = midi.getPortCount();
    for (unsigned i = 0; i < n; ++i)
        names.push_back(midi.getPortName(i));
    return names;
}

std::string openPortByName(RtMidi& midi, MidiApi api, ErrorTrap& trap, const std::string& wanted,
                           const char* direction) {
    const std::vector<std::string> names = portNames(midi);
    const int index = findPort(names, wanted);
    if (index < 0) {
        std::string list;
        for (const std::string& n : names)
            list += (list.empty() ? "" : ", ") + n;
        throw PlaybackError(ErrorKind::PortNotFound,
                            "no MIDI " + std::string(direction) + " port matches \"" + wanted + "\" (" +
                                midiApiName(api) + (list.empty() ? " has none)" : " has: " + list + ")"));
    }
    const std::string& name = names[std::size_t(index)];
    midi.openPort(unsigned(index), std::string(direction) == "input" ? "in" : "out");
    trap.throwIfFailed(ErrorKind::PortFailed, "cannot open MIDI " + std::string(direction) + " " + name);
    // JACK applies the new connection at a later cycle start; notes sent before then would be lost.
    if (api == MidiApi::Jack) waitForJackCycles();
    return name;
}

} // namespace rtmidi

} // namespace continuo::playback
