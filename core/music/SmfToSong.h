#pragma once
// Interpreting a raw SMF as a Song: pairing note-ons with note-offs, and collecting the tempo, time and
// key signature maps, track names and programs.

#include "midi/SmfTypes.h"
#include "music/Song.h"

namespace continuo::music {

/// Builds the Song a file means. One Song track per MTrk chunk, in file order (a format 1 conductor
/// track becomes a track without notes). Ticks are the file's own.
///
/// Note pairing, per track and per (channel, pitch): a note-off (or note-on with velocity 0) ends the
/// oldest sounding note (first in, first out). A note still sounding at the end of its track ends at the
/// track's last event (its End of Track). A note that ends on the tick it starts gets one tick, so that
/// every note has a duration ≥ 1 (a drum hit written as on+off together stays audible).
///
/// Track channel: the channel most of its notes use (ties: the lowest); a track without notes takes the
/// channel of its first channel message. Program: the first program change on that channel.
/// Name and instrument: the first track-name and instrument-name meta events of the track.
/// Tempo, time and key signatures: gathered from every track (format 1 puts them in the first), sorted by
/// tick, the last one at a tick winning; malformed ones are skipped.
Song songFromSmf(const midi::SmfFile& file);

} // namespace continuo::music
