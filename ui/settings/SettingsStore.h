#pragma once
// The studio's settings on disk as a StudioSettings, and the one place they are written, so that every
// change is announced once, typed: the settings dialog saves the pages' copy here on OK/Apply, retraining
// saves its record and "Make active" here, and the consumers (the sound system, the model services)
// listen to changed() instead of diffing keys. On disk nothing moved: QSettings (organisation domain
// continuo.app, application "continuo") with the keys of SettingsKeys.h, so existing settings still load.

#include "ui/settings/StudioSettings.h"

#include <QObject>
#include <QStringList>

namespace continuo::ui {

/// Thread contract: GUI thread (changed() is emitted on the thread that saves, directly, and every saver is
/// on the GUI thread). read() may run on any thread: it only reads QSettings.
class SettingsStore : public QObject {
    Q_OBJECT
public:
    /// The studio's store. One per process, as QSettings' file is: every saver and listener in the studio
    /// uses this one, so no write escapes the announcement. Tests of the store may make their own.
    static SettingsStore& studio();

    using QObject::QObject;

    struct Loaded {
        StudioSettings settings;
        QStringList problems;    ///< one sentence per stored value that could not be used as it was
        SettingsFields replaced; ///< the fields those sentences are about
    };
    /// Reads the stored settings. A missing key gives the default; a value that is not of its type or out
    /// of its range gives what normalise() (StudioSettings.h) puts there, with a sentence in `problems`.
    static Loaded read();
    /// read().settings.
    StudioSettings current() const { return read().settings; }

    /// Stores `next`, normalised first (its sentences go to `problems` when given): writes the keys whose
    /// values changed (and those whose stored value could not be read as it was) and syncs, then emits
    /// changed() once when any value changed. Returns the change (fields empty when nothing changed).
    SettingsChange save(StudioSettings next, QStringList* problems = nullptr);

    // One field at a time, for the savers outside the dialog: read, set, save().
    SettingsChange setActiveModel(const QString& file);
    SettingsChange setPendingRun(const QString& json);
    SettingsChange setLastTrainingFolder(const QString& folder);

Q_SIGNALS:
    /// After a save() that changed at least one value. Emitted on the GUI thread, directly (listeners run
    /// inside save(), in the order they connected).
    void changed(const continuo::ui::SettingsChange& change);
};

} // namespace continuo::ui
