#pragma once
// Finding MIDI files for a corpus: by name, recursively, and the Debian packages that ship real music.

#include "music/MidiFileNames.h"

#include <filesystem>
#include <vector>

namespace continuo::music {

/// The MIDI files (isMidiFileName) below `dirs` (recursive, following no permission errors; a missing folder
/// gives none), sorted and without repeats. A path in `dirs` that is itself a MIDI file is included.
std::vector<std::filesystem::path> findMidiFiles(const std::vector<std::filesystem::path>& dirs);

/// The folders where Debian's openttd-openmsx, simutrans-data, planetblupi-music-midi and pianobooster
/// install MIDI files (those that exist on this machine). scripts/build-corpus.sh copies these, and
/// more, into the default training corpus.
std::vector<std::filesystem::path> debianMidiFolders();

} // namespace continuo::music
