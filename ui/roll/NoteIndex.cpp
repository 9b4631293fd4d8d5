#include "ui/roll/NoteIndex.h"

#include <algorithm>

namespace continuo::ui {

void NoteIndex::rebuild(const std::map<NoteId, music::Note>& notes) {
    entries_.clear();
    entries_.reserve(notes.size());
    maxDuration_ = 0;
    for (const auto& [id, n] : notes) {
        entries_.push_back(
            {n.start, n.end(), id, n.pitch, n.velocity, n.origin == music::NoteOrigin::Generated});
        maxDuration_ = std::max(maxDuration_, n.duration);
    }
    // The map iterates in id order, so a stable sort keeps id order among notes with the same start.
    std::stable_sort(entries_.begin(), entries_.end(),
                     [](const Entry& a, const Entry& b) { return a.start < b.start; });
}

std::span<const NoteIndex::Entry> NoteIndex::overlapping(std::int64_t from, std::int64_t to) const {
    const auto byStart = [](const Entry& e, std::int64_t tick) { return e.start < tick; };
    // A note sounding at `from` started at most maxDuration_ ticks earlier.
    const auto first = std::lower_bound(entries_.begin(), entries_.end(), from - maxDuration_, byStart);
    const auto last = std::lower_bound(first, entries_.end(), to, byStart);
    return {first, last};
}

} // namespace continuo::ui
