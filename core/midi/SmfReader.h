#pragma once
// Reading Standard MIDI Files (formats 0, 1, 2; metrical or SMPTE time) into the raw SmfFile.

#include "midi/SmfTypes.h"

#include <filesystem>
#include <span>

namespace continuo::midi {

/// Parses SMF bytes (no container: see parseMidiBytes).
///
/// Accepts: formats 0–2; PPQ and SMPTE divisions; running status (which meta and sysex events leave in
/// place, as most readers do); note-on velocity 0 (left as is: Event::isNoteOff says what it means);
/// sysex with F0 and F7; every meta event; system messages F1–FE (tolerated); unknown chunks (skipped);
/// a header longer than 6 bytes (extra bytes skipped); events after End of Track in the same chunk;
/// fewer or more MTrk chunks than the header declares (a warning each); data bytes above 127 in a channel
/// or system message, read as 127 as mido's clip=True reads them (one warning per track with the count
/// and the first byte's value and offset; the message's length comes from its status, so they are read
/// by position).
///
/// Throws MidiError, with the byte offset, for: no 'MThd'; a header chunk under 6 bytes; format > 2;
/// zero ticks per quarter; an SMPTE rate other than 24/25/29/30 or 0 ticks per frame; a chunk whose length
/// runs past the end of the data; an event that runs past the end of its chunk; a data byte with no
/// running status; a variable-length number over 4 bytes; undefined status bytes (F4, F5, F9, FD).
///
/// Memory is bounded by the input: the number of tracks and events can only be what the bytes hold.
SmfFile parseSmf(std::span<const std::uint8_t> smf);

/// parseSmf after taking off a RIFF RMID or gzip container (see Container.h). Error offsets are positions
/// in the given bytes (for gzip: in the decompressed stream, which the message says).
SmfFile parseMidiBytes(std::span<const std::uint8_t> bytes);

/// Reads a file from disk (.mid, .midi, .kar, .rmi, .mid.gz: the content decides, not the name).
/// Throws MidiError for I/O failures (missing, unreadable, a directory, over kMaxMidiBytes) and for
/// everything parseMidiBytes rejects; the message names the file.
SmfFile readMidiFile(const std::filesystem::path& path);

} // namespace continuo::midi
