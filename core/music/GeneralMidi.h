#pragma once
// Names a musician reads: General MIDI programs (pitch names: PitchNames.h, included for its callers).

#include "music/PitchNames.h"

#include <cstdint>

namespace continuo::music {

/// General MIDI Level 1 program name for `program` 0–127 ("Acoustic Grand Piano"); "" outside the range.
const char* gmProgramName(int program);

} // namespace continuo::music
