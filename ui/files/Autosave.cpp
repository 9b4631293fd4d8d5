#include "ui/files/Autosave.h"

#include "ui/document/Document.h"

namespace continuo::ui {

Autosave::Autosave(const Document* doc, std::function<ProjectData()> snapshot, const QString& dir,
                   QObject* parent)
    : QObject(parent)
    , doc_(doc)
    , snapshot_(std::move(snapshot))
    , store_(dir)
    , writer_(store_.ownPath())
    , savedCount_(doc->changeCount())
    , savedModified_(doc->isModified()) {
    connect(&writer_, &AutosaveWriter::written, this, &Autosave::saved);
    connect(&writer_, &AutosaveWriter::failed, this, &Autosave::failed);
    timer_.setInterval(kDefaultIntervalMs);
    connect(&timer_, &QTimer::timeout, this, &Autosave::saveNow);
    timer_.start();
}

Autosave::~Autosave() = default;

void Autosave::saveNow() {
    const std::uint64_t count = doc_->changeCount();
    const bool modified = doc_->isModified();
    if (ended_ || (count == savedCount_ && modified == savedModified_)) return;
    savedCount_ = count;
    savedModified_ = modified;
    // Unmodified: the document equals its file (or is new and empty), there is nothing to recover.
    if (!modified) {
        writer_.remove();
        return;
    }
    store_.lockOwn(); // before the file can exist, so no other studio ever takes it for an orphan
    writer_.write(snapshot_());
}

bool Autosave::adopt(const QString& orphan) {
    writer_.flush(); // no older write of ours may land on the adopted file
    if (!store_.adopt(orphan)) return false;
    savedCount_ = doc_->changeCount();
    savedModified_ = doc_->isModified();
    return true;
}

void Autosave::end() {
    ended_ = true;
    timer_.stop();
    writer_.flush();
    store_.removeOwn();
    store_.releaseClaims();
}

} // namespace continuo::ui
