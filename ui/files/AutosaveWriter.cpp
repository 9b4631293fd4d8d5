#include "ui/files/AutosaveWriter.h"

#include <QFile>

namespace continuo::ui {

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
            writeFileAtomically(path_, projectToJson(std::move(*request.snapshot))); // fsync and rename
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
