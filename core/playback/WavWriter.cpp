#include "playback/WavWriter.h"

#include "playback/PlaybackError.h"

#include <bit>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>
#include <system_error>

namespace continuo::playback {

namespace {

void putLe(unsigned char* p, std::uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        p[i] = static_cast<unsigned char>(v >> (8 * i));
}

/// Runs a write on the file, turning io's error (which names the file and the reason) into WriteFailed.
template <typename F> void writing(F&& f) {
    try {
        f();
    } catch (const std::system_error& e) {
        throw PlaybackError(ErrorKind::WriteFailed, e.what());
    }
}

} // namespace

WavWriter::WavWriter(const std::filesystem::path& path, int sampleRate, int channels, SampleFormat format)
    : path_(path)
    , sampleRate_(sampleRate)
    , channels_(channels)
    , format_(format) {
    if (sampleRate < 8000 || sampleRate > 192000) {
        throw PlaybackError(ErrorKind::InvalidArgument, "WAV sample rate must be 8000–192000 Hz");
    }
    if (channels < 1 || channels > 8)
        throw PlaybackError(ErrorKind::InvalidArgument, "WAV channels must be 1–8");
    writing([&] { file_.emplace(path); });
    writeHeader();
}

WavWriter::~WavWriter() = default;

// The header is written twice: with zero sizes at the start, then with the real ones by finish().
void WavWriter::writeHeader() {
    const bool isFloat = format_ == SampleFormat::Float32;
    const std::uint32_t bytesPerSample = isFloat ? 4 : 2;
    const std::uint64_t dataBytes = std::uint64_t(frames_) * channels_ * bytesPerSample;
    // Float files carry a "fact" chunk (the frame count), as the format requires for non-PCM data.
    const std::uint32_t fmtSize = isFloat ? 18 : 16;
    const std::uint32_t factBytes = isFloat ? 12 : 0;
    unsigned char h[58] = {};
    std::size_t n = 0;
    auto tag = [&](const char* t) {
        std::memcpy(h + n, t, 4);
        n += 4;
    };
    auto u32 = [&](std::uint32_t v) {
        putLe(h + n, v, 4);
        n += 4;
    };
    auto u16 = [&](std::uint32_t v) {
        putLe(h + n, v, 2);
        n += 2;
    };
    tag("RIFF");
    u32(std::uint32_t(4 + 8 + fmtSize + factBytes + 8 + dataBytes));
    tag("WAVE");
    tag("fmt ");
    u32(fmtSize);
    u16(isFloat ? 3 : 1); // WAVE_FORMAT_IEEE_FLOAT or WAVE_FORMAT_PCM
    u16(std::uint32_t(channels_));
    u32(std::uint32_t(sampleRate_));
    u32(std::uint32_t(sampleRate_) * channels_ * bytesPerSample);
    u16(std::uint32_t(channels_) * bytesPerSample);
    u16(bytesPerSample * 8);
    if (isFloat) {
        u16(0); // cbSize
        tag("fact");
        u32(4);
        u32(std::uint32_t(frames_));
    }
    tag("data");
    u32(std::uint32_t(dataBytes));
    if (file_->size() == 0)
        writeBytes(h, n);
    else
        writing([&] { file_->writeAt(0, h, n); });
}

void WavWriter::writeBytes(const void* data, std::size_t n) {
    writing([&] { file_->write(data, n); });
}

// WAV is little-endian, as is every machine Continuo targets; samples go out as they are in memory.
static_assert(std::endian::native == std::endian::little, "WavWriter writes native little-endian samples");

void WavWriter::write(const std::int16_t* interleaved, std::int64_t frames) {
    if (format_ != SampleFormat::Int16) throw std::logic_error("WavWriter: 16-bit samples for a float file");
    writeBytes(interleaved, std::size_t(frames) * channels_ * sizeof(std::int16_t));
    frames_ += frames;
}

void WavWriter::write(const float* interleaved, std::int64_t frames) {
    if (format_ != SampleFormat::Float32)
        throw std::logic_error("WavWriter: float samples for a 16-bit file");
    writeBytes(interleaved, std::size_t(frames) * channels_ * sizeof(float));
    frames_ += frames;
}

void WavWriter::finish() {
    const std::uint64_t bytes =
        std::uint64_t(frames_) * channels_ * (format_ == SampleFormat::Float32 ? 4 : 2);
    if (bytes > std::numeric_limits<std::uint32_t>::max() - 64) {
        throw PlaybackError(ErrorKind::WriteFailed, "WAV data over 4 GiB: " + path_.string());
    }
    writeHeader();
    writing([&] { file_->commit(); });
    file_.reset();
}

} // namespace continuo::playback
