#include "music/MidiFileNames.h"

#include <algorithm>
#include <cctype>

namespace continuo::music {

bool isMidiFileName(const std::filesystem::path& path) {
    std::string name = path.filename().string();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return std::any_of(kMidiFileExtensions.begin(), kMidiFileExtensions.end(),
                       [&](std::string_view ext) { return name.size() > ext.size() && name.ends_with(ext); });
}

std::string midiExtensionsText() {
    std::string out;
    for (std::size_t i = 0; i < kMidiFileExtensions.size(); ++i) {
        if (i > 0) out += i + 1 == kMidiFileExtensions.size() ? " or " : ", ";
        out += kMidiFileExtensions[i];
    }
    return out;
}

std::string midiFileGlobs() {
    std::string lower, upper;
    for (std::string_view ext : kMidiFileExtensions) {
        lower += (lower.empty() ? "*" : " *") + std::string(ext);
        std::string up(ext);
        std::transform(up.begin(), up.end(), up.begin(),
                       [](unsigned char c) { return char(std::toupper(c)); });
        upper += " *" + up;
    }
    return lower + upper;
}

} // namespace continuo::music
