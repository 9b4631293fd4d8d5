#include "ui/document/Document.h"

#include <algorithm>
#include <stdexcept>

namespace continuo::ui {

Document::Document(QObject* parent)
    : QObject(parent) {
    reset(music::Song{});
}

Document::~Document() {
    // Commands hold a raw Document*; clearing first keeps their destructors from outliving us.
    undo_.clear();
}

QColor Document::defaultColour(int index) {
    static const QColor kColours[] = {QColor(0x3b, 0x82, 0xc4), QColor(0xd9, 0x6c, 0x2f),
                                      QColor(0x4c, 0xa3, 0x5a), QColor(0x9b, 0x59, 0xb6),
                                      QColor(0xc0, 0x39, 0x2b), QColor(0x16, 0xa0, 0x85),
                                      QColor(0xb8, 0x86, 0x0b), QColor(0x5d, 0x6d, 0x7e)};
    return kColours[std::size_t(index) % std::size(kColours)];
}

void Document::reset(const music::Song& song, const std::vector<TrackProps>& props) {
    undo_.clear();
    ++changes_;
    ++removals_;
    endStale_ = true;
    meta_ = SongMeta{song.ppq > 0 ? song.ppq : 480, song.tempos, song.timeSignatures, song.keySignatures};
    tracks_.clear();
    noteTrack_.clear();
    nextNote_ = 1;
    nextTrack_ = 1;
    for (const music::Track& t : song.tracks) {
        TrackData data;
        data.id = nextTrack_++;
        data.props.name = QString::fromStdString(t.name);
        data.props.instrument = QString::fromStdString(t.instrument);
        data.props.channel = t.channel;
        data.props.program = t.program;
        data.props.colour = defaultColour(int(tracks_.size()));
        if (props.size() == song.tracks.size()) {
            const TrackProps& saved = props[tracks_.size()];
            if (saved.colour.isValid()) data.props.colour = saved.colour;
            data.props.mute = saved.mute;
            data.props.solo = saved.solo;
        }
        for (const music::Note& n : t.notes) {
            const NoteId id = nextNote_++;
            data.notes.emplace(id, n);
            noteTrack_.emplace(id, data.id);
        }
        tracks_.push_back(std::move(data));
    }
    // A studio always has somewhere to draw.
    if (tracks_.empty()) {
        TrackData data;
        data.id = nextTrack_++;
        data.props.name = tr("Melody");
        data.props.colour = defaultColour(0);
        tracks_.push_back(std::move(data));
    }
    // Start on the first track that has notes (format-1 files often keep a conductor track first).
    current_ = tracks_.front().id;
    for (const TrackData& t : tracks_) {
        if (!t.notes.empty()) {
            current_ = t.id;
            break;
        }
    }
    undo_.setClean();
    Q_EMIT documentReset();
    Q_EMIT tracksChanged();
    Q_EMIT currentTrackChanged(current_);
}

music::Song Document::toSong() const {
    music::Song song = toUnsortedSong();
    for (music::Track& track : song.tracks)
        track.sortNotes();
    return song;
}

music::Song Document::toUnsortedSong() const {
    music::Song song;
    song.ppq = meta_.ppq;
    song.tempos = meta_.tempos;
    song.timeSignatures = meta_.timeSignatures;
    song.keySignatures = meta_.keySignatures;
    for (const TrackData& t : tracks_) {
        music::Track track;
        track.name = t.props.name.toStdString();
        track.instrument = t.props.instrument.toStdString();
        track.channel = t.props.channel;
        track.program = t.props.program;
        track.notes.reserve(t.notes.size());
        for (const auto& [id, n] : t.notes)
            track.notes.push_back(n);
        song.tracks.push_back(std::move(track));
    }
    return song;
}

music::Song Document::toSong(const QSet<NoteId>& only) const {
    music::Song song = toSong();
    std::vector<music::Track> kept;
    for (std::size_t i = 0; i < tracks_.size(); ++i) {
        auto& notes = song.tracks[i].notes;
        notes.clear();
        for (const auto& [id, n] : tracks_[i].notes)
            if (only.contains(id)) notes.push_back(n);
        song.tracks[i].sortNotes();
        if (!notes.empty()) kept.push_back(std::move(song.tracks[i]));
    }
    song.tracks = std::move(kept);
    return song;
}

int Document::trackIndex(TrackId id) const {
    for (std::size_t i = 0; i < tracks_.size(); ++i)
        if (tracks_[i].id == id) return int(i);
    return -1;
}

const TrackData* Document::track(TrackId id) const {
    const int i = trackIndex(id);
    return i < 0 ? nullptr : &tracks_[std::size_t(i)];
}

TrackData* Document::mutableTrack(TrackId id) {
    const int i = trackIndex(id);
    if (i < 0) throw std::logic_error("Document: no track with this id");
    return &tracks_[std::size_t(i)];
}

std::optional<TrackId> Document::trackOfNote(NoteId id) const {
    const auto it = noteTrack_.find(id);
    if (it == noteTrack_.end()) return std::nullopt;
    return it->second;
}

const music::Note* Document::note(NoteId id) const {
    const auto t = trackOfNote(id);
    if (!t) return nullptr;
    const TrackData* data = track(*t);
    const auto it = data->notes.find(id);
    return it == data->notes.end() ? nullptr : &it->second;
}

std::int64_t Document::endTick() const {
    if (endStale_) {
        end_ = 0;
        for (const TrackData& t : tracks_)
            for (const auto& [id, n] : t.notes)
                end_ = std::max(end_, n.end());
        endStale_ = false;
    }
    return end_;
}

void Document::noteEndChanged(std::int64_t before, std::int64_t after) {
    if (endStale_) return;
    if (after >= end_) {
        end_ = after;
    } else if (before == end_) {
        endStale_ = true; // the last note moved in or left: which note ends last now is not known
    }
}

void Document::setCurrentTrack(TrackId id) {
    if (id == current_ || trackIndex(id) < 0) return;
    current_ = id;
    Q_EMIT currentTrackChanged(id);
}

void Document::insertNote(TrackId track, NoteId id, const music::Note& note) {
    ++changes_;
    mutableTrack(track)->notes[id] = note;
    noteTrack_[id] = track;
    noteEndChanged(-1, note.end());
}

music::Note Document::eraseNote(NoteId id) {
    ++changes_;
    const auto t = trackOfNote(id);
    if (!t) throw std::logic_error("Document: no note with this id");
    auto& notes = mutableTrack(*t)->notes;
    const auto it = notes.find(id);
    const music::Note n = it->second;
    notes.erase(it);
    noteTrack_.erase(id);
    ++removals_;
    noteEndChanged(n.end(), -1);
    return n;
}

void Document::replaceNote(NoteId id, const music::Note& note) {
    ++changes_;
    const auto t = trackOfNote(id);
    if (!t) throw std::logic_error("Document: no note with this id");
    music::Note& stored = mutableTrack(*t)->notes.at(id);
    noteEndChanged(stored.end(), note.end());
    stored = note;
}

void Document::insertTrack(int index, const TrackData& data) {
    ++changes_;
    index = std::clamp(index, 0, int(tracks_.size()));
    tracks_.insert(tracks_.begin() + index, data);
    for (const auto& [id, n] : data.notes) {
        noteTrack_[id] = data.id;
        noteEndChanged(-1, n.end());
    }
    Q_EMIT tracksChanged();
    Q_EMIT notesChanged({data.id});
}

TrackData Document::eraseTrack(TrackId id) {
    ++changes_;
    const int index = trackIndex(id);
    if (index < 0) throw std::logic_error("Document: no track with this id");
    TrackData data = std::move(tracks_[std::size_t(index)]);
    tracks_.erase(tracks_.begin() + index);
    for (const auto& [nid, n] : data.notes) {
        noteTrack_.erase(nid);
        noteEndChanged(n.end(), -1);
    }
    if (!data.notes.empty()) ++removals_;
    if (current_ == id && !tracks_.empty()) {
        current_ = tracks_[std::size_t(std::min(index, int(tracks_.size()) - 1))].id;
        Q_EMIT currentTrackChanged(current_);
    }
    Q_EMIT tracksChanged();
    Q_EMIT notesChanged({id});
    return data;
}

void Document::setTrackProps(TrackId id, const TrackProps& props) {
    ++changes_;
    mutableTrack(id)->props = props;
    Q_EMIT tracksChanged();
    Q_EMIT notesChanged({id}); // colour, mute and solo change how the roll draws them
}

void Document::setMeta(const SongMeta& meta) {
    ++changes_;
    meta_ = meta;
    Q_EMIT metaChanged();
}

} // namespace continuo::ui
