#pragma once
// Bounds-checked big-endian reading over a byte span; every failure is a MidiError naming what was being
// read and the absolute byte offset. Internal to core/midi.

#include "midi/MidiError.h"

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

namespace continuo::midi::detail {

class ByteReader {
public:
    /// `base` is added to positions in error messages (the offset of `data` within the whole file).
    explicit ByteReader(std::span<const std::uint8_t> data, std::size_t base = 0)
        : data_(data)
        , base_(base) {}

    std::size_t pos() const { return pos_; }
    std::size_t absolutePos() const { return base_ + pos_; }
    std::size_t remaining() const { return data_.size() - pos_; }
    bool atEnd() const { return pos_ >= data_.size(); }

    std::uint8_t u8(const char* what) {
        need(1, what);
        return data_[pos_++];
    }
    std::uint8_t peek() const { return data_[pos_]; }
    std::uint16_t be16(const char* what) {
        need(2, what);
        auto v = static_cast<std::uint16_t>(data_[pos_] << 8 | data_[pos_ + 1]);
        pos_ += 2;
        return v;
    }
    std::uint32_t be32(const char* what) {
        need(4, what);
        std::uint32_t v = std::uint32_t(data_[pos_]) << 24 | std::uint32_t(data_[pos_ + 1]) << 16 |
                          std::uint32_t(data_[pos_ + 2]) << 8 | std::uint32_t(data_[pos_ + 3]);
        pos_ += 4;
        return v;
    }
    std::uint32_t le32(const char* what) {
        need(4, what);
        std::uint32_t v = std::uint32_t(data_[pos_ + 3]) << 24 | std::uint32_t(data_[pos_ + 2]) << 16 |
                          std::uint32_t(data_[pos_ + 1]) << 8 | std::uint32_t(data_[pos_]);
        pos_ += 4;
        return v;
    }
    /// A MIDI variable-length quantity: at most 4 bytes, value 0–0x0FFFFFFF.
    std::uint32_t varLen(const char* what) {
        const std::size_t start = pos_;
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const std::uint8_t b = u8(what);
            v = (v << 7) | (b & 0x7F);
            if (!(b & 0x80)) return v;
        }
        fail(std::string(what) + ": variable-length number longer than 4 bytes", start);
    }
    std::span<const std::uint8_t> bytes(std::size_t n, const char* what) {
        need(n, what);
        auto s = data_.subspan(pos_, n);
        pos_ += n;
        return s;
    }

    [[noreturn]] void fail(const std::string& problem, std::size_t relativePos) const {
        throw MidiError(problem, base_ + relativePos);
    }

private:
    void need(std::size_t n, const char* what) const {
        if (remaining() < n) {
            fail(std::string("unexpected end of data while reading ") + what + " (needs " +
                     std::to_string(n) + " byte" + (n == 1 ? "" : "s") + ", " + std::to_string(remaining()) +
                     " left)",
                 pos_);
        }
    }

    std::span<const std::uint8_t> data_;
    std::size_t base_;
    std::size_t pos_ = 0;
};

inline std::string hexByte(std::uint8_t b) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", b);
    return buf;
}

/// A chunk id for a message: printable ASCII as is, other bytes as \xNN.
inline std::string printableId(std::span<const std::uint8_t> id) {
    std::string s;
    for (auto c : id) {
        if (c >= 0x20 && c < 0x7F) {
            s += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            s += buf;
        }
    }
    return "'" + s + "'";
}

} // namespace continuo::midi::detail
