// The dialog's left column: the music folder with its scan results, and the training options. Split from
// RetrainDialog.cpp only to keep files short; same class.

#include "ui/retrain/RetrainDialog.h"
#include "ui/retrain/TrainingController.h"
#include "ui/settings/SettingsStore.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace continuo::ui::retrain {
namespace {

QLabel* valueLabel(const char* objectName) {
    auto* l = new QLabel("–");
    l->setObjectName(objectName);
    l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return l;
}

} // namespace

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
    scanStatus_->setWordWrap(true);
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
    // The table takes the height when shown; when hidden, the stretch keeps the rows above together.
    layout->addWidget(skipped_, 100);
    layout->addStretch(1);
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
    policy_->addItem(tr("All tracks as one part, and each melody line on its own"), "textures");
    policy_->addItem(tr("Merge all tracks into one part"), "merge");
    policy_->addItem(tr("Each track on its own"), "per-track");
    policy_->addItem(tr("Only the top voice"), "top-voice");
    device_ = new QComboBox;
    device_->setObjectName("deviceCombo");
    device_->addItem(tr("the best device (GPU when there is one)"), "auto");
    device_->addItem(tr("the CPU"), "cpu");
    device_->addItem(tr("the GPU (CUDA)"), "cuda");
    const QString wanted = SettingsStore::studio().current().compute.device;
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

} // namespace continuo::ui::retrain
