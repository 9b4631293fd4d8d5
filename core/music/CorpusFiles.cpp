#include "music/CorpusFiles.h"

#include <algorithm>
#include <cctype>
#include <string>
#include <system_error>

namespace continuo::music {

namespace fs = std::filesystem;

std::vector<fs::path> findMidiFiles(const std::vector<fs::path>& dirs) {
    std::vector<fs::path> files;
    for (const fs::path& dir : dirs) {
        std::error_code ec;
        if (fs::is_regular_file(dir, ec)) {
            if (isMidiFileName(dir)) files.push_back(dir);
            continue;
        }
        for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
             it != end && !ec; it.increment(ec)) {
            std::error_code fileEc;
            if (it->is_regular_file(fileEc) && isMidiFileName(it->path())) files.push_back(it->path());
        }
    }
    std::sort(files.begin(), files.end());
    files.erase(std::unique(files.begin(), files.end()), files.end());
    return files;
}

std::vector<fs::path> debianMidiFolders() {
    std::vector<fs::path> out;
    for (const char* d :
         {"/usr/share/games/openttd/baseset/openmsx", "/usr/share/games/simutrans/music",
          "/usr/share/planetblupi/music", "/usr/share/doc/pianobooster", "/usr/share/games/pianobooster"}) {
        std::error_code ec;
        if (fs::is_directory(d, ec)) out.emplace_back(d);
    }
    return out;
}

} // namespace continuo::music
