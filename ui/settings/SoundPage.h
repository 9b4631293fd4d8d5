#pragma once
// The "Sound" settings page: the SoundFont (a file, or the default the lookup finds), the audio driver, the
// master gain, and a Test note button that loads the chosen SoundFont on a worker and plays a chord.

#include "ui/settings/ISoundSystem.h"
#include "ui/settings/SettingsPage.h"

#include <QFutureWatcher>

#include <memory>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;

namespace continuo::ui {

/// Thread contract: GUI thread. The test note runs on Qt's thread pool and reports back here; closing the
/// dialog meanwhile is fine (the result is dropped).
class SoundPage : public SettingsPage {
    Q_OBJECT
public:
    explicit SoundPage(std::shared_ptr<ISoundSystem> sound, QWidget* parent = nullptr);
    ~SoundPage() override;

    QString title() const override { return tr("Sound"); }
    QIcon icon() const override;
    void load(const StudioSettings& settings) override;
    void save(StudioSettings& settings) const override;
    /// Set when the SoundFont field names a file that is not a readable SoundFont.
    QString problem() const override;

    /// The settings as the controls show them now.
    SoundSettings current() const;
    /// Starts the test note (what the button does); testFinished follows.
    void playTestNote();
    /// True from playTestNote() until testFinished.
    bool testing() const { return testing_; }

    // For tests and screenshots.
    QLineEdit* soundFontEdit() const { return soundFont_; }
    QComboBox* driverBox() const { return driver_; }
    QSlider* gainSlider() const { return gainSlider_; }
    QDoubleSpinBox* gainBox() const { return gainBox_; }
    QPushButton* testButton() const { return test_; }
    /// Says whether the SoundFont field is usable ("" when it is the default and one exists).
    QLabel* soundFontStatus() const { return check_; }
    QLabel* testStatus() const { return testStatus_; }

Q_SIGNALS:
    /// GUI thread: the test note finished; `message` is what the page shows.
    void testFinished(bool ok, const QString& message);

private:
    void browse();
    void recheck();
    void selectDriver(const QString& name);

    std::shared_ptr<ISoundSystem> sound_;
    QLineEdit* soundFont_;
    QLabel* default_;
    QLabel* check_;
    QComboBox* driver_;
    QSlider* gainSlider_;
    QDoubleSpinBox* gainBox_;
    QPushButton* test_;
    QLabel* testStatus_;
    QFutureWatcher<TestNoteResult> watcher_;
    bool testing_ = false;
};

} // namespace continuo::ui
