#pragma once
// Shared by the playback tests: a fast SoundFont, songs with known notes, a WAV reader, and an RtMidi
// input that records what reaches it (the "independent receiver" of the JACK tests).

#include "music/Song.h"
#include "playback/MidiMessage.h"
#include "playback/MidiOut.h"
#include "playback/SoundFonts.h"

#include <RtMidi.h>

#include <QtTest>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace continuo::test {

/// TimGM6mb (6 MB, loads in milliseconds) when installed, else whatever the default lookup finds.
inline std::filesystem::path testSoundFont() {
    const std::filesystem::path tim = "/usr/share/sounds/sf2/TimGM6mb.sf2";
    if (std::filesystem::exists(tim)) return tim;
    return playback::findSoundFont(playback::defaultSoundFontCandidates()).value_or(std::filesystem::path());
}

/// Writes a valid SoundFont 2 with one melodic preset (bank 0, program 0) whose only sample is silence: what
/// a SoundFont with damaged samples sounds like. FluidSynth loads it and plays notes that make no sound.
inline void writeSilentSoundFont(const std::filesystem::path& path) {
    auto u16 = [](std::string& s, unsigned v) { s += char(v & 0xFF), s += char((v >> 8) & 0xFF); };
    auto u32 = [&](std::string& s, std::uint32_t v) { u16(s, v & 0xFFFF), u16(s, v >> 16); };
    auto name20 = [](std::string& s, const char* n) {
        s += std::string(n).append(20 - std::strlen(n), '\0');
    };
    auto chunk = [&](const char* id, const std::string& body) {
        std::string c(id, 4);
        u32(c, std::uint32_t(body.size()));
        return c + body + (body.size() % 2 ? std::string(1, '\0') : std::string());
    };
    auto list = [&](const char* type, const std::string& body) {
        return chunk("LIST", std::string(type, 4) + body);
    };
    std::string ifil, isng = std::string("EMU8000") + '\0', inam = std::string("Silence") + '\0';
    u16(ifil, 2), u16(ifil, 1);
    const int frames = 2000; // plus the 46 zero frames the format asks after every sample
    const std::string smpl(std::size_t(2 * (frames + 46)), '\0');
    std::string phdr, pbag, pmod(10, '\0'), pgen, inst, ibag, imod(10, '\0'), igen, shdr;
    name20(phdr, "Silent piano"), u16(phdr, 0), u16(phdr, 0), u16(phdr, 0), u32(phdr, 0), u32(phdr, 0),
        u32(phdr, 0);
    name20(phdr, "EOP"), u16(phdr, 0), u16(phdr, 0), u16(phdr, 1), u32(phdr, 0), u32(phdr, 0), u32(phdr, 0);
    u16(pbag, 0), u16(pbag, 0), u16(pbag, 1), u16(pbag, 0);
    u16(pgen, 41), u16(pgen, 0), u16(pgen, 0), u16(pgen, 0); // instrument 0, terminal
    name20(inst, "Silent"), u16(inst, 0), name20(inst, "EOI"), u16(inst, 1);
    u16(ibag, 0), u16(ibag, 0), u16(ibag, 2), u16(ibag, 0);
    u16(igen, 54), u16(igen, 1), u16(igen, 53), u16(igen, 0); // loop continuously, sample 0
    u16(igen, 0), u16(igen, 0);                               // terminal
    name20(shdr, "Zeros"), u32(shdr, 0), u32(shdr, frames), u32(shdr, 8), u32(shdr, frames - 8),
        u32(shdr, 44100);
    shdr += char(60), shdr += char(0), u16(shdr, 0), u16(shdr, 1);
    name20(shdr, "EOS"), u32(shdr, 0), u32(shdr, 0), u32(shdr, 0), u32(shdr, 0), u32(shdr, 0);
    shdr += char(0), shdr += char(0), u16(shdr, 0), u16(shdr, 0);
    const std::string body =
        std::string("sfbk") + list("INFO", chunk("ifil", ifil) + chunk("isng", isng) + chunk("INAM", inam)) +
        list("sdta", chunk("smpl", smpl)) +
        list("pdta", chunk("phdr", phdr) + chunk("pbag", pbag) + chunk("pmod", pmod) + chunk("pgen", pgen) +
                         chunk("inst", inst) + chunk("ibag", ibag) + chunk("imod", imod) +
                         chunk("igen", igen) + chunk("shdr", shdr));
    std::ofstream(path, std::ios::binary) << chunk("RIFF", body);
}

inline music::Note note(std::int64_t start, std::int64_t duration, int pitch, int velocity = 100,
                        int channel = 0) {
    return {start,
            duration,
            std::uint8_t(pitch),
            std::uint8_t(velocity),
            std::uint8_t(channel),
            music::NoteOrigin::User};
}

/// One track of `notes` on `channel` with GM `program`, 480 ticks per quarter, 120 BPM unless `tempos`.
inline music::Song songOf(std::vector<music::Note> notes, int program = 0, int channel = 0,
                          std::vector<music::TempoChange> tempos = {}) {
    music::Song song;
    song.ppq = 480;
    song.tempos = std::move(tempos);
    music::Track t;
    t.name = "Test";
    t.channel = std::uint8_t(channel);
    t.program = std::uint8_t(program);
    for (auto& n : notes)
        n.channel = std::uint8_t(channel);
    t.notes = std::move(notes);
    t.sortNotes();
    song.tracks.push_back(std::move(t));
    return song;
}

struct WavData {
    int format = 0; ///< 1 PCM, 3 float
    int channels = 0;
    int sampleRate = 0;
    int bits = 0;
    std::vector<float> left; ///< the first channel, in −1…1
};

/// Reads the RIFF WAVE files WavWriter writes (PCM16 or float32), walking the chunks as any reader would.
inline WavData readWav(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    WavData w;
    auto u32 = [&](std::size_t at) {
        std::uint32_t v = 0;
        std::memcpy(&v, bytes.data() + at, 4);
        return v;
    };
    auto u16 = [&](std::size_t at) {
        std::uint16_t v = 0;
        std::memcpy(&v, bytes.data() + at, 2);
        return v;
    };
    if (bytes.size() < 12 || std::memcmp(bytes.data(), "RIFF", 4) != 0 ||
        std::memcmp(bytes.data() + 8, "WAVE", 4) != 0)
        return w;
    if (u32(4) != bytes.size() - 8) return w; // the RIFF size must cover the file exactly
    std::size_t at = 12;
    while (at + 8 <= bytes.size()) {
        const std::string id(bytes.data() + at, 4);
        const std::uint32_t size = u32(at + 4);
        const std::size_t body = at + 8;
        if (id == "fmt ") {
            w.format = u16(body);
            w.channels = u16(body + 2);
            w.sampleRate = int(u32(body + 4));
            w.bits = u16(body + 14);
        } else if (id == "data" && w.channels > 0) {
            const std::size_t frameBytes = std::size_t(w.channels) * (w.bits / 8);
            const std::size_t frames = std::min<std::size_t>(size, bytes.size() - body) / frameBytes;
            w.left.resize(frames);
            for (std::size_t i = 0; i < frames; ++i) {
                const char* p = bytes.data() + body + i * frameBytes;
                if (w.format == 3) {
                    std::memcpy(&w.left[i], p, 4);
                } else {
                    std::int16_t s;
                    std::memcpy(&s, p, 2);
                    w.left[i] = s / 32768.0f;
                }
            }
        }
        at = body + size + (size & 1);
    }
    return w;
}

/// Power of `frequency` in samples [from, to) (Goertzel over a Hann window).
inline double goertzel(const std::vector<float>& x, std::size_t from, std::size_t to, double frequency,
                       double rate) {
    const double w = 2 * M_PI * frequency / rate;
    const double coeff = 2 * std::cos(w);
    double s1 = 0, s2 = 0;
    const std::size_t n = to - from;
    for (std::size_t i = 0; i < n; ++i) {
        const double hann = 0.5 - 0.5 * std::cos(2 * M_PI * double(i) / double(n - 1));
        const double s = x[from + i] * hann + coeff * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

inline double keyFrequency(int key) {
    return 440.0 * std::pow(2.0, (key - 69) / 12.0);
}

struct Received {
    playback::MidiMessage message;
    double seconds = 0; ///< steady clock when RtMidi delivered it
};

/// An RtMidi JACK input: what Continuo's outputs send is checked here, by code Continuo did not write.
class RtReceiver {
public:
    explicit RtReceiver(const std::string& clientName)
        : in_(RtMidi::UNIX_JACK, clientName, 4096) {
        in_.ignoreTypes(true, true, true);
        in_.setCallback(&RtReceiver::onMessage, this);
    }
    void openVirtual(const std::string& port) { in_.openVirtualPort(port); }
    /// Connects to the first source port containing `name`; false when none.
    bool open(const std::string& name) {
        for (unsigned i = 0; i < in_.getPortCount(); ++i) {
            if (in_.getPortName(i).find(name) != std::string::npos) {
                in_.openPort(i, "in");
                return true;
            }
        }
        return false;
    }
    std::vector<Received> received() const {
        std::lock_guard lock(mutex_);
        return got_;
    }
    /// Only note-ons and note-offs, in arrival order.
    std::vector<Received> notes() const {
        std::vector<Received> out;
        for (const Received& r : received()) {
            if (r.message.isNoteOn() || r.message.isNoteOff()) out.push_back(r);
        }
        return out;
    }
    std::size_t count() const {
        std::lock_guard lock(mutex_);
        return got_.size();
    }
    void clear() {
        std::lock_guard lock(mutex_);
        got_.clear();
    }

private:
    // On JACK's process thread; a test may lock here.
    static void onMessage(double, std::vector<unsigned char>* bytes, void* self) {
        auto* r = static_cast<RtReceiver*>(self);
        std::lock_guard lock(r->mutex_);
        r->got_.push_back(
            {playback::MidiMessage::fromBytes(bytes->data(), bytes->size()), playback::steadySeconds()});
    }
    // Declared in this order so they are destroyed the other way round: the RtMidiIn (whose JACK thread
    // can still deliver a message while its port closes) goes before the mutex and the list its callback
    // writes to. The other order let a late message lock a destroyed mutex: a segfault on JACK's thread
    // in one run of tst_playback_jack out of a few.
    mutable std::mutex mutex_;
    std::vector<Received> got_;
    RtMidiIn in_;
};

} // namespace continuo::test
