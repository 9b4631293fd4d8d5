#pragma once
// One track's notes sorted by start, for painting. The document keeps notes in a map by id (creation
// order); testing every one of 20,000 notes against the exposed rectangle on each repaint cost more than
// drawing them, so the roll keeps this index and finds the notes of a tick range by binary search.
// Plain value type without widgets: unit-tested in tests/studio/tst_roll_geometry.cpp.

#include "ui/document/Document.h"

#include <cstdint>
#include <map>
#include <span>
#include <vector>

namespace continuo::ui {

class NoteIndex {
public:
    /// What painting needs of a note, copied so the index never points into the document.
    struct Entry {
        std::int64_t start = 0; ///< ticks
        std::int64_t end = 0;   ///< ticks, exclusive
        NoteId id = 0;
        std::uint8_t pitch = 0;
        std::uint8_t velocity = 0;
        bool generated = false; ///< NoteOrigin::Generated
    };

    NoteIndex() = default;
    explicit NoteIndex(const std::map<NoteId, music::Note>& notes) { rebuild(notes); }
    /// Replaces the contents: O(n log n). Ties in start keep id order (the document's paint order).
    void rebuild(const std::map<NoteId, music::Note>& notes);

    /// The notes sounding somewhere in [from, to) ticks, plus a few that start early enough but end
    /// before `from` (callers that care check `end`). Contiguous, in start order; O(log n + k).
    std::span<const Entry> overlapping(std::int64_t from, std::int64_t to) const;

    std::size_t size() const { return entries_.size(); }
    const std::vector<Entry>& entries() const { return entries_; }

private:
    std::vector<Entry> entries_;
    std::int64_t maxDuration_ = 0; ///< how far before `from` a note that still sounds can start
};

} // namespace continuo::ui
