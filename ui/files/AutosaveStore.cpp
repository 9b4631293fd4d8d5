#include "ui/files/AutosaveStore.h"

#include "io/AtomicFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLockFile>
#include <QRandomGenerator>

#include <algorithm>
#include <cstdio>

namespace continuo::ui {

namespace {
const QString kSuffix = QStringLiteral(".continuo");

std::unique_ptr<QLockFile> lockFile(const QString& path) {
    auto lock = std::make_unique<QLockFile>(path);
    // Stale only when the owner is gone: the default also calls a lock stale after 30 s, which would hand
    // a running studio's autosave to the next one.
    lock->setStaleLockTime(0);
    return lock;
}

/// What a writer killed mid-write left beside `autosave`; called only by the file's owner or claimant, so
/// no writer of it is running.
void removeTemporaries(const QString& autosave) {
    io::removeLeftoverTemporaries(QFile::encodeName(autosave).toStdString());
}
} // namespace

AutosaveStore::AutosaveStore(QString dir)
    : dir_(std::move(dir))
    , id_(QStringLiteral("%1-%2")
              .arg(QCoreApplication::applicationPid())
              .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'))) {}

AutosaveStore::~AutosaveStore() = default;

QString AutosaveStore::ownPath() const {
    return dir_ + QLatin1Char('/') + id_ + kSuffix;
}

QString AutosaveStore::lockPathOf(const QString& autosavePath) const {
    return autosavePath.chopped(kSuffix.size()) + QStringLiteral(".lock");
}

bool AutosaveStore::lockOwn() {
    if (own_ && own_->isLocked()) return true;
    QDir().mkpath(dir_);
    own_ = lockFile(lockPathOf(ownPath()));
    return own_->tryLock(0);
}

void AutosaveStore::removeOwn() {
    QFile::remove(ownPath());
    removeTemporaries(ownPath());
    own_.reset(); // unlocks: deletes the lock file
}

std::vector<AutosaveStore::Orphan> AutosaveStore::claimOrphans() {
    const QDir dir(dir_);
    // A lock with no file: its studio was killed before its first write (or after adopting another file).
    for (const QFileInfo& info : dir.entryInfoList({QStringLiteral("*.lock")}, QDir::Files)) {
        const QString autosave = info.absoluteFilePath().chopped(5) + kSuffix;
        if (info.fileName() == id_ + QStringLiteral(".lock") || QFile::exists(autosave)) continue;
        auto lock = lockFile(info.absoluteFilePath());
        if (lock->tryLock(0)) removeTemporaries(autosave); // unlocking deletes it
    }
    std::vector<Orphan> orphans;
    for (const QFileInfo& info : dir.entryInfoList({QStringLiteral("*") + kSuffix}, QDir::Files)) {
        const QString path = info.absoluteFilePath();
        if (info.fileName() == id_ + kSuffix) continue;
        if (!claims_.contains(path)) {
            auto lock = lockFile(lockPathOf(path));
            if (!lock->tryLock(0)) continue; // its studio is running, or another one has claimed it
            claims_.emplace(path, std::move(lock));
        }
        orphans.push_back({path, info.lastModified()});
    }
    std::sort(orphans.begin(), orphans.end(),
              [](const Orphan& a, const Orphan& b) { return a.savedAt > b.savedAt; });
    return orphans;
}

bool AutosaveStore::adopt(const QString& orphanPath) {
    const auto it = claims_.find(orphanPath);
    if (it == claims_.end() || !lockOwn()) return false;
    // rename(2) replaces ownPath() atomically: whatever this studio wrote before is superseded.
    if (std::rename(QFile::encodeName(orphanPath).constData(), QFile::encodeName(ownPath()).constData()) != 0)
        return false;
    removeTemporaries(orphanPath);
    claims_.erase(it); // unlocks: deletes the old lock
    return true;
}

void AutosaveStore::discard(const QString& orphanPath) {
    const auto it = claims_.find(orphanPath);
    if (it == claims_.end()) return;
    QFile::remove(orphanPath);
    removeTemporaries(orphanPath);
    claims_.erase(it);
}

void AutosaveStore::releaseClaims() {
    claims_.clear();
}

} // namespace continuo::ui
