#pragma once
// The Continuo project format: one small versioned JSON file with the song (notes with their origin),
// track colours / mute / solo, the Generate settings and the id of the model in use.
//
//   {"format": "continuo-project", "version": 1, "ppq": 480,
//    "tempos": [[tick, microsPerQuarter]], "timeSignatures": [[tick, num, den]], "keySignatures": [[tick,
//    sharps, minor]], "tracks": [{"name", "instrument", "channel", "program", "colour": "#rrggbb", "mute",
//    "solo",
//                "notes": [[start, duration, pitch, velocity, channel, origin(0 user, 1 generated)]]}],
//    "generate": {"where", "bars", "temperature", "topP", "variations", "seed", "keyLock", "tonic", "scale"},
//    "model": "…"}

#include "music/Song.h"
#include "ui/document/Document.h"
#include "ui/generate/GenerateSettings.h"

#include <QByteArray>
#include <QString>

#include <vector>

namespace continuo::ui {

struct ProjectData {
    music::Song song;
    std::vector<TrackProps> trackProps; ///< one per song track (colour, mute, solo; names repeat the song's)
    GenerateSettings generate;
    QString modelId;
};

constexpr int kProjectVersion = 1;
inline constexpr const char* kProjectSuffix = "continuo";

/// A copy of everything a project file holds, for serialising on another thread. Only copies (each track's
/// notes in id order, not sorted): this is the part that runs on the GUI thread, so it stays linear and
/// cheap; sorting is left to projectToJson.
ProjectData projectSnapshot(const Document& doc, const GenerateSettings& settings, const QString& modelId);
/// Serialises a snapshot (sorting each track's notes first). Pure: safe on any thread.
QByteArray projectToJson(ProjectData data);
/// Serialises the document as it is now: projectToJson(projectSnapshot(…)). GUI thread (it reads `doc`).
QByteArray projectToJson(const Document& doc, const GenerateSettings& settings, const QString& modelId);
/// Parses a project; throws std::runtime_error with one sentence (not JSON, newer version, bad values).
/// Pure: safe on any thread.
ProjectData projectFromJson(const QByteArray& json);
/// Reads and parses `path` (any thread); throws std::runtime_error naming the file.
ProjectData readProject(const QString& path);
/// Writes with io::writeFileAtomically (temporary file, fsync, rename, folder fsync); throws
/// std::system_error (a std::runtime_error) naming the file and the reason.
void writeFileAtomically(const QString& path, const QByteArray& bytes);

} // namespace continuo::ui
