#include "ui/SongLoader.h"

#include <QtConcurrent/QtConcurrentRun>

namespace continuo::ui {

SongLoader::SongLoader(QObject* parent)
    : QObject(parent) {}

SongLoader::~SongLoader() {
    if (watcher_) watcher_->waitForFinished();
}

bool SongLoader::isLoading() const {
    return watcher_ && watcher_->isRunning();
}

void SongLoader::load(const QString& path) {
    const int generation = ++generation_;
    auto* watcher = new QFutureWatcher<Result>(this);
    connect(watcher, &QFutureWatcher<Result>::finished, this, [this, watcher, generation, path] {
        const Result r = watcher->result();
        watcher->deleteLater();
        if (watcher_ == watcher) watcher_ = nullptr;
        if (generation != generation_) return; // superseded by a newer load
        if (r.song) {
            Q_EMIT loaded(path, r.song);
        } else {
            Q_EMIT failed(path, r.error);
        }
    });
    watcher_ = watcher;
    const std::string file = path.toStdString();
    watcher->setFuture(QtConcurrent::run([file]() -> Result {
        try {
            return {std::make_shared<const music::LoadedSong>(music::loadSong(file)), {}};
        } catch (const std::exception& e) {
            return {nullptr, QString::fromStdString(e.what())};
        }
    }));
}

} // namespace continuo::ui
