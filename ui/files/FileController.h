#pragma once
// Files: New, Open (MIDI or project, parsed off the GUI thread), Save / Save As (project), Export MIDI / PNG,
// recent files, unsaved-change prompts, and autosave with recovery after a crash.

#include "ui/files/ProjectFile.h"

#include <QDateTime>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>

#include <functional>

class QWidget;

namespace continuo::ui {

class Document;
class GeneratePanel;
class PianoRollView;
class SongLoader;

/// Thread contract: GUI thread only; parsing runs on Qt's thread pool, results come back queued.
class FileController : public QObject {
    Q_OBJECT
public:
    /// `window` parents the dialogs. `modelId` says which model a saved project used.
    FileController(QWidget* window, Document* doc, PianoRollView* roll, GeneratePanel* panel,
                   std::function<QString()> modelId, QObject* parent = nullptr);
    ~FileController() override;

    /// Opens a MIDI file or a project (by content of the name: *.continuo is a project).
    void open(const QString& path);
    void newDocument();
    /// Saves to the current project path, or asks for one. Returns false when nothing was saved.
    bool save();
    bool saveAs(const QString& path);
    /// Writes a MIDI file of everything, or of the selected notes only. Returns false on error (shown).
    bool exportMidi(const QString& path, bool selectionOnly);
    bool exportPng(const QString& path);

    /// Asks to save unsaved edits; false when the user cancelled (keep the window open).
    bool maybeSave();
    QString currentPath() const { return path_; }
    QStringList recentFiles() const;

    /// The folder autosaves go to: AppDataLocation/autosave.
    static QString autosaveDir();
    /// Where this studio's autosave is written: autosaveDir()/autosave.continuo.
    QString autosavePath() const;
    /// Writes the autosave file now if anything changed since the last one (the timer calls this).
    void autosaveNow();
    /// A leftover autosave from a session that did not end cleanly: offer to recover it.
    bool hasRecovery() const;
    /// Loads the autosave file into the document (marked modified, no project path). False when there was
    /// none or it could not be read (said through showError).
    bool recover();
    /// Asks (askRecovery) whether to recover a leftover autosave and does so. True when the document is now
    /// a recovered one.
    bool offerRecovery();
    /// Clean exit: the autosave file is no longer needed.
    void discardAutosave();
    void setAutosaveInterval(int ms) { autosave_.setInterval(ms); }

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
    void titleChanged(const QString& title);

private:
    void addRecent(const QString& path);
    void updateTitle();

    QWidget* window_;
    Document* doc_;
    PianoRollView* roll_;
    GeneratePanel* panel_;
    std::function<QString()> modelId_;
    SongLoader* loader_;
    QString path_; ///< current project file, empty when untitled or opened from MIDI
    QString displayName_;
    QTimer autosave_;
    int autosavedAt_ = -1; ///< undo index the autosave file reflects
    int openGeneration_ = 0;
};

} // namespace continuo::ui
