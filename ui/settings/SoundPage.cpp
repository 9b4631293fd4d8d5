#include "ui/settings/SoundPage.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QStyle>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <cmath>

namespace continuo::ui {

namespace {
constexpr int kSliderSteps = 100; // slider units per 1.0 of gain
constexpr double kSliderMax = 2.0;

QString driverLabel(const QString& name) {
    if (name == "auto") return QObject::tr("Automatic (PulseAudio, then ALSA, then JACK)");
    if (name == "pulseaudio") return QObject::tr("PulseAudio / PipeWire");
    if (name == "alsa") return QObject::tr("ALSA (sound card directly)");
    if (name == "jack") return QObject::tr("JACK");
    if (name == "pipewire") return QObject::tr("PipeWire (native)");
    if (name == "none") return QObject::tr("None (no live sound; Export WAV still works)");
    return name;
}
} // namespace

SoundPage::SoundPage(std::shared_ptr<ISoundSystem> sound, QWidget* parent)
    : SettingsPage(parent)
    , sound_(std::move(sound))
    , soundFont_(new QLineEdit)
    , default_(new QLabel)
    , check_(new QLabel)
    , driver_(new QComboBox)
    , gainSlider_(new QSlider(Qt::Horizontal))
    , gainBox_(new QDoubleSpinBox)
    , test_(new QPushButton(tr("Test note")))
    , testStatus_(new QLabel) {
    const QString found = QString::fromStdString(sound_->defaultSoundFont());
    soundFont_->setPlaceholderText(found.isEmpty() ? tr("(no default SoundFont found)")
                                                   : tr("Default (%1)").arg(QFileInfo(found).fileName()));
    soundFont_->setClearButtonEnabled(true);
    auto* browse = new QPushButton(tr("Browse…"));
    auto* useDefault = new QPushButton(tr("Use default"));
    useDefault->setToolTip(tr("Leave the field empty: Continuo finds a General MIDI SoundFont by itself"));
    default_->setWordWrap(true);
    default_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    default_->setText(found.isEmpty() ? tr("No default SoundFont is installed: install the "
                                           "fluid-soundfont-gm package or choose a .sf2 file.")
                                      : tr("Left empty, Continuo uses %1").arg(found));
    default_->setForegroundRole(QPalette::PlaceholderText);
    check_->setWordWrap(true);
    auto* fontRow = new QHBoxLayout;
    fontRow->addWidget(soundFont_, 1);
    fontRow->addWidget(browse);
    fontRow->addWidget(useDefault);
    auto* fontBox = new QVBoxLayout;
    fontBox->addLayout(fontRow);
    fontBox->addWidget(default_);
    fontBox->addWidget(check_);

    for (const std::string& d : sound_->audioDrivers()) {
        const QString name = QString::fromStdString(d);
        driver_->addItem(driverLabel(name), name);
    }

    gainSlider_->setRange(0, int(kSliderMax * kSliderSteps));
    gainSlider_->setToolTip(tr("0.5 is the default; above 1 dense pieces may clip"));
    gainBox_->setRange(0, 10);
    gainBox_->setSingleStep(0.05);
    gainBox_->setDecimals(2);
    auto* gainRow = new QHBoxLayout;
    gainRow->addWidget(gainSlider_, 1);
    gainRow->addWidget(gainBox_);

    test_->setToolTip(tr("Loads the SoundFont above with this driver and gain and plays a C major chord"));
    testStatus_->setWordWrap(true);
    auto* testRow = new QHBoxLayout;
    testRow->addWidget(test_);
    testRow->addWidget(testStatus_, 1);

    auto* form = new QFormLayout;
    form->addRow(tr("SoundFont:"), fontBox);
    form->addRow(tr("Audio driver:"), driver_);
    form->addRow(tr("Gain:"), gainRow);
    form->addRow(QString(), testRow);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addStretch(1);

    connect(browse, &QPushButton::clicked, this, &SoundPage::browse);
    connect(useDefault, &QPushButton::clicked, this, [this] { soundFont_->clear(); });
    connect(soundFont_, &QLineEdit::textChanged, this, [this] {
        recheck();
        Q_EMIT edited();
    });
    connect(driver_, &QComboBox::currentIndexChanged, this, &SettingsPage::edited);
    connect(gainSlider_, &QSlider::valueChanged, this, [this](int v) {
        if (std::lround(gainBox_->value() * kSliderSteps) == v) return; // the box moved the slider
        gainBox_->setValue(double(v) / kSliderSteps);
    });
    connect(gainBox_, &QDoubleSpinBox::valueChanged, this, [this](double g) {
        const QSignalBlocker block(gainSlider_);
        gainSlider_->setValue(int(std::lround(std::min(g, kSliderMax) * kSliderSteps)));
        Q_EMIT edited();
    });
    connect(test_, &QPushButton::clicked, this, &SoundPage::playTestNote);
    connect(&watcher_, &QFutureWatcher<TestNoteResult>::finished, this, [this] {
        testing_ = false;
        const TestNoteResult r = watcher_.result();
        const QString message = QString::fromStdString(r.message);
        testStatus_->setText(r.ok ? message : tr("⚠ %1").arg(message));
        test_->setEnabled(true);
        Q_EMIT testFinished(r.ok, message);
    });
    recheck();
}

SoundPage::~SoundPage() {
    // The worker holds only its own copies (sound system, settings): nothing here to wait for.
    watcher_.disconnect(this);
}

QIcon SoundPage::icon() const {
    return QIcon::fromTheme("audio-speakers", style()->standardIcon(QStyle::SP_MediaVolume));
}

void SoundPage::load(const StudioSettings& settings) {
    const SoundSettings& s = settings.sound;
    soundFont_->setText(QString::fromStdString(s.soundFont));
    selectDriver(QString::fromStdString(s.audioDriver));
    gainBox_->setValue(s.gain);
    recheck();
}

void SoundPage::save(StudioSettings& settings) const {
    const SoundSettings s = current();
    settings.sound.soundFont = s.soundFont;
    settings.sound.audioDriver = s.audioDriver;
    settings.sound.gain = s.gain;
}

SoundSettings SoundPage::current() const {
    SoundSettings s;
    s.soundFont = soundFont_->text().trimmed().toStdString();
    s.audioDriver = driver_->currentData().toString().toStdString();
    if (s.audioDriver.empty()) s.audioDriver = "auto";
    s.gain = gainBox_->value();
    return s;
}

QString SoundPage::problem() const {
    const QString path = soundFont_->text().trimmed();
    if (path.isEmpty()) return {};
    return QString::fromStdString(sound_->checkSoundFont(path.toStdString()));
}

void SoundPage::selectDriver(const QString& name) {
    int index = driver_->findData(name);
    if (index < 0) { // stored by hand or by another build: keep it rather than change it silently
        driver_->addItem(tr("%1 (not offered here)").arg(name), name);
        index = driver_->count() - 1;
    }
    driver_->setCurrentIndex(index);
}

void SoundPage::browse() {
    const QString start = soundFont_->text().trimmed().isEmpty()
                              ? QFileInfo(QString::fromStdString(sound_->defaultSoundFont())).path()
                              : QFileInfo(soundFont_->text().trimmed()).path();
    const QString path = QFileDialog::getOpenFileName(this, tr("Choose a SoundFont"), start,
                                                      tr("SoundFonts (*.sf2 *.sf3);;All files (*)"));
    if (!path.isEmpty()) soundFont_->setText(path);
}

void SoundPage::recheck() {
    const QString path = soundFont_->text().trimmed();
    if (path.isEmpty()) {
        check_->clear();
        check_->setVisible(false);
        return;
    }
    const QString why = problem();
    check_->setVisible(true);
    check_->setText(why.isEmpty() ? tr("✓ SoundFont file") : tr("⚠ %1").arg(why));
    check_->setStyleSheet(why.isEmpty() ? QString() : QStringLiteral("color: #b00020;"));
}

void SoundPage::playTestNote() {
    if (testing_) return;
    if (const QString why = problem(); !why.isEmpty()) {
        testStatus_->setText(tr("⚠ Choose a SoundFont file above first."));
        Q_EMIT testFinished(false, why);
        return;
    }
    testing_ = true;
    test_->setEnabled(false);
    testStatus_->setText(tr("Loading SoundFont…"));
    watcher_.setFuture(
        QtConcurrent::run([sound = sound_, settings = current()] { return sound->playTestNote(settings); }));
}

} // namespace continuo::ui
