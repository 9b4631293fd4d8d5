#pragma once
// The studio session: the one model every view and controller of a studio window shares. It owns the
// Document and the edits that create undo steps, and the state the roll only draws: the selection, the
// edit cursor (playhead), the loop, the previews (one per owner), the current track and the Generate
// settings. Every change is announced by a signal; views listen, controllers call in. Nothing here is a
// widget, so controllers built on a Session are testable without one (tests/studio/tst_session.cpp).

#include "ui/document/Commands.h"
#include "ui/document/Document.h"
#include "ui/generate/GenerateSettings.h"

#include <QObject>
#include <QSet>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace continuo::ui {

/// Who shows a preview: each owner has its own, so generating while recording keeps both.
enum class PreviewOwner { Generate, Record, Infill, Jam };
inline constexpr int kPreviewOwners = 4;

/// Thread contract: GUI thread only, like the Document it owns; every signal is emitted there,
/// synchronously after the change.
class Session : public QObject {
    Q_OBJECT
public:
    explicit Session(QObject* parent = nullptr);
    ~Session() override;

    Document* document() { return &doc_; }
    const Document* document() const { return &doc_; }
    QUndoStack* undoStack() { return doc_.undoStack(); }

    // ---- Edits: each is one undo step (a drag: one per gesture) ----

    /// Adds `notes` to `track`; returns their ids. Empty `notes`: no undo step.
    std::vector<NoteId> addNotes(TrackId track, const std::vector<music::Note>& notes, const QString& text);
    void removeNotes(const QSet<NoteId>& ids, const QString& text);
    /// Replaces each note (id → new value); `mergeKind`/`gesture` merge the steps of one drag (0: never).
    void changeNotes(const std::vector<std::pair<NoteId, music::Note>>& updated, const QString& text,
                     int mergeKind = NoteEditCommand::NoMerge, quint64 gesture = 0);
    /// Pushes a prepared note command (a draw or erase gesture step).
    void push(QUndoCommand* command) { doc_.undoStack()->push(command); }
    /// A generated (or recorded) passage: removes `replace`, adds `notes` to `track` as generated notes.
    std::vector<NoteId> addPassage(TrackId track, const std::vector<music::Note>& notes,
                                   const QSet<NoteId>& replace);
    void setMeta(const SongMeta& meta, const QString& text);

    /// Starts moving `ids` (Alt-drag: `copies` — copies appear in place now, in the same undo step as the
    /// move, and become the selection). The returned origin is passed to each moveNotes() of the gesture.
    std::shared_ptr<NoteMoveOrigin> beginMove(const QSet<NoteId>& ids, bool copies);
    /// Moves the gesture's notes to origin + (dt, dp), clamped so every note stays at tick ≥ 0 and pitch
    /// 0–127. O(k) for k notes; the gesture stays one undo step. Returns the (dt, dp) applied.
    std::pair<std::int64_t, int> moveNotes(const std::shared_ptr<NoteMoveOrigin>& origin, std::int64_t dt,
                                           int dp);

    // ---- Selection (notes of the current track; not part of undo) ----

    const QSet<NoteId>& selection() const { return selection_; }
    void setSelection(const QSet<NoteId>& ids);
    void selectAll();
    /// [start, end) ticks covered by the selection, or {0, 0} when nothing is selected.
    std::pair<std::int64_t, std::int64_t> selectionRange() const;
    void deleteSelection();
    /// Moves onsets and ends of the selection to the nearest multiple of `grid` ticks.
    void quantizeSelection(std::int64_t grid);
    /// Moves the selection by `ticks` and `semitones`: all notes or, if one would leave the roll, none.
    void nudgeSelection(std::int64_t ticks, int semitones);

    // ---- Edit cursor / playhead (ticks ≥ 0) and loop ----

    std::int64_t playhead() const { return playhead_; }
    /// Moves the edit cursor (a ruler click, or `byTransport` when the playing song moved it: then
    /// playheadMoved says so, and nobody seeks in answer).
    void setPlayhead(std::int64_t tick, bool byTransport = false);
    bool looping() const { return looping_; }
    void setLooping(bool on);
    /// The range a loop plays: the selection's, else the whole song; empty when there is nothing to loop.
    std::optional<std::pair<std::int64_t, std::int64_t>> loopRange() const;

    // ---- Previews: notes shown in the roll that are not in the document, one set per owner ----

    const std::vector<music::Note>& preview(PreviewOwner owner) const { return previews_[index(owner)]; }
    void setPreview(PreviewOwner owner, std::vector<music::Note> notes);
    void clearPreview(PreviewOwner owner) { setPreview(owner, {}); }
    /// The track each preview is drawn on (the current track when it was set).
    TrackId previewTrack(PreviewOwner owner) const { return previewTracks_[index(owner)]; }
    /// Tick just after the last preview note of any owner ends (0 when none).
    std::int64_t previewEnd() const;

    // ---- Current track (the one the roll edits) ----

    TrackId currentTrack() const { return doc_.currentTrack(); }
    void setCurrentTrack(TrackId id) { doc_.setCurrentTrack(id); }

    // ---- Generate settings (what the Generate panel shows; projects save them) ----

    const GenerateSettings& generateSettings() const { return generate_; }
    void setGenerateSettings(const GenerateSettings& settings);

    // ---- What plays ----

    /// The document as it sounds: mute and solo applied (a muted track, or with any solo every track not
    /// soloed, plays no notes; the tracks stay so indices match the document).
    music::Song playableSong() const;
    /// playableSong() with `owner`'s preview added to the track it is drawn on (the Generate panel's
    /// Listen hears a variation in place).
    music::Song playableSongWith(PreviewOwner owner) const;

    /// Asks the views to bring `tick`/`pitch` into sight (a variation shown far from the view).
    void reveal(std::int64_t tick, int pitch) { Q_EMIT revealRequested(tick, pitch); }

Q_SIGNALS:
    void selectionChanged();
    /// `byTransport`: moved by playback (follow it, do not seek); else by the user (seek if playing).
    void playheadMoved(std::int64_t tick, bool byTransport);
    void loopingChanged(bool on);
    void previewChanged(continuo::ui::PreviewOwner owner);
    void generateSettingsChanged();
    void revealRequested(std::int64_t tick, int pitch);
    /// A sentence for the status bar (e.g. why a nudge did nothing).
    void statusMessage(const QString& message);

private:
    static std::size_t index(PreviewOwner owner) { return std::size_t(owner); }
    music::Song mixed(music::Song song) const;
    void pruneSelection();

    Document doc_;
    QSet<NoteId> selection_;
    std::int64_t playhead_ = 0;
    bool looping_ = false;
    std::array<std::vector<music::Note>, kPreviewOwners> previews_;
    std::array<TrackId, kPreviewOwners> previewTracks_{};
    GenerateSettings generate_;
    std::uint64_t seenRemovals_ = 0;
};

} // namespace continuo::ui
