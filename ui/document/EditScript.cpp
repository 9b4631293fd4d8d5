#include "ui/document/EditScript.h"

#include "ui/document/Commands.h"

#include <algorithm>
#include <iterator>

namespace continuo::ui {

EditScript::EditScript(Document* doc, std::uint64_t seed)
    : doc_(doc)
    , rng_(seed) {}

void EditScript::step() {
    ++steps_;
    if (dragLeft_ > 0) {
        dragStep();
        return;
    }
    QUndoStack* undo = doc_->undoStack();
    const auto r = pick(100);
    if (r < 30) {
        addNotes();
    } else if (r < 40) {
        removeNote();
    } else if (r < 52 && undo->canUndo()) {
        undo->undo();
    } else if (r < 58 && undo->canRedo()) {
        undo->redo();
    } else if (r < 72) {
        startDrag();
    } else if (r < 80) {
        changeVelocity();
    } else if (r < 88) {
        editTrack();
    } else if (r < 92) {
        changeTempo();
    } else {
        addNotes();
    }
}

const TrackData& EditScript::anyTrack() {
    const auto& tracks = doc_->tracks();
    return tracks[pick(tracks.size())];
}

void EditScript::addNotes() {
    const TrackData& t = anyTrack();
    std::vector<music::Note> notes(1 + pick(3));
    for (music::Note& n : notes) {
        n.start = std::int64_t(pick(64)) * 120;
        n.duration = 60 + std::int64_t(pick(8)) * 60;
        n.pitch = std::uint8_t(36 + pick(60));
        n.velocity = std::uint8_t(1 + pick(127));
        n.channel = t.props.channel;
    }
    doc_->undoStack()->push(addNotesCommand(doc_, t.id, notes, QStringLiteral("Draw")));
}

void EditScript::removeNote() {
    const TrackData& t = anyTrack();
    if (t.notes.empty()) return addNotes();
    const NoteId id = std::next(t.notes.begin(), std::ptrdiff_t(pick(t.notes.size())))->first;
    doc_->undoStack()->push(removeNotesCommand(doc_, {id}, QStringLiteral("Erase")));
}

void EditScript::startDrag() {
    const TrackData& t = anyTrack();
    if (t.notes.empty()) return addNotes();
    dragNote_ = std::next(t.notes.begin(), std::ptrdiff_t(pick(t.notes.size())))->first;
    dragLeft_ = 3 + int(pick(40)); // some drags outlast an autosave interval, some do not
    dragDone_ = 0;
    ++gesture_;
    dragStep();
}

void EditScript::dragStep() {
    --dragLeft_;
    ++dragDone_;
    music::Note n = *doc_->note(dragNote_);
    n.start = std::max<std::int64_t>(0, n.start + (std::int64_t(pick(3)) - 1) * 30);
    n.pitch = std::uint8_t(std::clamp(int(n.pitch) + int(pick(3)) - 1, 0, 127));
    doc_->undoStack()->push(
        changeNotesCommand(doc_, {{dragNote_, n}}, QStringLiteral("Move"), NoteEditCommand::Drag, gesture_));
}

void EditScript::changeVelocity() {
    const TrackData& t = anyTrack();
    if (t.notes.empty()) return addNotes();
    const auto it = std::next(t.notes.begin(), std::ptrdiff_t(pick(t.notes.size())));
    music::Note n = it->second;
    n.velocity = std::uint8_t(1 + pick(127));
    doc_->undoStack()->push(changeNotesCommand(doc_, {{it->first, n}}, QStringLiteral("Velocity")));
}

void EditScript::editTrack() {
    const auto r = pick(3);
    if (r == 0 || doc_->tracks().size() == 1) {
        TrackProps props;
        props.name = QStringLiteral("Track %1").arg(doc_->tracks().size() + 1);
        props.channel = std::uint8_t(pick(16));
        props.program = std::uint8_t(pick(128));
        doc_->undoStack()->push(TrackCommand::add(doc_, props));
    } else if (r == 1) {
        const TrackData& t = anyTrack();
        TrackProps props = t.props;
        props.mute = !props.mute;
        props.name += QStringLiteral("'");
        doc_->undoStack()->push(TrackCommand::changeProps(doc_, t.id, props, QStringLiteral("Track")));
    } else {
        doc_->undoStack()->push(TrackCommand::remove(doc_, anyTrack().id));
    }
}

void EditScript::changeTempo() {
    SongMeta meta = doc_->meta();
    meta.tempos = {{0, std::uint32_t(300000 + pick(400000))}};
    doc_->undoStack()->push(new MetaCommand(doc_, meta, QStringLiteral("Tempo")));
}

} // namespace continuo::ui
