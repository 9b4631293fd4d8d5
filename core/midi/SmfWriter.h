#pragma once
// Writing Standard MIDI Files from the raw SmfFile.

#include "midi/SmfTypes.h"

#include <filesystem>
#include <vector>

namespace continuo::midi {

/// Serializes `file` to SMF bytes: header (format, track count, division), then one MTrk per track.
/// Channel messages use running status (reset after meta and sysex events, which the strictest readers
/// expect). An End of Track meta event is added where a track lacks one, at its last event's tick. A gap
/// between events longer than an SMF delta can say (0x0FFFFFFF ticks) is bridged with empty text events.
/// Throws std::invalid_argument for what cannot be written: events out of tick order or at a negative
/// tick, data bytes over 127, payloads over 0x0FFFFFFF bytes, format > 2,
/// more than 65535 tracks, a division out of range.
std::vector<std::uint8_t> serializeSmf(const SmfFile& file);

/// serializeSmf, then writes the bytes with io::writeFileAtomically (temporary file, fsync, rename), so a
/// failure never leaves half a file where the user's file was.
/// Throws MidiError naming the file when it cannot be written (a folder at `path` included),
/// std::invalid_argument as serializeSmf.
void writeMidiFile(const std::filesystem::path& path, const SmfFile& file);

} // namespace continuo::midi
