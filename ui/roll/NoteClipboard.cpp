// The roll's clipboard (NoteClipboard.h). A selection is a few hundred notes at most, so encoding and
// decoding them here is microseconds of work; the size cap keeps a huge foreign clipboard from stalling
// the GUI thread.

#include "ui/roll/NoteClipboard.h"

#include "midi/MidiError.h"
#include "midi/SmfReader.h"
#include "midi/SmfWriter.h"
#include "music/GeneralMidi.h"
#include "music/SmfToSong.h"
#include "music/SongToSmf.h"

#include <QApplication>
#include <QClipboard>
#include <QMimeData>

#include <algorithm>
#include <stdexcept>

namespace continuo::ui {

namespace {
constexpr qsizetype kMaxClipboardMidi = 4 << 20;

QString describe(const std::vector<music::Note>& notes) {
    QStringList names;
    for (std::size_t i = 0; i < notes.size() && i < 16; ++i)
        names << QString::fromStdString(music::pitchName(notes[i].pitch));
    if (notes.size() > 16) names << QStringLiteral("…");
    return QObject::tr("%n note(s) from Continuo: %1", nullptr, int(notes.size())).arg(names.join(' '));
}
} // namespace

void copyNotesToClipboard(const std::vector<music::Note>& notes, int ppq, std::uint32_t microsPerQuarter) {
    music::Song song;
    song.ppq = ppq;
    song.tempos = {{0, microsPerQuarter}};
    music::Track track;
    track.name = "Continuo selection";
    track.channel = notes.empty() ? 0 : notes.front().channel;
    track.notes = notes;
    for (music::Note& n : track.notes)
        n.origin = music::NoteOrigin::User;
    track.sortNotes();
    song.tracks.push_back(std::move(track));
    const std::vector<std::uint8_t> bytes = midi::serializeSmf(music::smfFromSong(song, 1));
    auto* data = new QMimeData;
    data->setData(kMidiMimeType,
                  QByteArray(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size())));
    data->setText(describe(song.tracks.front().notes));
    QApplication::clipboard()->setMimeData(data); // the clipboard owns it
}

std::optional<std::vector<music::Note>> notesFromClipboard(int ppq, std::string* problem) {
    if (problem) problem->clear();
    const QMimeData* data = QApplication::clipboard()->mimeData();
    if (!data) return std::nullopt;
    QByteArray bytes;
    for (const char* type : {kMidiMimeType, "audio/x-midi"})
        if (data->hasFormat(type)) {
            bytes = data->data(type);
            break;
        }
    if (bytes.isEmpty()) return std::nullopt;
    const auto fail = [&](const std::string& why) -> std::optional<std::vector<music::Note>> {
        if (problem) *problem = why;
        return std::nullopt;
    };
    if (bytes.size() > kMaxClipboardMidi)
        return fail("The MIDI data on the clipboard is larger than 4 MiB; open it as a file instead.");
    music::Song song;
    try {
        song = music::songFromSmf(midi::parseMidiBytes(
            std::span(reinterpret_cast<const std::uint8_t*>(bytes.constData()), std::size_t(bytes.size()))));
    } catch (const std::exception& e) {
        return fail(std::string("The MIDI data on the clipboard could not be read: ") + e.what());
    }
    std::vector<music::Note> notes;
    for (const music::Track& t : song.tracks)
        notes.insert(notes.end(), t.notes.begin(), t.notes.end());
    if (notes.empty()) return fail("The MIDI data on the clipboard holds no notes.");
    // Rescale to the document's resolution, rounding to the nearest tick; a note keeps at least one tick.
    const auto scale = [&](std::int64_t t) { return (t * ppq + song.ppq / 2) / std::max(1, song.ppq); };
    std::int64_t first = notes.front().start;
    for (const music::Note& n : notes)
        first = std::min(first, n.start);
    for (music::Note& n : notes) {
        const std::int64_t start = scale(n.start - first), end = scale(n.end() - first);
        n.start = start;
        n.duration = std::max<std::int64_t>(1, end - start);
        n.origin = music::NoteOrigin::User;
    }
    std::sort(notes.begin(), notes.end(), music::noteLess);
    return notes;
}

} // namespace continuo::ui
