// PianoRollView: state, scrolling and zoom. Painting is in roll/PianoRollPaint.cpp, input in
// roll/PianoRollInput.cpp.

#include "ui/PianoRollView.h"

#include <QScrollBar>

#include <cmath>

namespace continuo::ui {

PianoRollView::PianoRollView(Session* session, QWidget* parent)
    : QAbstractScrollArea(parent)
    , session_(session)
    , doc_(session->document()) {
    setObjectName("pianoRoll");
    viewport()->setAutoFillBackground(false);
    viewport()->setMouseTracking(true);
    viewport()->setAttribute(Qt::WA_OpaquePaintEvent);
    setFocusPolicy(Qt::StrongFocus);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOn);
    connect(doc_, &Document::notesChanged, this, &PianoRollView::onNotesChanged);
    connect(doc_, &Document::tracksChanged, this, [this] {
        noteIndex_.clear(); // a track may be gone, or back with the same id (undo of a removal)
        invalidateNotes();
    });
    connect(doc_, &Document::currentTrackChanged, this, [this] { invalidateNotes(); });
    connect(doc_, &Document::metaChanged, this, [this] {
        ++metaVersion_;
        geo_.ppq = doc_->ppq();
        updateScrollRanges();
        viewport()->update();
    });
    connect(doc_, &Document::documentReset, this, [this] {
        noteIndex_.clear();
        ++metaVersion_;
        geo_.ppq = doc_->ppq();
        updateScrollRanges();
        horizontalScrollBar()->setValue(0);
        scrollToNotes();
        invalidateNotes();
    });
    connect(session_, &Session::selectionChanged, this, &PianoRollView::invalidateNotes);
    connect(session_, &Session::previewChanged, this, [this] {
        updateScrollRanges();
        invalidateNotes();
    });
    connect(session_, &Session::playheadMoved, this, &PianoRollView::onPlayheadMoved);
    connect(session_, &Session::revealRequested, this, &PianoRollView::ensureVisible);
    geo_.ppq = doc_->ppq();
    syncGeometry();
    updateScrollRanges();
    verticalScrollBar()->setValue(int(geo_.pitchToY(84) + geo_.scrollY - geo_.rulerHeight));
}

PianoRollView::~PianoRollView() {
    releaseAudition();
}

void PianoRollView::setTool(Tool tool) {
    if (tool == tool_) return;
    tool_ = tool;
    viewport()->setCursor(tool == Tool::Draw    ? Qt::CrossCursor
                          : tool == Tool::Erase ? Qt::ForbiddenCursor
                                                : Qt::ArrowCursor);
    Q_EMIT toolChanged(tool);
}

void PianoRollView::setSnap(const SnapGrid& grid) {
    snap_ = grid;
    viewport()->update();
}

const QSet<NoteId>& PianoRollView::shownSelection() const {
    return drag_ == Drag::RubberBand ? rubberSelection_ : session_->selection();
}

void PianoRollView::onPlayheadMoved(std::int64_t tick, bool byTransport) {
    const double oldX = geo_.tickToX(shownPlayhead_);
    shownPlayhead_ = tick;
    if (byTransport) { // playback: the view follows the song
        const double x = geo_.tickToX(tick);
        const QRectF area = geo_.notesArea();
        if (x < area.left() || x > area.right() - 20)
            horizontalScrollBar()->setValue(int(geo_.ticksToPixels(tick) - area.width() * 0.1));
    }
    // Only the two thin strips the line left and entered: the 30 Hz playhead never repaints the roll.
    viewport()->update(QRect(int(oldX) - 2, 0, 5, viewport()->height()));
    viewport()->update(QRect(int(geo_.tickToX(tick)) - 2, 0, 5, viewport()->height()));
}

void PianoRollView::onNotesChanged(const QSet<TrackId>& tracks) {
    for (TrackId id : tracks)
        noteIndex_.erase(id); // rebuilt on the next paint
    updateScrollRanges();
    invalidateNotes();
}

void PianoRollView::invalidateNotes() {
    ++notesVersion_;
    viewport()->update();
}

void PianoRollView::syncGeometry() {
    geo_.width = viewport()->width();
    geo_.height = viewport()->height();
    geo_.scrollX = horizontalScrollBar()->value();
    geo_.scrollY = verticalScrollBar()->value();
}

void PianoRollView::updateScrollRanges() {
    syncGeometry();
    const std::int64_t end = std::max({doc_->endTick(), session_->playhead(), session_->previewEnd()});
    // Room for 8 more bars after the last note: space to keep sketching.
    const double content = geo_.contentWidth(end) + geo_.ticksToPixels(std::int64_t(doc_->ppq()) * 4 * 8);
    const QRectF area = geo_.notesArea();
    horizontalScrollBar()->setRange(0, std::max(0, int(content - area.width())));
    horizontalScrollBar()->setPageStep(int(area.width()));
    horizontalScrollBar()->setSingleStep(int(geo_.pixelsPerQuarter));
    verticalScrollBar()->setRange(0, std::max(0, int(geo_.contentHeight() - area.height())));
    verticalScrollBar()->setPageStep(int(area.height()));
    verticalScrollBar()->setSingleStep(int(geo_.keyHeight * 2));
    syncGeometry();
}

void PianoRollView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollRanges();
}

void PianoRollView::scrollContentsBy(int, int) {
    syncGeometry();
    viewport()->update();
}

void PianoRollView::zoomBy(double factorX, double factorY, QPointF anchor) {
    syncGeometry();
    geo_.zoomX(factorX, anchor.x());
    geo_.zoomY(factorY, anchor.y());
    const double sx = geo_.scrollX, sy = geo_.scrollY;
    updateScrollRanges();
    horizontalScrollBar()->setValue(int(std::lround(sx)));
    verticalScrollBar()->setValue(int(std::lround(sy)));
    syncGeometry();
    viewport()->update();
}

void PianoRollView::ensureVisible(std::int64_t tick, int pitch) {
    const QRectF area = geo_.notesArea();
    const double x = geo_.tickToX(tick), y = geo_.pitchToY(pitch);
    if (x < area.left() || x > area.right())
        horizontalScrollBar()->setValue(int(geo_.ticksToPixels(tick) - area.width() / 4));
    if (y < area.top() || y > area.bottom() - geo_.keyHeight)
        verticalScrollBar()->setValue(int((127 - pitch) * geo_.keyHeight - area.height() / 2));
}

void PianoRollView::scrollToNotes() {
    const TrackData* t = doc_->track(doc_->currentTrack());
    if (!t || t->notes.empty()) return;
    int lo = 127, hi = 0;
    for (const auto& [id, n] : t->notes) {
        lo = std::min<int>(lo, n.pitch);
        hi = std::max<int>(hi, n.pitch);
    }
    ensureVisible(0, 127);
    verticalScrollBar()->setValue(
        int((127 - (lo + hi) / 2) * geo_.keyHeight - geo_.notesArea().height() / 2));
}

} // namespace continuo::ui
