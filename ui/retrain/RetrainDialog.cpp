#include "ui/retrain/RetrainDialog.h"
#include "ui/retrain/LossPlot.h"
#include "ui/retrain/TrainingController.h"
#include "ui/settings/SettingsStore.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace continuo::ui::retrain {
namespace {

QString duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return QObject::tr("unknown");
    const qint64 s = qint64(std::llround(seconds));
    if (s < 60) return QObject::tr("%1 s").arg(s);
    if (s < 3600) return QObject::tr("%1 min %2 s").arg(s / 60).arg(s % 60, 2, 10, QChar('0'));
    return QObject::tr("%1 h %2 min").arg(s / 3600).arg(s / 60 % 60, 2, 10, QChar('0'));
}

QString count(quint64 n) {
    return QLocale().toString(n);
}

} // namespace

RetrainDialog::RetrainDialog(TrainingController* controller, const QString& defaultModelPath, QWidget* parent)
    : QDialog(parent)
    , controller_(controller)
    , defaultModelPath_(defaultModelPath) {
    setWindowTitle(tr("Retrain the model on your music"));
    setModal(false);
    setAttribute(Qt::WA_DeleteOnClose, false);

    error_ = new QLabel;
    error_->setObjectName("errorLabel");
    error_->setWordWrap(true);
    error_->setStyleSheet("QLabel { background: #fdecea; color: #8a1c12; border: 1px solid #e6a39c;"
                          " border-radius: 4px; padding: 6px; }");
    error_->hide();

    // Two columns: what to learn from and how (left), the run and its result (right), so a run's plot and
    // buttons are in view beside the options without scrolling.
    auto* content = new QWidget;
    auto* left = new QVBoxLayout;
    left->addWidget(buildFolderSection(), 1);
    left->addWidget(buildOptionsSection());
    auto* right = new QVBoxLayout;
    right->addWidget(buildRunSection(), 1);
    right->addWidget(buildDoneSection());
    auto* columns = new QHBoxLayout;
    columns->addLayout(left, 1);
    columns->addLayout(right, 1);
    auto* column = new QVBoxLayout(content);
    column->addWidget(error_);
    column->addLayout(columns, 1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* close = new QPushButton(tr("Close"));
    connect(close, &QPushButton::clicked, this, &QDialog::close);
    auto* bottom = new QHBoxLayout;
    bottom->addWidget(new QLabel(tr("Training goes on when this window is closed.")));
    bottom->addStretch();
    bottom->addWidget(close);
    auto* outer = new QVBoxLayout(this);
    outer->addWidget(scroll);
    outer->addLayout(bottom);
    resize(1240, 760);

    estimateTimer_ = new QTimer(this);
    estimateTimer_->setSingleShot(true);
    estimateTimer_->setInterval(400);
    connect(estimateTimer_, &QTimer::timeout, this, &RetrainDialog::requestEstimate);

    connect(controller_, &TrainingController::scanProgress, this, [this](double f, const QString& stage) {
        scanStatus_->setText(tr("Scanning: %1 (%2 %)").arg(stage).arg(int(f * 100)));
    });
    connect(controller_, &TrainingController::scanFinished, this, &RetrainDialog::showReport);
    connect(controller_, &TrainingController::estimated, this, [this](double s) {
        const QString device = device_->currentData().toString();
        estimate_->setText(tr("about %1 (%2 epochs, measured on %3)")
                               .arg(duration(s))
                               .arg(epochs_->value())
                               .arg(device == "cuda"  ? tr("the GPU")
                                    : device == "cpu" ? tr("the CPU")
                                                      : tr("this computer")));
    });
    connect(controller_, &TrainingController::trainingStarted, this, &RetrainDialog::onStarted);
    connect(controller_, &TrainingController::trainingProgress, this, &RetrainDialog::onProgress);
    connect(controller_, &TrainingController::epochFinished, this,
            [this](int, double train, double validation) { plot_->addEpoch(train, validation); });
    connect(controller_, &TrainingController::trainingFinished, this, &RetrainDialog::onFinished);
    connect(controller_, &TrainingController::trainingPaused, this, [this](int epochs) {
        runTitle_->setText(
            tr("Paused after %1 epochs: Resume continues from there, also after a restart.").arg(epochs));
        eta_->clear();
        updateButtons();
    });
    connect(controller_, &TrainingController::trainingCancelled, this, [this] {
        runTitle_->setText(tr("Cancelled: the unfinished model was discarded."));
        progress_->setValue(0);
        eta_->clear();
        updateButtons();
    });
    connect(controller_, &TrainingController::failed, this, &RetrainDialog::onFailed);
    connect(controller_, &TrainingController::stateChanged, this, &RetrainDialog::updateButtons);

    updateFineTuneLabel();
    // Reopened while a run trains (the controller outlives the dialog): show that run, its epochs so far.
    if (controller_->isTraining())
        onStarted(controller_->currentRun());
    else if (controller_->hasPendingRun())
        showPending(controller_->pendingRun());
    const QString last = SettingsStore::studio().current().retrain.lastFolder;
    if (!last.isEmpty()) folder_->setText(last);
    updateButtons();
}

QWidget* RetrainDialog::buildRunSection() {
    runBox_ = new QGroupBox(tr("3. Training"));
    runTitle_ = new QLabel(tr("Not started."));
    runTitle_->setObjectName("runTitle");
    runTitle_->setWordWrap(true);
    progress_ = new QProgressBar;
    progress_->setObjectName("progressBar");
    progress_->setRange(0, 1000);
    progress_->setValue(0);
    progress_->setTextVisible(true);
    progress_->setFormat("%p %");
    eta_ = new QLabel;
    eta_->setObjectName("etaLabel");
    stats_ = new QLabel;
    stats_->setObjectName("statsLabel");
    plot_ = new LossPlot;
    plot_->setObjectName("lossPlot");
    plot_->setMinimumHeight(220);
    start_ = new QPushButton(tr("Train"));
    start_->setObjectName("startButton");
    start_->setDefault(true);
    pause_ = new QPushButton(tr("Pause"));
    pause_->setObjectName("pauseButton");
    pause_->setToolTip(tr("Stop after the current batch; Resume continues later, also after a restart."));
    resume_ = new QPushButton(tr("Resume"));
    resume_->setObjectName("resumeButton");
    cancel_ = new QPushButton(tr("Cancel"));
    cancel_->setObjectName("cancelButton");
    cancel_->setToolTip(tr("Stop and throw the unfinished model away."));
    discard_ = new QPushButton(tr("Discard"));
    discard_->setObjectName("discardButton");
    discard_->setToolTip(tr("Forget the paused run and delete its checkpoint."));
    connect(start_, &QPushButton::clicked, this, &RetrainDialog::startTraining);
    connect(pause_, &QPushButton::clicked, controller_, &TrainingController::pause);
    connect(resume_, &QPushButton::clicked, this, [this] {
        error_->hide();
        controller_->resume();
    });
    connect(cancel_, &QPushButton::clicked, controller_, &TrainingController::cancel);
    connect(discard_, &QPushButton::clicked, this, [this] {
        controller_->discardPendingRun();
        runTitle_->setText(tr("Not started."));
        plot_->clear();
        progress_->setValue(0);
        updateButtons();
    });
    auto* progressRow = new QHBoxLayout;
    progressRow->addWidget(progress_, 1);
    progressRow->addWidget(eta_);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(start_);
    buttons->addStretch();
    buttons->addWidget(pause_);
    buttons->addWidget(resume_);
    buttons->addWidget(cancel_);
    buttons->addWidget(discard_);
    auto* layout = new QVBoxLayout(runBox_);
    layout->addWidget(runTitle_);
    layout->addLayout(progressRow);
    layout->addWidget(stats_);
    layout->addWidget(plot_, 1);
    layout->addLayout(buttons);
    return runBox_;
}

QWidget* RetrainDialog::buildDoneSection() {
    doneBox_ = new QGroupBox(tr("4. Your model"));
    doneText_ = new QLabel;
    doneText_->setObjectName("doneLabel");
    doneText_->setWordWrap(true);
    doneText_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    makeActive_ = new QPushButton(tr("Make active"));
    makeActive_->setObjectName("makeActiveButton");
    makeActive_->setToolTip(tr("Generate with this model from now on."));
    try_ = new QPushButton(tr("Try it on the sketch"));
    try_->setObjectName("tryButton");
    try_->setToolTip(tr("Generate a continuation of the current sketch with this model."));
    connect(makeActive_, &QPushButton::clicked, this, &RetrainDialog::makeActive);
    connect(try_, &QPushButton::clicked, this, [this] { Q_EMIT tryRequested(finishedModel_); });
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(makeActive_);
    buttons->addWidget(try_);
    auto* layout = new QVBoxLayout(doneBox_);
    layout->addWidget(doneText_);
    layout->addLayout(buttons);
    doneBox_->hide();
    return doneBox_;
}

QString RetrainDialog::activeModelPath() const {
    const QString active = SettingsStore::studio().current().model.activeModel;
    return active.isEmpty() ? defaultModelPath_ : active;
}

void RetrainDialog::updateFineTuneLabel() {
    const QString base = activeModelPath();
    fineTune_->setEnabled(!base.isEmpty());
    fineTuneBase_->setText(base.isEmpty() ? tr("(no model installed)")
                                          : tr("(%1)").arg(QFileInfo(base).fileName()));
    if (base.isEmpty()) scratch_->setChecked(true);
}

TrainingSetup RetrainDialog::currentSetup() const {
    TrainingSetup s;
    s.folder = folder_->text().trimmed();
    s.name = name_->text().trimmed();
    s.preset = preset_->currentData().toString();
    if (fineTune_->isChecked()) s.baseModel = activeModelPath();
    s.epochs = epochs_->value();
    s.window = window_->value();
    s.learningRate = learningRate_->value();
    s.transposeLow = transposeLow_->value();
    s.transposeHigh = transposeHigh_->value();
    s.validationShare = validationShare_->value() / 100.0;
    s.policy = policy_->currentData().toString();
    s.device = device_->currentData().toString();
    s.threads = SettingsStore::studio().current().compute.threads;
    return s;
}

void RetrainDialog::chooseFolder() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Choose a folder of MIDI files"), folder_->text());
    if (!dir.isEmpty()) setFolder(dir);
}

void RetrainDialog::setFolder(const QString& folder) {
    folder_->setText(folder);
    SettingsStore::studio().setLastTrainingFolder(folder);
    startScan();
}

void RetrainDialog::startScan() {
    error_->hide();
    haveReport_ = false;
    for (QLabel* l : {found_, usable_, skippedCount_, notes_, estimate_})
        l->setText("–");
    skipped_->setRowCount(0);
    showSkipped_->setChecked(false);
    showSkipped_->setEnabled(false);
    showSkipped_->setText(tr("Show the skipped files"));
    if (folder_->text().trimmed().isEmpty()) {
        showError(tr("Choose a folder of MIDI files first."));
        return;
    }
    if (!controller_->scan(currentSetup())) {
        showError(tr("A run is training: scan again when it has ended or is paused."));
        return;
    }
    scanStatus_->setText(tr("Scanning…"));
    updateButtons();
}

void RetrainDialog::showReport(const ScanReport& r) {
    report_ = r;
    haveReport_ = true;
    const int skippedMidi = r.midiFiles - r.filesUsable;
    found_->setText(tr("%1 (%2 MIDI)").arg(r.filesFound).arg(r.midiFiles));
    usable_->setText(QString::number(r.filesUsable));
    skippedCount_->setText(tr("%1 (%2 MIDI, %3 other)")
                               .arg(r.skipped.size())
                               .arg(skippedMidi)
                               .arg(r.skipped.size() - skippedMidi));
    notes_->setText(tr("%1 notes, %2 tokens (%3 with transpositions)")
                        .arg(count(r.notes), count(r.tokens), count(r.trainingTokens)));
    skipped_->setRowCount(r.skipped.size());
    for (int i = 0; i < r.skipped.size(); ++i) {
        skipped_->setItem(i, 0, new QTableWidgetItem(r.skipped[i].file));
        skipped_->setItem(i, 1, new QTableWidgetItem(r.skipped[i].reason));
        auto* detail = new QTableWidgetItem(r.skipped[i].detail);
        detail->setToolTip(r.skipped[i].detail);
        skipped_->setItem(i, 2, detail);
    }
    showSkipped_->setText(tr("Show the skipped files (%1)").arg(r.skipped.size()));
    showSkipped_->setEnabled(!r.skipped.isEmpty());
    if (r.filesUsable == 0) {
        scanStatus_->setText(tr("Nothing here can be learnt from."));
        estimate_->setText("–");
        showError(r.midiFiles == 0
                      ? tr("There is no MIDI file in %1.").arg(r.folder)
                      : tr("No usable MIDI file in %1: the skipped files list says why.").arg(r.folder));
        showSkipped_->setChecked(true);
    } else {
        scanStatus_->setText(r.validationWindows == 0
                                 ? tr("Scanned %1. Too few usable files to hold one out: the validation loss "
                                      "will be missing.")
                                       .arg(r.folder)
                                 : tr("Scanned %1.").arg(r.folder));
        estimate_->setText(tr("measuring…"));
        requestEstimate();
    }
    updateButtons();
}

void RetrainDialog::requestEstimate() {
    if (!haveReport_ || report_.filesUsable == 0) return;
    if (controller_->state() != TrainingController::State::Idle) {
        if (!controller_->isTraining()) estimateTimer_->start(); // try again when the scan is done
        return;
    }
    estimate_->setText(tr("measuring…"));
    controller_->estimate(currentSetup(), report_);
}

void RetrainDialog::startTraining() {
    error_->hide();
    doneBox_->hide();
    const TrainingSetup setup = currentSetup();
    if (setup.folder.isEmpty()) {
        showError(tr("Choose a folder of MIDI files first."));
        return;
    }
    if (controller_->hasPendingRun()) {
        // "Train anew" replaces the paused run: its checkpoint goes, so ask first (window-modal, not
        // blocking: the answer arrives as a signal).
        auto* ask = new QMessageBox(QMessageBox::Question, tr("Start a new training run?"),
                                    tr("The paused run will be discarded and its checkpoint deleted. "
                                       "Resume continues it instead."),
                                    QMessageBox::Discard | QMessageBox::Cancel, this);
        ask->setObjectName("confirmTrainAnew");
        ask->button(QMessageBox::Discard)->setText(tr("Discard It and Train"));
        ask->setAttribute(Qt::WA_DeleteOnClose);
        connect(ask, &QMessageBox::finished, this, [this, setup](int answer) {
            if (answer == QMessageBox::Discard) controller_->start(setup);
        });
        ask->open();
        return;
    }
    controller_->start(setup);
}

void RetrainDialog::showPending(const PendingRun& run) {
    plot_->setPlannedEpochs(run.setup.epochs);
    plot_->setLosses(run.trainLosses, run.validationLosses);
    progress_->setValue(run.setup.epochs > 0 ? 1000 * run.epochsDone / run.setup.epochs : 0);
    runTitle_->setText(tr("“%1” stopped after %2 of %3 epochs. Resume continues it; Discard forgets it.")
                           .arg(run.setup.name)
                           .arg(run.epochsDone)
                           .arg(run.setup.epochs));
}

void RetrainDialog::onStarted(const PendingRun& run) {
    doneBox_->hide();
    if (estimate_->text() == tr("measuring…")) estimate_->setText("–"); // the run superseded the estimate
    plot_->setPlannedEpochs(run.setup.epochs);
    plot_->setLosses(run.trainLosses, run.validationLosses);
    runTitle_->setText(tr("Training “%1” on %2…").arg(run.setup.name, run.setup.folder));
    stats_->clear();
    updateButtons();
}

void RetrainDialog::onProgress(const TrainingProgress& p) {
    const double done =
        (double(p.epoch - 1) + double(p.step) / double(std::max<qint64>(1, p.stepsPerEpoch))) /
        double(std::max(1, p.epochs));
    progress_->setValue(int(std::lround(1000 * std::clamp(done, 0.0, 1.0))));
    progress_->setFormat(tr("epoch %1 of %2 — %p %").arg(p.epoch).arg(p.epochs));
    eta_->setText(tr("%1 left").arg(duration(p.etaSeconds)));
    stats_->setText(tr("training loss %1 · validation loss %2 · %3 tokens/s")
                        .arg(p.trainLoss, 0, 'f', 3)
                        .arg(p.validationLoss >= 0        ? QString::number(p.validationLoss, 'f', 3)
                             : p.epoch > 1 || p.epochDone ? tr("none (no file held out)")
                                                          : tr("– (after epoch 1)"))
                        .arg(count(quint64(p.tokensPerSecond))));
}

void RetrainDialog::onFinished(const TrainingResult& r) {
    finishedModel_ = r.model;
    progress_->setValue(1000);
    eta_->clear();
    runTitle_->setText(tr("Done after %1 epochs.").arg(r.epochsDone));
    plot_->setLosses(r.trainLosses, r.validationLosses);
    doneText_->setText(tr("<b>%1</b> is saved in %2, with its card (%3).<br>%4")
                           .arg(QFileInfo(r.model).completeBaseName().toHtmlEscaped(),
                                QFileInfo(r.model).absolutePath().toHtmlEscaped(),
                                QFileInfo(r.card).fileName().toHtmlEscaped(), r.summary.toHtmlEscaped()));
    makeActive_->setEnabled(true);
    makeActive_->setText(tr("Make active"));
    doneBox_->show();
    updateButtons();
}

void RetrainDialog::onFailed(int kind, const QString& message) {
    using K = TrainingFailure::Kind;
    if (kind == int(K::EmptyFolder) || kind == int(K::UnreadableFolder))
        scanStatus_->setText(tr("Nothing scanned."));
    if (controller_->hasPendingRun() && !controller_->isTraining()) {
        showPending(controller_->pendingRun());
        showError(message + " " + tr("The last saved checkpoint is kept: Resume continues from it."));
    } else {
        showError(message);
    }
    if (haveReport_ && estimate_->text() == tr("measuring…")) estimate_->setText(tr("unknown"));
    updateButtons();
}

void RetrainDialog::makeActive() {
    if (finishedModel_.isEmpty()) return;
    SettingsStore::studio().setActiveModel(finishedModel_);
    makeActive_->setText(tr("Active"));
    makeActive_->setEnabled(false);
    updateFineTuneLabel();
    Q_EMIT modelActivated(finishedModel_);
}

void RetrainDialog::showError(const QString& message) {
    error_->setText(message);
    error_->show();
}

void RetrainDialog::updateButtons() {
    const bool training = controller_->isTraining();
    const bool idle = controller_->state() == TrainingController::State::Idle;
    const bool pending = !training && controller_->hasPendingRun();
    start_->setEnabled(!training && haveReport_ && report_.filesUsable > 0 &&
                       controller_->state() != TrainingController::State::Scanning);
    start_->setText(pending ? tr("Train anew") : tr("Train"));
    pause_->setEnabled(training);
    cancel_->setEnabled(training);
    resume_->setVisible(pending);
    resume_->setEnabled(pending && idle);
    discard_->setVisible(pending);
    choose_->setEnabled(!training);
    rescan_->setEnabled(!training);
    folder_->setEnabled(!training);
}

} // namespace continuo::ui::retrain
