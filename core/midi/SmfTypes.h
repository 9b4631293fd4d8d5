#pragma once
// The raw content of a Standard MIDI File, event by event, as the reader found it and the writer emits it.
// No interpretation happens here (notes are paired in core/music); this is the lossless layer.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace continuo::midi {

/// Meta event types (SMF 1.0, "Meta-Events").
enum MetaType : std::uint8_t {
    kMetaSequenceNumber = 0x00,
    kMetaText = 0x01,
    kMetaCopyright = 0x02,
    kMetaTrackName = 0x03,
    kMetaInstrumentName = 0x04,
    kMetaLyric = 0x05,
    kMetaMarker = 0x06,
    kMetaCuePoint = 0x07,
    kMetaChannelPrefix = 0x20,
    kMetaPort = 0x21,
    kMetaEndOfTrack = 0x2F,
    kMetaTempo = 0x51,
    kMetaSmpteOffset = 0x54,
    kMetaTimeSignature = 0x58,
    kMetaKeySignature = 0x59,
    kMetaSequencerSpecific = 0x7F,
};

/// Status nibbles of channel messages (the high 4 bits of the status byte).
enum ChannelMessage : std::uint8_t {
    kNoteOff = 0x80,
    kNoteOn = 0x90,
    kPolyPressure = 0xA0,
    kControlChange = 0xB0,
    kProgramChange = 0xC0,
    kChannelPressure = 0xD0,
    kPitchBend = 0xE0,
};

/// One event of a track.
/// - channel message: `status` 0x80–0xEF (running status already resolved), `data1`/`data2` 0–127
///   (`data2` is 0 for the one-byte messages C0 and D0);
/// - sysex: `status` 0xF0 (complete or first packet) or 0xF7 (escape / continuation), payload = the bytes
///   after the length;
/// - meta: `status` 0xFF, `metaType` as above, payload = the meta data;
/// - other system messages found in a file (F1–FE, not valid in SMF but tolerated): `status` only.
struct Event {
    std::int64_t tick = 0;          ///< absolute time in the track, in file ticks (≥ 0, non-decreasing)
    std::uint8_t status = 0;        ///< see above
    std::uint8_t metaType = 0;      ///< meta events only
    std::uint8_t data1 = 0;         ///< channel messages only
    std::uint8_t data2 = 0;         ///< channel messages only
    std::uint32_t payloadBegin = 0; ///< index into Track::payload (sysex and meta)
    std::uint32_t payloadSize = 0;  ///< bytes in Track::payload (sysex and meta)

    bool isChannel() const { return status >= 0x80 && status < 0xF0; }
    bool isMeta() const { return status == 0xFF; }
    bool isSysex() const { return status == 0xF0 || status == 0xF7; }
    std::uint8_t channel() const { return status & 0x0F; } ///< 0–15 (channel messages)
    std::uint8_t command() const { return status & 0xF0; } ///< ChannelMessage (channel messages)
    /// A note-on with velocity > 0 (a note-on with velocity 0 is a note-off, as the SMF spec says).
    bool isNoteOn() const { return command() == kNoteOn && data2 > 0 && isChannel(); }
    bool isNoteOff() const {
        return isChannel() && (command() == kNoteOff || (command() == kNoteOn && data2 == 0));
    }
};

/// One MTrk chunk. Events are in file order, which is also tick order.
struct Track {
    std::vector<Event> events;
    std::vector<std::uint8_t> payload; ///< the sysex and meta bytes of all events, back to back

    std::span<const std::uint8_t> payloadOf(const Event& e) const {
        return {payload.data() + e.payloadBegin, e.payloadSize};
    }
    std::string textOf(const Event& e) const {
        auto p = payloadOf(e);
        return {p.begin(), p.end()};
    }
    /// Appends a meta or sysex event whose payload is copied into `payload`.
    void addPayloadEvent(std::int64_t tick, std::uint8_t status, std::uint8_t metaType,
                         std::span<const std::uint8_t> bytes);
    void addMeta(std::int64_t tick, std::uint8_t metaType, std::span<const std::uint8_t> bytes) {
        addPayloadEvent(tick, 0xFF, metaType, bytes);
    }
    void addChannel(std::int64_t tick, std::uint8_t status, std::uint8_t data1, std::uint8_t data2 = 0) {
        events.push_back(Event{tick, status, 0, data1, data2, 0, 0});
    }
};

inline void Track::addPayloadEvent(std::int64_t tick, std::uint8_t status, std::uint8_t metaType,
                                   std::span<const std::uint8_t> bytes) {
    Event e{tick,
            status,
            metaType,
            0,
            0,
            static_cast<std::uint32_t>(payload.size()),
            static_cast<std::uint32_t>(bytes.size())};
    payload.insert(payload.end(), bytes.begin(), bytes.end());
    events.push_back(e);
}

/// The header's time division.
struct Division {
    /// Metrical time: ticks per quarter note, 1–32767. 0 when `smpte` is true.
    int ticksPerQuarter = 480;
    /// SMPTE time: frames per second (24, 25, 29 meaning 29.97 drop-frame, or 30) and ticks per frame
    /// (1–255).
    bool smpte = false;
    int framesPerSecond = 0;
    int ticksPerFrame = 0;

    /// Ticks per second for SMPTE divisions (29 means 29.97 fps).
    double smpteTicksPerSecond() const {
        return (framesPerSecond == 29 ? 29.97 : framesPerSecond) * ticksPerFrame;
    }
    bool operator==(const Division&) const = default;
};

struct SmfFile {
    int format = 1; ///< 0, 1 or 2
    Division division;
    std::vector<Track> tracks;
    /// Things the reader tolerated and a person may want to know (extra bytes, missing tracks, malformed
    /// meta events it skipped). Empty for a clean file. Not written back.
    std::vector<std::string> warnings;
};

} // namespace continuo::midi
