#pragma once
// The meter map: which time signature is in effect at a tick. The one lookup the song
// (Song::timeSignatureAt), the piano roll's ruler and the generation plan use.

#include "music/Song.h"

#include <cstdint>
#include <span>

namespace continuo::music {

/// The time signature in effect at `tick` in `map` (sorted by tick): the last one at or before `tick`; 4/4
/// at tick 0 when none is (an empty map, or a tick before the first change).
TimeSignature timeSignatureAt(std::span<const TimeSignature> map, std::int64_t tick);

} // namespace continuo::music
