#include "music/Meter.h"

namespace continuo::music {

TimeSignature timeSignatureAt(std::span<const TimeSignature> map, std::int64_t tick) {
    TimeSignature sig; // 4/4 from tick 0
    for (const TimeSignature& s : map) {
        if (s.tick > tick) break;
        sig = s;
    }
    return sig;
}

} // namespace continuo::music
