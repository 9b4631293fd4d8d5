#include "ui/retrain/RetrainDialog.h"
#include "ui/retrain/LossPlot.h"
#include "ui/retrain/TrainingController.h"
#include "ui/settings/SettingsKeys.h"

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
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QScrollArea>
#include <QSettings>
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

QLabel* valueLabel(const char* objectName) {
    auto* l = new QLabel("–");
    l->setObjectName(objectName);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
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

    auto* content = new QWidget;
    auto* column = new QVBoxLayout(content);
    column->addWidget(error_);
    column->addWidget(buildFolderSection());
    column->addWidget(buildOptionsSection());
    column->addWidget(buildRunSection(), 1);
    column->addWidget(buildDoneSection());
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
    resize(760, 900);

    estimateTimer_ = new QTimer(this);
    estimateTimer_->setSingleShot(true);
    estimateTimer_->setInterval(400);
    connect(estimateTimer_, &QTimer::timeout, this, &RetrainDialog::requestEstimate);

    connect(controller_, &TrainingController::scanProgress, this, [this](double f, const QString& stage) {
        scanStatus_->setText(tr("Scanning: %1 (%2 %)").arg(stage).arg(int(f * 100)));
    });
    connect(controller_, &TrainingController::scanFinished, this, &RetrainDialog::showReport);
    connect(controller_, &TrainingController::estimated, this, [this](double s) {
        estimate_->setText(tr("about %1 on %2").arg(duration(s), device_->currentText()));
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
    if (controller_->hasPendingRun() && !controller_->isTraining()) showPending(controller_->pendingRun());
    const QString last = QSettings().value(settings::kLastTrainingFolder).toString();
    if (!last.isEmpty()) folder_->setText(last);
    updateButtons();
}

QWidget* RetrainDialog::buildFolderSection() {
    auto* box = new QGroupBox(tr("1. Your music"));
    folder_ = new QLineEdit;
    folder_->setObjectName("folderEdit");
    folder_->setPlaceholderText(tr("A folder of MIDI files (searched with its subfolders)"));
    choose_ = new QPushButton(tr("Choose folder…"));
    choose_->setObjectName("chooseButton");
    rescan_ = new QPushButton(tr("Scan"));
    rescan_->setObjectName("scanButton");
    connect(choose_, &QPushButton::clicked, this, &RetrainDialog::chooseFolder);
    connect(rescan_, &QPushButton::clicked, this, &RetrainDialog::startScan);
    connect(folder_, &QLineEdit::returnPressed, this, &RetrainDialog::startScan);
    auto* row = new QHBoxLayout;
    row->addWidget(folder_, 1);
    row->addWidget(choose_);
    row->addWidget(rescan_);

    scanStatus_ = new QLabel(tr("Choose a folder to see what in it can be learnt from."));
    scanStatus_->setObjectName("scanStatus");
    found_ = valueLabel("filesFound");
    usable_ = valueLabel("filesUsable");
    skippedCount_ = valueLabel("filesSkipped");
    notes_ = valueLabel("notesTokens");
    estimate_ = valueLabel("estimate");
    auto* form = new QFormLayout;
    form->addRow(tr("Files found:"), found_);
    form->addRow(tr("Usable:"), usable_);
    form->addRow(tr("Skipped:"), skippedCount_);
    form->addRow(tr("Notes and tokens:"), notes_);
    form->addRow(tr("Estimated training time:"), estimate_);

    showSkipped_ = new QToolButton;
    showSkipped_->setObjectName("showSkipped");
    showSkipped_->setText(tr("Show the skipped files"));
    showSkipped_->setCheckable(true);
    showSkipped_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    showSkipped_->setArrowType(Qt::RightArrow);
    showSkipped_->setAutoRaise(true);
    skipped_ = new QTableWidget(0, 3);
    skipped_->setObjectName("skippedTable");
    skipped_->setHorizontalHeaderLabels({tr("File"), tr("Reason"), tr("Details")});
    skipped_->horizontalHeader()->setStretchLastSection(true);
    skipped_->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    skipped_->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    skipped_->verticalHeader()->hide();
    skipped_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    skipped_->setSelectionBehavior(QAbstractItemView::SelectRows);
    skipped_->setWordWrap(false);
    skipped_->setMinimumHeight(120);
    skipped_->hide();
    connect(showSkipped_, &QToolButton::toggled, this, [this](bool on) {
        skipped_->setVisible(on);
        showSkipped_->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    });

    auto* layout = new QVBoxLayout(box);
    layout->addLayout(row);
    layout->addWidget(scanStatus_);
    layout->addLayout(form);
    layout->addWidget(showSkipped_);
    layout->addWidget(skipped_);
    return box;
}

QWidget* RetrainDialog::buildOptionsSection() {
    auto* box = new QGroupBox(tr("2. How to train"));
    scratch_ = new QRadioButton(tr("Start from scratch"));
    scratch_->setObjectName("scratchRadio");
    fineTune_ = new QRadioButton(tr("Fine-tune the active model"));
    fineTune_->setObjectName("fineTuneRadio");
    scratch_->setChecked(true);
    auto* group = new QButtonGroup(box);
    group->addButton(scratch_);
    group->addButton(fineTune_);
    fineTuneBase_ = new QLabel;
    fineTuneBase_->setObjectName("fineTuneBase");
    fineTuneBase_->setEnabled(false);

    preset_ = new QComboBox;
    preset_->setObjectName("presetCombo");
    preset_->addItem(tr("Compact — 2 × 192 units, trains in about half an hour on a laptop"), "compact");
    preset_->addItem(tr("Seed — 3 × 512 units, the original network (slow without a GPU)"), "seed");
    preset_->addItem(tr("Tiny — for a quick try (sounds rough)"), "tiny");
    epochs_ = new QSpinBox;
    epochs_->setObjectName("epochsSpin");
    epochs_->setRange(1, 1000);
    epochs_->setValue(10);
    name_ = new QLineEdit;
    name_->setObjectName("nameEdit");
    name_->setPlaceholderText(tr("The folder's name and today's date"));

    advancedToggle_ = new QToolButton;
    advancedToggle_->setObjectName("advancedToggle");
    advancedToggle_->setText(tr("Advanced"));
    advancedToggle_->setCheckable(true);
    advancedToggle_->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    advancedToggle_->setArrowType(Qt::RightArrow);
    advancedToggle_->setAutoRaise(true);
    advanced_ = new QWidget;
    advanced_->setObjectName("advancedOptions");
    window_ = new QSpinBox;
    window_->setObjectName("windowSpin");
    window_->setRange(0, 2000);
    window_->setSpecialValueText(tr("the preset's"));
    window_->setSuffix(tr(" tokens"));
    learningRate_ = new QDoubleSpinBox;
    learningRate_->setObjectName("learningRateSpin");
    learningRate_->setDecimals(5);
    learningRate_->setRange(0, 0.1);
    learningRate_->setSingleStep(0.0005);
    learningRate_->setSpecialValueText(tr("the preset's"));
    transposeLow_ = new QSpinBox;
    transposeLow_->setObjectName("transposeLowSpin");
    transposeLow_->setRange(-24, 0);
    transposeLow_->setValue(-5);
    transposeHigh_ = new QSpinBox;
    transposeHigh_->setObjectName("transposeHighSpin");
    transposeHigh_->setRange(0, 24);
    transposeHigh_->setValue(6);
    auto* transpose = new QHBoxLayout;
    transpose->addWidget(transposeLow_);
    transpose->addWidget(new QLabel(tr("to")));
    transpose->addWidget(transposeHigh_);
    transpose->addWidget(new QLabel(tr("semitones")));
    transpose->addStretch();
    validationShare_ = new QDoubleSpinBox;
    validationShare_->setObjectName("validationSpin");
    validationShare_->setRange(0, 90);
    validationShare_->setValue(10);
    validationShare_->setSuffix(" %");
    validationShare_->setDecimals(0);
    policy_ = new QComboBox;
    policy_->setObjectName("policyCombo");
    policy_->addItem(tr("Merge all tracks into one part"), "merge");
    policy_->addItem(tr("Each track on its own"), "per-track");
    policy_->addItem(tr("Only the top voice"), "top-voice");
    device_ = new QComboBox;
    device_->setObjectName("deviceCombo");
    device_->addItem(tr("the best device (GPU when there is one)"), "auto");
    device_->addItem(tr("the CPU"), "cpu");
    device_->addItem(tr("the GPU (CUDA)"), "cuda");
    const QString wanted = QSettings().value(settings::kComputeDevice, "auto").toString();
    device_->setCurrentIndex(std::max(0, device_->findData(wanted)));
    auto* adv = new QFormLayout(advanced_);
    adv->setContentsMargins(18, 0, 0, 0);
    adv->addRow(tr("Window:"), window_);
    adv->addRow(tr("Learning rate:"), learningRate_);
    adv->addRow(tr("Transposition (augmentation):"), transpose);
    adv->addRow(tr("Held out for validation:"), validationShare_);
    adv->addRow(tr("Files with several tracks:"), policy_);
    adv->addRow(tr("Train on:"), device_);
    advanced_->hide();
    connect(advancedToggle_, &QToolButton::toggled, this, [this](bool on) {
        advanced_->setVisible(on);
        advancedToggle_->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
    });

    auto* start = new QHBoxLayout;
    start->addWidget(scratch_);
    start->addWidget(fineTune_);
    start->addWidget(fineTuneBase_, 1);
    auto* form = new QFormLayout;
    form->addRow(tr("Start:"), start);
    form->addRow(tr("Preset:"), preset_);
    form->addRow(tr("Epochs:"), epochs_);
    form->addRow(tr("Name of the new model:"), name_);
    auto* layout = new QVBoxLayout(box);
    layout->addLayout(form);
    layout->addWidget(advancedToggle_);
    layout->addWidget(advanced_);

    // A change that alters the run's cost or its data asks for a new estimate (or scan) once it settles.
    auto changed = [this] {
        if (haveReport_ && report_.filesUsable > 0) estimateTimer_->start();
    };
    connect(preset_, &QComboBox::currentIndexChanged, this, changed);
    connect(epochs_, &QSpinBox::valueChanged, this, changed);
    connect(device_, &QComboBox::currentIndexChanged, this, changed);
    connect(fineTune_, &QRadioButton::toggled, this, [this, changed] {
        preset_->setEnabled(!fineTune_->isChecked());
        window_->setEnabled(!fineTune_->isChecked());
        policy_->setEnabled(!fineTune_->isChecked());
        changed();
    });
    return box;
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
    const QString active = QSettings().value(settings::kActiveModel).toString();
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
    s.threads = QSettings().value(settings::kCpuThreads, 0).toInt();
    return s;
}

void RetrainDialog::chooseFolder() {
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("Choose a folder of MIDI files"), folder_->text());
    if (!dir.isEmpty()) setFolder(dir);
}

void RetrainDialog::setFolder(const QString& folder) {
    folder_->setText(folder);
    QSettings().setValue(settings::kLastTrainingFolder, folder);
    startScan();
}

void RetrainDialog::startScan() {
    error_->hide();
    haveReport_ = false;
    for (QLabel* l : {found_, usable_, skippedCount_, notes_, estimate_})
        l->setText("–");
    skipped_->setRowCount(0);
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
        scanStatus_->setText(tr("Scanned %1.").arg(r.folder));
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
                        .arg(p.validationLoss >= 0 ? QString::number(p.validationLoss, 'f', 3)
                                                   : tr("after the first epoch"))
                        .arg(count(quint64(p.tokensPerSecond))));
}

void RetrainDialog::onFinished(const TrainingResult& r) {
    finishedModel_ = r.model;
    progress_->setValue(1000);
    eta_->clear();
    runTitle_->setText(tr("Done: %1.").arg(r.summary));
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
    QSettings().setValue(settings::kActiveModel, finishedModel_);
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
