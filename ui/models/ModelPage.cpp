#include "ui/models/ModelPage.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace continuo::ui {
namespace {

namespace fs = std::filesystem;

fs::path toPath(const QString& s) {
    return fs::path(s.toStdString());
}
QString fromPath(const fs::path& p) {
    return QString::fromStdString(p.string());
}

std::vector<model::ModelEntry> readList(const QString& userDir, const QString& defaultModel) {
    std::vector<model::ModelEntry> list = model::listModels(toPath(userDir), toPath(defaultModel));
    if (defaultModel.isEmpty()) {
        model::ModelEntry none;
        none.builtIn = true;
        none.displayName = "Shipped default";
        none.problem = "No default model is installed with this copy of Continuo.";
        list.insert(list.begin(), none);
    }
    return list;
}

} // namespace

ModelPage::ModelPage(const QString& userDir, const QString& defaultModel, QWidget* parent)
    : SettingsPage(parent)
    , userDir_(userDir)
    , defaultModel_(defaultModel)
    , list_(new QListWidget(this))
    , card_(new QLabel(this))
    , message_(new QLabel(this))
    , import_(new QPushButton(tr("&Import…"), this))
    , remove_(new QPushButton(tr("&Remove"), this))
    , retrain_(new QPushButton(tr("Retrain on a &folder…"), this)) {
    list_->setMinimumWidth(220);
    card_->setWordWrap(true);
    card_->setTextFormat(Qt::RichText);
    card_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    card_->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    auto* cardScroll = new QScrollArea(this);
    cardScroll->setWidget(card_);
    cardScroll->setWidgetResizable(true);
    cardScroll->setFrameShape(QFrame::NoFrame);
    message_->setWordWrap(true);
    import_->setToolTip(tr("Add a .cmodel file to your models (it is checked first)."));
    retrain_->setToolTip(tr("Train a new model on a folder of MIDI files."));

    auto* top = new QHBoxLayout;
    top->addWidget(list_, 1); // names are short; the card needs the room
    top->addWidget(cardScroll, 3);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(import_);
    buttons->addWidget(remove_);
    buttons->addStretch();
    buttons->addWidget(retrain_);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("The selected model generates after OK or Apply."), this));
    layout->addLayout(top, 1);
    layout->addLayout(buttons);
    layout->addWidget(message_);

    connect(list_, &QListWidget::currentRowChanged, this, &ModelPage::onSelection);
    connect(import_, &QPushButton::clicked, this, &ModelPage::askImport);
    connect(remove_, &QPushButton::clicked, this, &ModelPage::askRemove);
    connect(retrain_, &QPushButton::clicked, this, &ModelPage::retrainRequested);
    connect(&listing_, &QFutureWatcherBase::finished, this, [this] {
        showList(listing_.result());
        if (relist_) refresh();
    });
    connect(&importing_, &QFutureWatcherBase::finished, this, [this] {
        import_->setEnabled(true);
        const ImportOutcome r = importing_.result();
        if (r.ok) {
            setMessage(tr("Imported as %1.").arg(QFileInfo(r.text).fileName()), false);
            selectAfterList_ = r.text;
            refresh();
        } else {
            setMessage(tr("Not imported: %1").arg(r.text), true);
        }
        Q_EMIT importFinished(r.ok, message_->text());
    });
    refresh();
}

ModelPage::~ModelPage() {
    // The pool jobs only touch their own copies; waiting keeps them from reporting to a dead page.
    listing_.waitForFinished();
    importing_.waitForFinished();
}

QString ModelPage::keyOf(const model::ModelEntry& e) const {
    return e.builtIn ? QString() : fromPath(e.path);
}

void ModelPage::load(const StudioSettings& settings) {
    active_ = settings.model.activeModel;
    chosen_ = active_;
    if (!select(chosen_)) relabel();
    refresh();
}

void ModelPage::save(StudioSettings& settings) const {
    settings.model.activeModel = chosen_;
    active_ = chosen_;
    relabel();
}

void ModelPage::refresh() {
    if (listing_.isRunning()) {
        relist_ = true;
        return;
    }
    relist_ = false;
    listing_.setFuture(QtConcurrent::run(readList, userDir_, defaultModel_));
}

void ModelPage::showList(std::vector<model::ModelEntry> entries) {
    entries_ = std::move(entries);
    {
        const QSignalBlocker block(list_);
        list_->clear();
        for (std::size_t i = 0; i < entries_.size(); ++i)
            list_->addItem(QString());
    }
    relabel();
    const QString want = selectAfterList_.isEmpty() ? chosen_ : selectAfterList_;
    selectAfterList_.clear();
    if (!select(want)) select(QString());
    onSelection();
    Q_EMIT listed();
}

void ModelPage::relabel() const {
    for (int row = 0; row < list_->count() && row < int(entries_.size()); ++row) {
        const model::ModelEntry& e = entries_[std::size_t(row)];
        QListWidgetItem* item = list_->item(row);
        QString text = QString::fromStdString(e.displayName);
        if (keyOf(e) == active_) text = QStringLiteral("✓ ") + text + tr("  (active)");
        if (!e.usable()) text += tr("  — cannot be used");
        item->setText(text);
        QFont font = item->font();
        font.setBold(keyOf(e) == active_);
        item->setFont(font);
        item->setForeground(e.usable() ? list_->palette().text() : list_->palette().placeholderText());
        item->setToolTip(e.usable() ? fromPath(e.path) : QString::fromStdString(e.problem));
    }
}

bool ModelPage::select(const QString& file) {
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        if (keyOf(entries_[i]) != file) continue;
        list_->setCurrentRow(int(i));
        return true;
    }
    return false;
}

void ModelPage::onSelection() {
    const int row = list_->currentRow();
    if (row < 0 || row >= int(entries_.size())) {
        card_->clear();
        remove_->setEnabled(false);
        return;
    }
    const model::ModelEntry& e = entries_[std::size_t(row)];
    remove_->setEnabled(!e.builtIn);
    QString html = QStringLiteral("<h3>%1</h3>").arg(QString::fromStdString(e.displayName).toHtmlEscaped());
    if (!e.path.empty()) html += QStringLiteral("<p><tt>%1</tt></p>").arg(fromPath(e.path).toHtmlEscaped());
    if (!e.usable()) {
        html += tr("<p><b>This model cannot be used.</b> %1</p><p>The active model stays as it is.</p>")
                    .arg(QString::fromStdString(e.problem).toHtmlEscaped());
    } else {
        html += QStringLiteral("<table cellspacing='2'>");
        for (const model::ModelCardLine& line : model::modelCard(*e.metadata))
            // Non-breaking spaces: QLabel's rich text ignores nowrap, and a label broken in two reads badly.
            html += QStringLiteral("<tr><td><b>%1</b>&nbsp;</td><td>%2</td></tr>")
                        .arg(QString::fromStdString(line.label).toHtmlEscaped().replace(' ', "&nbsp;"),
                             QString::fromStdString(line.value).toHtmlEscaped());
        html += QStringLiteral("</table>");
        // Only a usable model can become the active one.
        if (keyOf(e) != chosen_) {
            chosen_ = keyOf(e);
            Q_EMIT edited();
        }
    }
    card_->setText(html);
}

QString ModelPage::cardText() const {
    return card_->text();
}

QString ModelPage::message() const {
    return message_->text();
}

void ModelPage::setMessage(const QString& text, bool error) {
    message_->setText(text);
    message_->setStyleSheet(error ? QStringLiteral("color: #b00020;") : QString());
}

void ModelPage::askImport() {
    const QString file = QFileDialog::getOpenFileName(this, tr("Import a model"), QString(),
                                                      tr("Continuo models (*.cmodel);;All files (*)"));
    if (!file.isEmpty()) importFile(file);
}

void ModelPage::importFile(const QString& file) {
    if (importing_.isRunning()) return;
    import_->setEnabled(false);
    setMessage(tr("Checking %1…").arg(QFileInfo(file).fileName()), false);
    importing_.setFuture(QtConcurrent::run([file, dir = userDir_] {
        try {
            return ImportOutcome{true, fromPath(model::importModel(toPath(file), toPath(dir)))};
        } catch (const std::exception& e) {
            return ImportOutcome{false, QString::fromStdString(e.what())};
        }
    }));
}

void ModelPage::askRemove() {
    const int row = list_->currentRow();
    if (row < 0 || row >= int(entries_.size())) return;
    const model::ModelEntry& e = entries_[std::size_t(row)];
    if (QMessageBox::question(this, tr("Remove model"),
                              tr("Delete the model file %1? This cannot be undone.").arg(fromPath(e.path))) !=
        QMessageBox::Yes)
        return;
    removeFile(fromPath(e.path));
}

bool ModelPage::removeFile(const QString& file) {
    try {
        model::removeModel(toPath(file), toPath(userDir_), toPath(defaultModel_));
    } catch (const std::exception& e) {
        setMessage(QString::fromStdString(e.what()), true);
        return false;
    }
    setMessage(tr("Removed %1.").arg(QFileInfo(file).fileName()), false);
    if (chosen_ == file || active_ == file) {
        // The active model is gone: the shipped default takes over on OK/Apply.
        chosen_.clear();
        Q_EMIT edited();
    }
    refresh();
    return true;
}

} // namespace continuo::ui
