#pragma once
// Reads MIDI files off the GUI thread.

#include "music/SongFile.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>

namespace continuo::ui {

/// Parses MIDI files on Qt's thread pool so the window never waits on the disk or the parser.
/// Thread contract: call load() on the GUI thread; loaded()/failed() are emitted on the GUI thread.
/// A newer load() supersedes one still running: only the newest result is reported.
class SongLoader : public QObject {
    Q_OBJECT
public:
    explicit SongLoader(QObject* parent = nullptr);
    ~SongLoader() override;

    void load(const QString& path);
    bool isLoading() const;

Q_SIGNALS:
    /// Emitted on the GUI thread with the song read from `path`.
    void loaded(const QString& path, std::shared_ptr<const continuo::music::LoadedSong> song);
    /// Emitted on the GUI thread with one sentence saying why `path` could not be read.
    void failed(const QString& path, const QString& message);

private:
    struct Result {
        std::shared_ptr<const music::LoadedSong> song;
        QString error;
    };
    QFutureWatcher<Result>* watcher_ = nullptr;
    QString path_;
    int generation_ = 0;
};

} // namespace continuo::ui
