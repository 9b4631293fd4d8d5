#pragma once
// The edited song: tracks of notes addressed by stable ids, with the undo stack every edit goes through.
// Views read it and listen to its signals; only commands (ui/document/Commands.h) can change it, so no
// edit can bypass undo.

#include "music/Song.h"

#include <QColor>
#include <QObject>
#include <QSet>
#include <QString>
#include <QUndoStack>

#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>
#include <vector>

namespace continuo::ui {

/// Stable identity of a note for the life of a Document (never reused, survives undo/redo).
using NoteId = std::uint64_t;
/// Stable identity of a track for the life of a Document.
using TrackId = std::uint64_t;

/// What a track is besides its notes: everything the track list edits.
struct TrackProps {
    QString name;
    QString instrument;       ///< the file's instrument text, kept for round trips
    std::uint8_t channel = 0; ///< MIDI channel 0–15 (9 = GM drums)
    std::uint8_t program = 0; ///< General MIDI program 0–127
    QColor colour;
    bool mute = false;
    bool solo = false;
    bool operator==(const TrackProps&) const = default;
};

/// A whole track with its notes, as a command keeps it to re-insert a removed track.
struct TrackData {
    TrackId id = 0;
    TrackProps props;
    std::map<NoteId, music::Note> notes; ///< ordered by id = creation order (stable paint order)
};

/// Everything of the song that is not tracks: ppq and the tempo / meter / key maps.
struct SongMeta {
    int ppq = 480;
    std::vector<music::TempoChange> tempos;
    std::vector<music::TimeSignature> timeSignatures;
    std::vector<music::KeySignature> keySignatures;
    bool operator==(const SongMeta&) const = default;
};

/// Thread contract: GUI thread only (it is a QObject living there; worker threads get copies from
/// toSong()). All signals are emitted on the GUI thread, synchronously after the change.
class Document : public QObject {
    Q_OBJECT
public:
    explicit Document(QObject* parent = nullptr);
    ~Document() override;

    QUndoStack* undoStack() { return &undo_; }
    const QUndoStack* undoStack() const { return &undo_; }

    /// Replaces everything (File ▸ New / Open) and clears the undo history: not itself undoable, like
    /// opening a file in any editor. Ids restart from 1 so a reloaded project gets the same ids.
    /// `props`, when given one per track, restores colours / mute / solo (a project file).
    void reset(const music::Song& song, const std::vector<TrackProps>& props = {});
    /// A copy as a plain Song (tracks in document order, notes sorted): for saving, playback, the engine.
    music::Song toSong() const;
    /// The same, for the notes in `only`: tracks that hold none of them are left out (Export selection).
    music::Song toSong(const QSet<NoteId>& only) const;
    /// toSong() with each track's notes in storage order, not sorted: the cheap copy a worker sorts later
    /// (the autosave's snapshot on the GUI thread).
    music::Song toUnsortedSong() const;

    const SongMeta& meta() const { return meta_; }
    int ppq() const { return meta_.ppq; }
    const std::vector<TrackData>& tracks() const { return tracks_; }
    int trackIndex(TrackId id) const; ///< −1 when absent
    const TrackData* track(TrackId id) const;
    const music::Note* note(NoteId id) const;
    std::optional<TrackId> trackOfNote(NoteId id) const;
    std::size_t noteCount() const { return noteTrack_.size(); }
    /// Tick just after the last note of any track ends (0 when empty). Kept as edits happen: an edit that
    /// can only lengthen the song updates it in O(1); one that shortens or removes the note that ended
    /// last marks it stale, and the next call scans once (a drag of k notes costs O(k), not O(n) per move).
    std::int64_t endTick() const;
    /// Grows by one whenever a note leaves the document (erased, or its track removed) or reset() runs:
    /// listeners that hold note ids (the session's selection) prune them only when it moved.
    std::uint64_t removalCount() const { return removals_; }

    /// The track the roll edits; not part of undo (a view choice shared by the roll and the track list).
    TrackId currentTrack() const { return current_; }
    void setCurrentTrack(TrackId id);

    /// Fresh ids for notes / tracks a command is about to insert.
    NoteId newNoteId() { return nextNote_++; }
    TrackId newTrackId() { return nextTrack_++; }

    /// True while the undo stack is not at its clean index (unsaved edits).
    bool isModified() const { return !undo_.isClean(); }
    /// Grows by at least one with every change of the content: each raw mutator counts (so an undo, a redo
    /// and each merged step of a drag count too, though the undo index stays put) and so does reset().
    /// Never decreases; autosave compares it to decide whether there is anything new to write.
    std::uint64_t changeCount() const { return changes_; }

    static QColor defaultColour(int index);

Q_SIGNALS:
    /// Notes were added, removed or changed in `tracks` (GUI thread).
    void notesChanged(const QSet<continuo::ui::TrackId>& tracks);
    /// Tracks were added, removed, reordered or their props changed (GUI thread).
    void tracksChanged();
    /// reset() replaced the whole song (GUI thread).
    void documentReset();
    void currentTrackChanged(continuo::ui::TrackId id);
    void metaChanged();

private:
    friend class DocumentEdit;
    // Raw mutators: reachable only through DocumentEdit, the base of every command.
    void insertNote(TrackId track, NoteId id, const music::Note& note);
    music::Note eraseNote(NoteId id);
    void replaceNote(NoteId id, const music::Note& note);
    void insertTrack(int index, const TrackData& data);
    TrackData eraseTrack(TrackId id);
    void setTrackProps(TrackId id, const TrackProps& props);
    void setMeta(const SongMeta& meta);
    void announceNotes(const QSet<TrackId>& tracks) { Q_EMIT notesChanged(tracks); }
    TrackData* mutableTrack(TrackId id);
    /// Keeps endTick() current when a note ending at `before` (−1: none) now ends at `after` (−1: gone).
    void noteEndChanged(std::int64_t before, std::int64_t after);

    QUndoStack undo_;
    SongMeta meta_;
    std::vector<TrackData> tracks_;
    std::unordered_map<NoteId, TrackId> noteTrack_;
    TrackId current_ = 0;
    NoteId nextNote_ = 1;
    TrackId nextTrack_ = 1;
    std::uint64_t changes_ = 0;
    std::uint64_t removals_ = 0;
    mutable std::int64_t end_ = 0; ///< endTick() while !endStale_
    mutable bool endStale_ = false;
};

} // namespace continuo::ui
