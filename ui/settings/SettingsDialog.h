#pragma once
// The settings dialog: a list of pages (icon + title) on the left, the chosen page on the right, OK / Cancel
// / Apply below. Pages come in through addPage(); the dialog loads them from the SettingsStore when it is
// shown and, on OK/Apply, lets each page write its fields into a copy of the stored settings and saves that
// copy through the store, which announces which fields changed (so the studio re-applies only those).

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QListWidget;
class QStackedWidget;

namespace continuo::ui {

class SettingsPage;

/// Thread contract: GUI thread only.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget* parent = nullptr);

    /// Appends `page` (the dialog takes ownership). Call before the dialog is shown.
    void addPage(SettingsPage* page);
    int pageCount() const;
    SettingsPage* page(int index) const;
    /// Shows the page titled `title`; false when there is none.
    bool showPage(const QString& title);
    SettingsPage* currentPage() const;

    /// Loads every page from SettingsStore::studio() (done each time the dialog is shown) and disables Apply.
    void load();
    /// Saves: the stored settings as they are now, each page's fields written over them, through
    /// SettingsStore::studio().save(), which announces the change once (nothing when nothing changed);
    /// false (nothing saved) when a page reports a problem(), which is then shown. OK and Apply call it.
    bool apply();
    QDialogButtonBox* buttons() const { return buttons_; }
    /// The line under the pages that says why OK/Apply refused (hidden when there is nothing to say).
    QLabel* problemLabel() const { return problem_; }

    void accept() override;

protected:
    void showEvent(QShowEvent* event) override;

private:
    QListWidget* list_;
    QStackedWidget* stack_;
    QDialogButtonBox* buttons_;
    QLabel* problem_;
    bool loading_ = false; ///< edits emitted while load() sets the controls do not count
};

} // namespace continuo::ui
