#pragma once
// "Make it sound like my music": the non-modal retraining dialog. Sections, top to bottom: the music folder
// and its scan (counts, skipped files with reasons, notes, tokens, estimated time), the options (from scratch
// or fine-tune the active model, preset, epochs, name; Advanced: window, learning rate, transposition range,
// validation share, instrument policy), the run (progress with ETA, tokens/s, losses, a live loss plot,
// Pause / Resume / Cancel) and the result (Make active, Try it). Errors appear as one sentence at the top.
//
// The dialog only shows and asks: the TrainingController (owned by the main window, outliving the dialog)
// does the work, so closing the dialog never stops a run and reopening it shows the run again.
//
// Wiring from the main window (one call):
//     auto* d = new RetrainDialog(trainingController, defaultModelPath, this);  // then show()
//     connect(d, &RetrainDialog::modelActivated, …switch the engine's model…);
//     connect(d, &RetrainDialog::tryRequested, …generate from the current sketch with that model…);
//
// Thread contract: GUI thread only.

#include "ui/retrain/ITrainingBackend.h"

#include <QDialog>

class QButtonGroup;
class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;
class QSpinBox;
class QTableWidget;
class QTimer;
class QToolButton;

namespace continuo::ui::retrain {

class LossPlot;
class TrainingController;
struct PendingRun;

class RetrainDialog : public QDialog {
    Q_OBJECT
public:
    /// `defaultModelPath`: the shipped model, fine-tuned when settings::kActiveModel is "" ("" = none, then
    /// fine-tuning is offered only for a chosen active model).
    RetrainDialog(TrainingController* controller, const QString& defaultModelPath, QWidget* parent = nullptr);

    /// Sets the folder (as the chooser does, remembered in settings::kLastTrainingFolder) and scans it.
    void setFolder(const QString& folder);
    /// The setup the options describe now.
    TrainingSetup currentSetup() const;
    /// The model file fine-tuning would start from: the active model, else the default one ("" = none).
    QString activeModelPath() const;

    const ScanReport& scanReport() const { return report_; }
    LossPlot* lossPlot() const { return plot_; }
    /// The last finished model ("" = none yet).
    QString finishedModel() const { return finishedModel_; }

Q_SIGNALS:
    /// "Make active" was pressed: settings::kActiveModel now holds `modelFile`.
    void modelActivated(const QString& modelFile);
    /// "Try it": generate from the current sketch with `modelFile`.
    void tryRequested(const QString& modelFile);

private:
    QWidget* buildFolderSection();
    QWidget* buildOptionsSection();
    QWidget* buildRunSection();
    QWidget* buildDoneSection();
    void chooseFolder();
    void startScan();
    void showReport(const ScanReport& report);
    void requestEstimate();
    void startTraining();
    void showPending(const PendingRun& run);
    void onStarted(const PendingRun& run);
    void onProgress(const TrainingProgress& p);
    void onFinished(const TrainingResult& r);
    void onFailed(int kind, const QString& message);
    void makeActive();
    void showError(const QString& message);
    void updateButtons();
    void updateFineTuneLabel();

    TrainingController* controller_;
    QString defaultModelPath_;
    ScanReport report_;
    bool haveReport_ = false;
    QString finishedModel_;
    QTimer* estimateTimer_ = nullptr;

    QLabel* error_ = nullptr;
    QLineEdit* folder_ = nullptr;
    QPushButton* choose_ = nullptr;
    QPushButton* rescan_ = nullptr;
    QLabel* scanStatus_ = nullptr;
    QLabel* found_ = nullptr;
    QLabel* usable_ = nullptr;
    QLabel* skippedCount_ = nullptr;
    QLabel* notes_ = nullptr;
    QLabel* estimate_ = nullptr;
    QToolButton* showSkipped_ = nullptr;
    QTableWidget* skipped_ = nullptr;

    QRadioButton* scratch_ = nullptr;
    QRadioButton* fineTune_ = nullptr;
    QLabel* fineTuneBase_ = nullptr;
    QComboBox* preset_ = nullptr;
    QSpinBox* epochs_ = nullptr;
    QLineEdit* name_ = nullptr;
    QToolButton* advancedToggle_ = nullptr;
    QWidget* advanced_ = nullptr;
    QSpinBox* window_ = nullptr;
    QDoubleSpinBox* learningRate_ = nullptr;
    QSpinBox* transposeLow_ = nullptr;
    QSpinBox* transposeHigh_ = nullptr;
    QDoubleSpinBox* validationShare_ = nullptr;
    QComboBox* policy_ = nullptr;
    QComboBox* device_ = nullptr;

    QGroupBox* runBox_ = nullptr;
    QLabel* runTitle_ = nullptr;
    QProgressBar* progress_ = nullptr;
    QLabel* eta_ = nullptr;
    QLabel* stats_ = nullptr;
    LossPlot* plot_ = nullptr;
    QPushButton* start_ = nullptr;
    QPushButton* pause_ = nullptr;
    QPushButton* resume_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QPushButton* discard_ = nullptr;

    QGroupBox* doneBox_ = nullptr;
    QLabel* doneText_ = nullptr;
    QPushButton* makeActive_ = nullptr;
    QPushButton* try_ = nullptr;
};

} // namespace continuo::ui::retrain
