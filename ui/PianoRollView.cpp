#include "ui/PianoRollView.h"

#include "music/GeneralMidi.h"

#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>

#include <cmath>

namespace continuo::ui {

namespace {
bool isBlackKey(int pitch) {
    switch (pitch % 12) {
    case 1:
    case 3:
    case 6:
    case 8:
    case 10:
        return true;
    default:
        return false;
    }
}
const QColor kGenerated(0xe8, 0xa3, 0x17); // amber: the model's notes, whatever the track colour
const QColor kBackgroundWhite(0xf7, 0xf7, 0xf4);
const QColor kBackgroundBlack(0xe8, 0xe8, 0xe4);
const QColor kBarLine(0x8a, 0x8a, 0x8a);
const QColor kBeatLine(0xc4, 0xc4, 0xc0);
const QColor kSubLine(0xdd, 0xdd, 0xd9);
const QColor kPlayhead(0xd0, 0x21, 0x21);

// Each note style is drawn with one drawRects call: a 20,000-note repaint is a handful of calls.
struct RectBatch {
    QColor fill, outline;
    QVector<QRectF> rects;
    void draw(QPainter& p) const {
        if (rects.isEmpty()) return;
        p.setBrush(fill);
        p.setPen(outline.isValid() ? QPen(outline, 1) : Qt::NoPen);
        p.drawRects(rects.constData(), int(rects.size()));
    }
};
music::TimeSignature signatureAt(const SongMeta& meta, std::int64_t tick) {
    music::TimeSignature sig;
    for (const auto& s : meta.timeSignatures) {
        if (s.tick > tick) break;
        sig = s;
    }
    return sig;
}
} // namespace

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
    connect(doc_, &Document::tracksChanged, this, [this] { viewport()->update(); });
    connect(doc_, &Document::currentTrackChanged, this, [this] {
        setSelection({});
        viewport()->update();
    });
    connect(doc_, &Document::metaChanged, this, [this] {
        ++metaVersion_;
        geo_.ppq = doc_->ppq();
        updateScrollRanges();
        viewport()->update();
    });
    connect(doc_, &Document::documentReset, this, [this] {
        selection_.clear();
        preview_.clear();
        playhead_ = 0;
        ++metaVersion_;
        geo_.ppq = doc_->ppq();
        updateScrollRanges();
        horizontalScrollBar()->setValue(0);
        scrollToNotes();
        Q_EMIT selectionChanged();
        viewport()->update();
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
    viewport()->update();
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
    viewport()->update();
}

void PianoRollView::onNotesChanged() {
    // Notes that no longer exist leave the selection (undo of an add, erase).
    QSet<NoteId> kept;
    for (NoteId id : selection_)
        if (doc_->note(id)) kept.insert(id);
    if (kept.size() != selection_.size()) {
        selection_ = kept;
        Q_EMIT selectionChanged();
    }
    updateScrollRanges();
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

// ---- painting ----

const QPixmap& PianoRollView::gridPixmap() {
    const qreal dpr = viewport()->devicePixelRatioF();
    const GridKey key{geo_.pixelsPerQuarter, geo_.keyHeight, geo_.scrollX, geo_.scrollY, geo_.width,
                      geo_.height,           geo_.ppq,       dpr};
    if (key == gridKey_ && gridMetaVersion_ == metaVersion_ && !grid_.isNull()) return grid_;
    gridKey_ = key;
    gridMetaVersion_ = metaVersion_;
    grid_ = QPixmap(QSize(std::max(1, geo_.width), std::max(1, geo_.height)) * dpr);
    grid_.setDevicePixelRatio(dpr);
    QPainter p(&grid_);
    paintGrid(p, geo_, QRectF(0, 0, geo_.width, geo_.height));
    return grid_;
}

void PianoRollView::paintGrid(QPainter& p, const RollGeometry& g, const QRectF& whole) const {
    p.fillRect(whole, palette().window());
    const QRectF area = g.notesArea();
    p.save();
    p.setClipRect(area);
    // Key rows: black keys a shade darker, a line between B and C.
    const int top = g.yToPitch(area.top()), bottom = g.yToPitch(area.bottom());
    for (int pitch = top; pitch >= bottom; --pitch) {
        const QRectF row(area.left(), g.pitchToY(pitch), area.width(), g.keyHeight);
        p.fillRect(row, isBlackKey(pitch) ? kBackgroundBlack : kBackgroundWhite);
        if (pitch % 12 == 0) p.fillRect(QRectF(row.left(), row.bottom() - 1, row.width(), 1), kBeatLine);
    }
    // Bar / beat / sub-beat lines following the time-signature map; sub-beats only when far enough apart.
    const std::int64_t first = g.xToTick(area.left()), last = g.xToTick(area.right()) + 1;
    const auto& sigs = doc_->meta().timeSignatures;
    std::int64_t segStart = 0;
    music::TimeSignature sig;
    for (std::size_t i = 0; i <= sigs.size(); ++i) {
        if (i < sigs.size() && sigs[i].tick <= 0) {
            sig = sigs[i];
            continue;
        }
        const std::int64_t segEnd = i < sigs.size() ? sigs[i].tick : INT64_MAX;
        const std::int64_t bar = std::max<std::int64_t>(1, sig.ticksPerBar(g.ppq));
        const std::int64_t beat = std::max<std::int64_t>(1, std::int64_t(g.ppq) * 4 / sig.denominator);
        const std::int64_t sub = std::max<std::int64_t>(1, beat / 4);
        const std::int64_t step = g.ticksToPixels(sub) >= 6 ? sub : g.ticksToPixels(beat) >= 5 ? beat : bar;
        std::int64_t t = segStart + std::max<std::int64_t>(0, (first - segStart) / step) * step;
        for (; t <= std::min(last, segEnd); t += step) {
            const std::int64_t rel = t - segStart;
            const QColor c = rel % bar == 0 ? kBarLine : rel % beat == 0 ? kBeatLine : kSubLine;
            p.fillRect(QRectF(std::floor(g.tickToX(t)), area.top(), 1, area.height()), c);
        }
        if (i < sigs.size()) {
            segStart = sigs[i].tick;
            sig = sigs[i];
        }
        if (segStart > last) break;
    }
    p.restore();
}

void PianoRollView::paintNotes(QPainter& p, const QRectF& clip, const RollGeometry& g) const {
    const TrackId current = doc_->currentTrack();
    bool anySolo = false;
    for (const TrackData& t : doc_->tracks())
        anySolo |= t.props.solo;
    const double left = clip.left(), right = clip.right(), topY = clip.top(), bottomY = clip.bottom();
    const auto visible = [&](const QRectF& r) {
        return r.right() >= left && r.left() <= right && r.bottom() >= topY && r.top() <= bottomY;
    };
    RectBatch others, user, generated, selected;
    for (const TrackData& t : doc_->tracks()) {
        const bool isCurrent = t.id == current;
        if (isCurrent) continue;
        const bool silent = t.props.mute || (anySolo && !t.props.solo);
        QColor c = t.props.colour;
        c.setAlpha(silent ? 35 : 80); // other tracks: context, not clutter
        others.fill = c;
        for (const auto& [id, n] : t.notes) {
            const QRectF r = g.noteRect(n.start, n.duration, n.pitch);
            if (visible(r)) others.rects.append(r);
        }
        others.draw(p);
        others.rects.clear();
    }
    if (const TrackData* t = doc_->track(current)) {
        user.fill = t->props.colour;
        user.outline = t->props.colour.darker(160);
        generated.fill = kGenerated;
        generated.outline = kGenerated.darker(170);
        selected.fill = QColor(0x1d, 0x2b, 0x3a);
        selected.outline = QColor(0xff, 0xff, 0xff);
        for (const auto& [id, n] : t->notes) {
            const QRectF r = g.noteRect(n.start, n.duration, n.pitch).adjusted(0.5, 0.5, -0.5, -0.5);
            if (!visible(r)) continue;
            if (selection_.contains(id)) {
                selected.rects.append(r);
            } else {
                (n.origin == music::NoteOrigin::Generated ? generated : user).rects.append(r);
            }
        }
        // Zoomed far out, outlines cost more than they show (antialiasing-free fills are ~3× faster).
        if (g.keyHeight < 6 || g.ticksToPixels(g.ppq / 4) < 6) user.outline = generated.outline = QColor();
        user.draw(p);
        generated.draw(p);
        selected.draw(p);
    }
    if (!preview_.empty()) {
        RectBatch pre;
        pre.fill = QColor(kGenerated.red(), kGenerated.green(), kGenerated.blue(), 150);
        pre.outline = kGenerated.darker(200);
        for (const music::Note& n : preview_) {
            const QRectF r = g.noteRect(n.start, n.duration, n.pitch);
            if (visible(r)) pre.rects.append(r);
        }
        p.setPen(QPen(pre.outline, 1, Qt::DashLine));
        p.setBrush(pre.fill);
        if (!pre.rects.isEmpty()) p.drawRects(pre.rects.constData(), int(pre.rects.size()));
    }
}

void PianoRollView::paintRuler(QPainter& p, const RollGeometry& g) const {
    const QRectF area = g.rulerArea();
    p.fillRect(area, QColor(0xe2, 0xe4, 0xe8));
    p.setPen(QColor(0x40, 0x40, 0x40));
    const auto& meta = doc_->meta();
    const std::int64_t first = g.xToTick(area.left()), last = g.xToTick(area.right()) + 1;
    // Bars counted through the meter map; a label every n bars so labels never overlap.
    std::int64_t tick = 0;
    int barNo = 1;
    while (tick <= last) {
        const music::TimeSignature sig = signatureAt(meta, tick);
        const std::int64_t bar = std::max<std::int64_t>(1, sig.ticksPerBar(g.ppq));
        const int every = std::max(1, int(std::ceil(36.0 / std::max(1.0, g.ticksToPixels(bar)))));
        if (tick + bar >= first) {
            const double x = g.tickToX(tick);
            p.drawLine(QPointF(x, area.bottom() - (barNo % every == 1 || every == 1 ? 10 : 4)),
                       QPointF(x, area.bottom()));
            if ((barNo - 1) % every == 0) p.drawText(QPointF(x + 3, area.top() + 13), QString::number(barNo));
        }
        tick += bar;
        ++barNo;
    }
    p.fillRect(QRectF(area.left(), area.bottom() - 1, area.width(), 1), kBarLine);
}

void PianoRollView::paintKeyboard(QPainter& p, const RollGeometry& g) const {
    const QRectF area = g.keyboardArea();
    p.save();
    p.setClipRect(area);
    p.fillRect(area, Qt::white);
    const int top = g.yToPitch(area.top()), bottom = g.yToPitch(area.bottom());
    QFont f = p.font();
    f.setPointSizeF(std::max(6.0, std::min(8.5, g.keyHeight * 0.8)));
    p.setFont(f);
    for (int pitch = top; pitch >= bottom; --pitch) {
        const QRectF row(area.left(), g.pitchToY(pitch), area.width(), g.keyHeight);
        if (isBlackKey(pitch))
            p.fillRect(row.adjusted(0, 0, -area.width() * 0.4, 0), QColor(0x22, 0x22, 0x22));
        if (pitch == auditionPitch_) p.fillRect(row, QColor(0x3b, 0x82, 0xc4, 140));
        if (pitch % 12 == 0) {
            p.fillRect(QRectF(row.left(), row.bottom() - 1, row.width(), 1), kBeatLine);
            if (g.keyHeight >= 7) {
                p.setPen(QColor(0x50, 0x50, 0x50));
                p.drawText(row.adjusted(0, 0, -3, 0), Qt::AlignRight | Qt::AlignVCenter,
                           QString::fromStdString(music::pitchName(pitch)));
            }
        }
    }
    p.fillRect(QRectF(area.right() - 1, area.top(), 1, area.height()), kBarLine);
    p.restore();
}

void PianoRollView::paintVelocity(QPainter& p, const RollGeometry& g) const {
    const QRectF area = g.velocityArea();
    p.save();
    p.setClipRect(area);
    p.fillRect(area, QColor(0xee, 0xef, 0xf1));
    p.fillRect(QRectF(area.left(), area.top(), area.width(), 1), kBarLine);
    if (const TrackData* t = doc_->track(doc_->currentTrack())) {
        const double h = area.height() - 6;
        for (const auto& [id, n] : t->notes) {
            const double x = g.tickToX(n.start);
            if (x < area.left() - 4 || x > area.right()) continue;
            const double top = area.bottom() - h * n.velocity / 127.0;
            const QColor c = selection_.contains(id)                    ? QColor(0x1d, 0x2b, 0x3a)
                             : n.origin == music::NoteOrigin::Generated ? kGenerated
                                                                        : t->props.colour;
            p.fillRect(QRectF(x, top, 2, area.bottom() - top), c);
            p.fillRect(QRectF(x - 2, top, 6, 2), c);
        }
    }
    p.restore();
    p.fillRect(QRectF(0, area.top(), g.keyboardWidth, area.height()), QColor(0xe2, 0xe4, 0xe8));
    p.setPen(QColor(0x50, 0x50, 0x50));
    p.drawText(QRectF(0, area.top(), g.keyboardWidth, area.height()), Qt::AlignCenter, tr("Velocity"));
}

void PianoRollView::paintEvent(QPaintEvent* event) {
    syncGeometry();
    QPainter p(viewport());
    const QRectF exposed = event->rect();
    p.setClipRect(exposed);
    // The grid comes from the cache: a repaint during a drag only blits it and redraws notes.
    p.drawPixmap(exposed, gridPixmap(), exposed);
    const QRectF area = geo_.notesArea();
    p.save();
    p.setClipRect(area.intersected(exposed));
    paintNotes(p, area.intersected(exposed), geo_);
    if (drag_ == Drag::RubberBand) {
        p.setPen(QPen(QColor(0x1d, 0x4e, 0x89), 1, Qt::DashLine));
        p.setBrush(QColor(0x3b, 0x82, 0xc4, 40));
        p.drawRect(rubberBand_);
    }
    p.restore();
    const QRectF ruler = geo_.rulerArea(), keys = geo_.keyboardArea(), lane = geo_.velocityArea();
    if (ruler.intersects(exposed)) paintRuler(p, geo_);
    if (keys.intersects(exposed)) paintKeyboard(p, geo_);
    if (lane.intersects(exposed) ||
        QRectF(0, lane.top(), geo_.keyboardWidth, lane.height()).intersects(exposed))
        paintVelocity(p, geo_);
    p.fillRect(QRectF(0, 0, geo_.keyboardWidth, geo_.rulerHeight), QColor(0xd4, 0xd6, 0xda));
    const double x = geo_.tickToX(playhead_);
    if (x >= geo_.keyboardWidth) {
        p.fillRect(QRectF(x - 0.5, 0, 2, geo_.height), kPlayhead);
        QPolygonF flag;
        flag << QPointF(x - 5, 0) << QPointF(x + 6, 0) << QPointF(x + 0.5, 8);
        p.setPen(Qt::NoPen);
        p.setBrush(kPlayhead);
        p.drawPolygon(flag);
    }
}

QImage PianoRollView::renderSongImage() const {
    // The roll at the current zoom, all bars and the pitch range in use, no scroll offset.
    RollGeometry g = geo_;
    int lo = 127, hi = 0;
    for (const TrackData& t : doc_->tracks())
        for (const auto& [id, n] : t.notes) {
            lo = std::min<int>(lo, n.pitch);
            hi = std::max<int>(hi, n.pitch);
        }
    if (lo > hi) lo = 48, hi = 72;
    lo = std::max(0, lo - 2);
    hi = std::min(127, hi + 2);
    g.scrollX = 0;
    g.scrollY = (127 - hi) * g.keyHeight;
    g.velocityLaneHeight = 0;
    const std::int64_t bar = std::int64_t(doc_->ppq()) * 4;
    const std::int64_t end = (doc_->endTick() + bar - 1) / bar * bar;
    g.width = int(std::min(16000.0, g.keyboardWidth + g.ticksToPixels(std::max(bar, end)) + 1));
    g.height = int(g.rulerHeight + (hi - lo + 1) * g.keyHeight);
    QImage image(g.width, g.height, QImage::Format_ARGB32_Premultiplied);
    QPainter p(&image);
    paintGrid(p, g, QRectF(0, 0, g.width, g.height));
    p.setClipRect(g.notesArea());
    paintNotes(p, g.notesArea(), g);
    p.setClipping(false);
    paintRuler(p, g);
    paintKeyboard(p, g);
    p.fillRect(QRectF(0, 0, g.keyboardWidth, g.rulerHeight), QColor(0xd4, 0xd6, 0xda));
    return image;
}

} // namespace continuo::ui
