// PianoRollView: state, scrolling and zoom. Painting is in roll/PianoRollPaint.cpp, input in
// roll/PianoRollInput.cpp.

#include "ui/PianoRollView.h"

#include <QScrollBar>

#include <cmath>

namespace continuo::ui {

PianoRollView::PianoRollView(Document* doc, QWidget* parent)
    : QAbstractScrollArea(parent)
    , doc_(doc) {
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
    connect(doc_, &Document::currentTrackChanged, this, [this] {
        setSelection({});
        invalidateNotes();
    });
    connect(doc_, &Document::metaChanged, this, [this] {
        ++metaVersion_;
        geo_.ppq = doc_->ppq();
        updateScrollRanges();
        viewport()->update();
    });
    connect(doc_, &Document::documentReset, this, [this] {
        noteIndex_.clear();
        selection_.clear();
        preview_.clear();
        playhead_ = 0;
        ++metaVersion_;
        geo_.ppq = doc_->ppq();
        updateScrollRanges();
        horizontalScrollBar()->setValue(0);
        scrollToNotes();
        Q_EMIT selectionChanged();
        invalidateNotes();
    });
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

void PianoRollView::setSelection(const QSet<NoteId>& ids) {
    if (ids == selection_) return;
    selection_ = ids;
    invalidateNotes();
    Q_EMIT selectionChanged();
}

void PianoRollView::selectAll() {
    QSet<NoteId> all;
    if (const TrackData* t = doc_->track(doc_->currentTrack()))
        for (const auto& [id, n] : t->notes)
            all.insert(id);
    setSelection(all);
}

std::pair<std::int64_t, std::int64_t> PianoRollView::selectionRange() const {
    std::int64_t lo = INT64_MAX, hi = 0;
    for (NoteId id : selection_)
        if (const music::Note* n = doc_->note(id)) {
            lo = std::min(lo, n->start);
            hi = std::max(hi, n->end());
        }
    return lo == INT64_MAX ? std::pair<std::int64_t, std::int64_t>{0, 0} : std::pair{lo, hi};
}

void PianoRollView::setPlayhead(std::int64_t tick) {
    tick = std::max<std::int64_t>(0, tick);
    if (tick == playhead_) return;
    const double oldX = geo_.tickToX(playhead_);
    playhead_ = tick;
    if (follow_) {
        const double x = geo_.tickToX(tick);
        const QRectF area = geo_.notesArea();
        if (x < area.left() || x > area.right() - 20)
            horizontalScrollBar()->setValue(int(geo_.ticksToPixels(tick) - area.width() * 0.1));
    }
    // Only the two thin strips the line left and entered: the 60 Hz playhead never repaints the roll.
    viewport()->update(QRect(int(oldX) - 2, 0, 5, viewport()->height()));
    viewport()->update(QRect(int(geo_.tickToX(tick)) - 2, 0, 5, viewport()->height()));
    Q_EMIT playheadMoved(tick);
}

void PianoRollView::setPreview(std::vector<music::Note> notes) {
    preview_ = std::move(notes);
    updateScrollRanges();
    invalidateNotes();
}

void PianoRollView::onNotesChanged(const QSet<TrackId>& tracks) {
    for (TrackId id : tracks)
        noteIndex_.erase(id); // rebuilt on the next paint
    // Notes that no longer exist leave the selection (undo of an add, erase).
    QSet<NoteId> kept;
    for (NoteId id : selection_)
        if (doc_->note(id)) kept.insert(id);
    if (kept.size() != selection_.size()) {
        selection_ = kept;
        Q_EMIT selectionChanged();
    }
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
    std::int64_t end = std::max(doc_->endTick(), playhead_);
    for (const auto& n : preview_)
        end = std::max(end, n.end());
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
