#pragma once
// The one exception type of the MIDI layer: every way a byte sequence can fail to be a MIDI file.

#include <cstddef>
#include <limits>
#include <stdexcept>
#include <string>

namespace continuo::midi {

/// Thrown by the reader, the container unwrapper and the file functions.
/// what() is one sentence for a person: the problem, and where it is ("at byte N") when known.
class MidiError : public std::runtime_error {
public:
    static constexpr std::size_t kNoOffset = std::numeric_limits<std::size_t>::max();

    /// `offset` is the byte position of the problem in the file as stored on disk (or in the
    /// decompressed stream for .mid.gz, which the message then says), or kNoOffset.
    MidiError(const std::string& problem, std::size_t offset = kNoOffset);

    /// The problem without the position.
    const std::string& problem() const { return problem_; }
    /// Byte position of the problem, or kNoOffset.
    std::size_t offset() const { return offset_; }

private:
    std::string problem_;
    std::size_t offset_;
};

inline MidiError::MidiError(const std::string& problem, std::size_t offset)
    : std::runtime_error(offset == kNoOffset ? problem
                                             : problem + " (at byte " + std::to_string(offset) + ")")
    , problem_(problem)
    , offset_(offset) {}

} // namespace continuo::midi
