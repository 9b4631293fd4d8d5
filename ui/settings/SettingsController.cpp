#include "ui/settings/SettingsController.h"

#include "ui/settings/MidiPage.h"
#include "ui/settings/SettingsDialog.h"
#include "ui/settings/SettingsStore.h"
#include "ui/settings/SoundPage.h"

#include <QAction>
#include <QWidget>

namespace continuo::ui {

SettingsController::SettingsController(QWidget* window, std::shared_ptr<ISoundSystem> sound, QObject* parent)
    : QObject(parent)
    , window_(window)
    , sound_(std::move(sound))
    , action_(new QAction(tr("&Settings…"), this)) {
    // Linux desktops often bind nothing to Preferences; Ctrl+, is what most applications use then.
    QList<QKeySequence> keys = QKeySequence::keyBindings(QKeySequence::Preferences);
    if (keys.isEmpty()) keys = {QKeySequence(Qt::CTRL | Qt::Key_Comma)};
    action_->setShortcuts(keys);
    action_->setMenuRole(QAction::PreferencesRole);
    action_->setToolTip(tr("Sound, MIDI and other settings (%1)").arg(keys.front().toString()));
    connect(action_, &QAction::triggered, this, [this] { openDialog(); });
    // The sound system compares with what it runs and redoes only what differs (a gain change never
    // reloads the SoundFont).
    connect(&SettingsStore::studio(), &SettingsStore::changed, this, [this](const SettingsChange& change) {
        if (sound_ && change.touches(sections::kSound | sections::kMidi)) sound_->apply(change.after.sound);
    });
}

void SettingsController::addPageFactory(std::function<SettingsPage*()> make) {
    factories_.push_back(std::move(make));
}

SettingsDialog* SettingsController::openDialog() {
    if (dialog_) {
        dialog_->raise();
        dialog_->activateWindow();
        return dialog_;
    }
    auto* d = new SettingsDialog(window_);
    d->setAttribute(Qt::WA_DeleteOnClose);
    if (sound_) {
        d->addPage(new SoundPage(sound_));
        d->addPage(new MidiPage(sound_));
    }
    for (const auto& make : factories_)
        d->addPage(make());
    dialog_ = d;
    d->open();
    return d;
}

} // namespace continuo::ui
