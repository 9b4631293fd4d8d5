#pragma once
// Small builders the codec tests share: notes written in one line, and the Debian MIDI files.

#include "music/CorpusFiles.h"
#include "music/Song.h"

#include <QStringList>

#include <cstdint>

namespace continuo::test {

inline music::Note note(std::int64_t start, std::int64_t duration, int pitch, int velocity = 100,
                        int channel = 0) {
    music::Note n;
    n.start = start;
    n.duration = duration;
    n.pitch = std::uint8_t(pitch);
    n.velocity = std::uint8_t(velocity);
    n.channel = std::uint8_t(channel);
    return n;
}

/// Every MIDI file of the Debian packages the codec is checked against (empty when none is installed).
inline QStringList debianMidiFiles() {
    QStringList files;
    for (const auto& f : music::findMidiFiles(music::debianMidiFolders()))
        files << QString::fromStdString(f.string());
    return files;
}

} // namespace continuo::test
