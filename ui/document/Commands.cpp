#include "ui/document/Commands.h"

#include <QCoreApplication>

#include <algorithm>

namespace continuo::ui {

namespace {
QString tr(const char* s) {
    return QCoreApplication::translate("Commands", s);
}
} // namespace

NoteEditCommand::NoteEditCommand(Document* doc, const QString& text, std::vector<NoteChange> changes,
                                 int mergeKind, quint64 gesture)
    : DocumentEdit(doc, text)
    , changes_(std::move(changes))
    , mergeKind_(gesture == 0 ? NoMerge : mergeKind)
    , gesture_(gesture) {}

void NoteEditCommand::apply(bool forward) {
    QSet<TrackId> touched;
    // Removals first, then insertions and replacements: ids are unique so order within each is free.
    for (const NoteChange& c : changes_) {
        const auto& to = forward ? c.after : c.before;
        if (!to) {
            eraseNote(c.id);
            touched.insert(c.track);
        }
    }
    for (const NoteChange& c : changes_) {
        const auto& from = forward ? c.before : c.after;
        const auto& to = forward ? c.after : c.before;
        if (!to) continue;
        if (from) {
            replaceNote(c.id, *to);
        } else {
            insertNote(c.track, c.id, *to);
        }
        touched.insert(c.track);
    }
    // One signal per command, not per note: a 20,000-note paste repaints once.
    if (!touched.isEmpty()) announceNotes(touched);
}

void NoteEditCommand::redo() {
    apply(true);
}
void NoteEditCommand::undo() {
    apply(false);
}

bool NoteEditCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const NoteEditCommand*>(other);
    if (!o || o->mergeKind_ != mergeKind_ || o->gesture_ != gesture_ || mergeKind_ == NoMerge) return false;
    if (byId_.empty())
        for (std::size_t i = 0; i < changes_.size(); ++i)
            byId_.emplace(changes_[i].id, i);
    bool vanished = false;
    for (const NoteChange& c : o->changes_) {
        const auto [it, added] = byId_.emplace(c.id, changes_.size());
        if (added) {
            changes_.push_back(c);
        } else {
            changes_[it->second].after = c.after;
            vanished = vanished || (!changes_[it->second].before && !c.after);
        }
    }
    // Inserted-then-removed notes vanish from the record entirely (the index is rebuilt at the next merge).
    if (vanished) {
        std::erase_if(changes_, [](const NoteChange& c) { return !c.before && !c.after; });
        byId_.clear();
    }
    const bool noop = std::all_of(changes_.begin(), changes_.end(),
                                  [](const NoteChange& c) { return c.before == c.after; });
    if (noop) setObsolete(true);
    return true;
}

MoveNotesCommand::MoveNotesCommand(Document* doc, const QString& text, std::shared_ptr<NoteMoveOrigin> origin,
                                   std::int64_t dt, int dp)
    : DocumentEdit(doc, text)
    , origin_(std::move(origin))
    , dt_(dt)
    , dp_(dp) {}

void MoveNotesCommand::place(std::int64_t dt, int dp) {
    QSet<TrackId> touched;
    TrackId last = 0;
    const bool insert = origin_->copies && !origin_->inserted;
    for (const NoteChange& c : origin_->notes) {
        music::Note n = *c.after;
        n.start += dt;
        n.pitch = std::uint8_t(int(n.pitch) + dp);
        if (insert)
            insertNote(c.track, c.id, n);
        else
            replaceNote(c.id, n);
        if (c.track != last) touched.insert(last = c.track); // notes come mostly track by track
    }
    if (insert) origin_->inserted = true;
    if (!touched.isEmpty()) announceNotes(touched);
}

void MoveNotesCommand::redo() {
    place(dt_, dp_);
}

void MoveNotesCommand::undo() {
    if (!origin_->copies) {
        place(0, 0);
        return;
    }
    QSet<TrackId> touched;
    for (const NoteChange& c : origin_->notes) {
        eraseNote(c.id);
        touched.insert(c.track);
    }
    origin_->inserted = false;
    if (!touched.isEmpty()) announceNotes(touched);
}

bool MoveNotesCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const MoveNotesCommand*>(other);
    if (!o || o->origin_ != origin_) return false;
    // `o` was already applied by the stack (its redo ran): taking its delta is the whole merge.
    dt_ = o->dt_;
    dp_ = o->dp_;
    if (dt_ == 0 && dp_ == 0 && !origin_->copies) setObsolete(true);
    return true;
}

TrackCommand::TrackCommand(Document* doc, const QString& text, Op op)
    : DocumentEdit(doc, text)
    , op_(op) {}

TrackCommand* TrackCommand::add(Document* doc, const TrackProps& props, int index) {
    auto* c = new TrackCommand(doc, tr("Add track"), Op::Add);
    c->index_ = index < 0 ? int(doc->tracks().size()) : index;
    c->data_.id = doc->newTrackId();
    c->data_.props = props;
    if (!c->data_.props.colour.isValid()) c->data_.props.colour = Document::defaultColour(c->index_);
    return c;
}

TrackCommand* TrackCommand::remove(Document* doc, TrackId id) {
    auto* c = new TrackCommand(doc, tr("Remove track"), Op::Remove);
    c->index_ = doc->trackIndex(id);
    c->data_.id = id;
    return c;
}

TrackCommand* TrackCommand::changeProps(Document* doc, TrackId id, const TrackProps& props,
                                        const QString& text) {
    auto* c = new TrackCommand(doc, text, Op::Props);
    c->data_.id = id;
    c->before_ = doc->track(id)->props;
    c->after_ = props;
    return c;
}

void TrackCommand::redo() {
    switch (op_) {
    case Op::Add:
        insertTrack(index_, data_);
        break;
    case Op::Remove:
        data_ = eraseTrack(data_.id);
        break;
    case Op::Props:
        setTrackProps(data_.id, after_);
        break;
    }
}

void TrackCommand::undo() {
    switch (op_) {
    case Op::Add:
        data_ = eraseTrack(data_.id);
        break;
    case Op::Remove:
        insertTrack(index_, data_);
        break;
    case Op::Props:
        setTrackProps(data_.id, before_);
        break;
    }
}

MetaCommand::MetaCommand(Document* doc, const SongMeta& after, const QString& text)
    : DocumentEdit(doc, text)
    , before_(doc->meta())
    , after_(after) {}

NoteEditCommand* addNotesCommand(Document* doc, TrackId track, const std::vector<music::Note>& notes,
                                 const QString& text, std::vector<NoteId>* ids) {
    std::vector<NoteChange> changes;
    changes.reserve(notes.size());
    for (const music::Note& n : notes) {
        const NoteId id = doc->newNoteId();
        changes.push_back({id, track, std::nullopt, n});
        if (ids) ids->push_back(id);
    }
    return new NoteEditCommand(doc, text, std::move(changes));
}

NoteEditCommand* removeNotesCommand(Document* doc, const QSet<NoteId>& ids, const QString& text) {
    std::vector<NoteChange> changes;
    for (NoteId id : ids) {
        const music::Note* n = doc->note(id);
        if (n) changes.push_back({id, *doc->trackOfNote(id), *n, std::nullopt});
    }
    return new NoteEditCommand(doc, text, std::move(changes));
}

NoteEditCommand* changeNotesCommand(Document* doc, const std::vector<std::pair<NoteId, music::Note>>& updated,
                                    const QString& text, int mergeKind, quint64 gesture) {
    std::vector<NoteChange> changes;
    changes.reserve(updated.size());
    for (const auto& [id, after] : updated) {
        const music::Note* n = doc->note(id);
        if (n) changes.push_back({id, *doc->trackOfNote(id), *n, after});
    }
    return new NoteEditCommand(doc, text, std::move(changes), mergeKind, gesture);
}

NoteEditCommand* quantizeCommand(Document* doc, const QSet<NoteId>& ids, std::int64_t grid, bool ends) {
    std::vector<std::pair<NoteId, music::Note>> updated;
    grid = std::max<std::int64_t>(1, grid);
    const auto snap = [grid](std::int64_t t) { return (t + grid / 2) / grid * grid; };
    for (NoteId id : ids) {
        const music::Note* n = doc->note(id);
        if (!n) continue;
        music::Note q = *n;
        q.start = snap(n->start);
        // A quantized note keeps at least one grid step so short notes never collapse to nothing.
        q.duration = ends ? std::max(grid, snap(n->end()) - q.start) : n->duration;
        if (!(q == *n)) updated.emplace_back(id, q);
    }
    return changeNotesCommand(doc, updated, tr("Quantize"));
}

NoteEditCommand* generatedPassageCommand(Document* doc, TrackId track, const std::vector<music::Note>& notes,
                                         const QSet<NoteId>& replace, std::vector<NoteId>* ids) {
    std::vector<NoteChange> changes;
    for (NoteId id : replace) {
        const music::Note* n = doc->note(id);
        if (n) changes.push_back({id, *doc->trackOfNote(id), *n, std::nullopt});
    }
    const std::uint8_t channel = doc->track(track) ? doc->track(track)->props.channel : 0;
    for (music::Note n : notes) {
        n.origin = music::NoteOrigin::Generated;
        n.channel = channel;
        changes.push_back({doc->newNoteId(), track, std::nullopt, n});
        if (ids) ids->push_back(changes.back().id);
    }
    return new NoteEditCommand(doc, tr("Generated passage"), std::move(changes));
}

} // namespace continuo::ui
