#pragma once
// The studio's settings as one typed value: what the settings pages edit (each page its fields of a copy),
// what SettingsStore reads from and writes to QSettings (the keys of SettingsKeys.h), and what a change
// announces (SettingsChange: which fields, the values before and after). Plain values, no I/O.

#include <QFlags>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <string>

namespace continuo::ui {

/// Settings ▸ Sound and ▸ MIDI: the choices the audio side applies as one (ISoundSystem::apply).
struct SoundSettings {
    std::string soundFont;            ///< "" = the default lookup (soundfonts/README.md)
    std::string audioDriver = "auto"; ///< "auto", "none" or a FluidSynth driver name; never ""
    double gain = 0.5;                ///< master gain 0–10 (SynthOptions::gain)
    std::string midiOutput;           ///< "" = the built-in synth, else an output port's name
    std::string midiInput;            ///< "" = none, else an input port's name
    bool operator==(const SoundSettings&) const = default;
};

/// Settings ▸ Model.
struct ModelSettings {
    QString activeModel; ///< the active model file (.cmodel); "" = the shipped default
    bool operator==(const ModelSettings&) const = default;
};

/// Settings ▸ Compute.
struct ComputeSettings {
    QString device = QStringLiteral("auto"); ///< "auto", "cpu" or "cuda" (model::resolveDevice)
    int threads = 0; ///< LibTorch's CPU threads: 0 = every core, else 1 … the cores there are
    bool operator==(const ComputeSettings&) const = default;
};

/// What retraining remembers between runs (no page edits these; ui/retrain writes them).
struct RetrainSettings {
    QString pendingRun; ///< an interrupted run that can be resumed (PendingRun as JSON), "" = none
    QString lastFolder; ///< the folder chosen last time for retraining, "" = none yet
    bool operator==(const RetrainSettings&) const = default;
};

struct StudioSettings {
    SoundSettings sound;
    ModelSettings model;
    ComputeSettings compute;
    RetrainSettings retrain;
    bool operator==(const StudioSettings&) const = default;
};

/// One bit per stored field, so a listener asks about exactly what it applies.
enum class SettingsField : std::uint32_t {
    SoundFont = 1u << 0,
    AudioDriver = 1u << 1,
    Gain = 1u << 2,
    MidiOutput = 1u << 3,
    MidiInput = 1u << 4,
    ActiveModel = 1u << 5,
    ComputeDevice = 1u << 6,
    CpuThreads = 1u << 7,
    PendingRun = 1u << 8,
    LastTrainingFolder = 1u << 9,
};
Q_DECLARE_FLAGS(SettingsFields, SettingsField)
Q_DECLARE_OPERATORS_FOR_FLAGS(SettingsFields)

/// The fields of each section, for listeners that apply a section as a whole.
namespace sections {
inline constexpr SettingsFields kSound{SettingsField::SoundFont | SettingsField::AudioDriver |
                                       SettingsField::Gain};
inline constexpr SettingsFields kMidi{SettingsField::MidiOutput | SettingsField::MidiInput};
inline constexpr SettingsFields kModel{SettingsField::ActiveModel};
inline constexpr SettingsFields kCompute{SettingsField::ComputeDevice | SettingsField::CpuThreads};
inline constexpr SettingsFields kRetrain{SettingsField::PendingRun | SettingsField::LastTrainingFolder};
} // namespace sections

/// The fields whose values differ between `a` and `b`.
SettingsFields differences(const StudioSettings& a, const StudioSettings& b);

/// What one save changed: the fields (never none: an unchanged save announces nothing) and the whole
/// settings before and after it, so a listener reads the new values from here, not from disk.
struct SettingsChange {
    SettingsFields fields;
    StudioSettings before;
    StudioSettings after;
    /// True when any of `any` changed.
    bool touches(SettingsFields any) const { return fields.testAnyFlags(any); }
};

/// Brings every value into its range: an audio driver "" becomes "auto"; a gain that is not a number or
/// lies outside 0–10 becomes the default 0.5; a device other than auto/cpu/cuda (any case) becomes "auto";
/// threads below 0 become 0 (every core) and above `cpuCores` become `cpuCores`. Returns one sentence per
/// value replaced (an empty driver and a device's letter case are not worth one) and sets the replaced
/// fields in `replaced` when given.
QStringList normalise(StudioSettings& s, int cpuCores, SettingsFields* replaced = nullptr);

} // namespace continuo::ui
