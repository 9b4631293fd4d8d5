#pragma once
// Where the studio's settings live on disk: one QSettings key per field of StudioSettings (the types and
// defaults are there; SettingsStore is the only code that reads and writes these keys, and the tests use
// them to check the file). Stored with QSettings (organisation domain continuo.app, application "continuo");
// tests run with QStandardPaths test mode so they never touch the user's real settings.

#include <QDir>
#include <QStandardPaths>
#include <QString>

namespace continuo::ui::settings {

// Sound ------------------------------------------------------------------------------------------------
/// QString: a .sf2/.sf3 file; "" = the default lookup (soundfonts/README.md).
inline constexpr const char* kSoundFont = "sound/soundFont";
/// QString: "auto", "pulseaudio", "alsa", "jack", "none" (FluidSynth driver names, SynthOptions).
inline constexpr const char* kAudioDriver = "sound/audioDriver";
/// double: master gain 0–10, default 0.5 (SynthOptions::gain).
inline constexpr const char* kGain = "sound/gain";

// MIDI -------------------------------------------------------------------------------------------------
/// QString: "" = play through the built-in synth; otherwise the name of an RtMidi output port.
inline constexpr const char* kMidiOutput = "midi/output";
/// QString: "" = no input; otherwise the name of an RtMidi input port (played notes are heard and recorded).
inline constexpr const char* kMidiInput = "midi/input";

// Model ------------------------------------------------------------------------------------------------
/// QString: the active model file (.cmodel); "" = the shipped default model.
inline constexpr const char* kActiveModel = "model/active";

// Compute ----------------------------------------------------------------------------------------------
/// QString: "auto", "cpu" or "cuda" (model::resolveDevice).
inline constexpr const char* kComputeDevice = "compute/device";
/// int: CPU threads for LibTorch, 0 = every core.
inline constexpr const char* kCpuThreads = "compute/threads";

// Retraining -------------------------------------------------------------------------------------------
/// QString (JSON): an interrupted training run that can be resumed, even after a restart; "" = none.
inline constexpr const char* kPendingTraining = "retrain/pending";
/// QString: the folder chosen last time for retraining.
inline constexpr const char* kLastTrainingFolder = "retrain/lastFolder";

/// Where the user's trained and imported models live (created on demand): AppDataLocation/models.
inline QString userModelsDir() {
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath("models");
}

} // namespace continuo::ui::settings
