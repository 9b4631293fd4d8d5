#include "ui/settings/SettingsDialog.h"

#include "ui/settings/SettingsPage.h"
#include "ui/settings/SettingsStore.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QShowEvent>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace continuo::ui {

SettingsDialog::SettingsDialog(QWidget* parent)
    : QDialog(parent)
    , list_(new QListWidget)
    , stack_(new QStackedWidget)
    , buttons_(
          new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel | QDialogButtonBox::Apply))
    , problem_(new QLabel) {
    setWindowTitle(tr("Settings"));
    list_->setIconSize(QSize(24, 24));
    list_->setFixedWidth(150);
    list_->setSpacing(2);
    connect(list_, &QListWidget::currentRowChanged, stack_, &QStackedWidget::setCurrentIndex);

    auto* pages = new QHBoxLayout;
    pages->addWidget(list_);
    pages->addWidget(stack_, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(pages, 1);
    problem_->setWordWrap(true);
    problem_->setStyleSheet("color: #b00020;");
    problem_->hide();
    layout->addWidget(problem_);
    layout->addWidget(buttons_);

    connect(buttons_, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons_, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    connect(buttons_->button(QDialogButtonBox::Apply), &QPushButton::clicked, this, [this] { apply(); });
    buttons_->button(QDialogButtonBox::Apply)->setEnabled(false);
    // Wide enough for the Model page's list beside a model card without scroll bars.
    resize(980, 540);
}

void SettingsDialog::addPage(SettingsPage* page) {
    stack_->addWidget(page);
    auto* item = new QListWidgetItem(page->icon(), page->title(), list_);
    item->setSizeHint(QSize(0, 32));
    connect(page, &SettingsPage::edited, this, [this] {
        if (loading_) return;
        buttons_->button(QDialogButtonBox::Apply)->setEnabled(true);
        problem_->hide(); // said about the controls as they were
    });
    if (list_->currentRow() < 0) list_->setCurrentRow(0);
}

int SettingsDialog::pageCount() const {
    return stack_->count();
}

SettingsPage* SettingsDialog::page(int index) const {
    return qobject_cast<SettingsPage*>(stack_->widget(index));
}

bool SettingsDialog::showPage(const QString& title) {
    for (int i = 0; i < pageCount(); ++i) {
        if (page(i)->title() == title) {
            list_->setCurrentRow(i);
            return true;
        }
    }
    return false;
}

SettingsPage* SettingsDialog::currentPage() const {
    return qobject_cast<SettingsPage*>(stack_->currentWidget());
}

void SettingsDialog::load() {
    const StudioSettings stored = SettingsStore::studio().current();
    loading_ = true;
    for (int i = 0; i < pageCount(); ++i)
        page(i)->load(stored);
    loading_ = false;
    problem_->hide();
    buttons_->button(QDialogButtonBox::Apply)->setEnabled(false);
}

bool SettingsDialog::apply() {
    for (int i = 0; i < pageCount(); ++i) {
        const QString problem = page(i)->problem();
        if (problem.isEmpty()) continue;
        list_->setCurrentRow(i);
        problem_->setText(tr("%1: %2").arg(page(i)->title(), problem));
        problem_->show();
        return false;
    }
    // Over what is stored now, not what was loaded: a field no page shows (a retraining record written
    // while the dialog was open) must not go back to its old value.
    SettingsStore& store = SettingsStore::studio();
    StudioSettings next = store.current();
    for (int i = 0; i < pageCount(); ++i)
        page(i)->save(next);
    store.save(next);
    problem_->hide();
    buttons_->button(QDialogButtonBox::Apply)->setEnabled(false);
    return true;
}

void SettingsDialog::accept() {
    if (apply()) QDialog::accept();
}

void SettingsDialog::showEvent(QShowEvent* event) {
    if (!event->spontaneous()) load(); // re-opened: what is stored now, not what the controls held
    QDialog::showEvent(event);
}

} // namespace continuo::ui
