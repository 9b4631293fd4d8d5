#pragma once
// The "MIDI" settings page: where playback goes (the built-in synth or a MIDI output port) and which MIDI
// input port the studio listens to. Ports are listed on a worker (Refresh lists them again).

#include "ui/settings/ISoundSystem.h"
#include "ui/settings/SettingsPage.h"

#include <QFutureWatcher>

#include <memory>

class QComboBox;
class QLabel;
class QPushButton;

namespace continuo::ui {

/// Thread contract: GUI thread; the port listing runs on Qt's thread pool and reports back here.
class MidiPage : public SettingsPage {
    Q_OBJECT
public:
    explicit MidiPage(std::shared_ptr<ISoundSystem> sound, QWidget* parent = nullptr);
    ~MidiPage() override;

    QString title() const override { return tr("MIDI"); }
    QIcon icon() const override;
    void load(const StudioSettings& settings) override;
    void save(StudioSettings& settings) const override;

    /// Lists the ports again on a worker; portsListed follows.
    void refresh();
    /// True from refresh() until portsListed (also while the finished listing waits in the event queue).
    bool listing() const { return listing_; }

    QComboBox* outputBox() const { return output_; }
    QComboBox* inputBox() const { return input_; }
    QPushButton* refreshButton() const { return refresh_; }
    /// Says how many ports there are, or why there are none.
    QLabel* status() const { return status_; }

Q_SIGNALS:
    /// GUI thread: a listing finished and the boxes hold its ports.
    void portsListed();

private:
    void fill(const MidiPortList& ports);

    std::shared_ptr<ISoundSystem> sound_;
    QComboBox* output_;
    QComboBox* input_;
    QPushButton* refresh_;
    QLabel* status_;
    QFutureWatcher<MidiPortList> watcher_;
    MidiPortList ports_; ///< the last listing
    bool listing_ = false;
};

} // namespace continuo::ui
