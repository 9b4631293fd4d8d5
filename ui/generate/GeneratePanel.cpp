#include "ui/generate/GeneratePanel.h"

#include "music/PitchNames.h"
#include "ui/generate/GenerateController.h"
#include "ui/session/Session.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QRandomGenerator>
#include <QSlider>

#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>
#include <cmath>

namespace continuo::ui {

namespace {
/// A tonic for any scale: both spellings of a black key, "C♯/D♭" (music/PitchNames.h).
QString tonicChoice(int pc) {
    const std::string sharp = music::pitchClassName(pc, music::Accidental::Sharp, music::Signs::Music);
    const std::string flat = music::pitchClassName(pc, music::Accidental::Flat, music::Signs::Music);
    return QString::fromStdString(sharp == flat ? sharp : sharp + "/" + flat);
}
} // namespace

GeneratePanel::GeneratePanel(QWidget* parent)
    : QWidget(parent) {
    setObjectName("generatePanel");
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    layout->addLayout(form);

    where_ = new QComboBox;
    where_->addItems({tr("Continue from the end"), tr("Continue from the playhead"),
                      tr("Regenerate the selected range"), tr("From scratch")});
    form->addRow(tr("Mode"), where_);
    bars_ = new QSpinBox;
    bars_->setRange(1, 64);
    bars_->setSuffix(tr(" bars"));
    form->addRow(tr("Length"), bars_);
    texture_ = new QComboBox;
    texture_->setObjectName("texture");
    texture_->addItem(tr("Auto (like my notes)"), "auto");
    texture_->addItem(tr("Melody (one line)"), "melody");
    texture_->addItem(tr("Piano (chords, voices)"), "piano");
    texture_->setToolTip(tr("Auto answers a single line with a single line and chords with piano writing."));
    form->addRow(tr("Texture"), texture_);
    structure_ = new QSlider(Qt::Horizontal);
    structure_->setObjectName("structure");
    structure_->setRange(0, 100);
    structure_->setPageStep(10);
    structure_->setToolTip(tr("How readily whole bars come back, as they are or moved up or down: "
                              "left = free, middle = as the model learnt from music, right = repetitive."));
    auto* structureRow = new QHBoxLayout;
    structureRow->addWidget(new QLabel(tr("Free")));
    structureRow->addWidget(structure_, 1);
    structureRow->addWidget(new QLabel(tr("Repetitive")));
    form->addRow(tr("Structure"), structureRow);
    temperature_ = new QDoubleSpinBox;
    temperature_->setRange(0.1, 2.0);
    temperature_->setSingleStep(0.05);
    temperature_->setToolTip(tr("Lower: safer, more repetitive. Higher: more surprising."));
    form->addRow(tr("Temperature"), temperature_);
    topP_ = new QDoubleSpinBox;
    topP_->setRange(0.05, 1.0);
    topP_->setSingleStep(0.05);
    topP_->setToolTip(tr("Only the most likely notes whose probabilities add up to this are considered."));
    form->addRow(tr("Top-p"), topP_);
    pitchTopP_ = new QDoubleSpinBox;
    pitchTopP_->setRange(0.05, 1.0);
    pitchTopP_->setSingleStep(0.05);
    pitchTopP_->setToolTip(
        tr("Only the most likely pitches, adding up to this share, are played: lower keeps "
           "closer to the key and the tune, 1 lets every pitch through. The rhythm is "
           "not affected."));
    form->addRow(tr("Pitch focus"), pitchTopP_);
    variations_ = new QSpinBox;
    variations_->setRange(1, 8);
    form->addRow(tr("Variations"), variations_);
    auto* seedRow = new QHBoxLayout;
    seed_ = new QSpinBox;
    seed_->setRange(0, 999999);
    seed_->setToolTip(tr("The same seed and settings give the same notes."));
    auto* dice = new QToolButton;
    dice->setText(tr("Roll")); // no emoji: many desktops lack the font and show a box
    dice->setObjectName("dice");
    dice->setToolTip(tr("Pick a random seed"));
    connect(dice, &QToolButton::clicked, this,
            [this] { seed_->setValue(int(QRandomGenerator::global()->bounded(1000000))); });
    seedRow->addWidget(seed_, 1);
    seedRow->addWidget(dice);
    form->addRow(tr("Random seed"), seedRow);

    keyLock_ = new QCheckBox(tr("Keep to key"));
    tonic_ = new QComboBox;
    for (int pc = 0; pc < 12; ++pc)
        tonic_->addItem(tonicChoice(pc));
    scale_ = new QComboBox;
    for (int i = 0; i < kScaleCount; ++i)
        scale_->addItem(scaleName(model::Scale(i)));
    auto* detect = new QPushButton(tr("Detect from my notes"));
    detect->setObjectName("detectKey");
    auto* keyRow = new QHBoxLayout;
    keyRow->addWidget(tonic_);
    keyRow->addWidget(scale_, 1);
    form->addRow(keyLock_, keyRow);
    form->addRow(QString(), detect);
    const auto keyEnabled = [this] {
        tonic_->setEnabled(keyLock_->isChecked());
        scale_->setEnabled(keyLock_->isChecked());
    };
    connect(keyLock_, &QCheckBox::toggled, this, keyEnabled);
    connect(detect, &QPushButton::clicked, this, &GeneratePanel::detectKeyRequested);

    model_ = new QLabel;
    model_->setWordWrap(true);
    model_->setObjectName("modelLabel");
    form->addRow(tr("Model"), model_);

    auto* buttons = new QHBoxLayout;
    generate_ = new QPushButton(tr("Generate"));
    generate_->setObjectName("generate");
    generate_->setDefault(true);
    cancel_ = new QPushButton(tr("Cancel"));
    cancel_->setObjectName("cancel");
    buttons->addWidget(generate_, 1);
    buttons->addWidget(cancel_);
    layout->addLayout(buttons);
    progress_ = new QProgressBar;
    progress_->setRange(0, 1000);
    progress_->setTextVisible(true);
    layout->addWidget(progress_);
    message_ = new QLabel;
    message_->setWordWrap(true);
    layout->addWidget(message_);
    connect(generate_, &QPushButton::clicked, this, &GeneratePanel::generateRequested);
    connect(cancel_, &QPushButton::clicked, this, &GeneratePanel::cancelRequested);

    results_ = new QGroupBox(tr("Results"));
    auto* r = new QVBoxLayout(results_);
    auto* nav = new QHBoxLayout;
    prev_ = new QPushButton(QStringLiteral("◀"));
    next_ = new QPushButton(QStringLiteral("▶"));
    which_ = new QLabel;
    which_->setAlignment(Qt::AlignCenter);
    nav->addWidget(prev_);
    nav->addWidget(which_, 1);
    nav->addWidget(next_);
    r->addLayout(nav);
    audition_ = new QPushButton(tr("Listen (P)"));
    audition_->setShortcut(QKeySequence(Qt::Key_P));
    accept_ = new QPushButton(tr("Accept"));
    accept_->setObjectName("accept");
    discard_ = new QPushButton(tr("Discard"));
    discard_->setObjectName("discard");
    auto* act = new QHBoxLayout;
    act->addWidget(audition_);
    act->addWidget(accept_);
    act->addWidget(discard_);
    r->addLayout(act);
    layout->addWidget(results_);
    layout->addStretch(1);
    connect(prev_, &QPushButton::clicked, this, &GeneratePanel::previousVariation);
    connect(next_, &QPushButton::clicked, this, &GeneratePanel::nextVariation);
    connect(audition_, &QPushButton::clicked, this, &GeneratePanel::auditionRequested);
    connect(accept_, &QPushButton::clicked, this, &GeneratePanel::acceptRequested);
    connect(discard_, &QPushButton::clicked, this, &GeneratePanel::discardRequested);

    connect(structure_, &QSlider::valueChanged, this, &GeneratePanel::settingsChanged);
    for (QComboBox* c : {where_, tonic_, scale_, texture_})
        connect(c, &QComboBox::currentIndexChanged, this, &GeneratePanel::settingsChanged);
    for (QSpinBox* s : {bars_, variations_, seed_})
        connect(s, &QSpinBox::valueChanged, this, &GeneratePanel::settingsChanged);
    for (QDoubleSpinBox* s : {temperature_, topP_, pitchTopP_})
        connect(s, &QDoubleSpinBox::valueChanged, this, &GeneratePanel::settingsChanged);
    connect(keyLock_, &QCheckBox::toggled, this, &GeneratePanel::settingsChanged);

    setSettings(GenerateSettings{});
    keyEnabled();
    setModel(false, QString(), QString());
    setBusy(false);
    setVariations(0, 0, QString());
    setAuditionAvailable(false, tr("No sound output"));
}

void GeneratePanel::attach(GenerateController* controller, Session* session) {
    const auto showModel = [this, controller] {
        setModel(controller->hasModel(), controller->modelName(), controller->modelSummary());
    };
    showModel();
    connect(controller, &GenerateController::modelChanged, this, showModel);
    connect(this, &GeneratePanel::generateRequested, controller, [controller] { controller->generate(); });
    connect(this, &GeneratePanel::cancelRequested, controller, &GenerateController::cancel);
    connect(this, &GeneratePanel::previousVariation, controller,
            [controller] { controller->showVariation(controller->currentVariation() - 1); });
    connect(this, &GeneratePanel::nextVariation, controller,
            [controller] { controller->showVariation(controller->currentVariation() + 1); });
    connect(this, &GeneratePanel::acceptRequested, controller, &GenerateController::accept);
    connect(this, &GeneratePanel::discardRequested, controller, &GenerateController::discard);
    connect(this, &GeneratePanel::auditionRequested, controller, &GenerateController::audition);
    connect(this, &GeneratePanel::detectKeyRequested, controller, &GenerateController::detectKey);
    connect(controller, &GenerateController::progress, this, &GeneratePanel::setProgress);
    connect(controller, &GenerateController::busyChanged, this, &GeneratePanel::setBusy);
    connect(controller, &GenerateController::message, this, &GeneratePanel::setMessage);
    connect(controller, &GenerateController::variationsChanged, this, &GeneratePanel::setVariations);

    const auto showSettings = [this, session] {
        showingSession_ = true; // setSettings moves one control at a time; each would write back a mix
        setSettings(session->generateSettings());
        showingSession_ = false;
    };
    showSettings();
    connect(session, &Session::generateSettingsChanged, this, showSettings);
    connect(this, &GeneratePanel::settingsChanged, session, [this, session] {
        if (!showingSession_) session->setGenerateSettings(settings());
    });
}

GenerateSettings GeneratePanel::settings() const {
    GenerateSettings s;
    s.where = GenerateWhere(where_->currentIndex());
    s.bars = bars_->value();
    s.temperature = temperature_->value();
    s.topP = topP_->value();
    s.pitchTopP = pitchTopP_->value();
    s.variations = variations_->value();
    s.randomSeed = quint64(seed_->value());
    s.keyLock = keyLock_->isChecked();
    s.tonic = tonic_->currentIndex();
    s.scale = model::Scale(scale_->currentIndex());
    s.texture = music::textureFromName(texture_->currentData().toString().toStdString())
                    .value_or(music::Texture::Auto);
    s.structure = structure_->value() / 100.0;
    return s;
}

void GeneratePanel::setSettings(const GenerateSettings& s) {
    where_->setCurrentIndex(int(s.where));
    bars_->setValue(s.bars);
    temperature_->setValue(s.temperature);
    topP_->setValue(s.topP);
    pitchTopP_->setValue(s.pitchTopP);
    variations_->setValue(s.variations);
    seed_->setValue(int(s.randomSeed % 1000000));
    keyLock_->setChecked(s.keyLock);
    tonic_->setCurrentIndex(s.tonic);
    scale_->setCurrentIndex(int(s.scale));
    texture_->setCurrentIndex(
        std::max(0, texture_->findData(QString::fromUtf8(music::textureName(s.texture)))));
    structure_->setValue(int(std::lround(s.structure * 100)));
}

void GeneratePanel::setModel(bool available, const QString& name, const QString& details) {
    modelAvailable_ = available;
    if (available) {
        model_->setText(name);
        model_->setToolTip(details);
    } else {
        // Said plainly: the studio never presents made-up notes as the model's output.
        model_->setText(tr("<b>No model installed yet.</b> Train one with <tt>continuo-cli train</tt> or "
                           "install the default model; until then Generate is unavailable and your notes "
                           "are untouched."));
        model_->setToolTip(QString());
    }
    // The model can change while a job runs (Settings): the running job's state stays as it is.
    setBusy(busy_);
}

void GeneratePanel::setBusy(bool busy) {
    busy_ = busy;
    generate_->setEnabled(modelAvailable_ && !busy);
    cancel_->setEnabled(busy);
    progress_->setVisible(busy);
    if (busy) progress_->setValue(0);
}

void GeneratePanel::setProgress(double fraction, const QString& stage) {
    progress_->setValue(int(fraction * 1000));
    progress_->setFormat(stage.isEmpty() ? QStringLiteral("%p%") : stage + QStringLiteral(" · %p%"));
}

void GeneratePanel::setVariations(int count, int index, const QString& summary) {
    results_->setVisible(count > 0);
    which_->setText(tr("Variation %1 of %2").arg(index + 1).arg(count) +
                    (summary.isEmpty() ? QString() : QStringLiteral("\n") + summary));
    prev_->setEnabled(index > 0);
    next_->setEnabled(index + 1 < count);
}

void GeneratePanel::setMessage(const QString& text) {
    message_->setText(text);
}

void GeneratePanel::setKey(int tonic, model::Scale scale) {
    tonic_->setCurrentIndex(tonic);
    scale_->setCurrentIndex(int(scale));
    keyLock_->setChecked(true);
}

void GeneratePanel::setAuditionAvailable(bool available, const QString& why) {
    audition_->setEnabled(available);
    audition_->setToolTip(available ? tr("Play this variation") : why);
}

} // namespace continuo::ui
