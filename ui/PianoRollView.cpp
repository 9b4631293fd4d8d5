#include "ui/PianoRollView.h"

#include <QPaintEvent>
#include <QPainter>
#include <QScrollBar>

namespace continuo::ui {

namespace {
bool isBlackKey(int pitch) {
    switch (pitch % 12) {
    case 1: case 3: case 6: case 8: case 10: return true;
    default: return false;
    }
}
// One colour per track, distinguishable on the light background.
QColor trackColour(std::size_t index) {
    static const QColor kColours[] = {QColor(0x3b, 0x82, 0xc4), QColor(0xd9, 0x6c, 0x2f), QColor(0x4c, 0xa3, 0x5a),
                                      QColor(0x9b, 0x59, 0xb6), QColor(0xc0, 0x39, 0x2b), QColor(0x16, 0xa0, 0x85)};
    return kColours[index % std::size(kColours)];
}
} // namespace

PianoRollView::PianoRollView(QWidget* parent)
    : QAbstractScrollArea(parent) {
    setObjectName("pianoRoll");
    viewport()->setAutoFillBackground(false);
    verticalScrollBar()->setSingleStep(kKeyHeight * 2);
    horizontalScrollBar()->setSingleStep(20);
    updateScrollRanges();
    // Start around middle C, where a sketch usually lives.
    verticalScrollBar()->setValue(pitchToY(84));
}

void PianoRollView::setSong(std::shared_ptr<const music::Song> song) {
    song_ = std::move(song);
    updateScrollRanges();
    horizontalScrollBar()->setValue(0);
    if (song_ && song_->noteCount() > 0) {
        int high = 0;
        for (const auto& t : song_->tracks)
            for (const auto& n : t.notes) high = std::max<int>(high, n.pitch);
        verticalScrollBar()->setValue(std::max(0, pitchToY(high) - kKeyHeight * 4));
    }
    viewport()->update();
}

double PianoRollView::tickToX(std::int64_t tick) const {
    const int ppq = song_ ? song_->ppq : 480;
    return kKeyboardWidth + double(tick) * kPixelsPerQuarter / ppq - horizontalScrollBar()->value();
}

int PianoRollView::pitchToY(int pitch) const { return (127 - pitch) * kKeyHeight; }

void PianoRollView::updateScrollRanges() {
    const int ppq = song_ ? song_->ppq : 480;
    const std::int64_t end = song_ ? song_->endTick() : 0;
    const int contentWidth = int(double(end) * kPixelsPerQuarter / ppq) + 4 * int(kPixelsPerQuarter) * 8;
    horizontalScrollBar()->setRange(0, std::max(0, contentWidth - (viewport()->width() - kKeyboardWidth)));
    horizontalScrollBar()->setPageStep(viewport()->width());
    verticalScrollBar()->setRange(0, std::max(0, 128 * kKeyHeight - viewport()->height()));
    verticalScrollBar()->setPageStep(viewport()->height());
}

void PianoRollView::resizeEvent(QResizeEvent* event) {
    QAbstractScrollArea::resizeEvent(event);
    updateScrollRanges();
}

void PianoRollView::paintEvent(QPaintEvent* event) {
    QPainter p(viewport());
    const QRect area = event->rect();
    const int top = verticalScrollBar()->value();
    p.fillRect(area, QColor(0xf7, 0xf7, 0xf5));

    // Pitch rows: black-key rows shaded, a line under every B.
    for (int pitch = 127; pitch >= 0; --pitch) {
        const int y = pitchToY(pitch) - top;
        if (y + kKeyHeight < area.top() || y > area.bottom()) continue;
        if (isBlackKey(pitch)) p.fillRect(kKeyboardWidth, y, viewport()->width(), kKeyHeight, QColor(0xea, 0xea, 0xe6));
        if (pitch % 12 == 0) p.fillRect(kKeyboardWidth, y + kKeyHeight - 1, viewport()->width(), 1, QColor(0xcc, 0xcc, 0xc6));
    }
    // Beat and bar lines.
    const int ppq = song_ ? song_->ppq : 480;
    const music::TimeSignature sig = song_ ? song_->timeSignatureAt(0) : music::TimeSignature{};
    const std::int64_t beat = std::max<std::int64_t>(1, std::int64_t(ppq) * 4 / sig.denominator);
    const std::int64_t firstBeat = std::int64_t(horizontalScrollBar()->value() * ppq / kPixelsPerQuarter) / beat;
    for (std::int64_t b = firstBeat;; ++b) {
        const double x = tickToX(b * beat);
        if (x > area.right()) break;
        p.fillRect(QRectF(x, area.top(), 1, area.height()),
                   b % sig.numerator == 0 ? QColor(0xb0, 0xb0, 0xaa) : QColor(0xdd, 0xdd, 0xd8));
    }
    // Notes, one colour per track.
    if (song_) {
        p.setPen(Qt::NoPen);
        for (std::size_t i = 0; i < song_->tracks.size(); ++i) {
            const auto& track = song_->tracks[i];
            const QColor colour = trackColour(i);
            for (const auto& n : track.notes) {
                const double x0 = tickToX(n.start), x1 = tickToX(n.end());
                if (x1 < area.left() || x0 > area.right()) continue;
                const int y = pitchToY(n.pitch) - top;
                if (y + kKeyHeight < area.top() || y > area.bottom()) continue;
                QColor c = colour;
                c.setAlphaF(0.45 + 0.55 * n.velocity / 127.0);
                p.setBrush(c);
                p.drawRoundedRect(QRectF(x0, y + 1, std::max(2.0, x1 - x0 - 1), kKeyHeight - 2), 2, 2);
            }
        }
    }
    // The keyboard column, drawn last so notes scroll under it.
    for (int pitch = 127; pitch >= 0; --pitch) {
        const int y = pitchToY(pitch) - top;
        if (y + kKeyHeight < area.top() || y > area.bottom()) continue;
        p.fillRect(0, y, kKeyboardWidth, kKeyHeight, isBlackKey(pitch) ? QColor(0x30, 0x30, 0x30) : Qt::white);
        p.fillRect(0, y + kKeyHeight - 1, kKeyboardWidth, 1, QColor(0xc8, 0xc8, 0xc8));
        if (pitch % 12 == 0) {
            p.setPen(QColor(0x60, 0x60, 0x60));
            QFont f = p.font();
            f.setPixelSize(kKeyHeight + 1);
            p.setFont(f);
            p.drawText(QRect(2, y - 2, kKeyboardWidth - 4, kKeyHeight + 2), Qt::AlignRight | Qt::AlignVCenter,
                       QStringLiteral("C%1").arg(pitch / 12 - 1));
            p.setPen(Qt::NoPen);
        }
    }
    p.fillRect(kKeyboardWidth - 1, area.top(), 1, area.height(), QColor(0x90, 0x90, 0x90));
}

} // namespace continuo::ui
