#pragma once
// Settings… in the studio: the action (Preferences shortcut, Ctrl+, where the platform has none), the
// dialog built with its pages each time it opens, and the Sound and MIDI settings applied to the sound
// system whenever the SettingsStore announces a change of them. Owned by MainWindow.
//
// Adding a page: controller->addPageFactory([=] { return new MyPage(...); }); and, to apply it,
// connect(&SettingsStore::studio(), &SettingsStore::changed, ..., [](const SettingsChange& c) { ... }).

#include "ui/settings/ISoundSystem.h"
#include "ui/settings/SettingsDialog.h"

#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>
#include <vector>

class QAction;
class QWidget;

namespace continuo::ui {

class SettingsPage;

/// Thread contract: GUI thread only.
class SettingsController : public QObject {
    Q_OBJECT
public:
    /// `window` parents the dialog; `sound` may be null (no audio in this build: no Sound/MIDI pages).
    /// From now on, a saved change of the Sound or MIDI fields goes to `sound->apply`.
    SettingsController(QWidget* window, std::shared_ptr<ISoundSystem> sound, QObject* parent = nullptr);

    /// "Settings…": opens (or raises) the dialog.
    QAction* action() const { return action_; }
    /// Adds a page made fresh each time the dialog opens, after the Sound and MIDI pages.
    void addPageFactory(std::function<SettingsPage*()> make);

    /// Opens the dialog (window-modal, not blocking) and returns it; it deletes itself when closed.
    SettingsDialog* openDialog();
    /// The open dialog, or null.
    SettingsDialog* dialog() const { return dialog_; }

private:
    QWidget* window_;
    std::shared_ptr<ISoundSystem> sound_;
    QAction* action_;
    std::vector<std::function<SettingsPage*()>> factories_;
    QPointer<SettingsDialog> dialog_;
};

} // namespace continuo::ui
