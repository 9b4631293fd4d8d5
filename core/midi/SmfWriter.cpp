#include "midi/SmfWriter.h"

#include "io/AtomicFile.h"
#include "midi/MidiError.h"

#include <stdexcept>
#include <string>

namespace continuo::midi {
namespace {

constexpr std::uint64_t kMaxDelta = 0x0FFFFFFF; // the largest 4-byte variable-length quantity

void put32(std::vector<std::uint8_t>& out, std::uint32_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 24));
    out.push_back(static_cast<std::uint8_t>(v >> 16));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}

void put16(std::vector<std::uint8_t>& out, std::uint16_t v) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
}

void putVarLen(std::vector<std::uint8_t>& out, std::uint64_t v, const char* what) {
    if (v > 0x0FFFFFFF)
        throw std::invalid_argument(std::string(what) + " " + std::to_string(v) + " exceeds 0x0FFFFFFF");
    std::uint8_t buf[4];
    int n = 0;
    buf[n++] = v & 0x7F;
    while (v >>= 7)
        buf[n++] = static_cast<std::uint8_t>(0x80 | (v & 0x7F));
    while (n)
        out.push_back(buf[--n]);
}

int channelDataBytes(std::uint8_t status) {
    const std::uint8_t cmd = status & 0xF0;
    return (cmd == kProgramChange || cmd == kChannelPressure) ? 1 : 2;
}

int systemDataBytes(std::uint8_t status) {
    switch (status) {
    case 0xF1:
    case 0xF3:
        return 1;
    case 0xF2:
        return 2;
    default:
        return 0;
    }
}

void writeTrack(std::vector<std::uint8_t>& out, const Track& track, std::size_t index) {
    std::vector<std::uint8_t> body;
    body.reserve(track.events.size() * 4 + track.payload.size() + 4);
    std::int64_t last = 0;
    std::uint8_t running = 0;
    bool ended = false;
    for (const Event& e : track.events) {
        if (ended) break; // nothing may follow End of Track
        if (e.tick < last) {
            throw std::invalid_argument("track " + std::to_string(index) + ": event at tick " +
                                        std::to_string(e.tick) + " comes after one at tick " +
                                        std::to_string(last));
        }
        std::uint64_t delta = static_cast<std::uint64_t>(e.tick - last);
        // SMF cannot say a longer delta; bridge the gap with empty text events, which mean nothing.
        while (delta > kMaxDelta) {
            putVarLen(body, kMaxDelta, "delta time");
            body.insert(body.end(), {0xFF, kMetaText, 0x00});
            delta -= kMaxDelta;
            running = 0;
        }
        putVarLen(body, delta, "delta time");
        last = e.tick;
        if (e.isChannel()) {
            if (e.data1 > 127 || e.data2 > 127) throw std::invalid_argument("data byte over 127");
            if (e.status != running) body.push_back(e.status);
            running = e.status;
            body.push_back(e.data1);
            if (channelDataBytes(e.status) == 2) body.push_back(e.data2);
        } else if (e.isMeta() || e.isSysex()) {
            if (std::size_t(e.payloadBegin) + e.payloadSize > track.payload.size()) {
                throw std::invalid_argument("event payload outside the track's payload bytes");
            }
            body.push_back(e.status);
            if (e.isMeta()) body.push_back(e.metaType);
            putVarLen(body, e.payloadSize, "payload length");
            auto p = track.payloadOf(e);
            body.insert(body.end(), p.begin(), p.end());
            running = 0;
            ended = e.isMeta() && e.metaType == kMetaEndOfTrack;
        } else {
            body.push_back(e.status);
            const int n = systemDataBytes(e.status);
            if (n >= 1) body.push_back(e.data1);
            if (n >= 2) body.push_back(e.data2);
            running = 0;
        }
    }
    if (!ended) {
        body.push_back(0x00);
        body.insert(body.end(), {0xFF, kMetaEndOfTrack, 0x00});
    }
    if (body.size() > 0xFFFFFFFFu) throw std::invalid_argument("track too large for SMF");
    out.insert(out.end(), {'M', 'T', 'r', 'k'});
    put32(out, static_cast<std::uint32_t>(body.size()));
    out.insert(out.end(), body.begin(), body.end());
}

} // namespace

std::vector<std::uint8_t> serializeSmf(const SmfFile& file) {
    if (file.format < 0 || file.format > 2) throw std::invalid_argument("SMF format must be 0, 1 or 2");
    if (file.tracks.size() > 0xFFFF) throw std::invalid_argument("more than 65535 tracks");
    if (file.format == 0 && file.tracks.size() > 1) throw std::invalid_argument("format 0 holds one track");
    std::uint16_t division = 0;
    const Division& d = file.division;
    if (d.smpte) {
        if ((d.framesPerSecond != 24 && d.framesPerSecond != 25 && d.framesPerSecond != 29 &&
             d.framesPerSecond != 30) ||
            d.ticksPerFrame < 1 || d.ticksPerFrame > 255) {
            throw std::invalid_argument("invalid SMPTE division");
        }
        division = static_cast<std::uint16_t>((static_cast<std::uint8_t>(-d.framesPerSecond) << 8) |
                                              d.ticksPerFrame);
    } else {
        if (d.ticksPerQuarter < 1 || d.ticksPerQuarter > 0x7FFF)
            throw std::invalid_argument("ticks per quarter out of 1..32767");
        division = static_cast<std::uint16_t>(d.ticksPerQuarter);
    }
    std::vector<std::uint8_t> out{'M', 'T', 'h', 'd'};
    put32(out, 6);
    put16(out, static_cast<std::uint16_t>(file.format));
    put16(out, static_cast<std::uint16_t>(file.tracks.size()));
    put16(out, division);
    for (std::size_t i = 0; i < file.tracks.size(); ++i)
        writeTrack(out, file.tracks[i], i);
    return out;
}

void writeMidiFile(const std::filesystem::path& path, const SmfFile& file) {
    const std::vector<std::uint8_t> bytes = serializeSmf(file);
    // A folder given where a file is meant (`--out somewhere/`): say what to write instead.
    std::error_code status;
    if (std::filesystem::is_directory(path, status))
        throw MidiError(path.string() + ": is a folder, not a file; name the MIDI file to write, such as " +
                        (path / "song.mid").string());
    try {
        io::writeFileAtomically(path,
                                std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    } catch (const std::system_error& e) {
        throw MidiError(e.what()); // names the file and the reason (io/AtomicFile.h)
    }
}

} // namespace continuo::midi
