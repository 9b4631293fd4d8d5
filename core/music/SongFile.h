#pragma once
// Loading and saving songs as MIDI files: the one entry point the UI and CLI use.

#include "music/Song.h"

#include <filesystem>
#include <string>
#include <vector>

namespace continuo::music {

struct LoadedSong {
    Song song;
    /// What the reader tolerated (see midi::SmfFile::warnings); empty for a clean file.
    std::vector<std::string> warnings;
};

/// Reads any MIDI file (MidiFileNames.h lists their names; the content decides). Throws midi::MidiError with
/// one sentence naming the file, the problem and the byte offset.
LoadedSong loadSong(const std::filesystem::path& path);

/// Writes `song` as SMF `format` (1 by default; 0 merges all tracks into one) atomically (temp + rename).
/// Throws midi::MidiError when the file cannot be written, std::invalid_argument for out-of-range values.
void saveSong(const std::filesystem::path& path, const Song& song, int format = 1);

/// A one-line summary for a status bar or a log: "3 tracks, 1,204 notes, 2:31, 120 BPM, 4/4".
std::string describeSong(const Song& song);

} // namespace continuo::music
