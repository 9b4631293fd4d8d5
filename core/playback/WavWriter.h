#pragma once
// Writes a RIFF WAVE file while audio is produced: 16-bit PCM or 32-bit float, any rate and channel
// count. The file appears under its name only when complete (io::AtomicFile: temporary file, fsync,
// rename), like saved songs.

#include "io/AtomicFile.h"

#include <cstdint>
#include <filesystem>
#include <optional>

namespace continuo::playback {

enum class SampleFormat {
    Int16,   ///< PCM, what every player reads
    Float32, ///< IEEE float in −1…1, no dither, for further mixing
};

class WavWriter {
public:
    /// Opens a temporary file beside `path` for writing. Throws PlaybackError(WriteFailed) with io's
    /// message naming `path`; InvalidArgument for a rate
    /// outside 8000–192000 Hz or channels outside 1–8.
    WavWriter(const std::filesystem::path& path, int sampleRate, int channels, SampleFormat format);
    /// Without finish(): removes the temporary file (the target is left as it was).
    ~WavWriter();
    WavWriter(const WavWriter&) = delete;
    WavWriter& operator=(const WavWriter&) = delete;

    /// `frames` interleaved frames of `channels` samples; the type must match the format (else
    /// std::logic_error). Throws PlaybackError(WriteFailed) when the disk refuses.
    void write(const std::int16_t* interleaved, std::int64_t frames);
    void write(const float* interleaved, std::int64_t frames);

    /// Writes the sizes into the header, closes, and renames onto the target. Throws WriteFailed, also
    /// when the data would pass the 4 GiB limit of the format.
    void finish();

    std::int64_t framesWritten() const { return frames_; }

private:
    void writeHeader();
    void writeBytes(const void* data, std::size_t n);

    std::filesystem::path path_;
    std::optional<io::AtomicFile> file_; ///< empty once finished
    int sampleRate_;
    int channels_;
    SampleFormat format_;
    std::int64_t frames_ = 0;
};

} // namespace continuo::playback
