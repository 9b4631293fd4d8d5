#include "ui/settings/StudioSettings.h"

#include <QObject>

#include <algorithm>

namespace continuo::ui {

SettingsFields differences(const StudioSettings& a, const StudioSettings& b) {
    SettingsFields f;
    const auto mark = [&f](bool differ, SettingsField field) {
        if (differ) f |= field;
    };
    mark(a.sound.soundFont != b.sound.soundFont, SettingsField::SoundFont);
    mark(a.sound.audioDriver != b.sound.audioDriver, SettingsField::AudioDriver);
    mark(a.sound.gain != b.sound.gain, SettingsField::Gain);
    mark(a.sound.midiOutput != b.sound.midiOutput, SettingsField::MidiOutput);
    mark(a.sound.midiInput != b.sound.midiInput, SettingsField::MidiInput);
    mark(a.model.activeModel != b.model.activeModel, SettingsField::ActiveModel);
    mark(a.compute.device != b.compute.device, SettingsField::ComputeDevice);
    mark(a.compute.threads != b.compute.threads, SettingsField::CpuThreads);
    mark(a.retrain.pendingRun != b.retrain.pendingRun, SettingsField::PendingRun);
    mark(a.retrain.lastFolder != b.retrain.lastFolder, SettingsField::LastTrainingFolder);
    return f;
}

QStringList normalise(StudioSettings& s, int cpuCores, SettingsFields* replaced) {
    const StudioSettings defaults;
    QStringList problems;
    SettingsFields fixed;
    if (s.sound.audioDriver.empty()) s.sound.audioDriver = defaults.sound.audioDriver;
    // NaN fails both comparisons, so it is caught here too.
    if (!(s.sound.gain >= 0 && s.sound.gain <= 10)) {
        problems << QObject::tr("The gain %1 is outside 0–10: the default %2 is used.")
                        .arg(s.sound.gain)
                        .arg(defaults.sound.gain);
        s.sound.gain = defaults.sound.gain;
        fixed |= SettingsField::Gain;
    }
    const QString device = s.compute.device.trimmed().toLower();
    if (device == QLatin1String("auto") || device == QLatin1String("cpu") ||
        device == QLatin1String("cuda")) {
        s.compute.device = device;
    } else {
        problems << QObject::tr("The compute device \"%1\" is not auto, cpu or cuda: auto is used.")
                        .arg(s.compute.device);
        s.compute.device = defaults.compute.device;
        fixed |= SettingsField::ComputeDevice;
    }
    cpuCores = std::max(1, cpuCores);
    if (s.compute.threads < 0 || s.compute.threads > cpuCores) {
        const int to = s.compute.threads < 0 ? 0 : cpuCores;
        problems << (to == 0 ? QObject::tr("%1 CPU threads is not a thread count: every core is used.")
                                   .arg(s.compute.threads)
                             : QObject::tr("%1 CPU threads is more than the %2 cores here: %2 are used.")
                                   .arg(s.compute.threads)
                                   .arg(cpuCores));
        s.compute.threads = to;
        fixed |= SettingsField::CpuThreads;
    }
    if (replaced) *replaced = fixed;
    return problems;
}

} // namespace continuo::ui
