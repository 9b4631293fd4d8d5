#include "ui/files/FileController.h"

#include "music/SongFile.h"
#include "ui/document/Document.h"
#include "ui/files/Autosave.h"
#include "ui/session/Session.h"

#include <QBuffer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

#include <stdexcept>

namespace continuo::ui {

namespace {
const char* kProjectFilter = "Continuo projects (*.continuo)";
bool isProject(const QString& path) {
    return path.endsWith(QStringLiteral(".continuo"), Qt::CaseInsensitive);
}
} // namespace

FileController::FileController(QWidget* window, Session* session, std::function<QString()> modelId,
                               QObject* parent)
    : QObject(parent)
    , window_(window)
    , session_(session)
    , doc_(session->document())
    , modelId_(std::move(modelId))
    , autosave_(new Autosave(
          doc_, [this] { return projectSnapshot(*doc_, session_->generateSettings(), modelId_()); },
          autosaveDir(), this)) {
    showError = [this](const QString& title, const QString& text) {
        auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, window_);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open(); // window-modal without blocking the event loop
    };
    askRecovery = [this](const QDateTime& savedAt) {
        return QMessageBox::question(
                   window_, tr("Recover unsaved work?"),
                   tr("A Continuo session did not close normally. Recover the work it autosaved at %1?\n\n"
                      "No deletes that autosave.")
                       .arg(QLocale().toString(savedAt, QLocale::ShortFormat)),
                   QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes) == QMessageBox::Yes;
    };
    connect(doc_->undoStack(), &QUndoStack::cleanChanged, this, &FileController::updateTitle);
    connect(autosave_, &Autosave::saved, this, &FileController::autosaved);
    connect(autosave_, &Autosave::failed, this, &FileController::autosaveFailed);
    displayName_ = tr("Untitled");
}

FileController::~FileController() = default;

QString FileController::autosaveDir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

QString FileController::autosavePath() const {
    return autosave_->path();
}

void FileController::setAutosaveInterval(int ms) {
    autosave_->setInterval(ms);
}

namespace {
/// What reading a file gave: a project (a MIDI file becomes one with default track props and no settings),
/// or the sentence saying why not.
struct OpenResult {
    std::shared_ptr<const ProjectData> data;
    bool project = false;
    QString error;
};
} // namespace

void FileController::open(const QString& path) {
    const quint64 generation = ++openGeneration_;
    const bool project = isProject(path);
    auto* watcher = new QFutureWatcher<OpenResult>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, path] {
        const OpenResult r = watcher->result();
        watcher->deleteLater();
        if (generation != openGeneration_) return; // a newer open() (of either kind) supersedes this one
        if (!r.data) {
            if (r.project)
                showError(
                    tr("Cannot open project"),
                    tr("Continuo could not read this project:\n\n%1\n\nNothing in the studio was changed.")
                        .arg(r.error));
            else
                showError(
                    tr("Cannot open MIDI file"),
                    tr("Continuo could not read this file:\n\n%1\n\nThe file may be damaged or not a MIDI "
                       "file. Nothing in the studio was changed.")
                        .arg(r.error));
            Q_EMIT openFailed(path, r.error);
            return;
        }
        doc_->reset(r.data->song, r.data->trackProps);
        if (r.project) {
            session_->setGenerateSettings(r.data->generate);
            path_ = path;
        } else {
            path_.clear(); // a MIDI file is imported: Save asks where the project goes
        }
        displayName_ = QFileInfo(path).fileName();
        addRecent(path);
        updateTitle();
        Q_EMIT opened(path);
    });
    watcher->setFuture(QtConcurrent::run([path, project]() -> OpenResult {
        try {
            if (project) return {std::make_shared<const ProjectData>(readProject(path)), true, {}};
            ProjectData data;
            data.song = music::loadSong(path.toStdString()).song;
            return {std::make_shared<const ProjectData>(std::move(data)), false, {}};
        } catch (const std::exception& e) {
            return {nullptr, project, QString::fromStdString(e.what())};
        }
    }));
}

void FileController::newDocument() {
    doc_->reset(music::Song{});
    path_.clear();
    displayName_ = tr("Untitled");
    updateTitle();
}

bool FileController::save() {
    if (path_.isEmpty()) {
        QString path = QFileDialog::getSaveFileName(window_, tr("Save project"),
                                                    QFileInfo(displayName_).completeBaseName() + ".continuo",
                                                    tr(kProjectFilter));
        if (path.isEmpty()) return false;
        if (!isProject(path)) path += QStringLiteral(".continuo");
        return saveAs(path);
    }
    return saveAs(path_);
}

bool FileController::saveAs(const QString& path) {
    try {
        writeFileAtomically(path, projectToJson(*doc_, session_->generateSettings(), modelId_()));
    } catch (const std::exception& e) {
        showError(tr("Cannot save"),
                  tr("%1\n\nChoose another folder with File ▸ Save As; your notes are still "
                     "here and in the autosave.")
                      .arg(QString::fromStdString(e.what())));
        return false;
    }
    path_ = path;
    displayName_ = QFileInfo(path).fileName();
    doc_->undoStack()->setClean();
    addRecent(path);
    updateTitle();
    return true;
}

bool FileController::exportMidi(const QString& path, bool selectionOnly) {
    const music::Song song = selectionOnly ? doc_->toSong(session_->selection()) : doc_->toSong();
    try {
        music::saveSong(path.toStdString(), song);
    } catch (const std::exception& e) {
        showError(tr("Cannot export MIDI"),
                  tr("%1\n\nTry another folder or file name.").arg(QString::fromStdString(e.what())));
        return false;
    }
    return true;
}

bool FileController::exportPng(const QString& path, const QImage& image) {
    // Encoded in memory, then written by the one atomic writer: a failed export never leaves half a PNG.
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    try {
        if (!image.save(&buffer, "PNG")) throw std::runtime_error("the image cannot be encoded as PNG");
        writeFileAtomically(path, png);
    } catch (const std::exception& e) {
        showError(tr("Cannot export PNG"),
                  tr("%1\n\nTry another folder or file name.").arg(QString::fromStdString(e.what())));
        return false;
    }
    return true;
}

bool FileController::maybeSave() {
    if (!doc_->isModified()) return true;
    const auto answer = QMessageBox::warning(window_, tr("Unsaved changes"),
                                             tr("Save the changes to “%1” before closing?").arg(displayName_),
                                             QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save) return save();
    return answer == QMessageBox::Discard;
}

QStringList FileController::recentFiles() const {
    return QSettings().value("recentFiles").toStringList();
}

void FileController::addRecent(const QString& path) {
    QStringList list = recentFiles();
    const QString abs = QFileInfo(path).absoluteFilePath();
    list.removeAll(abs);
    list.prepend(abs);
    while (list.size() > 10)
        list.removeLast();
    QSettings().setValue("recentFiles", list);
    Q_EMIT recentFilesChanged();
}

void FileController::updateTitle() {
    Q_EMIT titleChanged(displayName_ + (doc_->isModified() ? QStringLiteral(" •") : QString()));
}

void FileController::autosaveNow() {
    autosave_->saveNow();
}

bool FileController::hasRecovery() {
    return !autosave_->recoverable().empty();
}

bool FileController::recover() {
    const auto orphans = autosave_->recoverable();
    const bool recovered = !orphans.empty() && recoverFrom(orphans.front().path);
    autosave_->releaseClaims();
    return recovered;
}

bool FileController::offerRecovery() {
    bool recovered = false;
    for (const auto& orphan : autosave_->recoverable()) {
        if (!askRecovery(orphan.savedAt)) {
            autosave_->discard(orphan.path);
        } else if (recoverFrom(orphan.path)) {
            recovered = true;
            break;
        }
    }
    autosave_->releaseClaims(); // any others are offered at the next start
    return recovered;
}

bool FileController::recoverFrom(const QString& autosave) {
    ProjectData data;
    try {
        data = readProject(autosave);
    } catch (const std::exception& e) {
        showError(tr("Cannot recover"),
                  tr("%1\n\nThe file is kept: %2").arg(QString::fromStdString(e.what()), autosave));
        return false;
    }
    doc_->reset(data.song, data.trackProps);
    session_->setGenerateSettings(data.generate);
    // Recovered work is unsaved work: mark it so closing asks, and Save asks where.
    doc_->undoStack()->resetClean();
    path_.clear();
    displayName_ = tr("Recovered");
    updateTitle();
    // The file is already this document: it becomes our autosave as it is, with no window in which a
    // crash would leave nothing to recover.
    autosave_->adopt(autosave);
    return true;
}

void FileController::discardAutosave() {
    autosave_->end();
}

} // namespace continuo::ui
