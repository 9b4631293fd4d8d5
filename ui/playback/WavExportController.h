#pragma once
// File ▸ Export WAV…: asks for a file, renders on the thread pool through the TransportController, shows a
// progress dialog with the percentage and a working Cancel, and reports the outcome (status bar, or a
// warning box for a real failure; a cancel is not a failure).

#include <QObject>
#include <QPointer>
#include <QProgressDialog>
#include <QString>

class QAction;
class QMainWindow;

namespace continuo::ui {

class TransportController;

/// Thread contract: a QObject of the GUI thread; every method is called there.
class WavExportController : public QObject {
    Q_OBJECT
public:
    /// `window` is the dialogs' parent and owns the status bar; `enabled`: a transport exists.
    WavExportController(QMainWindow* window, TransportController* transport, bool enabled);

    /// Export &WAV… (asks for the file, then exportTo).
    QAction* action() const { return action_; }
    /// Starts rendering the document to `path` and shows the progress dialog (after 300 ms, so a short song
    /// needs none). Ignored while an export runs.
    void exportTo(const QString& path);
    /// The dialog of the running export, or null.
    QProgressDialog* progressDialog() const { return dialog_; }

private:
    void finished(const QString& path, const QString& error);
    void cancelled(const QString& path);
    void closeDialog();

    QMainWindow* window_;
    TransportController* transport_;
    QAction* action_;
    QPointer<QProgressDialog> dialog_;
};

} // namespace continuo::ui
