#pragma once
// Turning a Song into a raw SMF for writing.

#include "midi/SmfTypes.h"
#include "music/Song.h"

namespace continuo::music {

/// Format 1: one MTrk per Song track (none for a song without tracks or maps); the first also carries the
/// tempo, time and key signature maps (so a conductor track read from a file comes back as itself). Format 0:
/// everything merged into one MTrk, named after the first track. Format 2 is written like format 1.
///
/// Each track gets its name, instrument name, a program change on its channel at tick 0, then its notes
/// (each on its own channel) as note-on / note-off (0x80, release velocity 64). At one tick, note-offs
/// come before note-ons, so repeated notes stay separate; notes that start together on one pitch are
/// written shortest first, so reading pairs them back the same way.
///
/// songFromSmf(smfFromSong(s, 1)) == s for every song whose notes of one (channel, pitch) in a track do not
/// lie inside one another (MIDI cannot tell such notes apart; songFromSmf never makes them).
/// Throws std::invalid_argument for values outside the documented ranges of Song.h.
midi::SmfFile smfFromSong(const Song& song, int format = 1);

} // namespace continuo::music
