#pragma once
// The piano roll: edits the Document's current track with the mouse and keyboard, shows the other tracks
// dimmed, a preview of generated variations, and the playhead. Paints itself: only the exposed rectangle,
// over a cached grid pixmap (see RollGeometry for where everything is). Edits go through the Document's
// undo stack as commands; the view only listens to the Document for changes.

#include "ui/document/Document.h"
#include "ui/roll/NoteIndex.h"
#include "ui/roll/RollGeometry.h"

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

    /// `doc` must outlive the view. Thread contract: GUI thread only.
    explicit PianoRollView(Document* doc, QWidget* parent = nullptr);
    ~PianoRollView() override;

    Document* document() const { return doc_; }
    const RollGeometry& geometry() const { return geo_; }

    Tool tool() const { return tool_; }
    void setTool(Tool tool);
    SnapGrid snap() const { return snap_; }
    void setSnap(const SnapGrid& grid);
    /// Default velocity of drawn notes, 1–127.
    void setDrawVelocity(int velocity) { drawVelocity_ = velocity; }

    const QSet<NoteId>& selection() const { return selection_; }
    void setSelection(const QSet<NoteId>& ids);
    void selectAll();
    /// [start, end) ticks covered by the selection, or {0, 0} when nothing is selected.
    std::pair<std::int64_t, std::int64_t> selectionRange() const;

    /// Edit cursor / playhead in ticks: where paste and "continue from the playhead" happen.
    std::int64_t playhead() const { return playhead_; }
    void setPlayhead(std::int64_t tick);
    /// While following, setPlayhead scrolls so the playhead stays in view (playback).
    void setFollowPlayhead(bool follow) { follow_ = follow; }

    /// Shows `notes` (not part of the document) as a generated preview on the current track.
    void setPreview(std::vector<music::Note> notes);
    void clearPreview() { setPreview({}); }
    const std::vector<music::Note>& preview() const { return preview_; }

    /// The audition used for key clicks and drawn notes; nullptr = silent. Not owned.
    void setAudition(IAudition* audition) { audition_ = audition; }

    /// Zooms both axes by `factor` around viewport point `anchor`.
    void zoomBy(double factorX, double factorY, QPointF anchor);
    /// Scrolls so `tick` and `pitch` are in view.
    void ensureVisible(std::int64_t tick, int pitch);
    /// Scrolls vertically to centre the notes of the current track (after opening a file).
    void scrollToNotes();

    // Edits on the selection (menu actions call these; each is one undo step).
    void deleteSelection();
    void copySelection();
    void cutSelection();
    void pasteAtPlayhead();
    void quantizeSelection();
    /// Moves the selection by `ticks` and `semitones` (arrow keys).
    void nudgeSelection(std::int64_t ticks, int semitones);

    /// The whole song drawn at the current zoom onto an image (File ▸ Export PNG).
    QImage renderSongImage() const;

Q_SIGNALS:
    /// GUI thread; after any change of the selection.
    void selectionChanged();
    /// GUI thread; the edit cursor moved (a ruler click or setPlayhead).
    void playheadMoved(std::int64_t tick);
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

    Document* doc_;
    RollGeometry geo_;
    Tool tool_ = Tool::Draw;
    SnapGrid snap_;
    int drawVelocity_ = 90;
    QSet<NoteId> selection_;
    std::int64_t playhead_ = 0;
    bool follow_ = false;
    std::vector<music::Note> preview_;
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
    std::vector<std::pair<NoteId, music::Note>> dragOrigin_; ///< the notes as they were at the press
    QSet<NoteId> rubberBase_;
    QRectF rubberBand_;
};

} // namespace continuo::ui
