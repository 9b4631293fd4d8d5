#pragma once
// Keeps this studio's autosave file up to date with its document, and finds the autosaves that studios
// which did not end cleanly left behind (AutosaveStore says which files are whose).

#include "ui/files/AutosaveStore.h"
#include "ui/files/AutosaveWriter.h"

#include <QObject>
#include <QTimer>

#include <cstdint>
#include <functional>
#include <vector>

namespace continuo::ui {

class Document;

/// Thread contract: GUI thread only. The timer only compares counters and, when the document changed, has
/// `snapshot` copy it; AutosaveWriter serialises and writes the copy on its own thread.
class Autosave : public QObject {
    Q_OBJECT
public:
    /// Short enough that, with the write's own time, the file is never more than about 5 s behind.
    static constexpr int kDefaultIntervalMs = 3000;

    /// `snapshot` copies the project as it is now (projectSnapshot); it is called on the GUI thread, at most
    /// once per interval and only after a change. `dir` is the autosave folder.
    Autosave(const Document* doc, std::function<ProjectData()> snapshot, const QString& dir,
             QObject* parent = nullptr);
    /// Not a clean exit: what was handed to the writer is still written, and the file stays for recovery.
    ~Autosave() override;

    void setInterval(int ms) { timer_.setInterval(ms); }
    /// This studio's autosave file.
    QString path() const { return store_.ownPath(); }
    /// Hands the document to the writer if it changed since the last time (Document::changeCount: an undo
    /// or a merged drag step is a change too), or has the file removed once nothing is unsaved.
    void saveNow();

    /// Autosaves of studios that are gone, newest first, claimed by this one (AutosaveStore::claimOrphans).
    std::vector<AutosaveStore::Orphan> recoverable() { return store_.claimOrphans(); }
    /// Call once the document holds `orphan`'s content: the file becomes this studio's autosave as it is.
    bool adopt(const QString& orphan);
    /// Deletes a claimed orphan (the user declined it).
    void discard(const QString& orphan) { store_.discard(orphan); }
    /// Leaves the orphans not recovered for the next start.
    void releaseClaims() { store_.releaseClaims(); }
    /// Clean exit: waits for the write in progress, deletes this studio's file and stops autosaving.
    void end();

Q_SIGNALS:
    /// GUI thread: path() now holds the document as it was at the last saveNow() that wrote.
    void saved(const QString& path);
    /// GUI thread: a write failed; one sentence naming the file.
    void failed(const QString& message);

private:
    const Document* doc_;
    std::function<ProjectData()> snapshot_;
    AutosaveStore store_;
    AutosaveWriter writer_; ///< after store_: destroyed (drained) before the lock is given up
    QTimer timer_;
    std::uint64_t savedCount_ = 0; ///< Document::changeCount() at the last hand-over
    bool savedModified_ = false;   ///< Document::isModified() then
    bool ended_ = false;
};

} // namespace continuo::ui
