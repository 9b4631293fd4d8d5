#pragma once
// Writes autosave snapshots on a thread of its own, so that serialising a big document never stalls the
// GUI: the GUI thread only hands over a copy (projectSnapshot), this thread sorts, serialises and writes it.

#include "ui/files/ProjectFile.h"

#include <QObject>
#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace continuo::ui {

/// One file, kept up to date by its own writer thread.
///
/// Thread contract: construct, call write() / remove() / flush() and destroy on one thread (the GUI thread);
/// none of them waits for the disk except flush() and the destructor. Serialising and all file work run on
/// the writer's thread. Only the latest request counts: a snapshot handed in while an older one is still
/// waiting replaces it (it is newer and complete), so a slow disk costs memory for one snapshot at most.
///
/// Each write is atomic and durable (io::AtomicFile through writeFileAtomically): the bytes go to a
/// temporary file beside `path`, are fsync'ed, then renamed over `path` (and the folder is fsync'ed), so
/// after a crash or kill -9 at any moment `path` holds either the previous snapshot or the new one, never a
/// mix.
class AutosaveWriter : public QObject {
    Q_OBJECT
public:
    explicit AutosaveWriter(QString path, QObject* parent = nullptr);
    /// Finishes the request in progress and the one waiting, if any, then stops the thread.
    ~AutosaveWriter() override;

    QString path() const { return path_; }
    /// Queues `snapshot` to be written to path() (replacing a request not yet started).
    void write(ProjectData snapshot);
    /// Queues the removal of path() (replacing a request not yet started): the document has nothing unsaved.
    void remove();
    /// Blocks until every request handed in so far is done (for a clean exit, or before the file is moved).
    void flush();

Q_SIGNALS:
    /// GUI thread (queued from the writer's thread): path() now holds the snapshot of a write().
    void written(const QString& path);
    /// GUI thread (queued): a write or removal failed; `message` is one sentence naming the file.
    void failed(const QString& message);

private:
    struct Request {
        std::shared_ptr<ProjectData> snapshot; ///< null: remove the file
    };
    void run();
    void perform(Request request);

    const QString path_;
    std::mutex mutex_;
    std::condition_variable wake_; ///< a request arrived, or stop
    std::condition_variable idle_; ///< nothing waiting and nothing in progress
    std::optional<Request> waiting_;
    bool busy_ = false;
    bool stop_ = false;
    std::thread thread_; ///< last member: starts after the state above exists
};

} // namespace continuo::ui
