#include "ui/playback/WavExportController.h"

#include "ui/playback/TransportController.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QMainWindow>
#include <QMessageBox>
#include <QProgressDialog>
#include <QStatusBar>

namespace continuo::ui {

WavExportController::WavExportController(QMainWindow* window, TransportController* transport, bool enabled)
    : QObject(window)
    , window_(window)
    , transport_(transport)
    , action_(new QAction(tr("Export &WAV…"), this)) {
    action_->setEnabled(enabled);
    connect(action_, &QAction::triggered, this, [this] {
        QString path = QFileDialog::getSaveFileName(window_, tr("Export WAV"), QString(), tr("WAV (*.wav)"));
        if (path.isEmpty()) return;
        if (!path.endsWith(".wav", Qt::CaseInsensitive)) path += ".wav";
        exportTo(path);
    });
    connect(transport_, &TransportController::exportProgress, this, [this](double fraction) {
        if (dialog_) dialog_->setValue(std::min(99, int(fraction * 100))); // 100 would auto-close it early
    });
    connect(transport_, &TransportController::wavExported, this, &WavExportController::finished);
    connect(transport_, &TransportController::wavExportCancelled, this, &WavExportController::cancelled);
}

void WavExportController::exportTo(const QString& path) {
    if (transport_->exporting()) return;
    auto* dialog = new QProgressDialog(tr("Rendering %1…").arg(QFileInfo(path).fileName()), tr("Cancel"), 0,
                                       100, window_);
    dialog->setWindowTitle(tr("Export WAV"));
    dialog->setMinimumDuration(300);
    dialog->setAutoClose(false);
    dialog->setAutoReset(false);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setValue(0);
    // Cancel (the button, Escape or closing the dialog) stops the render at its next progress report; the
    // outcome arrives as wavExportCancelled, which closes the dialog.
    const auto cancel = [this] {
        transport_->cancelExport();
        if (dialog_) dialog_->setLabelText(tr("Cancelling…"));
    };
    connect(dialog, &QProgressDialog::canceled, this, cancel);
    connect(dialog, &QDialog::rejected, this, cancel); // Escape
    dialog_ = dialog;
    window_->statusBar()->showMessage(tr("Rendering %1…").arg(QFileInfo(path).fileName()));
    transport_->exportWav(path); // may report at once (no synthesizer): the dialog is set up before
}

void WavExportController::closeDialog() {
    if (!dialog_) return;
    QProgressDialog* d = dialog_;
    dialog_ = nullptr;
    d->disconnect(this); // closing must not count as a Cancel
    d->close();
}

void WavExportController::cancelled(const QString& path) {
    closeDialog();
    window_->statusBar()->showMessage(
        tr("Export WAV cancelled: %1 was not written.").arg(QFileInfo(path).fileName()));
}

void WavExportController::finished(const QString& path, const QString& error) {
    closeDialog();
    if (error.isEmpty()) {
        window_->statusBar()->showMessage(tr("Exported %1").arg(path));
        return;
    }
    window_->statusBar()->showMessage(tr("Export WAV failed"));
    // open(), not exec(): a render finishing must not stall the window in a nested loop.
    auto* box =
        new QMessageBox(QMessageBox::Warning, tr("Cannot export WAV"),
                        tr("%1 could not be written:\n\n%2\n\nCheck that the folder is writable and has "
                           "free space, or use Export MIDI instead.")
                            .arg(QFileInfo(path).fileName(), error),
                        QMessageBox::Ok, window_);
    box->setObjectName("exportWavError");
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace continuo::ui
