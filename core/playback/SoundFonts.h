#pragma once
// Finding a General MIDI SoundFont without configuration (the order is in soundfonts/README.md).

#include <filesystem>
#include <optional>
#include <vector>

namespace continuo::playback {

/// Where the default SoundFont is looked for, in order. A folder entry means "the first .sf2/.sf3 in it,
/// by name"; a file entry means that file. The list: the source tree's soundfonts/ folder, the installed
/// share/continuo/soundfonts next to the running binary (found through /proc/self/exe), then
/// /usr/share/sounds/sf2/default-GM.sf2, TimGM6mb.sf2 and FluidR3_GM.sf2.
std::vector<std::filesystem::path> defaultSoundFontCandidates();

/// The first candidate that exists as a regular file (or a folder holding one); nullopt when none does.
/// Existence only: checkSoundFont() says whether it is usable.
std::optional<std::filesystem::path> findSoundFont(const std::vector<std::filesystem::path>& candidates);

/// Throws PlaybackError: SoundFontMissing when `path` is not a readable regular file, SoundFontInvalid
/// when it is not a RIFF "sfbk" file (SoundFont 2, or 3 with compressed samples).
void checkSoundFont(const std::filesystem::path& path);

/// `requested` when it is not empty (checked), otherwise the default lookup over `candidates` (checked).
/// Throws PlaybackError(SoundFontMissing) naming where it looked when nothing is found.
std::filesystem::path
resolveSoundFont(const std::filesystem::path& requested,
                 const std::vector<std::filesystem::path>& candidates = defaultSoundFontCandidates());

} // namespace continuo::playback
