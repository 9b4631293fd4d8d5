#include "playback/FluidHandles.h"

#include <new>

namespace continuo::playback::fluid {

void Deleter::operator()(fluid_settings_t* p) const noexcept {
    delete_fluid_settings(p);
}
void Deleter::operator()(fluid_synth_t* p) const noexcept {
    delete_fluid_synth(p);
}
void Deleter::operator()(fluid_audio_driver_t* p) const noexcept {
    delete_fluid_audio_driver(p);
}
void Deleter::operator()(fluid_sequencer_t* p) const noexcept {
    delete_fluid_sequencer(p);
}
void Deleter::operator()(fluid_event_t* p) const noexcept {
    delete_fluid_event(p);
}

namespace {
template <class Ptr> Ptr checked(Ptr p) {
    if (!p) throw std::bad_alloc();
    return p;
}
} // namespace

SettingsPtr makeSettings() {
    return checked(SettingsPtr(new_fluid_settings()));
}
SynthPtr makeSynth(fluid_settings_t* settings) {
    return checked(SynthPtr(new_fluid_synth(settings)));
}
AudioDriverPtr makeAudioDriver(fluid_settings_t* settings, fluid_synth_t* synth) {
    return AudioDriverPtr(new_fluid_audio_driver(settings, synth));
}
SequencerPtr makeSampleClockSequencer() {
    return checked(SequencerPtr(new_fluid_sequencer2(0)));
}
EventPtr makeEvent() {
    return checked(EventPtr(new_fluid_event()));
}

} // namespace continuo::playback::fluid
