#pragma once
// A deterministic editing session for crash tests: each step() makes one edit the way the roll and the track
// list make them, as commands on the undo stack (draw, erase, drags whose steps merge into one command,
// velocity, undo, redo, tracks, tempo). Given the same document and seed it makes the same edits, so a test
// can replay what a studio process did and know the document after every step.

#include "ui/document/Document.h"

#include <cstdint>
#include <random>

namespace continuo::ui {

/// Thread contract: GUI thread, like the Document it edits.
class EditScript {
public:
    EditScript(Document* doc, std::uint64_t seed);

    /// Makes the next edit (one command pushed, one undo or redo, or one step of a drag in progress).
    void step();
    /// Steps made so far.
    int steps() const { return steps_; }
    /// Steps made so far in the drag in progress; 0 when none is (the last step ended it or was no drag).
    int dragSteps() const { return dragLeft_ > 0 ? dragDone_ : 0; }

private:
    std::uint64_t pick(std::uint64_t n) { return rng_() % n; }
    const TrackData& anyTrack();
    void addNotes();
    void removeNote();
    void startDrag();
    void dragStep();
    void changeVelocity();
    void editTrack();
    void changeTempo();

    Document* doc_;
    std::mt19937_64 rng_; ///< its raw output only: distributions may differ between standard libraries
    int steps_ = 0;
    int dragLeft_ = 0; ///< steps left in the drag in progress
    int dragDone_ = 0; ///< steps made in it
    NoteId dragNote_ = 0;
    quint64 gesture_ = 0;
};

} // namespace continuo::ui
