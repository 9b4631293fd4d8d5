#include "ui/settings/SettingsStore.h"

#include "ui/settings/SettingsKeys.h"

#include <QSettings>
#include <QThread>

#include <algorithm>
#include <type_traits>

namespace continuo::ui {

namespace {
namespace k = settings;

int cpuCores() {
    return std::max(1, QThread::idealThreadCount());
}

/// A number stored as text (QSettings' INI files hold nothing else) or as a number; `fallback` with a
/// sentence when it is neither.
template <class T>
T number(const QSettings& s, const char* key, T fallback, const QString& what, QStringList& problems,
         SettingsFields& replaced, SettingsField field) {
    const QVariant v = s.value(key);
    if (!v.isValid()) return fallback;
    bool ok = false;
    T value;
    if constexpr (std::is_same_v<T, double>)
        value = v.toString().trimmed().toDouble(&ok);
    else
        value = v.toString().trimmed().toInt(&ok);
    if (ok) return value;
    problems << QObject::tr("The stored %1 \"%2\" is not a number: the default %3 is used.")
                    .arg(what, v.toString())
                    .arg(fallback);
    replaced |= field;
    return fallback;
}

QString text(const QSettings& s, const char* key, const QString& fallback = {}) {
    return s.value(key, fallback).toString();
}

void write(QSettings& s, SettingsFields fields, const StudioSettings& v) {
    const auto put = [&](SettingsField f, const char* key, const QVariant& value) {
        if (fields.testFlag(f)) s.setValue(key, value);
    };
    put(SettingsField::SoundFont, k::kSoundFont, QString::fromStdString(v.sound.soundFont));
    put(SettingsField::AudioDriver, k::kAudioDriver, QString::fromStdString(v.sound.audioDriver));
    put(SettingsField::Gain, k::kGain, v.sound.gain);
    put(SettingsField::MidiOutput, k::kMidiOutput, QString::fromStdString(v.sound.midiOutput));
    put(SettingsField::MidiInput, k::kMidiInput, QString::fromStdString(v.sound.midiInput));
    put(SettingsField::ActiveModel, k::kActiveModel, v.model.activeModel);
    put(SettingsField::ComputeDevice, k::kComputeDevice, v.compute.device);
    put(SettingsField::CpuThreads, k::kCpuThreads, v.compute.threads);
    put(SettingsField::LastTrainingFolder, k::kLastTrainingFolder, v.retrain.lastFolder);
    // No pending run is no key, as the training controller has always left it.
    if (fields.testFlag(SettingsField::PendingRun)) {
        if (v.retrain.pendingRun.isEmpty())
            s.remove(k::kPendingTraining);
        else
            s.setValue(k::kPendingTraining, v.retrain.pendingRun);
    }
}
} // namespace

SettingsStore& SettingsStore::studio() {
    static SettingsStore store;
    return store;
}

SettingsStore::Loaded SettingsStore::read() {
    const QSettings s;
    Loaded r;
    StudioSettings& v = r.settings;
    const StudioSettings defaults;
    v.sound.soundFont = text(s, k::kSoundFont).toStdString();
    v.sound.audioDriver =
        text(s, k::kAudioDriver, QString::fromStdString(defaults.sound.audioDriver)).toStdString();
    v.sound.gain = number(s, k::kGain, defaults.sound.gain, QObject::tr("gain"), r.problems, r.replaced,
                          SettingsField::Gain);
    v.sound.midiOutput = text(s, k::kMidiOutput).toStdString();
    v.sound.midiInput = text(s, k::kMidiInput).toStdString();
    v.model.activeModel = text(s, k::kActiveModel);
    v.compute.device = text(s, k::kComputeDevice, defaults.compute.device);
    v.compute.threads = number(s, k::kCpuThreads, defaults.compute.threads, QObject::tr("CPU thread count"),
                               r.problems, r.replaced, SettingsField::CpuThreads);
    v.retrain.pendingRun = text(s, k::kPendingTraining);
    v.retrain.lastFolder = text(s, k::kLastTrainingFolder);
    SettingsFields outOfRange;
    r.problems << normalise(v, cpuCores(), &outOfRange);
    r.replaced |= outOfRange;
    return r;
}

SettingsChange SettingsStore::save(StudioSettings next, QStringList* problems) {
    const QStringList said = normalise(next, cpuCores());
    if (problems) *problems = said;
    const Loaded before = read();
    SettingsChange change{differences(before.settings, next), before.settings, next};
    // A stored value that could not be used is rewritten even when its replacement is what is saved, so
    // the next start does not complain about it again.
    const SettingsFields toWrite = change.fields | before.replaced;
    if (toWrite) {
        QSettings s;
        write(s, toWrite, next);
        s.sync();
    }
    if (change.fields) Q_EMIT changed(change);
    return change;
}

SettingsChange SettingsStore::setActiveModel(const QString& file) {
    StudioSettings next = current();
    next.model.activeModel = file;
    return save(next);
}

SettingsChange SettingsStore::setPendingRun(const QString& json) {
    StudioSettings next = current();
    next.retrain.pendingRun = json;
    return save(next);
}

SettingsChange SettingsStore::setLastTrainingFolder(const QString& folder) {
    StudioSettings next = current();
    next.retrain.lastFolder = folder;
    return save(next);
}

} // namespace continuo::ui
