#include "midi/Container.h"

#include "midi/ByteReader.h"

#include <zlib.h>

#include <cstring>
#include <string>

namespace continuo::midi {
namespace {

bool startsWith(std::span<const std::uint8_t> b, const char* magic, std::size_t n) {
    return b.size() >= n && std::memcmp(b.data(), magic, n) == 0;
}

// RIFF is little-endian; chunks are padded to even sizes (unlike SMF chunks).
std::span<const std::uint8_t> findRmidData(std::span<const std::uint8_t> bytes, std::size_t& base) {
    detail::ByteReader r(bytes);
    r.bytes(4, "RIFF id");
    const std::uint32_t riffSize = r.le32("RIFF size");
    auto form = r.bytes(4, "RIFF form type");
    if (std::memcmp(form.data(), "RMID", 4) != 0) {
        r.fail("RIFF file of type " + detail::printableId(form) + " is not a RIFF MIDI (RMID) file", 8);
    }
    // Trust the smaller of the declared RIFF size and the file: some writers get the RIFF size wrong.
    const std::size_t end = std::min<std::size_t>(bytes.size(), std::size_t(riffSize) + 8);
    while (r.pos() + 8 <= end) {
        const std::size_t chunkStart = r.pos();
        auto id = r.bytes(4, "RIFF chunk id");
        const std::uint32_t size = r.le32("RIFF chunk size");
        if (size > r.remaining()) {
            r.fail("truncated RIFF chunk " + detail::printableId(id) + ": declares " + std::to_string(size) +
                       " bytes, only " + std::to_string(r.remaining()) + " remain",
                   chunkStart);
        }
        if (std::memcmp(id.data(), "data", 4) == 0) {
            base = r.pos();
            return r.bytes(size, "RIFF data chunk");
        }
        r.bytes(size, "RIFF chunk");
        if ((size & 1) && !r.atEnd()) r.u8("RIFF pad byte");
    }
    throw MidiError("RIFF MIDI file has no 'data' chunk");
}

std::vector<std::uint8_t> inflateGzip(std::span<const std::uint8_t> bytes) {
    z_stream zs{};
    // 16 + MAX_WBITS: expect a gzip header and trailer (and check its CRC).
    if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) throw MidiError("cannot start gzip decompression");
    std::vector<std::uint8_t> out;
    out.resize(std::min<std::size_t>(kMaxMidiBytes, std::max<std::size_t>(bytes.size() * 4, 64 * 1024)));
    zs.next_in = const_cast<Bytef*>(bytes.data());
    zs.avail_in = static_cast<uInt>(bytes.size());
    std::size_t produced = 0;
    int rc = Z_OK;
    while (true) {
        if (produced == out.size()) {
            if (out.size() >= kMaxMidiBytes) {
                inflateEnd(&zs);
                throw MidiError("gzip data inflates to more than " + std::to_string(kMaxMidiBytes >> 20) +
                                " MiB, which is no MIDI file");
            }
            out.resize(std::min(kMaxMidiBytes, out.size() * 2));
        }
        zs.next_out = out.data() + produced;
        zs.avail_out = static_cast<uInt>(out.size() - produced);
        rc = inflate(&zs, Z_NO_FLUSH);
        produced = out.size() - zs.avail_out;
        if (rc == Z_STREAM_END) break;
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
            const std::size_t at = zs.total_in;
            inflateEnd(&zs);
            throw MidiError("truncated gzip data", at);
        }
        if (rc != Z_OK && rc != Z_BUF_ERROR) {
            const std::size_t at = zs.total_in;
            const std::string msg = zs.msg ? zs.msg : "unknown error";
            inflateEnd(&zs);
            throw MidiError("corrupt gzip data: " + msg, at);
        }
    }
    inflateEnd(&zs);
    out.resize(produced);
    return out;
}

} // namespace

Unwrapped unwrapContainer(std::span<const std::uint8_t> bytes) {
    Unwrapped u;
    if (startsWith(bytes, "\x1f\x8b", 2)) {
        u.kind = ContainerKind::Gzip;
        u.inflated = inflateGzip(bytes);
        // A gzipped RMID is unusual but harmless to accept.
        if (startsWith(u.inflated, "RIFF", 4)) {
            u.smf = findRmidData(u.inflated, u.baseOffset);
        } else {
            u.smf = u.inflated;
        }
        u.baseOffset = 0;
        return u;
    }
    if (startsWith(bytes, "RIFF", 4)) {
        u.kind = ContainerKind::Rmid;
        u.smf = findRmidData(bytes, u.baseOffset);
        return u;
    }
    u.smf = bytes;
    return u;
}

} // namespace continuo::midi
