#pragma once
// Internal to core/playback (includes <fluidsynth.h>; never include it from a public header): owning
// handles for every FluidSynth object. Each new_/delete_ pair lives in FluidHandles.cpp and nowhere else.

#include <fluidsynth.h>

#include <memory>

namespace continuo::playback::fluid {

struct Deleter {
    void operator()(fluid_settings_t* p) const noexcept;
    void operator()(fluid_synth_t* p) const noexcept;
    void operator()(fluid_audio_driver_t* p) const noexcept;
    void operator()(fluid_sequencer_t* p) const noexcept;
    void operator()(fluid_event_t* p) const noexcept;
};

using SettingsPtr = std::unique_ptr<fluid_settings_t, Deleter>;
using SynthPtr = std::unique_ptr<fluid_synth_t, Deleter>;
using AudioDriverPtr = std::unique_ptr<fluid_audio_driver_t, Deleter>;
using SequencerPtr = std::unique_ptr<fluid_sequencer_t, Deleter>;
using EventPtr = std::unique_ptr<fluid_event_t, Deleter>;

/// Each throws std::bad_alloc when FluidSynth returns null for lack of memory.
SettingsPtr makeSettings();
SynthPtr makeSynth(fluid_settings_t* settings);
/// Null (not an exception) when the driver cannot start: "no audio device" is a normal state.
AudioDriverPtr makeAudioDriver(fluid_settings_t* settings, fluid_synth_t* synth);
/// A sequencer driven by the synth's sample clock (not the system timer).
SequencerPtr makeSampleClockSequencer();
EventPtr makeEvent();

} // namespace continuo::playback::fluid
