// PianoRollView's painting: the grid from a cached pixmap, then notes, ruler, keyboard, velocity lane and
// playhead over it, only inside the exposed rectangle (style.md item 8).

#include "ui/PianoRollView.h"

#include "music/GeneralMidi.h"
#include "music/Meter.h"

#include <QPaintEvent>
#include <QPainter>

#include <algorithm>
#include <climits>
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

const QColor kSelected(0x1d, 0x2b, 0x3a);

// Notes and stems are whole-pixel QRects filled with NoPen and no antialiasing: QRasterPaintEngine then
// fills each one as solid spans, where QRectF rects or a pen send every note through the path rasterizer
// (the old code spent most of a 20,000-note repaint there). One batch per colour: a handful of drawRects
// calls per repaint, no brush/pen change per note. An outlined note is its outline colour filled over the
// whole rect, then its fill colour over the inside, so outlines cost fills, not strokes.
//
// When the painter draws into a premultiplied ARGB image at a whole-number device pixel ratio (the note
// layer, the exported PNG), the rects are written straight into its scan lines: a note is two short spans
// per row, and QPainter's per-rect set-up cost more than the pixels (20,000 notes: 6 ms → 1.5 ms). Other
// targets go through QPainter. Either way nothing is drawn outside `clip` (logical pixels).
class RectFiller {
public:
    RectFiller(QPainter& p, const QRect& clip)
        : p_(p) {
        auto* image = dynamic_cast<QImage*>(p.device());
        const qreal dpr = image ? image->devicePixelRatio() : 1;
        if (!image || image->format() != QImage::Format_ARGB32_Premultiplied || dpr != std::round(dpr) ||
            !p.transform().isIdentity())
            return;
        image_ = image;
        dpr_ = int(dpr);
        clip_ = QRect(clip.topLeft() * dpr_, clip.size() * dpr_).intersected(image->rect());
    }
    void fill(const std::vector<QRect>& rects, const QColor& colour) {
        if (rects.empty()) return;
        if (!image_) {
            p_.setBrush(colour);
            p_.drawRects(rects.data(), int(rects.size()));
            return;
        }
        const QRgb px = qPremultiply(colour.rgba());
        const quint32 keep = 255 - qAlpha(px); // source-over: dst = src + dst × (255 − src alpha) / 255
        for (const QRect& r : rects) {
            const QRect d = QRect(r.topLeft() * dpr_, r.size() * dpr_).intersected(clip_);
            for (int y = d.top(); y <= d.bottom(); ++y) {
                auto* line = reinterpret_cast<QRgb*>(image_->scanLine(y));
                if (keep == 0) {
                    std::fill(line + d.left(), line + d.right() + 1, px);
                    continue;
                }
                for (int x = d.left(); x <= d.right(); ++x) {
                    const QRgb o = line[x];
                    line[x] = qRgba(qRed(px) + (qRed(o) * keep + 127) / 255,
                                    qGreen(px) + (qGreen(o) * keep + 127) / 255,
                                    qBlue(px) + (qBlue(o) * keep + 127) / 255,
                                    qAlpha(px) + (qAlpha(o) * keep + 127) / 255);
                }
            }
        }
    }

private:
    QPainter& p_;
    QImage* image_ = nullptr; ///< null: through the painter
    int dpr_ = 1;
    QRect clip_; ///< device pixels
};

struct FillBatch {
    QColor colour;
    std::vector<QRect> rects;
    void draw(RectFiller& f) const { f.fill(rects, colour); }
};
struct NoteStyle {
    FillBatch outline, fill; // outline.colour invalid = no outline
    void add(const QRect& r) {
        if (!outline.colour.isValid()) {
            fill.rects.push_back(r);
            return;
        }
        outline.rects.push_back(r);
        if (r.width() > 2 && r.height() > 2) fill.rects.push_back(r.adjusted(1, 1, -1, -1));
    }
    void draw(RectFiller& f) const {
        outline.draw(f);
        fill.draw(f);
    }
};

// Pixel columns / rows a note covers: rounded edges so neighbours share no pixel and leave no gap.
// At least 2 px wide so a very short note stays visible when zoomed out (as RollGeometry::noteRect).
// Clamped near the clip so a long note far off screen stays well inside int range.
QRect notePixels(const RollGeometry& g, std::int64_t start, std::int64_t end, int pitch, const QRect& clip) {
    const double lo = clip.left() - 4.0, hi = clip.right() + 4.0;
    const int x0 = int(std::lround(std::clamp(g.tickToX(start), lo, hi)));
    const int x1 = std::max(x0 + 2, int(std::lround(std::clamp(g.tickToX(end), lo, hi))));
    const double y = g.pitchToY(pitch);
    const int y0 = int(std::lround(y));
    const int y1 = std::max(y0 + 1, int(std::lround(y + g.keyHeight)));
    return QRect(x0, y0, x1 - x0, y1 - y0);
}
} // namespace

// ---- painting ----

std::optional<QPoint> PianoRollView::wholePixelScroll(const GridKey& from, const GridKey& to) {
    if (from.ppx != to.ppx || from.keyHeight != to.keyHeight || from.w != to.w || from.h != to.h ||
        from.ppq != to.ppq || from.dpr != to.dpr || from.dpr != std::round(from.dpr))
        return std::nullopt;
    const double dx = from.scrollX - to.scrollX, dy = from.scrollY - to.scrollY;
    if (dx != std::round(dx) || dy != std::round(dy) || std::abs(dx) >= to.w || std::abs(dy) >= to.h)
        return std::nullopt;
    return QPoint(int(dx), int(dy));
}

namespace {
// The parts of `area` a content shift of `shift` uncovered: a column at the side it moved away from and
// a row likewise (both logical pixels; empty rects are left out).
std::vector<QRect> uncoveredStrips(const QRect& area, QPoint shift) {
    std::vector<QRect> strips;
    if (shift.x() > 0) strips.emplace_back(area.left(), area.top(), shift.x(), area.height());
    if (shift.x() < 0)
        strips.emplace_back(area.right() + 1 + shift.x(), area.top(), -shift.x(), area.height());
    if (shift.y() > 0) strips.emplace_back(area.left(), area.top(), area.width(), shift.y());
    if (shift.y() < 0)
        strips.emplace_back(area.left(), area.bottom() + 1 + shift.y(), area.width(), -shift.y());
    return strips;
}
} // namespace

const QPixmap& PianoRollView::gridPixmap() {
    const qreal dpr = viewport()->devicePixelRatioF();
    const GridKey key{geo_.pixelsPerQuarter, geo_.keyHeight, geo_.scrollX, geo_.scrollY, geo_.width,
                      geo_.height,           geo_.ppq,       dpr};
    if (key == gridKey_ && gridMetaVersion_ == metaVersion_ && !grid_.isNull()) return grid_;
    const std::optional<QPoint> shift =
        gridMetaVersion_ == metaVersion_ && !grid_.isNull() ? wholePixelScroll(gridKey_, key) : std::nullopt;
    gridKey_ = key;
    gridMetaVersion_ = metaVersion_;
    if (shift) {
        // Scrolled: move the notes area's grid in place and paint the uncovered strips. The velocity lane's
        // background does not depend on the scroll.
        const QRect area = geo_.notesArea().toAlignedRect();
        grid_.scroll(int(shift->x() * dpr), int(shift->y() * dpr),
                     QRect(area.topLeft() * dpr, area.size() * dpr));
        QPainter p(&grid_);
        for (const QRect& strip : uncoveredStrips(area, *shift)) {
            p.setClipRect(strip);
            paintGrid(p, geo_, strip);
        }
        return grid_;
    }
    grid_ = QPixmap(QSize(std::max(1, geo_.width), std::max(1, geo_.height)) * dpr);
    grid_.setDevicePixelRatio(dpr);
    QPainter p(&grid_);
    paintGrid(p, geo_, QRectF(0, 0, geo_.width, geo_.height));
    paintVelocityLane(p, geo_);
    return grid_;
}

const QImage& PianoRollView::notesLayer() {
    const qreal dpr = viewport()->devicePixelRatioF();
    const GridKey key{geo_.pixelsPerQuarter, geo_.keyHeight, geo_.scrollX, geo_.scrollY, geo_.width,
                      geo_.height,           geo_.ppq,       dpr};
    if (key == layerKey_ && layerNotesVersion_ == notesVersion_ && !layer_.isNull()) return layer_;
    const std::optional<QPoint> shift = layerNotesVersion_ == notesVersion_ && !layer_.isNull()
                                            ? wholePixelScroll(layerKey_, key)
                                            : std::nullopt;
    layerKey_ = key;
    layerNotesVersion_ = notesVersion_;
    const QRect notes = geo_.notesArea().toAlignedRect();
    const QRect velocity = geo_.velocityArea().toAlignedRect();
    if (shift) {
        // Scrolled: the old layer, moved (notes both ways, stems only sideways), into the spare image; then
        // the uncovered strips are painted. Pixel-identical to a full redraw: note edges are rounded from
        // positions that moved by whole pixels.
        if (spareLayer_.size() != layer_.size()) spareLayer_ = QImage(layer_.size(), layer_.format());
        spareLayer_.setDevicePixelRatio(dpr);
        spareLayer_.fill(Qt::transparent);
        QPainter p(&spareLayer_);
        p.setCompositionMode(QPainter::CompositionMode_Source);
        // Only pixels that come from inside their own area: the stems below the notes must not slide up.
        p.setClipRect(notes.intersected(notes.translated(*shift)));
        p.drawImage(QPointF(*shift), layer_);
        p.setClipRect(velocity.intersected(velocity.translated(shift->x(), 0)));
        p.drawImage(QPointF(shift->x(), 0), layer_);
        p.setCompositionMode(QPainter::CompositionMode_SourceOver);
        for (const QRect& strip : uncoveredStrips(notes, *shift)) {
            p.setClipRect(strip);
            paintNotes(p, strip, geo_);
        }
        for (const QRect& strip : uncoveredStrips(velocity, QPoint(shift->x(), 0))) {
            p.setClipRect(strip);
            paintVelocityStems(p, geo_, strip);
        }
        p.end();
        std::swap(layer_, spareLayer_);
        return layer_;
    }
    const QSize size = QSize(std::max(1, geo_.width), std::max(1, geo_.height)) * dpr;
    if (layer_.size() != size) layer_ = QImage(size, QImage::Format_ARGB32_Premultiplied);
    layer_.setDevicePixelRatio(dpr);
    layer_.fill(Qt::transparent);
    QPainter p(&layer_);
    p.setClipRect(notes);
    paintNotes(p, notes, geo_);
    p.setClipRect(velocity);
    paintVelocityStems(p, geo_, velocity);
    return layer_;
}

void PianoRollView::paintGrid(QPainter& p, const RollGeometry& g, const QRectF& whole) const {
    p.fillRect(whole, palette().window());
    const QRectF area = g.notesArea().intersected(whole);
    p.save();
    p.setClipRect(area, p.hasClipping() ? Qt::IntersectClip : Qt::ReplaceClip);
    // Whole-pixel rects throughout: the raster engine fills them as spans (QRectF fills took most of the
    // grid's time), and edges rounded from positions that scroll by whole pixels move with the scroll.
    const QRect box = area.toAlignedRect();
    // Key rows: black keys a shade darker, a line between B and C.
    const int top = g.yToPitch(area.top()), bottom = g.yToPitch(area.bottom());
    for (int pitch = top; pitch >= bottom; --pitch) {
        const int y0 = int(std::lround(g.pitchToY(pitch))),
                  y1 = int(std::lround(g.pitchToY(pitch) + g.keyHeight));
        p.fillRect(QRect(box.left(), y0, box.width(), y1 - y0),
                   isBlackKey(pitch) ? kBackgroundBlack : kBackgroundWhite);
        if (pitch % 12 == 0) p.fillRect(QRect(box.left(), y1 - 1, box.width(), 1), kBeatLine);
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
            p.fillRect(QRect(int(std::floor(g.tickToX(t))), box.top(), 1, box.height()), c);
        }
        if (i < sigs.size()) {
            segStart = sigs[i].tick;
            sig = sigs[i];
        }
        if (segStart > last) break;
    }
    p.restore();
}

const NoteIndex& PianoRollView::noteIndex(const TrackData& t) const {
    auto it = noteIndex_.find(t.id);
    if (it == noteIndex_.end()) it = noteIndex_.emplace(t.id, NoteIndex(t.notes)).first;
    return it->second;
}

void PianoRollView::paintNotes(QPainter& p, const QRect& clip, const RollGeometry& g) const {
    if (clip.isEmpty()) return;
    const TrackId current = doc_->currentTrack();
    bool anySolo = false;
    for (const TrackData& t : doc_->tracks())
        anySolo |= t.props.solo;
    // The exposed ticks (2 px wider: a note is at least 2 px wide) and pitches; the index gives the notes
    // of the tick range, the pitch test is two compares.
    const std::int64_t from = g.xToTick(clip.left() - 2), to = g.xToTick(clip.right() + 1) + 1;
    const int topPitch = g.yToPitch(clip.top()), bottomPitch = g.yToPitch(clip.bottom());
    const auto inView = [&](const NoteIndex::Entry& e) {
        return e.end > from && e.pitch <= topPitch && e.pitch >= bottomPitch;
    };
    p.save();
    p.setPen(Qt::NoPen);
    p.setRenderHint(QPainter::Antialiasing, false);
    RectFiller filler(p, clip);
    FillBatch others;
    for (const TrackData& t : doc_->tracks()) {
        if (t.id == current) continue;
        const bool silent = t.props.mute || (anySolo && !t.props.solo);
        others.colour = t.props.colour;
        others.colour.setAlpha(silent ? 35 : 80); // other tracks: context, not clutter
        others.rects.clear();
        for (const NoteIndex::Entry& e : noteIndex(t).overlapping(from, to))
            if (inView(e)) others.rects.push_back(notePixels(g, e.start, e.end, e.pitch, clip));
        others.draw(filler);
    }
    if (const TrackData* t = doc_->track(current)) {
        NoteStyle user, generated, selected;
        // Zoomed far out, outlines hide the fill and show nothing useful; selected notes keep theirs.
        const bool outlines = g.keyHeight >= 6 && g.ticksToPixels(g.ppq / 4) >= 6;
        user.fill.colour = t->props.colour;
        generated.fill.colour = kGenerated;
        if (outlines) {
            user.outline.colour = t->props.colour.darker(160);
            generated.outline.colour = kGenerated.darker(170);
        }
        selected.fill.colour = kSelected;
        selected.outline.colour = Qt::white;
        const QSet<NoteId>& selection = shownSelection();
        const bool anySelected = !selection.isEmpty();
        for (const NoteIndex::Entry& e : noteIndex(*t).overlapping(from, to)) {
            if (!inView(e)) continue;
            const QRect r = notePixels(g, e.start, e.end, e.pitch, clip);
            if (anySelected && selection.contains(e.id))
                selected.add(r);
            else
                (e.generated ? generated : user).add(r);
        }
        user.draw(filler);
        generated.draw(filler);
        selected.draw(filler);
    }
    // Every owner's preview (variations and a take being recorded can show at once). A preview is a few
    // hundred notes at most: a dashed pen is affordable here.
    std::vector<QRect> pre;
    for (int owner = 0; owner < kPreviewOwners; ++owner)
        for (const music::Note& n : session_->preview(PreviewOwner(owner)))
            if (n.end() > from && n.start < to && n.pitch <= topPitch && n.pitch >= bottomPitch)
                pre.push_back(notePixels(g, n.start, n.end(), n.pitch, clip).adjusted(0, 0, -1, -1));
    if (!pre.empty()) {
        p.setPen(QPen(kGenerated.darker(200), 1, Qt::DashLine));
        p.setBrush(QColor(kGenerated.red(), kGenerated.green(), kGenerated.blue(), 150));
        p.drawRects(pre.data(), int(pre.size()));
    }
    p.restore();
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
        const music::TimeSignature sig = music::timeSignatureAt(meta.timeSignatures, tick);
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

void PianoRollView::paintVelocityLane(QPainter& p, const RollGeometry& g) const {
    const QRectF area = g.velocityArea();
    if (area.isEmpty()) return;
    p.fillRect(area, QColor(0xee, 0xef, 0xf1));
    p.fillRect(QRectF(area.left(), area.top(), area.width(), 1), kBarLine);
    p.fillRect(QRectF(0, area.top(), g.keyboardWidth, area.height()), QColor(0xe2, 0xe4, 0xe8));
    p.setPen(QColor(0x50, 0x50, 0x50));
    p.drawText(QRectF(0, area.top(), g.keyboardWidth, area.height()), Qt::AlignCenter, tr("Velocity"));
}

void PianoRollView::paintVelocityStems(QPainter& p, const RollGeometry& g, const QRect& clip) const {
    const TrackData* t = doc_->track(doc_->currentTrack());
    const QRect lane = g.velocityArea().toAlignedRect();
    // Columns of `clip`, rows of the whole lane (a stem's height is measured from the lane's bottom).
    const QRect area(clip.left(), lane.top(), clip.width(), lane.height());
    if (!t || area.isEmpty()) return;
    // A stem and a 6 px cap per note, one batch per colour. Within a batch every stem reaches the bottom
    // of the lane, so at one x only the tallest shows: one stem per pixel column and colour, however many
    // notes start there (zoomed out that is 10,000 stems → about 1,400). Caps are all drawn.
    const int left = area.left() - 4, columns = area.width() + 8;
    const int bottom = area.top() + area.height(), h = area.height() - 6; // bottom: exclusive
    struct Stems {
        FillBatch caps;
        std::vector<int> top; // per column: the highest stem top, or INT_MAX
    };
    Stems user{{t->props.colour, {}}, {}}, generated{{kGenerated, {}}, {}}, selected{{kSelected, {}}, {}};
    for (Stems* s : {&user, &generated, &selected})
        s->top.assign(std::size_t(columns), INT_MAX);
    const QSet<NoteId>& selection = shownSelection();
    const bool anySelected = !selection.isEmpty();
    for (const NoteIndex::Entry& e :
         noteIndex(*t).overlapping(g.xToTick(left), g.xToTick(left + columns) + 1)) {
        const int x = int(std::lround(g.tickToX(e.start)));
        if (x < left || x >= left + columns) continue; // sounding here but started outside the lane
        const int top = int(std::lround(bottom - h * e.velocity / 127.0));
        Stems& s = anySelected && selection.contains(e.id) ? selected : e.generated ? generated : user;
        s.top[std::size_t(x - left)] = std::min(s.top[std::size_t(x - left)], top);
        s.caps.rects.push_back(QRect(x - 2, top, 6, 2));
    }
    p.save();
    p.setPen(Qt::NoPen);
    p.setRenderHint(QPainter::Antialiasing, false);
    RectFiller filler(p, clip.intersected(lane));
    FillBatch stems;
    for (const Stems* s : {&user, &generated, &selected}) {
        stems.colour = s->caps.colour;
        stems.rects.clear();
        for (int i = 0; i < columns; ++i)
            if (s->top[std::size_t(i)] != INT_MAX)
                stems.rects.push_back(
                    QRect(left + i, s->top[std::size_t(i)], 2, std::max(1, bottom - s->top[std::size_t(i)])));
        stems.draw(filler);
        s->caps.draw(filler);
    }
    p.restore();
}

void PianoRollView::paintEvent(QPaintEvent* event) {
    syncGeometry();
    QPainter p(viewport());
    const QRect exposed = event->rect();
    p.setClipRect(exposed);
    // Grid and notes come from their caches: a repaint that changed neither (playhead, rubber band, an
    // expose) only blends the two images. Source rects are in device pixels.
    const qreal dpr = viewport()->devicePixelRatioF();
    const QRectF source(QPointF(exposed.topLeft()) * dpr, QSizeF(exposed.size()) * dpr);
    p.drawPixmap(QRectF(exposed), gridPixmap(), source);
    p.drawImage(QRectF(exposed), notesLayer(), source);
    const QRectF area = geo_.notesArea();
    p.save();
    p.setClipRect(area.toAlignedRect().intersected(exposed));
    if (drag_ == Drag::RubberBand) {
        p.setPen(QPen(QColor(0x1d, 0x4e, 0x89), 1, Qt::DashLine));
        p.setBrush(QColor(0x3b, 0x82, 0xc4, 40));
        p.drawRect(rubberBand_);
    }
    p.restore();
    const QRectF ruler = geo_.rulerArea(), keys = geo_.keyboardArea();
    if (ruler.intersects(exposed)) paintRuler(p, geo_);
    if (keys.intersects(exposed)) paintKeyboard(p, geo_);
    p.fillRect(QRectF(0, 0, geo_.keyboardWidth, geo_.rulerHeight), QColor(0xd4, 0xd6, 0xda));
    const double x = geo_.tickToX(session_->playhead());
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
    paintNotes(p, g.notesArea().toAlignedRect(), g);
    p.setClipping(false);
    paintRuler(p, g);
    paintKeyboard(p, g);
    p.fillRect(QRectF(0, 0, g.keyboardWidth, g.rulerHeight), QColor(0xd4, 0xd6, 0xda));
    return image;
}

} // namespace continuo::ui
