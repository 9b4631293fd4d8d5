#include "playback/SoundFonts.h"

#include "playback/AudioLibraries.h"
#include "playback/PlaybackError.h"

#include <fluidsynth.h>

#include <algorithm>
#include <fstream>
#include <system_error>

namespace continuo::playback {
namespace fs = std::filesystem;

namespace {

bool isSoundFontName(const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return ext == ".sf2" || ext == ".sf3";
}

std::optional<fs::path> firstInFolder(const fs::path& dir) {
    std::error_code ec;
    std::vector<fs::path> found;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (isSoundFontName(it->path()) && it->is_regular_file(ec)) found.push_back(it->path());
    }
    if (found.empty()) return std::nullopt;
    return *std::min_element(found.begin(), found.end());
}

} // namespace

std::vector<fs::path> defaultSoundFontCandidates() {
    std::vector<fs::path> out;
    out.emplace_back(CONTINUO_SOURCE_SOUNDFONT_DIR);
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) out.push_back(exe.parent_path().parent_path() / CONTINUO_INSTALL_SOUNDFONT_DIR);
    for (const char* name : {"default-GM.sf2", "TimGM6mb.sf2", "FluidR3_GM.sf2"}) {
        out.push_back(fs::path("/usr/share/sounds/sf2") / name);
    }
    return out;
}

std::optional<fs::path> findSoundFont(const std::vector<fs::path>& candidates) {
    for (const fs::path& c : candidates) {
        std::error_code ec;
        if (fs::is_directory(c, ec)) {
            if (auto f = firstInFolder(c)) return f;
        } else if (fs::is_regular_file(c, ec)) { // follows Debian's alternatives symlink
            return c;
        }
    }
    return std::nullopt;
}

void checkSoundFont(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
        throw PlaybackError(ErrorKind::SoundFontMissing, "SoundFont not found: " + path.string());
    }
    if (!std::ifstream(path, std::ios::binary)) {
        throw PlaybackError(ErrorKind::SoundFontMissing, "SoundFont cannot be read: " + path.string());
    }
    initAudioLibraries();
    if (!fluid_is_soundfont(path.c_str())) {
        throw PlaybackError(ErrorKind::SoundFontInvalid,
                            "not a SoundFont (.sf2/.sf3 starts with RIFF…sfbk): " + path.string());
    }
}

fs::path resolveSoundFont(const fs::path& requested, const std::vector<fs::path>& candidates) {
    if (!requested.empty()) {
        checkSoundFont(requested);
        return requested;
    }
    const std::optional<fs::path> found = findSoundFont(candidates);
    if (!found) {
        std::string where;
        for (const fs::path& c : candidates)
            where += (where.empty() ? "" : ", ") + c.string();
        throw PlaybackError(ErrorKind::SoundFontMissing,
                            "no General MIDI SoundFont found (looked in " +
                                (where.empty() ? "nothing" : where) +
                                "); install timgm6mb-soundfont or pass --soundfont FILE.sf2");
    }
    checkSoundFont(*found);
    return *found;
}

} // namespace continuo::playback
