#pragma once
// Settings page "Compute": where the model runs (automatic, CPU, or CUDA when LibTorch sees a GPU) and how
// many CPU threads LibTorch uses (StudioSettings::compute).

#include "ui/settings/SettingsPage.h"

class QComboBox;
class QLabel;
class QSpinBox;

namespace continuo::ui {

class ComputeInfo;

/// Thread contract: GUI thread only.
class ComputePage : public SettingsPage {
    Q_OBJECT
public:
    /// `info` (not owned, outlives the page) says whether CUDA is there; CUDA is listed once it says so.
    explicit ComputePage(ComputeInfo* info, QWidget* parent = nullptr);

    QString title() const override { return tr("Compute"); }
    void load(const StudioSettings& settings) override;
    void save(StudioSettings& settings) const override;

    QComboBox* deviceBox() const { return device_; }
    QSpinBox* threadsBox() const { return threads_; }

private:
    /// Rebuilds the device list for what `info` knows now, keeping `choice` ("auto", "cpu", "cuda").
    void fillDevices(const QString& choice);
    QString currentDevice() const;

    ComputeInfo* info_;
    QComboBox* device_;
    QLabel* deviceNote_;
    QSpinBox* threads_;
};

} // namespace continuo::ui
