#include "ui/settings/MidiPage.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSignalBlocker>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace continuo::ui {

namespace {
// Rebuilds `box` from `ports` after `first` (the "no port" entry, data ""), keeping `keep` selected: a
// stored port that is not there now stays, marked, so opening and closing the dialog never loses it.
void refill(QComboBox* box, const QString& first, const std::vector<std::string>& ports,
            const QString& keep) {
    const QSignalBlocker block(box);
    box->clear();
    box->addItem(first, QString());
    for (const std::string& p : ports) {
        const QString name = QString::fromStdString(p);
        box->addItem(name, name);
    }
    if (!keep.isEmpty() && box->findData(keep) < 0)
        box->addItem(QObject::tr("%1 (not connected now)").arg(keep), keep);
    box->setCurrentIndex(std::max(0, box->findData(keep)));
}
} // namespace

MidiPage::MidiPage(std::shared_ptr<ISoundSystem> sound, QWidget* parent)
    : SettingsPage(parent)
    , sound_(std::move(sound))
    , output_(new QComboBox)
    , input_(new QComboBox)
    , refresh_(new QPushButton(tr("Refresh")))
    , status_(new QLabel) {
    output_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    input_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    output_->setMinimumContentsLength(28);
    input_->setMinimumContentsLength(28);
    output_->setToolTip(tr("Play through Continuo's own synthesizer, or send the notes to another "
                           "synthesizer or program"));
    input_->setToolTip(tr("Notes played on this port are heard through the output above"));
    refresh_->setToolTip(
        tr("List the MIDI ports again (after plugging in a keyboard or starting a program)"));
    status_->setWordWrap(true);
    refill(output_, tr("Built-in synth (FluidSynth)"), {}, {});
    refill(input_, tr("None"), {}, {});

    auto* outRow = new QHBoxLayout;
    outRow->addWidget(output_, 1);
    outRow->addWidget(refresh_);
    auto* form = new QFormLayout;
    form->addRow(tr("Output:"), outRow);
    form->addRow(tr("Input:"), input_);
    form->addRow(QString(), status_);
    auto* about = new QLabel(tr("Playback, the notes you click in the roll and the notes played on the input "
                                "all go to the output. Choose another synthesizer's port (a hardware synth, "
                                "or a program such as Qsynth) to hear Continuo through it."));
    about->setWordWrap(true);
    about->setForegroundRole(QPalette::PlaceholderText);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addSpacing(8);
    layout->addWidget(about);
    layout->addStretch(1);

    connect(output_, &QComboBox::currentIndexChanged, this, &SettingsPage::edited);
    connect(input_, &QComboBox::currentIndexChanged, this, &SettingsPage::edited);
    connect(refresh_, &QPushButton::clicked, this, &MidiPage::refresh);
    connect(&watcher_, &QFutureWatcher<MidiPortList>::finished, this, [this] {
        listing_ = false;
        fill(watcher_.result());
        refresh_->setEnabled(true);
        Q_EMIT portsListed();
    });
    refresh();
}

MidiPage::~MidiPage() {
    watcher_.disconnect(this); // a listing still running is dropped when it ends
}

QIcon MidiPage::icon() const {
    if (QIcon::hasThemeIcon("audio-midi")) return QIcon::fromTheme("audio-midi");
    // No theme icon (Qt's own styles have none for MIDI): a small keyboard drawn here.
    QPixmap keys(24, 24);
    keys.fill(Qt::transparent);
    QPainter p(&keys);
    p.setPen(QColor(60, 60, 60));
    p.setBrush(Qt::white);
    for (int i = 0; i < 5; ++i)
        p.drawRect(1 + i * 4, 4, 4, 16);
    p.setBrush(QColor(40, 40, 40));
    for (int i : {0, 1, 3})
        p.drawRect(4 + i * 4, 4, 2, 9);
    return QIcon(keys);
}

void MidiPage::load(const StudioSettings& settings) {
    const SoundSettings& s = settings.sound;
    refill(output_, tr("Built-in synth (FluidSynth)"), ports_.outputs, QString::fromStdString(s.midiOutput));
    refill(input_, tr("None"), ports_.inputs, QString::fromStdString(s.midiInput));
}

void MidiPage::save(StudioSettings& settings) const {
    settings.sound.midiOutput = output_->currentData().toString().toStdString();
    settings.sound.midiInput = input_->currentData().toString().toStdString();
}

void MidiPage::refresh() {
    if (listing_) return;
    listing_ = true;
    refresh_->setEnabled(false);
    status_->setText(tr("Listing MIDI ports…"));
    watcher_.setFuture(QtConcurrent::run([sound = sound_] { return sound->midiPorts(); }));
}

void MidiPage::fill(const MidiPortList& ports) {
    ports_ = ports;
    refill(output_, tr("Built-in synth (FluidSynth)"), ports.outputs, output_->currentData().toString());
    refill(input_, tr("None"), ports.inputs, input_->currentData().toString());
    const auto count = [](std::size_t n, const QString& one, const QString& many) {
        return n == 1 ? one : many.arg(n);
    };
    if (!ports.problem.empty())
        status_->setText(tr("No MIDI ports: %1").arg(QString::fromStdString(ports.problem)));
    else
        status_->setText(tr("Found %1 and %2.")
                             .arg(count(ports.outputs.size(), tr("1 output port"), tr("%1 output ports")),
                                  count(ports.inputs.size(), tr("1 input port"), tr("%1 input ports"))));
}

} // namespace continuo::ui
