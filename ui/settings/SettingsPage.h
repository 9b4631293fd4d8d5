#pragma once
// One page of the settings dialog. Each page reads its controls from QSettings and writes them back; the
// dialog calls load() when it opens and save() on OK/Apply, then emits what changed so the studio can apply
// it (the page itself never reaches into the running studio).

#include <QIcon>
#include <QSettings>
#include <QString>
#include <QWidget>

namespace continuo::ui {

/// Thread contract: GUI thread only.
class SettingsPage : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;
    /// Shown in the dialog's page list ("Sound", "MIDI", "Model", "Compute").
    virtual QString title() const = 0;
    virtual QIcon icon() const { return {}; }
    /// Sets the controls from `settings` (missing keys: the defaults in SettingsKeys.h).
    virtual void load(const QSettings& settings) = 0;
    /// Writes the controls to `settings`.
    virtual void save(QSettings& settings) const = 0;
    /// Why the controls cannot be saved as they are (one sentence, e.g. "x.sf2 is not a SoundFont"), or ""
    /// when they can. The dialog refuses OK/Apply and shows this page while one is set.
    virtual QString problem() const { return {}; }

Q_SIGNALS:
    /// A control changed since load() (the dialog enables Apply).
    void edited();
};

} // namespace continuo::ui
