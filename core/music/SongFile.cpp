#include "music/SongFile.h"

#include "midi/SmfReader.h"
#include "midi/SmfWriter.h"
#include "music/SmfToSong.h"
#include "music/SongToSmf.h"

#include <cmath>
#include <cstdio>

namespace continuo::music {

LoadedSong loadSong(const std::filesystem::path& path) {
    midi::SmfFile file = midi::readMidiFile(path);
    LoadedSong loaded{songFromSmf(file), std::move(file.warnings)};
    return loaded;
}

void saveSong(const std::filesystem::path& path, const Song& song, int format) {
    midi::writeMidiFile(path, smfFromSong(song, format));
}

namespace {
std::string withThousands(std::size_t n) {
    const std::string digits = std::to_string(n);
    std::string s;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
        s += digits[i];
    }
    return s;
}
} // namespace

std::string describeSong(const Song& song) {
    const std::size_t notes = song.noteCount();
    std::size_t tracksWithNotes = 0;
    for (const Track& t : song.tracks)
        tracksWithNotes += t.notes.empty() ? 0 : 1;
    const long seconds = std::lround(song.secondsAt(song.endTick()));
    const TimeSignature sig = song.timeSignatureAt(0);
    char buf[160];
    std::snprintf(buf, sizeof buf, "%zu track%s, %s note%s, %ld:%02ld, %.0f BPM, %d/%d", tracksWithNotes,
                  tracksWithNotes == 1 ? "" : "s", withThousands(notes).c_str(), notes == 1 ? "" : "s",
                  seconds / 60, seconds % 60, 60'000'000.0 / song.microsPerQuarterAt(0), sig.numerator,
                  sig.denominator);
    return buf;
}

} // namespace continuo::music
