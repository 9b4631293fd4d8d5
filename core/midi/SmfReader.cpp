#include "midi/SmfReader.h"

#include "midi/ByteReader.h"
#include "midi/Container.h"

#include <cstring>
#include <fstream>

namespace continuo::midi {
namespace {

using detail::ByteReader;
using detail::hexByte;

// Data bytes that follow each system status F1–FE (-1: undefined in MIDI 1.0; FF is meta, handled apart).
int systemDataBytes(std::uint8_t status) {
    switch (status) {
    case 0xF1:
    case 0xF3:
        return 1;
    case 0xF2:
        return 2;
    case 0xF6:
    case 0xF8:
    case 0xFA:
    case 0xFB:
    case 0xFC:
    case 0xFE:
        return 0;
    default:
        return -1;
    }
}

/// Data bytes above 127 met in one track: how many, and the first one (value, offset in the file).
struct HighDataBytes {
    std::size_t count = 0;
    std::uint8_t first = 0;
    std::size_t firstAt = 0;
};

// A message's length follows from its status, so its data bytes are read by position, as players and
// mido do. A byte there with the top bit set breaks the rule that data bytes are 0–127 (real files have
// velocities written as 0xCC); it is read as 127, clamped as mido's clip=True does rather than masked to
// its low 7 bits, because the writer meant a value above the top (0xCC & 0x7F would be a soft 76).
void readDataBytes(ByteReader& r, std::uint8_t* out, int count, HighDataBytes& high) {
    for (int i = 0; i < count; ++i) {
        const std::size_t at = r.absolutePos();
        const std::uint8_t b = r.u8("a channel message's data byte");
        if (b & 0x80) {
            if (high.count++ == 0) {
                high.first = b;
                high.firstAt = at;
            }
        }
        out[i] = b & 0x80 ? 127 : b;
    }
}

// Parses one MTrk chunk's content. `base` is the absolute offset of `chunk` in the file.
Track parseTrack(std::span<const std::uint8_t> chunk, std::size_t base, std::size_t trackIndex,
                 std::vector<std::string>& warnings) {
    ByteReader r(chunk, base);
    Track track;
    // An event takes at least 2 bytes (delta + one data byte under running status): a bound, not a guess.
    track.events.reserve(chunk.size() / 3);
    std::int64_t tick = 0;
    std::uint8_t running = 0;
    bool ended = false;
    HighDataBytes high;
    while (!r.atEnd()) {
        const std::size_t eventStart = r.pos();
        try {
            tick += r.varLen("a delta time");
            const std::size_t statusAt = r.pos();
            std::uint8_t status = r.u8("a status byte");
            std::uint8_t data[2] = {0, 0};
            int have = 0;
            if (status < 0x80) {
                if (running == 0) {
                    r.fail("data byte " + hexByte(status) + " with no running status in effect", statusAt);
                }
                data[0] = status;
                have = 1;
                status = running;
            }
            if (status < 0xF0) {
                const int need =
                    ((status & 0xF0) == kProgramChange || (status & 0xF0) == kChannelPressure) ? 1 : 2;
                readDataBytes(r, data + have, need - have, high);
                running = status;
                track.events.push_back(Event{tick, status, 0, data[0], data[1], 0, 0});
            } else if (status == 0xFF) {
                const std::uint8_t type = r.u8("a meta event type");
                const std::uint32_t len = r.varLen("a meta event length");
                if (len > r.remaining()) {
                    r.fail("meta event " + hexByte(type) + " declares " + std::to_string(len) +
                               " bytes, past the end of its track chunk (" + std::to_string(r.remaining()) +
                               " left)",
                           eventStart);
                }
                track.addPayloadEvent(tick, 0xFF, type, r.bytes(len, "meta event data"));
                if (type == kMetaEndOfTrack) ended = true;
            } else if (status == 0xF0 || status == 0xF7) {
                const std::uint32_t len = r.varLen("a sysex length");
                if (len > r.remaining()) {
                    r.fail("sysex declares " + std::to_string(len) +
                               " bytes, past the end of its track chunk (" + std::to_string(r.remaining()) +
                               " left)",
                           eventStart);
                }
                track.addPayloadEvent(tick, status, 0, r.bytes(len, "sysex data"));
            } else {
                const int need = systemDataBytes(status);
                if (need < 0) r.fail("undefined status byte " + hexByte(status), statusAt);
                readDataBytes(r, data, need, high);
                track.events.push_back(Event{tick, status, 0, data[0], data[1], 0, 0});
            }
        } catch (const MidiError& e) {
            // Bytes after End of Track are not part of the song; a writer that padded the chunk with
            // garbage should not cost the user the file.
            if (!ended) throw;
            warnings.push_back("track " + std::to_string(trackIndex) + ": ignored " +
                               std::to_string(chunk.size() - eventStart) +
                               " unreadable bytes after End of Track (" + e.what() + ")");
            break;
        }
    }
    if (high.count > 0)
        warnings.push_back("track " + std::to_string(trackIndex) + ": " + std::to_string(high.count) +
                           " data byte" + (high.count == 1 ? "" : "s") + " above 127 (the first " +
                           hexByte(high.first) + ", at byte " + std::to_string(high.firstAt) +
                           ") read as 127");
    return track;
}

} // namespace

SmfFile parseSmf(std::span<const std::uint8_t> smf) {
    ByteReader r(smf);
    if (smf.size() < 4 || std::memcmp(smf.data(), "MThd", 4) != 0) {
        throw MidiError(smf.size() < 4 ? "not a MIDI file: only " + std::to_string(smf.size()) + " bytes"
                                       : "not a MIDI file: expected 'MThd' but found " +
                                             detail::printableId(smf.first(4)),
                        0);
    }
    r.bytes(4, "the header id");
    const std::uint32_t headerLen = r.be32("the header length");
    if (headerLen < 6) r.fail("header chunk is " + std::to_string(headerLen) + " bytes, needs at least 6", 4);
    if (headerLen > r.remaining()) {
        r.fail("truncated header chunk: declares " + std::to_string(headerLen) + " bytes, only " +
                   std::to_string(r.remaining()) + " remain",
               4);
    }
    SmfFile file;
    file.format = r.be16("the format");
    if (file.format > 2)
        r.fail("unsupported SMF format " + std::to_string(file.format) + " (only 0, 1, 2 exist)", 8);
    const std::uint16_t declaredTracks = r.be16("the track count");
    const std::uint16_t division = r.be16("the time division");
    if (division & 0x8000) {
        file.division.smpte = true;
        file.division.ticksPerQuarter = 0;
        file.division.framesPerSecond = -static_cast<std::int8_t>(division >> 8);
        file.division.ticksPerFrame = division & 0xFF;
        const int fps = file.division.framesPerSecond;
        if (fps != 24 && fps != 25 && fps != 29 && fps != 30) {
            r.fail("invalid SMPTE time division: " + std::to_string(fps) + " frames per second", 12);
        }
        if (file.division.ticksPerFrame == 0) r.fail("invalid SMPTE time division: 0 ticks per frame", 12);
    } else {
        if (division == 0) r.fail("time division is zero ticks per quarter note", 12);
        file.division.ticksPerQuarter = division;
    }
    r.bytes(headerLen - 6, "the rest of the header");

    // Never trust the declared count for allocation: each chunk needs 8 bytes of header.
    file.tracks.reserve(std::min<std::size_t>(declaredTracks, r.remaining() / 8));
    while (file.tracks.size() < declaredTracks && !r.atEnd()) {
        const std::size_t chunkStart = r.pos();
        if (r.remaining() < 8) {
            r.fail("truncated chunk header: " + std::to_string(r.remaining()) + " bytes where 8 are needed",
                   chunkStart);
        }
        auto id = r.bytes(4, "a chunk id");
        const std::uint32_t len = r.be32("a chunk length");
        if (len > r.remaining()) {
            r.fail("truncated chunk: " + detail::printableId(id) + " declares " + std::to_string(len) +
                       " bytes, only " + std::to_string(r.remaining()) + " remain",
                   chunkStart);
        }
        auto content = r.bytes(len, "chunk data");
        if (std::memcmp(id.data(), "MTrk", 4) != 0) {
            file.warnings.push_back("skipped unknown chunk " + detail::printableId(id) + " of " +
                                    std::to_string(len) + " bytes at byte " + std::to_string(chunkStart));
            continue;
        }
        file.tracks.push_back(parseTrack(content, chunkStart + 8, file.tracks.size(), file.warnings));
    }
    if (file.tracks.size() < declaredTracks) {
        file.warnings.push_back("header declares " + std::to_string(declaredTracks) +
                                " tracks, the file holds " + std::to_string(file.tracks.size()));
    } else if (r.remaining() >= 8 && std::memcmp(smf.data() + r.pos(), "MTrk", 4) == 0) {
        file.warnings.push_back("ignored track chunks past the " + std::to_string(declaredTracks) +
                                " the header declares");
    }
    if (file.format == 0 && file.tracks.size() > 1) {
        file.warnings.push_back("format 0 file with " + std::to_string(file.tracks.size()) + " tracks");
    }
    return file;
}

SmfFile parseMidiBytes(std::span<const std::uint8_t> bytes) {
    Unwrapped u = unwrapContainer(bytes);
    try {
        return parseSmf(u.smf);
    } catch (const MidiError& e) {
        if (u.kind == ContainerKind::Gzip)
            throw MidiError(e.problem() + " in the decompressed data", e.offset());
        // Report positions in the file the user has, not in the embedded SMF.
        if (u.baseOffset == 0 || e.offset() == MidiError::kNoOffset) throw;
        throw MidiError(e.problem(), e.offset() + u.baseOffset);
    }
}

SmfFile readMidiFile(const std::filesystem::path& path) {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec || !std::filesystem::exists(status)) throw MidiError(path.string() + ": no such file");
    if (std::filesystem::is_directory(status))
        throw MidiError(path.string() + ": is a folder, not a MIDI file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw MidiError(path.string() + ": cannot be opened for reading");
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw MidiError(path.string() + ": cannot read its size (" + ec.message() + ")");
    if (size > kMaxMidiBytes) {
        // Rounded down, a 64.1 MiB file read "64 MiB is too large" beside a 64 MiB limit: give both exactly.
        throw MidiError(path.string() + ": " + std::to_string(size) +
                        " bytes is more than a MIDI file may have (" + std::to_string(kMaxMidiBytes >> 20) +
                        " MiB)");
    }
    std::vector<std::uint8_t> bytes(size);
    if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(size))) {
        throw MidiError(path.string() + ": read error");
    }
    try {
        return parseMidiBytes(bytes);
    } catch (const MidiError& e) {
        throw MidiError(path.filename().string() + ": " + e.problem(), e.offset());
    }
}

} // namespace continuo::midi
