#pragma once
// Where things are on the piano roll: tick ↔ x, pitch ↔ y, and the four regions of the viewport (ruler on
// top, keyboard on the left, velocity lane at the bottom, notes in the middle). Plain value type, no
// widget, so it is unit-tested on its own (tests/tst_roll_geometry.cpp).

#include <QRectF>

#include <cstdint>

namespace continuo::ui {

/// A snap grid: whole note divided by `division` (1, 2, 4, 8, 16, 32), optionally as triplets (× 2/3).
struct SnapGrid {
    int division = 16;
    bool triplet = false;
    bool enabled = true;
    /// Grid step in ticks at `ppq` (at least 1).
    std::int64_t ticks(int ppq) const;
    bool operator==(const SnapGrid&) const = default;
};

class RollGeometry {
public:
    // Layout constants (pixels).
    int keyboardWidth = 56;
    int rulerHeight = 24;
    int velocityLaneHeight = 64;

    int ppq = 480;
    double pixelsPerQuarter = 48.0; ///< horizontal zoom
    double keyHeight = 10.0;        ///< vertical zoom: pixels per semitone
    double scrollX = 0;             ///< pixels of content scrolled off to the left
    double scrollY = 0;             ///< pixels of content scrolled off the top (pitch 127 is at 0)
    int width = 800;                ///< viewport size
    int height = 600;

    static constexpr double kMinPixelsPerQuarter = 4.0;
    static constexpr double kMaxPixelsPerQuarter = 800.0;
    static constexpr double kMinKeyHeight = 3.0;
    static constexpr double kMaxKeyHeight = 40.0;

    /// Viewport x of `tick` (may be outside the viewport).
    double tickToX(std::int64_t tick) const {
        return keyboardWidth + double(tick) * pixelsPerQuarter / ppq - scrollX;
    }
    /// Tick under viewport x, rounded down; never negative.
    std::int64_t xToTick(double x) const;
    /// Viewport y of the top edge of `pitch`'s row.
    double pitchToY(int pitch) const { return rulerHeight + (127 - pitch) * keyHeight - scrollY; }
    /// Pitch whose row contains viewport y, clamped to 0–127.
    int yToPitch(double y) const;
    /// Length in pixels of `ticks`.
    double ticksToPixels(std::int64_t ticks) const { return double(ticks) * pixelsPerQuarter / ppq; }

    /// The rectangle a note occupies in viewport coordinates.
    QRectF noteRect(std::int64_t start, std::int64_t duration, int pitch) const;

    QRectF notesArea() const;    ///< where notes are drawn
    QRectF rulerArea() const;    ///< bar/beat ruler, above the notes
    QRectF keyboardArea() const; ///< keys, left of the notes
    QRectF velocityArea() const; ///< velocity stems, below the notes

    double contentWidth(std::int64_t endTick) const { return ticksToPixels(endTick); }
    double contentHeight() const { return 128 * keyHeight; }

    /// Zooms by `factor` keeping the tick under viewport x `anchorX` in place (clamped to the limits).
    void zoomX(double factor, double anchorX);
    /// Zooms by `factor` keeping the pitch under viewport y `anchorY` in place.
    void zoomY(double factor, double anchorY);

    /// Nearest grid line to `tick` (round) or the one at or before it (floor); unchanged when snap is off.
    static std::int64_t snapRound(std::int64_t tick, const SnapGrid& grid, int ppq);
    static std::int64_t snapFloor(std::int64_t tick, const SnapGrid& grid, int ppq);
};

} // namespace continuo::ui
