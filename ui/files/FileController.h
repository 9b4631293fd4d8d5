#pragma once
// Files: New, Open (MIDI or project, parsed off the GUI thread through one path), Save / Save As (project),
// Export MIDI / PNG, recent files, unsaved-change prompts, and recovery after a crash (the autosave itself:
// Autosave). Talks to the Session (document, selection, Generate settings), never to a widget; `window`
// only parents its dialogs.

#include "ui/files/ProjectFile.h"

#include <QDateTime>
#include <QImage>
#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

class QWidget;

namespace continuo::ui {

class Autosave;
class Document;
class Session;

/// Thread contract: GUI thread only; parsing runs on Qt's thread pool, results come back queued.
class FileController : public QObject {
    Q_OBJECT
public:
    /// `window` parents the dialogs. `modelId` says which model a saved project used.
    FileController(QWidget* window, Session* session, std::function<QString()> modelId,
                   QObject* parent = nullptr);
    ~FileController() override;

    /// Opens a MIDI file or a project (by the name: *.continuo is a project), read on the thread pool.
    /// One path and one counter for both kinds: only the newest open() is applied, whichever finishes
    /// first, so a slow MIDI file can never replace a project opened after it (or the reverse).
    void open(const QString& path);
    void newDocument();
    /// Saves to the current project path, or asks for one. Returns false when nothing was saved.
    bool save();
    bool saveAs(const QString& path);
    /// Writes a MIDI file of everything, or of the selected notes only. Returns false on error (shown).
    bool exportMidi(const QString& path, bool selectionOnly);
    /// Writes `image` (the roll's picture of the song) as a PNG. Returns false on error (shown).
    bool exportPng(const QString& path, const QImage& image);

    /// Asks to save unsaved edits; false when the user cancelled (keep the window open).
    bool maybeSave();
    QString currentPath() const { return path_; }
    QStringList recentFiles() const;

    /// The folder autosaves go to: AppDataLocation/autosave. Each studio writes its own file there (see
    /// Autosave and AutosaveStore).
    static QString autosaveDir();
    /// This studio's autosave file: autosaveDir()/<pid>-<random>.continuo.
    QString autosavePath() const;
    /// Hands the document to the autosave writer now if it changed since the last time (the timer calls
    /// this every 3 s); the file is written off the GUI thread (autosaved follows).
    void autosaveNow();
    /// Whether a studio that did not end cleanly left an autosave (its owner is not running). Claims what it
    /// finds, so that no other studio offers the same files meanwhile.
    bool hasRecovery();
    /// Loads the newest such autosave into the document (marked modified, no project path); it becomes this
    /// studio's autosave. False when there was none or it could not be read (said through showError).
    bool recover();
    /// Asks (askRecovery) about each such autosave, newest first, until one is recovered; one declined is
    /// deleted. True when the document is now a recovered one.
    bool offerRecovery();
    /// Clean exit: stops autosaving and deletes this studio's autosave (never another studio's).
    void discardAutosave();
    void setAutosaveInterval(int ms);

    /// Where dialogs ask; tests replace it so no modal box blocks them.
    std::function<void(const QString& title, const QString& text)> showError;
    /// Asks whether to recover the autosave written at `savedAt`; tests and the scripted-session hook
    /// replace it so no modal box blocks them.
    std::function<bool(const QDateTime& savedAt)> askRecovery;

Q_SIGNALS:
    /// GUI thread: a file given to open() was read and is now the document.
    void opened(const QString& path);
    /// GUI thread: a file given to open() could not be read (the document is unchanged).
    void openFailed(const QString& path, const QString& message);
    void recentFilesChanged();
    /// GUI thread: the autosave file was written.
    void autosaved(const QString& path);
    /// GUI thread: the autosave could not be written; one sentence naming the file.
    void autosaveFailed(const QString& message);
    void titleChanged(const QString& title);

private:
    bool recoverFrom(const QString& autosave);
    void addRecent(const QString& path);
    void updateTitle();

    QWidget* window_;
    Session* session_;
    Document* doc_;
    std::function<QString()> modelId_;
    QString path_; ///< current project file, empty when untitled or opened from MIDI
    QString displayName_;
    Autosave* autosave_;
    quint64 openGeneration_ = 0; ///< the newest open(); every kind of file counts on this one counter
};

} // namespace continuo::ui
