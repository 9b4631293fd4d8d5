#include "ui/settings/MidiPage.h"

#include "ui/settings/SettingsKeys.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QStyle>
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
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
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
    return QIcon::fromTheme("audio-midi", QIcon::fromTheme("media-playlist-audio",
                                                           style()->standardIcon(QStyle::SP_DriveNetIcon)));
}

void MidiPage::load(const QSettings& settings) {
    const SoundSettings s = readSoundSettings(settings);
    refill(output_, tr("Built-in synth (FluidSynth)"), ports_.outputs, QString::fromStdString(s.midiOutput));
    refill(input_, tr("None"), ports_.inputs, QString::fromStdString(s.midiInput));
}

void MidiPage::save(QSettings& settings) const {
    settings.setValue(settings::kMidiOutput, output_->currentData().toString());
    settings.setValue(settings::kMidiInput, input_->currentData().toString());
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
    if (!ports.problem.empty())
        status_->setText(tr("No MIDI ports: %1").arg(QString::fromStdString(ports.problem)));
    else
        status_->setText(tr("%n output port(s), ", nullptr, int(ports.outputs.size())) +
                         tr("%n input port(s).", nullptr, int(ports.inputs.size())));
}

} // namespace continuo::ui
