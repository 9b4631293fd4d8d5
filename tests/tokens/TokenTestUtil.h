#pragma once
// Small builders shared by the token and dataset tests.

#include "TestSongs.h"
#include "music/Quantize.h"
#include "music/Song.h"

#include <QByteArray>
#include <QMetaType>
#include <QTest>

#include <random>
#include <vector>

namespace continuo::test {

inline music::Track track(std::vector<music::Note> notes, int channel = 0, const char* name = "melody") {
    music::Track t;
    t.name = name;
    t.channel = std::uint8_t(channel);
    t.notes = std::move(notes);
    t.sortNotes();
    return t;
}

inline music::Song song(std::vector<music::Track> tracks, int ppq = 480) {
    music::Song s;
    s.ppq = ppq;
    s.tracks = std::move(tracks);
    return s;
}

/// A melody of `count` notes on a sixteenth grid (ppq 480), pitches in [low, high], with chords and rests,
/// from `seed`: real enough to exercise windows and splits.
inline music::Song melody(unsigned seed, int count, int low = 48, int high = 84, int channel = 0) {
    std::mt19937 rng(seed);
    std::vector<music::Note> notes;
    std::int64_t t = 0;
    for (int i = 0; i < count; ++i) {
        const int pitch = low + int(rng() % unsigned(high - low + 1));
        notes.push_back(note(t, 120 * (1 + rng() % 4), pitch, 40 + int(rng() % 80), channel));
        if (rng() % 4 == 0 && pitch + 4 <= high) notes.push_back(note(t, 240, pitch + 4, 80, channel));
        t += 120 * (1 + rng() % 3);
    }
    return song({track(std::move(notes), channel)});
}

} // namespace continuo::test

Q_DECLARE_METATYPE(std::vector<continuo::music::Note>)
Q_DECLARE_METATYPE(std::vector<continuo::music::GridNote>)

namespace QTest {
template <> inline char* toString(const std::vector<continuo::music::Note>& notes) {
    QByteArray s;
    for (const auto& n : notes) {
        s += QByteArray::number(qint64(n.start)) + "+" + QByteArray::number(qint64(n.duration)) + " p" +
             QByteArray::number(n.pitch) + " v" + QByteArray::number(n.velocity) + " ch" +
             QByteArray::number(n.channel) + "; ";
    }
    return qstrdup(s.constData());
}
template <> inline char* toString(const std::vector<continuo::music::GridNote>& notes) {
    QByteArray s;
    for (const auto& n : notes) {
        s += QByteArray::number(qint64(n.step)) + "+" + QByteArray::number(qint64(n.length)) + " p" +
             QByteArray::number(n.pitch) + " v" + QByteArray::number(n.velocity) + "; ";
    }
    return qstrdup(s.constData());
}
} // namespace QTest
