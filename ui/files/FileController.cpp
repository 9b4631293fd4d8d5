#include "ui/files/FileController.h"

#include "music/SongFile.h"
#include "ui/PianoRollView.h"
#include "ui/SongLoader.h"
#include "ui/document/Document.h"
#include "ui/generate/GeneratePanel.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QtConcurrent/QtConcurrentRun>

namespace continuo::ui {

namespace {
const char* kProjectFilter = "Continuo projects (*.continuo)";
bool isProject(const QString& path) {
    return path.endsWith(QStringLiteral(".continuo"), Qt::CaseInsensitive);
}
} // namespace

FileController::FileController(QWidget* window, Document* doc, PianoRollView* roll, GeneratePanel* panel,
                               std::function<QString()> modelId, QObject* parent)
    : QObject(parent)
    , window_(window)
    , doc_(doc)
    , roll_(roll)
    , panel_(panel)
    , modelId_(std::move(modelId))
    , loader_(new SongLoader(this)) {
    showError = [this](const QString& title, const QString& text) {
        auto* box = new QMessageBox(QMessageBox::Warning, title, text, QMessageBox::Ok, window_);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->open(); // window-modal without blocking the event loop
    };
    connect(loader_, &SongLoader::loaded, this, [this](const QString& path, auto loaded) {
        doc_->reset(loaded->song);
        path_.clear(); // a MIDI file is imported: Save asks where the project goes
        displayName_ = QFileInfo(path).fileName();
        addRecent(path);
        updateTitle();
        Q_EMIT opened(path);
    });
    connect(loader_, &SongLoader::failed, this, [this](const QString& path, const QString& message) {
        showError(
            tr("Cannot open MIDI file"),
            tr("Continuo could not read this file:\n\n%1\n\nThe file may be damaged or not a MIDI file. "
               "Nothing in the studio was changed.")
                .arg(message));
        Q_EMIT openFailed(path, message);
    });
    askRecovery = [this](const QDateTime&) {
        return QMessageBox::question(window_, tr("Recover unsaved work?"),
                                     tr("Continuo did not close normally last time. Recover the notes "
                                        "autosaved from that session?"),
                                     QMessageBox::Yes | QMessageBox::No,
                                     QMessageBox::Yes) == QMessageBox::Yes;
    };
    connect(doc_->undoStack(), &QUndoStack::cleanChanged, this, &FileController::updateTitle);
    autosave_.setInterval(5000);
    connect(&autosave_, &QTimer::timeout, this, &FileController::autosaveNow);
    autosave_.start();
    displayName_ = tr("Untitled");
}

FileController::~FileController() = default;

QString FileController::autosaveDir() {
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

QString FileController::autosavePath() const {
    return autosaveDir() + QStringLiteral("/autosave.continuo");
}

void FileController::open(const QString& path) {
    if (!isProject(path)) {
        loader_->load(path);
        return;
    }
    const int generation = ++openGeneration_;
    auto* watcher = new QFutureWatcher<std::pair<std::shared_ptr<ProjectData>, QString>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation, path] {
        const auto [data, error] = watcher->result();
        watcher->deleteLater();
        if (generation != openGeneration_) return;
        if (!data) {
            showError(tr("Cannot open project"),
                      tr("Continuo could not read this project:\n\n%1\n\nNothing in the studio was changed.")
                          .arg(error));
            Q_EMIT openFailed(path, error);
            return;
        }
        doc_->reset(data->song, data->trackProps);
        panel_->setSettings(data->generate);
        path_ = path;
        displayName_ = QFileInfo(path).fileName();
        addRecent(path);
        updateTitle();
        Q_EMIT opened(path);
    });
    watcher->setFuture(QtConcurrent::run([path]() -> std::pair<std::shared_ptr<ProjectData>, QString> {
        try {
            return {std::make_shared<ProjectData>(readProject(path)), {}};
        } catch (const std::exception& e) {
            return {nullptr, QString::fromStdString(e.what())};
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
        writeFileAtomically(path, projectToJson(*doc_, panel_->settings(), modelId_()));
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
    const music::Song song = selectionOnly ? doc_->toSong(roll_->selection()) : doc_->toSong();
    try {
        music::saveSong(path.toStdString(), song);
    } catch (const std::exception& e) {
        showError(tr("Cannot export MIDI"),
                  tr("%1\n\nTry another folder or file name.").arg(QString::fromStdString(e.what())));
        return false;
    }
    return true;
}

bool FileController::exportPng(const QString& path) {
    if (!roll_->renderSongImage().save(path, "PNG")) {
        showError(tr("Cannot export PNG"),
                  tr("Could not write %1. Try another folder or file name.").arg(path));
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
    const int index = doc_->undoStack()->index();
    if (!doc_->isModified() || index == autosavedAt_) return;
    const QString path = autosavePath();
    QDir().mkpath(QFileInfo(path).absolutePath());
    // Serialising is fast (milliseconds for 20,000 notes); the disk write happens on the thread pool.
    const QByteArray bytes = projectToJson(*doc_, panel_->settings(), modelId_());
    autosavedAt_ = index;
    auto* watcher = new QFutureWatcher<QString>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, path] {
        const QString error = watcher->result();
        watcher->deleteLater();
        if (error.isEmpty()) Q_EMIT autosaved(path);
    });
    watcher->setFuture(QtConcurrent::run([path, bytes]() -> QString {
        try {
            writeFileAtomically(path, bytes);
            return {};
        } catch (const std::exception& e) {
            return QString::fromStdString(e.what());
        }
    }));
}

bool FileController::hasRecovery() const {
    return QFileInfo::exists(autosavePath());
}

bool FileController::offerRecovery() {
    if (!hasRecovery()) return false;
    return askRecovery(QFileInfo(autosavePath()).lastModified()) && recover();
}

bool FileController::recover() {
    try {
        const ProjectData data = readProject(autosavePath());
        doc_->reset(data.song, data.trackProps);
        panel_->setSettings(data.generate);
        // Recovered work is unsaved work: mark it so closing asks, and Save asks where.
        doc_->undoStack()->resetClean();
        path_.clear();
        displayName_ = tr("Recovered");
        updateTitle();
        return true;
    } catch (const std::exception& e) {
        showError(tr("Cannot recover"), QString::fromStdString(e.what()));
        return false;
    }
}

void FileController::discardAutosave() {
    QFile::remove(autosavePath());
}

} // namespace continuo::ui
