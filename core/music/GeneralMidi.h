#pragma once
// Names a musician reads: General MIDI programs and pitches.

#include <cstdint>
#include <string>

namespace continuo::music {

/// General MIDI Level 1 program name for `program` 0–127 ("Acoustic Grand Piano"); "" outside the range.
const char* gmProgramName(int program);

/// Scientific pitch name with middle C (60) as C4: 60 → "C4", 61 → "C#4", 21 → "A0"; "" outside 0–127.
std::string pitchName(int pitch);

} // namespace continuo::music
