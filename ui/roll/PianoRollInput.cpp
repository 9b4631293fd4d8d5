// PianoRollView's tool handlers: every mouse and key gesture becomes the session's edits. A drag pushes one
// command per mouse move that the stack merges into the gesture's one undo step while the document shows
// each step live: a move through Session::moveNotes (O(1) merge, O(k) per step for k notes), a resize,
// velocity or draw drag through commands sharing a gesture number (NoteEditCommand::mergeWith).

#include "ui/PianoRollView.h"
#include "ui/roll/NoteClipboard.h"

#include "ui/document/Commands.h"
#include "ui/playback/IAudition.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>
#include <QWheelEvent>

#include <cmath>

namespace continuo::ui {

namespace {
quint64 nextGesture() {
    static quint64 counter = 0;
    return ++counter;
}
constexpr double kEdgeGrip = 5.0; // pixels at a note's right end that resize instead of move
} // namespace

std::optional<PianoRollView::Hit> PianoRollView::hitNote(QPointF pos) const {
    const TrackData* t = doc_->track(doc_->currentTrack());
    if (!t || !geo_.notesArea().contains(pos)) return std::nullopt;
    // Topmost first: later ids are drawn later, so search from the back.
    for (auto it = t->notes.rbegin(); it != t->notes.rend(); ++it) {
        const QRectF r = geo_.noteRect(it->second.start, it->second.duration, it->second.pitch);
        if (r.contains(pos)) return Hit{it->first, pos.x() >= r.right() - std::min(kEdgeGrip, r.width() / 3)};
    }
    return std::nullopt;
}

std::optional<NoteId> PianoRollView::hitVelocityStem(QPointF pos) const {
    const TrackData* t = doc_->track(doc_->currentTrack());
    if (!t) return std::nullopt;
    std::optional<NoteId> best;
    double bestDistance = 6;
    for (const auto& [id, n] : t->notes) {
        const double d = std::abs(geo_.tickToX(n.start) + 1 - pos.x());
        if (d < bestDistance) bestDistance = d, best = id;
    }
    return best;
}

void PianoRollView::auditionPitch(int pitch) {
    if (pitch == auditionPitch_) return;
    releaseAudition();
    auditionPitch_ = pitch;
    if (audition_) {
        const TrackData* t = doc_->track(doc_->currentTrack());
        audition_->noteOn(t ? t->props.channel : 0, t ? t->props.program : 0, pitch, drawVelocity_);
    }
    viewport()->update(geo_.keyboardArea().toAlignedRect());
}

void PianoRollView::releaseAudition() {
    if (auditionPitch_ < 0) return;
    if (audition_) {
        const TrackData* t = doc_->track(doc_->currentTrack());
        audition_->noteOff(t ? t->props.channel : 0, auditionPitch_);
    }
    auditionPitch_ = -1;
    viewport()->update(geo_.keyboardArea().toAlignedRect());
}

void PianoRollView::mousePressEvent(QMouseEvent* event) {
    setFocus();
    syncGeometry();
    const QPointF pos = event->position();
    pressPos_ = lastPos_ = pos;
    drag_ = Drag::None;
    if (geo_.keyboardArea().contains(pos)) {
        drag_ = Drag::Keyboard;
        auditionPitch(geo_.yToPitch(pos.y()));
        return;
    }
    if (geo_.rulerArea().contains(pos)) {
        drag_ = Drag::Ruler;
        session_->setPlayhead(RollGeometry::snapRound(geo_.xToTick(pos.x()), snap_, doc_->ppq()));
        return;
    }
    if (geo_.velocityArea().contains(pos)) {
        if (event->button() != Qt::LeftButton) return;
        if (const auto id = hitVelocityStem(pos)) {
            drag_ = Drag::Velocity;
            gesture_ = nextGesture();
            dragAnchor_ = *id;
            dragVelocity(pos);
        }
        return;
    }
    if (!geo_.notesArea().contains(pos)) return;
    const auto hit = hitNote(pos);
    if (event->button() == Qt::RightButton) {
        if (hit) session_->removeNotes({hit->id}, tr("Erase note"));
        return;
    }
    if (event->button() != Qt::LeftButton) return;
    if (tool_ == Tool::Erase) {
        drag_ = Drag::Erase;
        gesture_ = nextGesture();
        eraseAt(pos);
        return;
    }
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    if (hit) {
        if (shift) {
            QSet<NoteId> s = session_->selection();
            if (s.contains(hit->id)) {
                s.remove(hit->id);
                session_->setSelection(s);
                return;
            }
            s.insert(hit->id);
            session_->setSelection(s);
        } else if (!session_->selection().contains(hit->id)) {
            session_->setSelection({hit->id});
        }
        if (hit->rightEdge) {
            drag_ = Drag::Resize;
            gesture_ = nextGesture();
            dragAnchor_ = hit->id;
            anchorOrigin_ = *doc_->note(hit->id);
            dragOrigin_.clear();
            for (NoteId id : session_->selection())
                dragOrigin_.emplace_back(id, *doc_->note(id));
        } else {
            beginMove(pos, hit->id, event->modifiers() & Qt::AltModifier);
        }
        return;
    }
    if (tool_ == Tool::Draw) {
        const TrackData* t = doc_->track(doc_->currentTrack());
        if (!t) return;
        music::Note n;
        n.start = RollGeometry::snapFloor(geo_.xToTick(pos.x()), snap_, doc_->ppq());
        n.duration = snap_.ticks(doc_->ppq());
        n.pitch = std::uint8_t(geo_.yToPitch(pos.y()));
        n.velocity = std::uint8_t(drawVelocity_);
        n.channel = t->props.channel;
        drag_ = Drag::Draw;
        gesture_ = nextGesture();
        dragAnchor_ = doc_->newNoteId();
        session_->push(new NoteEditCommand(doc_, tr("Draw note"), {{dragAnchor_, t->id, std::nullopt, n}},
                                           NoteEditCommand::DrawDrag, gesture_));
        session_->setSelection({dragAnchor_});
        auditionPitch(n.pitch);
        return;
    }
    if (!shift) session_->setSelection({});
    drag_ = Drag::RubberBand;
    rubberBase_ = rubberSelection_ = session_->selection();
    rubberBand_ = QRectF(pos, pos);
}

void PianoRollView::beginMove(QPointF pos, NoteId anchor, bool duplicate) {
    drag_ = Drag::Move;
    dragAnchor_ = anchor;
    anchorOrigin_ = *doc_->note(anchor);
    pressPos_ = pos;
    // Alt-drag: copies appear in place (in the same undo step as the move) and the copies are what moves.
    moveOrigin_ = session_->beginMove(session_->selection(), duplicate);
    auditionPitch(anchorOrigin_.pitch);
}

void PianoRollView::dragMove(QPointF pos, Qt::KeyboardModifiers mods) {
    if (!moveOrigin_) return;
    const music::Note& a = anchorOrigin_;
    std::int64_t dt = geo_.xToTick(pos.x()) - geo_.xToTick(pressPos_.x());
    dt = RollGeometry::snapRound(std::max<std::int64_t>(0, a.start + dt), snap_, doc_->ppq()) - a.start;
    int dp = geo_.yToPitch(pos.y()) - geo_.yToPitch(pressPos_.y());
    if (mods & Qt::ShiftModifier) { // lock to the axis the mouse moved most along
        if (std::abs(pos.x() - pressPos_.x()) >= std::abs(pos.y() - pressPos_.y()))
            dp = 0;
        else
            dt = 0;
    }
    const auto [movedT, movedP] = session_->moveNotes(moveOrigin_, dt, dp);
    (void)movedT;
    auditionPitch(a.pitch + movedP);
}

void PianoRollView::dragResize(QPointF pos) {
    const music::Note& a = anchorOrigin_;
    const std::int64_t minLength = snap_.enabled ? snap_.ticks(doc_->ppq()) : 1;
    const std::int64_t end = RollGeometry::snapRound(geo_.xToTick(pos.x()), snap_, doc_->ppq());
    const std::int64_t delta = end - a.end();
    std::vector<std::pair<NoteId, music::Note>> updated;
    for (auto [id, n] : dragOrigin_) {
        n.duration = std::max(minLength, n.duration + delta);
        if (const music::Note* now = doc_->note(id); now && !(*now == n)) updated.emplace_back(id, n);
    }
    session_->changeNotes(updated, tr("Resize notes"), NoteEditCommand::ResizeDrag, gesture_);
}

void PianoRollView::dragDraw(QPointF pos) {
    const music::Note* n = doc_->note(dragAnchor_);
    if (!n) return;
    const std::int64_t grid = snap_.ticks(doc_->ppq());
    const std::int64_t end = RollGeometry::snapRound(geo_.xToTick(pos.x()), snap_, doc_->ppq());
    music::Note longer = *n;
    longer.duration = std::max(snap_.enabled ? grid : 1, end - n->start);
    if (longer == *n) return;
    session_->changeNotes({{dragAnchor_, longer}}, tr("Draw note"), NoteEditCommand::DrawDrag, gesture_);
}

void PianoRollView::dragVelocity(QPointF pos) {
    const QRectF lane = geo_.velocityArea();
    const int v = std::clamp(int(std::lround((lane.bottom() - pos.y()) / (lane.height() - 6) * 127)), 1, 127);
    const QSet<NoteId>& selection = session_->selection();
    const QSet<NoteId> targets = selection.contains(dragAnchor_) ? selection : QSet<NoteId>{dragAnchor_};
    std::vector<std::pair<NoteId, music::Note>> updated;
    for (NoteId id : targets)
        if (const music::Note* n = doc_->note(id); n && n->velocity != v) {
            music::Note changed = *n;
            changed.velocity = std::uint8_t(v);
            updated.emplace_back(id, changed);
        }
    session_->changeNotes(updated, tr("Velocity"), NoteEditCommand::VelocityDrag, gesture_);
}

void PianoRollView::eraseAt(QPointF pos) {
    const auto hit = hitNote(pos);
    if (!hit) return;
    const music::Note n = *doc_->note(hit->id);
    session_->push(new NoteEditCommand(doc_, tr("Erase notes"),
                                       {{hit->id, *doc_->trackOfNote(hit->id), n, std::nullopt}},
                                       NoteEditCommand::EraseDrag, gesture_));
}

void PianoRollView::finishRubberBand(bool) {
    rubberBand_ = QRectF();
    viewport()->update();
}

void PianoRollView::mouseMoveEvent(QMouseEvent* event) {
    syncGeometry();
    const QPointF pos = event->position();
    if (drag_ == Drag::None) {
        const auto hit = hitNote(pos);
        if (tool_ != Tool::Erase)
            viewport()->setCursor(hit && hit->rightEdge ? Qt::SizeHorCursor
                                  : hit                 ? Qt::SizeAllCursor
                                  : tool_ == Tool::Draw ? Qt::CrossCursor
                                                        : Qt::ArrowCursor);
        return;
    }
    lastPos_ = pos;
    switch (drag_) {
    case Drag::Move:
        dragMove(pos, event->modifiers());
        break;
    case Drag::Resize:
        dragResize(pos);
        break;
    case Drag::Draw:
        dragDraw(pos);
        break;
    case Drag::Velocity:
        dragVelocity(pos);
        break;
    case Drag::Erase:
        eraseAt(pos);
        break;
    case Drag::Keyboard:
        auditionPitch(geo_.yToPitch(pos.y()));
        break;
    case Drag::Ruler:
        session_->setPlayhead(RollGeometry::snapRound(geo_.xToTick(pos.x()), snap_, doc_->ppq()));
        break;
    case Drag::RubberBand: {
        rubberBand_ = QRectF(pressPos_, pos).normalized();
        QSet<NoteId> s = rubberBase_;
        if (const TrackData* t = doc_->track(doc_->currentTrack()))
            for (const auto& [id, n] : t->notes)
                if (geo_.noteRect(n.start, n.duration, n.pitch).intersects(rubberBand_)) s.insert(id);
        rubberSelection_ = std::move(s); // the session gets it once, at release; painting reads it now
        invalidateNotes();
        break;
    }
    case Drag::None:
        break;
    }
}

void PianoRollView::mouseReleaseEvent(QMouseEvent* event) {
    const bool rubber = drag_ == Drag::RubberBand;
    drag_ = Drag::None;
    if (rubber) {
        finishRubberBand(event->modifiers() & Qt::ShiftModifier);
        session_->setSelection(rubberSelection_);
        invalidateNotes();
    }
    dragOrigin_.clear();
    moveOrigin_.reset();
    releaseAudition();
}

void PianoRollView::mouseDoubleClickEvent(QMouseEvent* event) {
    mousePressEvent(event);
}

void PianoRollView::contextMenuEvent(QContextMenuEvent* event) {
    event->accept(); // right-click erases (mousePressEvent); no menu over the notes
}

void PianoRollView::wheelEvent(QWheelEvent* event) {
    if (event->modifiers() & Qt::ControlModifier) {
        const double factor = std::pow(1.0015, event->angleDelta().y());
        zoomBy(factor, factor, event->position());
        event->accept();
        return;
    }
    if (event->modifiers() & Qt::ShiftModifier) {
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - event->angleDelta().y());
        event->accept();
        return;
    }
    QAbstractScrollArea::wheelEvent(event);
}

void PianoRollView::keyPressEvent(QKeyEvent* event) {
    const std::int64_t step = snap_.ticks(doc_->ppq());
    const bool shift = event->modifiers() & Qt::ShiftModifier;
    if (event->matches(QKeySequence::SelectAll)) return session_->selectAll();
    if (event->matches(QKeySequence::Copy)) return copySelection();
    if (event->matches(QKeySequence::Cut)) return cutSelection();
    if (event->matches(QKeySequence::Paste)) return pasteAtPlayhead();
    switch (event->key()) {
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        return session_->deleteSelection();
    case Qt::Key_Left:
        return session_->nudgeSelection(-step, 0);
    case Qt::Key_Right:
        return session_->nudgeSelection(step, 0);
    case Qt::Key_Up:
        return session_->nudgeSelection(0, shift ? 12 : 1);
    case Qt::Key_Down:
        return session_->nudgeSelection(0, shift ? -12 : -1);
    case Qt::Key_Escape:
        return session_->setSelection({});
    default:
        QAbstractScrollArea::keyPressEvent(event);
    }
}

void PianoRollView::copySelection() {
    const QSet<NoteId>& selection = session_->selection();
    if (selection.isEmpty()) return;
    std::vector<music::Note> notes;
    const auto [start, end] = session_->selectionRange();
    for (NoteId id : selection) {
        music::Note n = *doc_->note(id);
        n.start -= start;
        notes.push_back(n);
    }
    std::uint32_t tempo = 500000; // the tempo in force where the selection starts travels with it
    for (const music::TempoChange& t : doc_->meta().tempos)
        if (t.tick <= start) tempo = t.microsPerQuarter;
    copyNotesToClipboard(notes, doc_->ppq(), tempo);
}

void PianoRollView::cutSelection() {
    copySelection();
    session_->removeNotes(session_->selection(), tr("Cut notes"));
}

void PianoRollView::pasteAtPlayhead() {
    const TrackData* t = doc_->track(doc_->currentTrack());
    if (!t) return;
    std::string problem;
    std::optional<std::vector<music::Note>> notes = notesFromClipboard(doc_->ppq(), &problem);
    if (!notes) {
        if (!problem.empty()) Q_EMIT statusMessage(QString::fromStdString(problem));
        return;
    }
    for (music::Note& n : *notes) {
        n.start += session_->playhead();
        n.channel = t->props.channel;
    }
    const std::vector<NoteId> ids = session_->addNotes(t->id, *notes, tr("Paste notes"));
    session_->setSelection(QSet<NoteId>(ids.begin(), ids.end()));
}

void PianoRollView::quantizeSelection() {
    SnapGrid grid = snap_;
    grid.enabled = true;
    session_->quantizeSelection(grid.ticks(doc_->ppq()));
}

} // namespace continuo::ui
