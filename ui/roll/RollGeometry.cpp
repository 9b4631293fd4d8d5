#include "ui/roll/RollGeometry.h"

#include <algorithm>
#include <cmath>

namespace continuo::ui {

std::int64_t SnapGrid::ticks(int ppq) const {
    const std::int64_t whole = std::int64_t(ppq) * 4;
    const std::int64_t step =
        triplet ? whole * 2 / (3 * std::max(1, division)) : whole / std::max(1, division);
    return std::max<std::int64_t>(1, step);
}

std::int64_t RollGeometry::xToTick(double x) const {
    const double t = (x - keyboardWidth + scrollX) * ppq / pixelsPerQuarter;
    return std::max<std::int64_t>(0, std::int64_t(std::floor(t)));
}

int RollGeometry::yToPitch(double y) const {
    const int row = int(std::floor((y - rulerHeight + scrollY) / keyHeight));
    return std::clamp(127 - row, 0, 127);
}

QRectF RollGeometry::noteRect(std::int64_t start, std::int64_t duration, int pitch) const {
    const double x = tickToX(start);
    // At least 2 px wide so a very short note stays visible and clickable when zoomed out.
    const double w = std::max(2.0, ticksToPixels(duration));
    return QRectF(x, pitchToY(pitch), w, keyHeight);
}

QRectF RollGeometry::notesArea() const {
    return QRectF(keyboardWidth, rulerHeight, std::max(0, width - keyboardWidth),
                  std::max(0, height - rulerHeight - velocityLaneHeight));
}

QRectF RollGeometry::rulerArea() const {
    return QRectF(keyboardWidth, 0, std::max(0, width - keyboardWidth), rulerHeight);
}

QRectF RollGeometry::keyboardArea() const {
    return QRectF(0, rulerHeight, keyboardWidth, std::max(0, height - rulerHeight - velocityLaneHeight));
}

QRectF RollGeometry::velocityArea() const {
    return QRectF(keyboardWidth, height - velocityLaneHeight, std::max(0, width - keyboardWidth),
                  velocityLaneHeight);
}

void RollGeometry::zoomX(double factor, double anchorX) {
    const double contentAt = anchorX - keyboardWidth + scrollX; // content pixel under the anchor
    const double tickAt = contentAt * ppq / pixelsPerQuarter;
    pixelsPerQuarter = std::clamp(pixelsPerQuarter * factor, kMinPixelsPerQuarter, kMaxPixelsPerQuarter);
    scrollX = std::max(0.0, tickAt * pixelsPerQuarter / ppq - (anchorX - keyboardWidth));
}

void RollGeometry::zoomY(double factor, double anchorY) {
    const double rowAt = (anchorY - rulerHeight + scrollY) / keyHeight;
    keyHeight = std::clamp(keyHeight * factor, kMinKeyHeight, kMaxKeyHeight);
    scrollY = std::max(0.0, rowAt * keyHeight - (anchorY - rulerHeight));
}

std::int64_t RollGeometry::snapRound(std::int64_t tick, const SnapGrid& grid, int ppq) {
    if (!grid.enabled) return tick;
    const std::int64_t step = grid.ticks(ppq);
    return std::max<std::int64_t>(0, (tick + step / 2) / step * step);
}

std::int64_t RollGeometry::snapFloor(std::int64_t tick, const SnapGrid& grid, int ppq) {
    if (!grid.enabled) return tick;
    const std::int64_t step = grid.ticks(ppq);
    return std::max<std::int64_t>(0, tick / step * step);
}

} // namespace continuo::ui
