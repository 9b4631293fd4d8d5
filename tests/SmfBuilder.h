#pragma once
// Builds MIDI files byte by byte in tests, so every case states exactly which bytes it feeds the reader.

#include <QByteArray>

#include <cstdint>
#include <initializer_list>
#include <span>

namespace continuo::test {

inline QByteArray bytes(std::initializer_list<int> values) {
    QByteArray out;
    for (int v : values)
        out.append(static_cast<char>(v));
    return out;
}

inline QByteArray be32(std::uint32_t v) {
    return bytes({int(v >> 24) & 0xFF, int(v >> 16) & 0xFF, int(v >> 8) & 0xFF, int(v) & 0xFF});
}

inline QByteArray le32(std::uint32_t v) {
    return bytes({int(v) & 0xFF, int(v >> 8) & 0xFF, int(v >> 16) & 0xFF, int(v >> 24) & 0xFF});
}

/// "MThd", length 6, format, track count, division.
inline QByteArray header(int format, int tracks, int division) {
    return QByteArray("MThd") + be32(6) +
           bytes({format >> 8, format & 0xFF, tracks >> 8, tracks & 0xFF, (division >> 8) & 0xFF,
                  division & 0xFF});
}

/// A chunk with the given id and body; the length is the body's unless `declared` overrides it.
inline QByteArray chunk(const char* id, const QByteArray& body, long long declared = -1) {
    return QByteArray(id, 4) + be32(static_cast<std::uint32_t>(declared < 0 ? body.size() : declared)) + body;
}

inline QByteArray track(const QByteArray& events, long long declared = -1) {
    return chunk("MTrk", events, declared);
}

/// Delta 0, End of Track.
inline QByteArray endOfTrack(int delta = 0) {
    return bytes({delta, 0xFF, 0x2F, 0x00});
}

inline std::span<const std::uint8_t> span(const QByteArray& b) {
    return {reinterpret_cast<const std::uint8_t*>(b.constData()), static_cast<std::size_t>(b.size())};
}

} // namespace continuo::test
