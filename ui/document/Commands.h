#pragma once
// Every edit of a Document is one of these QUndoCommands. Notes and tracks are found by stable id, never
// by pointer, so a command stays valid whatever was undone or redone around it.

#include "ui/document/Document.h"

#include <QUndoCommand>

#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace continuo::ui {

/// Base of all commands: the only way to reach Document's raw mutators.
class DocumentEdit : public QUndoCommand {
protected:
    DocumentEdit(Document* doc, const QString& text)
        : QUndoCommand(text)
        , doc_(doc) {}
    void insertNote(TrackId t, NoteId id, const music::Note& n) { doc_->insertNote(t, id, n); }
    music::Note eraseNote(NoteId id) { return doc_->eraseNote(id); }
    void replaceNote(NoteId id, const music::Note& n) { doc_->replaceNote(id, n); }
    void insertTrack(int index, const TrackData& d) { doc_->insertTrack(index, d); }
    TrackData eraseTrack(TrackId id) { return doc_->eraseTrack(id); }
    void setTrackProps(TrackId id, const TrackProps& p) { doc_->setTrackProps(id, p); }
    void setMeta(const SongMeta& m) { doc_->setMeta(m); }
    void announceNotes(const QSet<TrackId>& t) { doc_->announceNotes(t); }

    Document* doc_;
};

/// One primitive note edit: before = nullopt is an insertion, after = nullopt a removal.
struct NoteChange {
    NoteId id = 0;
    TrackId track = 0;
    std::optional<music::Note> before;
    std::optional<music::Note> after;
};

/// A set of note edits applied together: add, remove, resize, velocity, quantize, paste, a generated
/// passage. A gesture on many notes is one of these. Commands with the same merge kind and gesture number
/// merge (a resize or velocity drag pushes one per mouse move; the stack keeps one), and a merge that ends
/// where it started makes the command obsolete, so dragging back leaves no empty step in the history. A
/// merge costs O(changes of the newer command): the record is indexed by note id. Moving notes is
/// MoveNotesCommand.
class NoteEditCommand : public DocumentEdit {
public:
    enum MergeKind {
        NoMerge = -1,
        Drag = 1001,
        VelocityDrag = 1002,
        ResizeDrag = 1003,
        DrawDrag = 1004,
        EraseDrag = 1005
    };

    NoteEditCommand(Document* doc, const QString& text, std::vector<NoteChange> changes,
                    int mergeKind = NoMerge, quint64 gesture = 0);

    void redo() override;
    void undo() override;
    int id() const override { return mergeKind_; }
    bool mergeWith(const QUndoCommand* other) override;

    const std::vector<NoteChange>& changes() const { return changes_; }

private:
    void apply(bool forward);

    std::vector<NoteChange> changes_;
    std::unordered_map<NoteId, std::size_t> byId_; ///< index into changes_, built at the first merge
    int mergeKind_;
    quint64 gesture_;
};

/// What a move gesture started from, shared by every step of the gesture: the notes as they were at the
/// press (or, for an Alt-drag, the copies as they appear), and the largest move that keeps them all on the
/// roll (precomputed, so a step costs O(k) for k notes and no more).
struct NoteMoveOrigin {
    std::vector<NoteChange>
        notes;                 ///< `before` = the note at the press (nullopt for a copy), `after` = origin
    bool copies = false;       ///< Alt-drag: the notes are inserted by the gesture
    std::int64_t minStart = 0; ///< earliest start among the notes
    int lowPitch = 127, highPitch = 0;
    /// Shared state of the gesture: whether the copies are in the document now.
    bool inserted = false;
};

/// Moves (and for an Alt-drag first inserts) the notes of a NoteMoveOrigin by `dt` ticks and `dp`
/// semitones. A drag pushes one per mouse move; they merge in O(1) (the merged command takes the newer
/// delta), and redo() writes the k notes once: O(k) lookups through the document's id hash per move.
/// A move back to where it started (without copies) makes the command obsolete: no empty undo step.
class MoveNotesCommand : public DocumentEdit {
public:
    MoveNotesCommand(Document* doc, const QString& text, std::shared_ptr<NoteMoveOrigin> origin,
                     std::int64_t dt, int dp);
    void redo() override;
    void undo() override;
    int id() const override { return 1006; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    void place(std::int64_t dt, int dp);
    std::shared_ptr<NoteMoveOrigin> origin_;
    std::int64_t dt_;
    int dp_;
};

/// Adds, removes, or changes the props of one track (name, program, channel, colour, mute, solo).
class TrackCommand : public DocumentEdit {
public:
    enum class Op { Add, Remove, Props };
    /// Add: `data` is inserted at `index`. Remove: the track `data.id` (notes included) is removed.
    static TrackCommand* add(Document* doc, const TrackProps& props, int index = -1);
    static TrackCommand* remove(Document* doc, TrackId id);
    static TrackCommand* changeProps(Document* doc, TrackId id, const TrackProps& props, const QString& text);

    void redo() override;
    void undo() override;

private:
    TrackCommand(Document* doc, const QString& text, Op op);
    Op op_;
    int index_ = 0;
    TrackData data_;
    TrackProps before_, after_;
};

/// Changes the tempo map / meter (the tempo box, a time-signature change).
class MetaCommand : public DocumentEdit {
public:
    MetaCommand(Document* doc, const SongMeta& after, const QString& text);
    void redo() override { setMeta(after_); }
    void undo() override { setMeta(before_); }

private:
    SongMeta before_, after_;
};

// ---- Builders for the common edits (each returns a command ready for undoStack()->push) ----

/// Adds `notes` to `track`; the new ids are written to `ids` when given.
NoteEditCommand* addNotesCommand(Document* doc, TrackId track, const std::vector<music::Note>& notes,
                                 const QString& text, std::vector<NoteId>* ids = nullptr);
NoteEditCommand* removeNotesCommand(Document* doc, const QSet<NoteId>& ids, const QString& text);
/// Replaces each note in `updated` (id → new value); merges with the previous command of the same
/// `mergeKind` and `gesture` (0 = never merges).
NoteEditCommand* changeNotesCommand(Document* doc, const std::vector<std::pair<NoteId, music::Note>>& updated,
                                    const QString& text, int mergeKind = NoteEditCommand::NoMerge,
                                    quint64 gesture = 0);
/// Moves onsets (and ends, when `ends`) of `ids` to the nearest multiple of `grid` ticks.
NoteEditCommand* quantizeCommand(Document* doc, const QSet<NoteId>& ids, std::int64_t grid, bool ends);
/// A generated passage as one step: removes `replace` (regenerate a range) and adds `notes` to `track`.
/// The new notes' ids are written to `ids` when given.
NoteEditCommand* generatedPassageCommand(Document* doc, TrackId track, const std::vector<music::Note>& notes,
                                         const QSet<NoteId>& replace, std::vector<NoteId>* ids = nullptr);

} // namespace continuo::ui
