#pragma once
// One page of the settings dialog. Each page shows its fields of a StudioSettings copy and writes them back
// into a copy; the dialog calls load() when it opens and save() on OK/Apply, then hands the copy to the
// SettingsStore, which announces what changed (the page itself never reaches into the running studio).

#include "ui/settings/StudioSettings.h"

#include <QIcon>
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
    /// Sets the controls from this page's fields of `settings`.
    virtual void load(const StudioSettings& settings) = 0;
    /// Writes the controls into this page's fields of `settings`, leaving the other fields alone.
    virtual void save(StudioSettings& settings) const = 0;
    /// Why the controls cannot be saved as they are (one sentence, e.g. "x.sf2 is not a SoundFont"), or ""
    /// when they can. The dialog refuses OK/Apply and shows this page while one is set.
    virtual QString problem() const { return {}; }

Q_SIGNALS:
    /// A control changed since load() (the dialog enables Apply).
    void edited();
};

} // namespace continuo::ui
