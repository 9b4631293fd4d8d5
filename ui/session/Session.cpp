#include "ui/session/Session.h"

#include <algorithm>
#include <climits>

namespace continuo::ui {

Session::Session(QObject* parent)
    : QObject(parent) {
    seenRemovals_ = doc_.removalCount();
    connect(&doc_, &Document::notesChanged, this, [this] { pruneSelection(); });
    connect(&doc_, &Document::tracksChanged, this, [this] { pruneSelection(); });
    connect(&doc_, &Document::currentTrackChanged, this, [this] { setSelection({}); });
    connect(&doc_, &Document::documentReset, this, [this] {
        // A different song: nothing selected, the cursor at the start, and previews made for the old song
        // are meaningless.
        seenRemovals_ = doc_.removalCount();
        setSelection({});
        setPlayhead(0);
        for (int i = 0; i < kPreviewOwners; ++i)
            clearPreview(PreviewOwner(i));
    });
}

Session::~Session() = default;

void Session::pruneSelection() {
    // Only a removal can leave the selection naming notes that are gone; a drag of 20,000 selected notes
    // must not look each of them up again on every mouse move.
    if (doc_.removalCount() == seenRemovals_) return;
    seenRemovals_ = doc_.removalCount();
    QSet<NoteId> kept;
    for (NoteId id : selection_)
        if (doc_.note(id)) kept.insert(id);
    if (kept.size() != selection_.size()) {
        selection_ = std::move(kept);
        Q_EMIT selectionChanged();
    }
}

std::vector<NoteId> Session::addNotes(TrackId track, const std::vector<music::Note>& notes,
                                      const QString& text) {
    std::vector<NoteId> ids;
    if (notes.empty() || !doc_.track(track)) return ids;
    push(addNotesCommand(&doc_, track, notes, text, &ids));
    return ids;
}

void Session::removeNotes(const QSet<NoteId>& ids, const QString& text) {
    if (!ids.isEmpty()) push(removeNotesCommand(&doc_, ids, text));
}

void Session::changeNotes(const std::vector<std::pair<NoteId, music::Note>>& updated, const QString& text,
                          int mergeKind, quint64 gesture) {
    if (!updated.empty()) push(changeNotesCommand(&doc_, updated, text, mergeKind, gesture));
}

std::vector<NoteId> Session::addPassage(TrackId track, const std::vector<music::Note>& notes,
                                        const QSet<NoteId>& replace) {
    std::vector<NoteId> ids;
    if (!doc_.track(track) || (notes.empty() && replace.isEmpty())) return ids;
    push(generatedPassageCommand(&doc_, track, notes, replace, &ids));
    return ids;
}

void Session::setMeta(const SongMeta& meta, const QString& text) {
    if (!(meta == doc_.meta())) push(new MetaCommand(&doc_, meta, text));
}

std::shared_ptr<NoteMoveOrigin> Session::beginMove(const QSet<NoteId>& ids, bool copies) {
    auto origin = std::make_shared<NoteMoveOrigin>();
    origin->copies = copies;
    origin->minStart = INT64_MAX;
    origin->notes.reserve(std::size_t(ids.size()));
    for (NoteId id : ids) {
        const music::Note* n = doc_.note(id);
        if (!n) continue;
        const TrackId track = *doc_.trackOfNote(id);
        if (copies)
            origin->notes.push_back({doc_.newNoteId(), track, std::nullopt, *n});
        else
            origin->notes.push_back({id, track, *n, *n});
        origin->minStart = std::min(origin->minStart, n->start);
        origin->lowPitch = std::min<int>(origin->lowPitch, n->pitch);
        origin->highPitch = std::max<int>(origin->highPitch, n->pitch);
    }
    if (origin->notes.empty()) origin->minStart = 0;
    if (copies && !origin->notes.empty()) {
        // The copies appear in place now; the moves that follow merge into this step.
        push(new MoveNotesCommand(&doc_, tr("Duplicate notes"), origin, 0, 0));
        QSet<NoteId> copied;
        for (const NoteChange& c : origin->notes)
            copied.insert(c.id);
        setSelection(copied);
    }
    return origin;
}

std::pair<std::int64_t, int> Session::moveNotes(const std::shared_ptr<NoteMoveOrigin>& origin,
                                                std::int64_t dt, int dp) {
    dt = std::max(dt, -origin->minStart);
    dp = std::clamp(dp, -origin->lowPitch, 127 - origin->highPitch);
    if (origin->notes.empty()) return {dt, dp};
    // All notes move together, so the first one says where the gesture is now: an unchanged step pushes
    // nothing.
    const NoteChange& f = origin->notes.front();
    if (const music::Note* now = doc_.note(f.id);
        now && now->start == f.after->start + dt && int(now->pitch) == int(f.after->pitch) + dp)
        return {dt, dp};
    // The stack merges this step into the gesture's command in O(1) (same origin).
    push(new MoveNotesCommand(&doc_, origin->copies ? tr("Duplicate notes") : tr("Move notes"), origin, dt,
                              dp));
    return {dt, dp};
}

void Session::setSelection(const QSet<NoteId>& ids) {
    if (ids == selection_) return;
    selection_ = ids;
    Q_EMIT selectionChanged();
}

void Session::selectAll() {
    QSet<NoteId> all;
    if (const TrackData* t = doc_.track(doc_.currentTrack()))
        for (const auto& [id, n] : t->notes)
            all.insert(id);
    setSelection(all);
}

std::pair<std::int64_t, std::int64_t> Session::selectionRange() const {
    std::int64_t lo = INT64_MAX, hi = 0;
    for (NoteId id : selection_)
        if (const music::Note* n = doc_.note(id)) {
            lo = std::min(lo, n->start);
            hi = std::max(hi, n->end());
        }
    return lo == INT64_MAX ? std::pair<std::int64_t, std::int64_t>{0, 0} : std::pair{lo, hi};
}

void Session::deleteSelection() {
    removeNotes(selection_, tr("Delete notes"));
}

void Session::quantizeSelection(std::int64_t grid) {
    if (!selection_.isEmpty()) push(quantizeCommand(&doc_, selection_, grid, true));
}

void Session::nudgeSelection(std::int64_t ticks, int semitones) {
    if (selection_.isEmpty()) return;
    std::vector<std::pair<NoteId, music::Note>> updated;
    for (NoteId id : selection_) {
        const music::Note* found = doc_.note(id);
        if (!found) continue;
        music::Note n = *found;
        if (n.start + ticks < 0 || n.pitch + semitones < 0 || n.pitch + semitones > 127)
            return; // all or none
        n.start += ticks;
        n.pitch = std::uint8_t(n.pitch + semitones);
        updated.emplace_back(id, n);
    }
    changeNotes(updated, tr("Move notes"));
}

void Session::setPlayhead(std::int64_t tick, bool byTransport) {
    tick = std::max<std::int64_t>(0, tick);
    if (tick == playhead_) return;
    playhead_ = tick;
    Q_EMIT playheadMoved(tick, byTransport);
}

void Session::setLooping(bool on) {
    if (on == looping_) return;
    looping_ = on;
    Q_EMIT loopingChanged(on);
}

std::optional<std::pair<std::int64_t, std::int64_t>> Session::loopRange() const {
    const auto [start, end] = selectionRange();
    if (end > start) return std::pair{start, end};
    const std::int64_t songEnd = doc_.endTick();
    if (songEnd > 0) return std::pair<std::int64_t, std::int64_t>{0, songEnd};
    return std::nullopt;
}

void Session::setPreview(PreviewOwner owner, std::vector<music::Note> notes) {
    auto& slot = previews_[index(owner)];
    if (notes.empty() && slot.empty()) return;
    slot = std::move(notes);
    previewTracks_[index(owner)] = doc_.currentTrack();
    Q_EMIT previewChanged(owner);
}

std::int64_t Session::previewEnd() const {
    std::int64_t end = 0;
    for (const auto& notes : previews_)
        for (const music::Note& n : notes)
            end = std::max(end, n.end());
    return end;
}

void Session::setGenerateSettings(const GenerateSettings& settings) {
    if (settings == generate_) return;
    generate_ = settings;
    Q_EMIT generateSettingsChanged();
}

music::Song Session::mixed(music::Song song) const {
    const auto& tracks = doc_.tracks();
    const bool anySolo =
        std::any_of(tracks.begin(), tracks.end(), [](const auto& t) { return t.props.solo; });
    for (std::size_t i = 0; i < tracks.size() && i < song.tracks.size(); ++i)
        if (tracks[i].props.mute || (anySolo && !tracks[i].props.solo)) song.tracks[i].notes.clear();
    return song;
}

music::Song Session::playableSong() const {
    return mixed(doc_.toSong());
}

music::Song Session::playableSongWith(PreviewOwner owner) const {
    music::Song song = doc_.toSong();
    const int track = doc_.trackIndex(previewTrack(owner));
    if (track >= 0) {
        auto& notes = song.tracks[std::size_t(track)].notes;
        const auto& extra = preview(owner);
        notes.insert(notes.end(), extra.begin(), extra.end());
        song.tracks[std::size_t(track)].sortNotes();
    }
    return mixed(std::move(song));
}

} // namespace continuo::ui
