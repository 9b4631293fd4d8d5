// libFuzzer target for the MIDI read path: container unwrapping, SMF parsing and note pairing.
// Properties checked on every input:
//  - it parses or throws MidiError, nothing else (no crash, no hang, no other exception, bounded memory);
//  - what parses converts to a Song whose notes respect the model's ranges and order;
//  - writing that Song and reading it back gives the same Song (the writer's round-trip contract).

#include "FuzzCheck.h"
#include "midi/MidiError.h"
#include "midi/SmfReader.h"
#include "midi/SmfWriter.h"
#include "music/SmfToSong.h"
#include "music/SongToSmf.h"

#include <cstdio>
#include <cstdlib>

using namespace continuo;

namespace {
using fuzz::check;
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    midi::SmfFile file;
    try {
        file = midi::parseMidiBytes({data, size});
    } catch (const midi::MidiError&) {
        return 0;
    }
    const music::Song song = music::songFromSmf(file);
    for (const auto& t : song.tracks) {
        check(t.channel < 16 && t.program < 128, "track channel/program range");
        for (std::size_t i = 0; i < t.notes.size(); ++i) {
            const auto& n = t.notes[i];
            check(n.pitch < 128 && n.velocity >= 1 && n.velocity < 128 && n.channel < 16, "note ranges");
            check(n.start >= 0 && n.duration >= 1, "note start/duration");
            check(i == 0 || !music::noteLess(n, t.notes[i - 1]), "notes sorted");
        }
    }
    // A format 0 file with several MTrk chunks is read as several tracks; write it back as format 1.
    const int format = (song.format == 0 && song.tracks.size() != 1) ? 1 : song.format;
    const auto bytes = midi::serializeSmf(music::smfFromSong(song, format));
    music::Song back = music::songFromSmf(midi::parseSmf(bytes));
    back.format = song.format;
    check(back == song, "write -> read gives the same Song");
    return 0;
}
