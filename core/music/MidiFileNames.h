#pragma once
// The names MIDI files go by: the one list behind corpus scanning, the CLI's help, the studio's Open
// dialog and drop target, the retraining scan and their messages. The reader decides by content
// (midi/Container.h), so the list only says which files are worth offering and reading.

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

namespace continuo::music {

/// Standard MIDI files, karaoke files, RIFF RMID, and either of them gzipped. Lower case, with the dot.
inline constexpr std::array<std::string_view, 6> kMidiFileExtensions{".mid", ".midi",   ".kar",
                                                                     ".rmi", ".mid.gz", ".midi.gz"};

/// True when the file name (not the folders above it) ends, in any case, in one of kMidiFileExtensions and
/// has something before it (".mid" alone is a hidden file, not a MIDI file).
bool isMidiFileName(const std::filesystem::path& path);

/// The extensions for a sentence: ".mid, .midi, .kar, .rmi, .mid.gz or .midi.gz".
std::string midiExtensionsText();

/// Glob patterns for a file dialog's filter, lower and upper case (a case-sensitive dialog still finds
/// "SONG.MID"): "*.mid *.midi … *.MID *.MIDI …".
std::string midiFileGlobs();

} // namespace continuo::music
