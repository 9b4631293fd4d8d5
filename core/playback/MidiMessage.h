#pragma once
// A channel MIDI message of at most three bytes, copied by value: it travels through lock-free queues
// and real-time threads, so it never allocates.

#include <array>
#include <cstdint>

namespace continuo::playback {

struct MidiMessage {
    std::array<std::uint8_t, 3> bytes{};
    std::uint8_t size = 0; ///< 0–3 bytes used

    std::uint8_t status() const { return bytes[0]; }
    std::uint8_t type() const {
        return bytes[0] & 0xF0;
    } ///< 0x80 note off, 0x90 note on, 0xB0 CC, 0xC0 program
    std::uint8_t channel() const { return bytes[0] & 0x0F; } ///< 0–15
    /// A note-on with velocity 0 is a note-off, as MIDI says.
    bool isNoteOn() const { return type() == 0x90 && bytes[2] > 0; }
    bool isNoteOff() const { return type() == 0x80 || (type() == 0x90 && bytes[2] == 0); }

    /// `channel` 0–15, `key` 0–127, `velocity` 1–127 (values are masked to 4 and 7 bits).
    static MidiMessage noteOn(int channel, int key, int velocity) {
        return make(0x90, channel, key, velocity);
    }
    static MidiMessage noteOff(int channel, int key, int velocity = 0) {
        return make(0x80, channel, key, velocity);
    }
    static MidiMessage controlChange(int channel, int controller, int value) {
        return make(0xB0, channel, controller, value);
    }
    /// `program` 0–127 (General MIDI numbering from 0: 0 = Acoustic Grand Piano).
    static MidiMessage programChange(int channel, int program) {
        MidiMessage m = make(0xC0, channel, program, 0);
        m.size = 2;
        return m;
    }
    static MidiMessage fromBytes(const std::uint8_t* data, std::size_t n) {
        MidiMessage m;
        m.size = static_cast<std::uint8_t>(n < 3 ? n : 3);
        for (std::size_t i = 0; i < m.size; ++i)
            m.bytes[i] = data[i];
        return m;
    }

    bool operator==(const MidiMessage&) const = default;

private:
    static MidiMessage make(int status, int channel, int a, int b) {
        MidiMessage m;
        m.bytes = {std::uint8_t(status | (channel & 0x0F)), std::uint8_t(a & 0x7F), std::uint8_t(b & 0x7F)};
        m.size = 3;
        return m;
    }
};

/// Controller numbers the player sends on stop.
inline constexpr int kSustainPedal = 64;
inline constexpr int kAllSoundOff = 120;
inline constexpr int kAllNotesOff = 123;

} // namespace continuo::playback
