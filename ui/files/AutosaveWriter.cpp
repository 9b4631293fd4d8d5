#include "ui/files/AutosaveWriter.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace continuo::ui {

namespace {
[[noreturn]] void fail(const QString& what) {
    throw std::runtime_error(what.toStdString());
}

// QSaveFile would do the rename, but its fsync is not promised everywhere; the autosave exists to survive
// exactly the crashes that lose unsynced data, so every step is spelled out here.
void writeDurably(const QString& path, const QByteArray& bytes) {
    const QString temp = path + QStringLiteral(".tmp");
    QFile f(temp);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        fail(QStringLiteral("cannot write %1: %2").arg(temp, f.errorString()));
    if (f.write(bytes) != bytes.size() || !f.flush())
        fail(QStringLiteral("cannot write %1: %2").arg(temp, f.errorString()));
    if (::fsync(f.handle()) != 0)
        fail(QStringLiteral("cannot write %1: %2").arg(temp, QString::fromLocal8Bit(std::strerror(errno))));
    f.close();
    if (::rename(QFile::encodeName(temp).constData(), QFile::encodeName(path).constData()) != 0)
        fail(QStringLiteral("cannot replace %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    // The rename itself is durable only once the folder is.
    const int dir = ::open(QFile::encodeName(QFileInfo(path).absolutePath()).constData(), O_RDONLY);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}
} // namespace

AutosaveWriter::AutosaveWriter(QString path, QObject* parent)
    : QObject(parent)
    , path_(std::move(path))
    , thread_([this] { run(); }) {}

AutosaveWriter::~AutosaveWriter() {
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void AutosaveWriter::write(ProjectData snapshot) {
    {
        std::lock_guard lock(mutex_);
        waiting_ = Request{std::make_shared<ProjectData>(std::move(snapshot))};
    }
    wake_.notify_one();
}

void AutosaveWriter::remove() {
    {
        std::lock_guard lock(mutex_);
        waiting_ = Request{nullptr};
    }
    wake_.notify_one();
}

void AutosaveWriter::flush() {
    std::unique_lock lock(mutex_);
    idle_.wait(lock, [this] { return !waiting_ && !busy_; });
}

void AutosaveWriter::run() {
    for (;;) {
        Request request;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return waiting_ || stop_; });
            if (!waiting_) return; // stop, and nothing left to do
            request = std::move(*waiting_);
            waiting_.reset();
            busy_ = true;
        }
        perform(request);
        {
            std::lock_guard lock(mutex_);
            busy_ = false;
        }
        idle_.notify_all();
    }
}

void AutosaveWriter::perform(Request request) {
    QString error;
    try {
        if (request.snapshot) {
            writeDurably(path_, projectToJson(std::move(*request.snapshot)));
        } else if (QFile::exists(path_) && !QFile::remove(path_)) {
            error = QStringLiteral("cannot remove %1").arg(path_);
        }
    } catch (const std::exception& e) {
        error = QString::fromStdString(e.what());
    }
    // Queued to this object: delivered on the GUI thread, and dropped if the writer is gone by then.
    const bool wrote = request.snapshot != nullptr;
    QMetaObject::invokeMethod(
        this,
        [this, error, wrote] {
            if (!error.isEmpty())
                Q_EMIT failed(error);
            else if (wrote)
                Q_EMIT written(path_);
        },
        Qt::QueuedConnection);
}

} // namespace continuo::ui
