#include "ui/TrackListPanel.h"

#include "music/GeneralMidi.h"
#include "ui/document/Commands.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace continuo::ui {

TrackListPanel::TrackListPanel(Document* doc, QWidget* parent)
    : QWidget(parent)
    , doc_(doc) {
    setObjectName("trackList");
    auto* layout = new QVBoxLayout(this);
    list_ = new QListWidget;
    layout->addWidget(list_, 1);
    auto* form = new QFormLayout;
    name_ = new QLineEdit;
    program_ = new QComboBox;
    for (int p = 0; p < 128; ++p)
        program_->addItem(QStringLiteral("%1 %2").arg(p + 1).arg(music::gmProgramName(p)));
    mute_ = new QCheckBox(tr("Mute"));
    solo_ = new QCheckBox(tr("Solo"));
    colour_ = new QPushButton(tr("Colour…"));
    auto* ms = new QHBoxLayout;
    ms->addWidget(mute_);
    ms->addWidget(solo_);
    ms->addWidget(colour_);
    form->addRow(tr("Name"), name_);
    form->addRow(tr("Instrument"), program_);
    form->addRow(ms);
    layout->addLayout(form);
    auto* buttons = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add track"));
    remove_ = new QPushButton(tr("Remove"));
    buttons->addWidget(add);
    buttons->addWidget(remove_);
    layout->addLayout(buttons);

    connect(doc_, &Document::tracksChanged, this, &TrackListPanel::rebuild);
    connect(doc_, &Document::currentTrackChanged, this, &TrackListPanel::rebuild);
    connect(doc_, &Document::notesChanged, this, [this] { rebuild(); });
    connect(list_, &QListWidget::currentRowChanged, this, [this](int row) {
        if (!updating_ && row >= 0 && row < int(doc_->tracks().size()))
            doc_->setCurrentTrack(doc_->tracks()[std::size_t(row)].id);
    });
    const auto props = [this] { return doc_->track(doc_->currentTrack())->props; };
    connect(name_, &QLineEdit::editingFinished, this, [this, props] {
        TrackProps p = props();
        if (p.name == name_->text()) return;
        p.name = name_->text();
        pushProps(p, tr("Rename track"));
    });
    connect(program_, &QComboBox::currentIndexChanged, this, [this, props](int index) {
        TrackProps p = props();
        if (updating_ || index < 0 || p.program == index) return;
        p.program = std::uint8_t(index);
        pushProps(p, tr("Change instrument"));
    });
    connect(mute_, &QCheckBox::toggled, this, [this, props](bool on) {
        TrackProps p = props();
        if (updating_ || p.mute == on) return;
        p.mute = on;
        pushProps(p, on ? tr("Mute track") : tr("Unmute track"));
    });
    connect(solo_, &QCheckBox::toggled, this, [this, props](bool on) {
        TrackProps p = props();
        if (updating_ || p.solo == on) return;
        p.solo = on;
        pushProps(p, on ? tr("Solo track") : tr("Unsolo track"));
    });
    connect(colour_, &QPushButton::clicked, this, [this, props] {
        TrackProps p = props();
        const QColor c = QColorDialog::getColor(p.colour, this, tr("Track colour"));
        if (!c.isValid() || c == p.colour) return;
        p.colour = c;
        pushProps(p, tr("Track colour"));
    });
    connect(add, &QPushButton::clicked, this, [this] {
        const int n = int(doc_->tracks().size());
        TrackProps p;
        p.name = tr("Track %1").arg(n + 1);
        p.channel = std::uint8_t(n % 16 == 9 ? 10 : n % 16); // keep channel 10 for drums
        doc_->undoStack()->push(TrackCommand::add(doc_, p));
        doc_->setCurrentTrack(doc_->tracks().back().id);
    });
    connect(remove_, &QPushButton::clicked, this, [this] {
        if (doc_->tracks().size() > 1)
            doc_->undoStack()->push(TrackCommand::remove(doc_, doc_->currentTrack()));
    });
    rebuild();
}

void TrackListPanel::pushProps(const TrackProps& p, const QString& text) {
    doc_->undoStack()->push(TrackCommand::changeProps(doc_, doc_->currentTrack(), p, text));
}

void TrackListPanel::rebuild() {
    updating_ = true;
    list_->clear();
    for (const TrackData& t : doc_->tracks()) {
        QPixmap swatch(12, 12);
        swatch.fill(t.props.colour);
        QString label = t.props.name.isEmpty() ? tr("(unnamed)") : t.props.name;
        label += tr(" — %1, %n note(s)", nullptr, int(t.notes.size()))
                     .arg(t.props.channel == 9 ? tr("Drums")
                                               : QString::fromUtf8(music::gmProgramName(t.props.program)));
        if (t.props.mute) label += tr(" [M]");
        if (t.props.solo) label += tr(" [S]");
        list_->addItem(new QListWidgetItem(QIcon(swatch), label));
    }
    list_->setCurrentRow(doc_->trackIndex(doc_->currentTrack()));
    showCurrent();
    updating_ = false;
}

void TrackListPanel::showCurrent() {
    const TrackData* t = doc_->track(doc_->currentTrack());
    if (!t) return;
    name_->setText(t->props.name);
    program_->setCurrentIndex(t->props.program);
    mute_->setChecked(t->props.mute);
    solo_->setChecked(t->props.solo);
    remove_->setEnabled(doc_->tracks().size() > 1);
}

} // namespace continuo::ui
