#pragma once
// The piano roll: a renderer plus tool handlers bound to a Session. It draws the session's document (the
// current track in front, the other tracks dimmed), its selection, previews and playhead, and turns mouse
// and key gestures into the session's edits. It holds no editing state of its own beyond the gesture in
// progress and what is purely a view matter (zoom, scroll, tool, snap). Paints itself: only the exposed
// rectangle, over a cached grid pixmap (see RollGeometry for where everything is).

#include "ui/roll/NoteIndex.h"
#include "ui/roll/RollGeometry.h"
#include "ui/session/Session.h"

#include <QAbstractScrollArea>
#include <QPixmap>

#include <optional>
#include <unordered_map>
#include <vector>

namespace continuo::ui {

class IAudition;

class PianoRollView : public QAbstractScrollArea {
    Q_OBJECT
public:
    enum class Tool { Draw, Select, Erase };

    /// `session` must outlive the view. Thread contract: GUI thread only.
    explicit PianoRollView(Session* session, QWidget* parent = nullptr);
    ~PianoRollView() override;

    Session* session() const { return session_; }
    Document* document() const { return doc_; }
    const RollGeometry& geometry() const { return geo_; }

    Tool tool() const { return tool_; }
    void setTool(Tool tool);
    SnapGrid snap() const { return snap_; }
    void setSnap(const SnapGrid& grid);
    /// Default velocity of drawn notes, 1–127.
    void setDrawVelocity(int velocity) { drawVelocity_ = velocity; }

    /// The audition used for key clicks and drawn notes; nullptr = silent. Not owned.
    void setAudition(IAudition* audition) { audition_ = audition; }

    /// Zooms both axes by `factor` around viewport point `anchor`.
    void zoomBy(double factorX, double factorY, QPointF anchor);
    /// Scrolls so `tick` and `pitch` are in view.
    void ensureVisible(std::int64_t tick, int pitch);
    /// Scrolls vertically to centre the notes of the current track (after opening a file).
    void scrollToNotes();

    // Edits on the session's selection that need the roll's clipboard or snap grid (menu actions call
    // these; each is one undo step).
    void copySelection();
    void cutSelection();
    void pasteAtPlayhead();
    /// Quantizes the selection to the roll's snap grid.
    void quantizeSelection();

    /// The whole song drawn at the current zoom onto an image (File ▸ Export PNG).
    QImage renderSongImage() const;

Q_SIGNALS:
    void toolChanged(continuo::ui::PianoRollView::Tool tool);
    /// GUI thread; a one-sentence note for the status bar (e.g. why a paste did nothing).
    void statusMessage(const QString& message);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void scrollContentsBy(int dx, int dy) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    // Painting (roll/PianoRollPaint.cpp).
    void paintNotes(QPainter& p, const QRect& clip, const RollGeometry& g) const;
    void paintRuler(QPainter& p, const RollGeometry& g) const;
    void paintKeyboard(QPainter& p, const RollGeometry& g) const;
    void paintVelocityLane(QPainter& p, const RollGeometry& g) const;
    /// Stems and caps of the notes whose stem or cap touches `clip` (inside the velocity lane).
    void paintVelocityStems(QPainter& p, const RollGeometry& g, const QRect& clip) const;
    /// The grid inside `area` (intersected with the painter's clip).
    void paintGrid(QPainter& p, const RollGeometry& g, const QRectF& area) const;
    const QPixmap& gridPixmap();
    const QImage& notesLayer();
    /// Something the note layer shows changed (notes, tracks, selection, preview): redraw it and repaint.
    void invalidateNotes();
    void updateScrollRanges();
    void syncGeometry();
    void onNotesChanged(const QSet<TrackId>& tracks);
    void onPlayheadMoved(std::int64_t tick, bool byTransport);
    /// The selection as drawn: the rubber band's while one is dragged, else the session's.
    const QSet<NoteId>& shownSelection() const;
    /// `t`'s notes sorted by start, rebuilt after the document changed them.
    const NoteIndex& noteIndex(const TrackData& t) const;

    // Input (PianoRollInput.cpp).
    struct Hit {
        NoteId id = 0;
        bool rightEdge = false;
    };
    std::optional<Hit> hitNote(QPointF pos) const;
    std::optional<NoteId> hitVelocityStem(QPointF pos) const;
    void beginMove(QPointF pos, NoteId anchor, bool duplicate);
    void dragMove(QPointF pos, Qt::KeyboardModifiers mods);
    void dragResize(QPointF pos);
    void dragDraw(QPointF pos);
    void dragVelocity(QPointF pos);
    void eraseAt(QPointF pos);
    void finishRubberBand(bool add);
    void auditionPitch(int pitch);
    void releaseAudition();

    enum class Drag { None, Move, Resize, Draw, RubberBand, Velocity, Erase, Keyboard, Ruler };

    Session* session_;
    Document* doc_;
    RollGeometry geo_;
    Tool tool_ = Tool::Draw;
    SnapGrid snap_;
    int drawVelocity_ = 90;
    std::int64_t shownPlayhead_ = 0; ///< where the playhead line was last drawn
    IAudition* audition_ = nullptr;
    int auditionPitch_ = -1;

    // The grid pixmap is valid while nothing it depends on changed (see gridPixmap()). The note layer
    // (notes and velocity stems on transparent) is valid for the same geometry and notesVersion_: a
    // repaint that changes neither (the playhead, the rubber band, an expose) only blends two images.
    QPixmap grid_;
    QImage layer_;
    struct GridKey {
        double ppx = 0, keyHeight = 0, scrollX = 0, scrollY = 0;
        int w = 0, h = 0, ppq = 0;
        qreal dpr = 0;
        bool operator==(const GridKey&) const = default;
    } gridKey_, layerKey_;
    /// When `to` is `from` scrolled by whole device pixels (less than the view) and nothing else changed:
    /// the shift of the content in logical pixels (new position − old). A cache is then moved, and only the
    /// strips the scroll uncovered are painted (a 1 px scroll repaints a 1 px strip, not 20,000 notes).
    static std::optional<QPoint> wholePixelScroll(const GridKey& from, const GridKey& to);
    QImage spareLayer_; ///< the previous note layer, reused as the target of a scroll shift
    quint64 notesVersion_ = 0, layerNotesVersion_ = 0;
    int gridMetaVersion_ = 0, metaVersion_ = 0;
    // Per-track start-sorted notes for painting; an entry is dropped when the document announces a change
    // to its track and rebuilt lazily (mutable: painting is const, the index is only a cache).
    mutable std::unordered_map<TrackId, NoteIndex> noteIndex_;

    // The gesture in progress.
    Drag drag_ = Drag::None;
    quint64 gesture_ = 0;
    QPointF pressPos_, lastPos_;
    NoteId dragAnchor_ = 0;
    music::Note anchorOrigin_;                               ///< the anchor note at the press
    std::vector<std::pair<NoteId, music::Note>> dragOrigin_; ///< resize: the notes as they were at the press
    std::shared_ptr<NoteMoveOrigin> moveOrigin_;             ///< move: the gesture's shared origin
    QSet<NoteId> rubberBase_, rubberSelection_;
    QRectF rubberBand_;
};

} // namespace continuo::ui
