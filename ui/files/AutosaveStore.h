#pragma once
// The autosave folder and who owns what is in it. Each running studio writes its own file,
// <folder>/<id>.continuo, and holds <id>.lock beside it (a QLockFile: the owner's PID, program and host).
// A file whose lock is missing or stale (that process is gone: a crash, kill -9, power loss) is an orphan,
// and only orphans are offered for recovery; a file is deleted only by the studio that owns it, or by the
// one that has claimed it as an orphan.

#include <QDateTime>
#include <QString>

#include <map>
#include <memory>
#include <vector>

class QLockFile;

namespace continuo::ui {

/// Thread contract: GUI thread only (the file work here is a few small metadata calls; the autosave's
/// content is written by AutosaveWriter on its own thread).
class AutosaveStore {
public:
    /// Uses `dir` (created when needed); this instance's file gets a fresh id (PID and a random part).
    explicit AutosaveStore(QString dir);
    /// Gives up the locks still held: this instance's file and unclaimed orphans stay for a later start.
    ~AutosaveStore();

    /// This instance's autosave file (written by AutosaveWriter; absent until the first write).
    QString ownPath() const;
    /// Takes this instance's lock; call before the first write so the file is never seen without its owner.
    /// False when the folder or lock cannot be created (the write will then fail and say why).
    bool lockOwn();
    /// Clean exit: deletes this instance's file and gives up its lock.
    void removeOwn();

    struct Orphan {
        QString path;
        QDateTime savedAt;
    };
    /// The orphans, newest first. Each one's lock is taken (claimed) so that no other studio offers the same
    /// file meanwhile; it stays claimed until adopt(), discard() or releaseClaims(). Leftover locks with no
    /// file are cleaned up on the way.
    std::vector<Orphan> claimOrphans();
    /// A claimed orphan becomes this instance's autosave (renamed over ownPath(): the recovered document is
    /// on disk again at once) and its old lock is deleted. False when the rename failed.
    bool adopt(const QString& orphanPath);
    /// Deletes a claimed orphan and its lock (the user declined to recover it).
    void discard(const QString& orphanPath);
    /// Gives back every claim not adopted or discarded: those files are offered again at the next start.
    void releaseClaims();

private:
    QString lockPathOf(const QString& autosavePath) const;

    QString dir_;
    QString id_;
    std::unique_ptr<QLockFile> own_;
    std::map<QString, std::unique_ptr<QLockFile>> claims_; ///< orphan path → its lock, held
};

} // namespace continuo::ui
