#pragma once
// The settings dialog: a list of pages (icon + title) on the left, the chosen page on the right, OK / Cancel
// / Apply below. Pages come in through addPage(); the dialog loads them from QSettings when it is shown,
// saves them on OK/Apply and says which keys changed, so the studio re-applies only those.

#include <QDialog>
#include <QStringList>

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

    /// Reads every page from QSettings (done each time the dialog is shown) and disables Apply.
    void load();
    /// Saves every page to QSettings and emits settingsChanged with the keys whose values changed; false
    /// (nothing saved) when a page reports a problem(), which is then shown. OK and Apply call it.
    bool apply();
    QDialogButtonBox* buttons() const { return buttons_; }
    /// The line under the pages that says why OK/Apply refused (hidden when there is nothing to say).
    QLabel* problemLabel() const { return problem_; }

    void accept() override;

Q_SIGNALS:
    /// After a save that changed something: the changed keys (SettingsKeys.h), sorted.
    void settingsChanged(const QStringList& keys);

protected:
    void showEvent(QShowEvent* event) override;

private:
    /// What the pages would write now, as key → value, through a scratch settings file (so an absent key
    /// and a control left at its default compare equal).
    QVariantMap snapshot() const;

    QListWidget* list_;
    QStackedWidget* stack_;
    QDialogButtonBox* buttons_;
    QLabel* problem_;
    QVariantMap baseline_; ///< snapshot() right after load() or the last save
    bool loading_ = false; ///< edits emitted while load() sets the controls do not count
};

} // namespace continuo::ui
