#include "ui/models/ComputePage.h"

#include "ui/models/ComputeInfo.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace continuo::ui {

ComputePage::ComputePage(ComputeInfo* info, QWidget* parent)
    : SettingsPage(parent)
    , info_(info)
    , device_(new QComboBox(this))
    , deviceNote_(new QLabel(this))
    , threads_(new QSpinBox(this)) {
    auto* form = new QFormLayout;
    form->addRow(tr("&Device:"), device_);
    form->addRow(QString(), deviceNote_);
    deviceNote_->setWordWrap(true);
    threads_->setRange(0, ComputeInfo::cpuCores());
    threads_->setSpecialValueText(tr("All cores (%1)").arg(ComputeInfo::cpuCores()));
    threads_->setToolTip(tr("CPU threads LibTorch uses for generating and training."));
    form->addRow(tr("CPU &threads:"), threads_);
    auto* help = new QLabel(tr("Changes apply to the next generation; a running one finishes first."), this);
    help->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(help);
    layout->addStretch();
    fillDevices(QStringLiteral("auto"));
    connect(device_, &QComboBox::currentIndexChanged, this, &SettingsPage::edited);
    connect(threads_, &QSpinBox::valueChanged, this, &SettingsPage::edited);
    connect(info_, &ComputeInfo::cudaDevicesChanged, this, [this] { fillDevices(currentDevice()); });
}

QString ComputePage::currentDevice() const {
    return device_->currentData().toString();
}

void ComputePage::fillDevices(const QString& choice) {
    const QSignalBlocker block(device_);
    const int gpus = info_->cudaDevices();
    device_->clear();
    device_->addItem(tr("Automatic (CUDA when available, else CPU)"), QStringLiteral("auto"));
    device_->addItem(tr("CPU"), QStringLiteral("cpu"));
    if (gpus > 0)
        device_->addItem(tr("CUDA GPU"), QStringLiteral("cuda"));
    else if (choice == QLatin1String("cuda"))
        // Kept so that saving does not silently change the user's choice; the studio falls back to the CPU.
        device_->addItem(gpus < 0 ? tr("CUDA GPU (checking…)") : tr("CUDA GPU (none found: the CPU is used)"),
                         QStringLiteral("cuda"));
    device_->setCurrentIndex(std::max(0, device_->findData(choice)));
    if (gpus < 0)
        deviceNote_->setText(tr("Checking whether LibTorch sees a CUDA GPU…"));
    else if (gpus == 0)
        deviceNote_->setText(tr("LibTorch sees no CUDA GPU on this machine: the model runs on the CPU."));
    else
        deviceNote_->setText(gpus == 1 ? tr("LibTorch sees one CUDA GPU.")
                                       : tr("LibTorch sees %1 CUDA GPUs.").arg(gpus));
}

void ComputePage::load(const StudioSettings& settings) {
    fillDevices(settings.compute.device);
    const QSignalBlocker block(threads_);
    threads_->setValue(settings.compute.threads);
}

void ComputePage::save(StudioSettings& settings) const {
    settings.compute.device = currentDevice();
    settings.compute.threads = threads_->value();
}

} // namespace continuo::ui
