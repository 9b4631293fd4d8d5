#include "ui/files/ProjectFile.h"

#include "io/AtomicFile.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <stdexcept>
#include <string_view>

namespace continuo::ui {

namespace {
[[noreturn]] void fail(const QString& what) {
    throw std::runtime_error(what.toStdString());
}

int intIn(const QJsonValue& v, int lo, int hi, const char* what) {
    if (!v.isDouble()) fail(QStringLiteral("%1 is missing or not a number").arg(what));
    const double d = v.toDouble();
    if (d < lo || d > hi) fail(QStringLiteral("%1 %2 is outside %3–%4").arg(what).arg(d).arg(lo).arg(hi));
    return int(d);
}

/// A tick as JSON stores it: a whole number from 0 to 2^53, past which a double no longer holds every
/// integer. Converting 1e30 to int64 is undefined (it came out negative and the note was called "a
/// negative start"), so the range is checked on the double first.
constexpr double kMaxTick = 9007199254740992.0; // 2^53
std::int64_t tickIn(const QJsonValue& v, const char* what) {
    if (!v.isDouble()) fail(QStringLiteral("%1 is missing or not a number").arg(what));
    const double d = v.toDouble();
    if (!(d >= 0 && d <= kMaxTick))
        fail(QStringLiteral("%1 %2 is outside 0–9007199254740992 (2^53, the largest tick a project holds)")
                 .arg(what)
                 .arg(d));
    return std::int64_t(d);
}
} // namespace

ProjectData projectSnapshot(const Document& doc, const GenerateSettings& settings, const QString& modelId) {
    ProjectData p;
    p.song = doc.toUnsortedSong(); // sorted by the worker that writes it
    p.trackProps.reserve(doc.tracks().size());
    for (const TrackData& t : doc.tracks())
        p.trackProps.push_back(t.props);
    p.generate = settings;
    p.modelId = modelId;
    return p;
}

QByteArray projectToJson(ProjectData data) {
    const music::Song& song = data.song;
    const GenerateSettings& g = data.generate;
    QJsonObject root{{"format", "continuo-project"}, {"version", kProjectVersion}, {"ppq", song.ppq}};
    QJsonArray tempos, sigs, keys, tracks;
    for (const auto& t : song.tempos)
        tempos.append(QJsonArray{double(t.tick), double(t.microsPerQuarter)});
    for (const auto& s : song.timeSignatures)
        sigs.append(QJsonArray{double(s.tick), s.numerator, s.denominator});
    for (const auto& k : song.keySignatures)
        keys.append(QJsonArray{double(k.tick), k.sharps, k.minor});
    for (std::size_t i = 0; i < song.tracks.size(); ++i) {
        music::Track& t = data.song.tracks[i];
        t.sortNotes();
        const TrackProps& p = data.trackProps[i];
        QJsonArray notes;
        for (const auto& n : t.notes)
            notes.append(QJsonArray{double(n.start), double(n.duration), n.pitch, n.velocity, n.channel,
                                    int(n.origin)});
        tracks.append(QJsonObject{{"name", p.name},
                                  {"instrument", p.instrument},
                                  {"channel", p.channel},
                                  {"program", p.program},
                                  {"colour", p.colour.name()},
                                  {"mute", p.mute},
                                  {"solo", p.solo},
                                  {"notes", notes}});
    }
    root["tempos"] = tempos;
    root["timeSignatures"] = sigs;
    root["keySignatures"] = keys;
    root["tracks"] = tracks;
    root["generate"] = QJsonObject{{"where", int(g.where)},
                                   {"bars", g.bars},
                                   {"temperature", g.temperature},
                                   {"topP", g.topP},
                                   {"pitchTopP", g.pitchTopP},
                                   {"variations", g.variations},
                                   {"seed", QString::number(g.randomSeed)},
                                   {"keyLock", g.keyLock},
                                   {"tonic", g.tonic},
                                   {"scale", ui::scaleId(g.scale)},
                                   {"texture", QString::fromUtf8(music::textureName(g.texture))},
                                   {"structure", g.structure}};
    root["model"] = data.modelId;
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

QByteArray projectToJson(const Document& doc, const GenerateSettings& settings, const QString& modelId) {
    return projectToJson(projectSnapshot(doc, settings, modelId));
}

ProjectData projectFromJson(const QByteArray& json) {
    QJsonParseError error;
    const QJsonDocument d = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !d.isObject())
        fail(QStringLiteral("not a Continuo project (JSON error at byte %1: %2)")
                 .arg(error.offset)
                 .arg(error.errorString()));
    const QJsonObject root = d.object();
    if (root["format"].toString() != "continuo-project")
        fail("not a Continuo project (no \"format\" marker)");
    const int version = root["version"].toInt();
    if (version > kProjectVersion)
        fail(QStringLiteral("made by a newer Continuo (project version %1; this one reads up to %2)")
                 .arg(version)
                 .arg(kProjectVersion));
    ProjectData p;
    p.song.ppq = intIn(root["ppq"], 1, 32767, "ppq");
    for (const auto& v : root["tempos"].toArray()) {
        const QJsonArray a = v.toArray();
        p.song.tempos.push_back(
            {tickIn(a[0], "a tempo change's tick"), std::uint32_t(intIn(a[1], 1, 0xFFFFFF, "tempo"))});
    }
    for (const auto& v : root["timeSignatures"].toArray()) {
        const QJsonArray a = v.toArray();
        music::TimeSignature s;
        s.tick = tickIn(a[0], "a time signature's tick");
        s.numerator = std::uint8_t(intIn(a[1], 1, 255, "time signature"));
        s.denominator = std::uint8_t(intIn(a[2], 1, 128, "time signature"));
        p.song.timeSignatures.push_back(s);
    }
    for (const auto& v : root["keySignatures"].toArray()) {
        const QJsonArray a = v.toArray();
        p.song.keySignatures.push_back({tickIn(a[0], "a key signature's tick"),
                                        std::int8_t(intIn(a[1], -7, 7, "key signature")), a[2].toBool()});
    }
    for (const auto& tv : root["tracks"].toArray()) {
        const QJsonObject o = tv.toObject();
        music::Track t;
        TrackProps props;
        props.name = o["name"].toString();
        props.instrument = o["instrument"].toString();
        props.channel = std::uint8_t(intIn(o["channel"], 0, 15, "channel"));
        props.program = std::uint8_t(intIn(o["program"], 0, 127, "program"));
        props.colour = QColor(o["colour"].toString());
        props.mute = o["mute"].toBool();
        props.solo = o["solo"].toBool();
        t.name = props.name.toStdString();
        t.instrument = props.instrument.toStdString();
        t.channel = props.channel;
        t.program = props.program;
        for (const auto& nv : o["notes"].toArray()) {
            const QJsonArray a = nv.toArray();
            if (a.size() < 6) fail("a note has fewer than 6 fields");
            music::Note n;
            n.start = tickIn(a[0], "a note's start tick");
            n.duration = tickIn(a[1], "a note's length");
            if (n.duration < 1) fail("a note has no length (0 ticks)");
            if (n.duration > std::int64_t(kMaxTick) - n.start)
                fail("a note ends past tick 9007199254740992 (2^53, the largest tick a project holds)");
            n.pitch = std::uint8_t(intIn(a[2], 0, 127, "pitch"));
            n.velocity = std::uint8_t(intIn(a[3], 1, 127, "velocity"));
            n.channel = std::uint8_t(intIn(a[4], 0, 15, "channel"));
            n.origin = music::NoteOrigin(intIn(a[5], 0, 1, "origin"));
            t.notes.push_back(n);
        }
        t.sortNotes();
        p.song.tracks.push_back(std::move(t));
        p.trackProps.push_back(props);
    }
    const QJsonObject g = root["generate"].toObject();
    GenerateSettings s;
    s.where = GenerateWhere(std::clamp(g["where"].toInt(0), 0, 3));
    s.bars = std::clamp(g["bars"].toInt(s.bars), 1, 64);
    s.temperature = std::clamp(g["temperature"].toDouble(s.temperature), 0.1, 2.0);
    s.topP = std::clamp(g["topP"].toDouble(s.topP), 0.05, 1.0);
    s.pitchTopP = std::clamp(g["pitchTopP"].toDouble(s.pitchTopP), 0.05, 1.0);
    s.variations = std::clamp(g["variations"].toInt(s.variations), 1, 8);
    s.randomSeed = g["seed"].toString("1").toULongLong();
    s.keyLock = g["keyLock"].toBool();
    s.tonic = std::clamp(g["tonic"].toInt(0), 0, 11);
    s.scale = scaleFromId(g["scale"].toString());
    s.texture =
        music::textureFromName(g["texture"].toString("auto").toStdString()).value_or(music::Texture::Auto);
    s.structure = std::clamp(g["structure"].toDouble(s.structure), 0.0, 1.0);
    p.generate = s;
    p.modelId = root["model"].toString();
    return p;
}

ProjectData readProject(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        fail(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), f.errorString()));
    try {
        return projectFromJson(f.readAll());
    } catch (const std::exception& e) {
        fail(QStringLiteral("%1: %2").arg(QFileInfo(path).fileName(), QString::fromStdString(e.what())));
    }
}

void writeFileAtomically(const QString& path, const QByteArray& bytes) {
    // The studio writes through core's writer (not QSaveFile) so that projects, the autosave and MIDI
    // export follow one rule: fsync before the rename, and the folder after it.
    io::writeFileAtomically(QFile::encodeName(path).toStdString(),
                            std::string_view(bytes.constData(), std::size_t(bytes.size())));
}

} // namespace continuo::ui
