#include "playback/Synth.h"

#include "playback/AudioLibraries.h"
#include "playback/FluidHandles.h"
#include "playback/PlaybackError.h"
#include "playback/SoundFonts.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

namespace continuo::playback {

namespace {

// The sequencer counts milliseconds: FluidSynth's sample timer reports whole milliseconds anyway, and
// events are applied on its 64-sample blocks, so a finer scale would not move any event.
constexpr double kSequencerTicksPerSecond = 1000.0;
// Enough for the player to sleep between top-ups without the audio thread ever running dry.
constexpr double kLookaheadSeconds = 0.12;

void setNum(fluid_settings_t* s, const char* name, double value) {
    if (fluid_settings_setnum(s, name, value) != FLUID_OK) {
        throw PlaybackError(ErrorKind::InvalidArgument,
                            std::string("FluidSynth refused ") + name + " = " + std::to_string(value));
    }
}

} // namespace

struct Synth::Impl {
    // Declaration order is teardown order reversed: the driver stops the audio thread first, then the
    // sequencer (whose sample timer lives in the synth) goes before the synth, and the settings last.
    fluid::SettingsPtr settings;
    fluid::SynthPtr synth;
    fluid::SequencerPtr sequencer;
    fluid::EventPtr event; // reused by sendAt on the player thread: the sequencer copies it
    fluid::AudioDriverPtr driver;
    fluid_seq_id_t synthDest = -1;

    std::filesystem::path soundFont;
    double sampleRate = 48000;
    std::string driverName;
    std::string status;

    void startAudio(const std::string& requested) {
        if (requested == "none") {
            status = "audio off (offline rendering only)";
            return;
        }
        // Created before the driver so the sample timer is in place before the audio thread runs.
        sequencer = fluid::makeSampleClockSequencer();
        fluid_sequencer_set_time_scale(sequencer.get(), kSequencerTicksPerSecond);
        synthDest = fluid_sequencer_register_fluidsynth(sequencer.get(), synth.get());
        event = fluid::makeEvent();
        fluid_event_set_source(event.get(), -1);
        fluid_event_set_dest(event.get(), synthDest);

        fluid_settings_setint(settings.get(), "audio.jack.autoconnect", 1);
        fluid_settings_setstr(settings.get(), "audio.jack.id", "Continuo");
        const std::vector<std::string> candidates =
            requested == "auto" ? std::vector<std::string>{"pulseaudio", "alsa", "jack"}
                                : std::vector<std::string>{requested};
        std::string reasons;
        for (const std::string& name : candidates) {
            clearLastLibraryError();
            if (fluid_settings_setstr(settings.get(), "audio.driver", name.c_str()) != FLUID_OK) {
                reasons += (reasons.empty() ? "" : "; ") + name + ": not built into this FluidSynth";
                continue;
            }
            driver = fluid::makeAudioDriver(settings.get(), synth.get());
            if (driver) {
                driverName = name;
                break;
            }
            std::string why = takeLastLibraryError();
            reasons += (reasons.empty() ? "" : "; ") + name + ": " + (why.empty() ? "failed to start" : why);
        }
        if (!driver) {
            event.reset();
            sequencer.reset();
            synthDest = -1;
            status = "no audio device (" + reasons + ")";
            if (requested != "auto") throw PlaybackError(ErrorKind::NoAudioDevice, status);
            return;
        }
        // A JACK driver imposes the server's rate on the synth.
        fluid_settings_getnum(settings.get(), "synth.sample-rate", &sampleRate);
        status = "audio: " + driverName + " at " + std::to_string(std::lround(sampleRate)) + " Hz";
    }
};

Synth::Synth(const SynthOptions& options)
    : impl_(std::make_unique<Impl>()) {
    initAudioLibraries();
    if (!(options.sampleRate >= 22050 && options.sampleRate <= 96000)) {
        throw PlaybackError(ErrorKind::InvalidArgument,
                            "sample rate must be 22050–96000 Hz, not " + std::to_string(options.sampleRate));
    }
    if (!(options.gain >= 0 && options.gain <= 10)) {
        throw PlaybackError(ErrorKind::InvalidArgument,
                            "gain must be 0–10, not " + std::to_string(options.gain));
    }
    if (options.polyphony < 16 || options.polyphony > 4096) {
        throw PlaybackError(ErrorKind::InvalidArgument,
                            "polyphony must be 16–4096, not " + std::to_string(options.polyphony));
    }
    Impl& d = *impl_;
    d.soundFont = resolveSoundFont(options.soundFont);
    d.sampleRate = options.sampleRate;

    d.settings = fluid::makeSettings();
    setNum(d.settings.get(), "synth.sample-rate", options.sampleRate);
    setNum(d.settings.get(), "synth.gain", options.gain);
    fluid_settings_setint(d.settings.get(), "synth.polyphony", options.polyphony);
    d.synth = fluid::makeSynth(d.settings.get());

    clearLastLibraryError();
    if (fluid_synth_sfload(d.synth.get(), d.soundFont.c_str(), 1) == FLUID_FAILED) {
        const std::string why = takeLastLibraryError();
        throw PlaybackError(ErrorKind::SoundFontInvalid, "cannot load SoundFont " + d.soundFont.string() +
                                                             ": " +
                                                             (why.empty() ? "FluidSynth refused it" : why));
    }
    d.startAudio(options.audioDriver);
}

Synth::~Synth() {
    if (impl_->driver) allNotesOff();
}

const std::filesystem::path& Synth::soundFont() const {
    return impl_->soundFont;
}
double Synth::sampleRate() const {
    return impl_->sampleRate;
}
bool Synth::hasAudio() const {
    return impl_->driver != nullptr;
}
const std::string& Synth::audioDriver() const {
    return impl_->driverName;
}
const std::string& Synth::audioStatus() const {
    return impl_->status;
}

std::vector<std::string> Synth::audioDrivers() {
    initAudioLibraries();
    std::vector<std::string> all;
    fluid::SettingsPtr settings = fluid::makeSettings();
    fluid_settings_foreach_option(settings.get(), "audio.driver", &all,
                                  [](void* data, const char*, const char* option) {
                                      static_cast<std::vector<std::string>*>(data)->push_back(option);
                                  });
    // "auto"'s order first, then whatever else this FluidSynth offers (oss, sdl2, file, …) by name;
    // "file" writes fluidsynth.wav into the working folder, which is never what a listener wants.
    std::vector<std::string> out;
    for (const char* preferred : {"pulseaudio", "alsa", "jack"})
        if (std::find(all.begin(), all.end(), preferred) != all.end()) out.push_back(preferred);
    std::sort(all.begin(), all.end());
    for (const std::string& d : all)
        if (d != "file" && std::find(out.begin(), out.end(), d) == out.end()) out.push_back(d);
    return out;
}

void Synth::setGain(double gain) {
    if (!(gain >= 0 && gain <= 10))
        throw PlaybackError(ErrorKind::InvalidArgument, "gain must be 0–10, not " + std::to_string(gain));
    fluid_synth_set_gain(impl_->synth.get(), float(gain));
}

double Synth::gain() const {
    return fluid_synth_get_gain(impl_->synth.get());
}

void Synth::send(const MidiMessage& m) {
    fluid_synth_t* s = impl_->synth.get();
    const int ch = m.channel();
    switch (m.type()) {
    case 0x80:
        fluid_synth_noteoff(s, ch, m.bytes[1]);
        break;
    case 0x90:
        if (m.bytes[2] == 0) {
            fluid_synth_noteoff(s, ch, m.bytes[1]);
        } else {
            fluid_synth_noteon(s, ch, m.bytes[1], m.bytes[2]);
        }
        break;
    case 0xA0:
        fluid_synth_key_pressure(s, ch, m.bytes[1], m.bytes[2]);
        break;
    case 0xB0:
        fluid_synth_cc(s, ch, m.bytes[1], m.bytes[2]);
        break;
    case 0xC0:
        fluid_synth_program_change(s, ch, m.bytes[1]);
        break;
    case 0xD0:
        fluid_synth_channel_pressure(s, ch, m.bytes[1]);
        break;
    case 0xE0:
        fluid_synth_pitch_bend(s, ch, m.bytes[1] | (m.bytes[2] << 7));
        break;
    default:
        break;
    }
}

void Synth::allNotesOff() {
    fluid_synth_all_notes_off(impl_->synth.get(), -1);
}

int Synth::activeVoiceCount() const {
    return fluid_synth_get_active_voice_count(impl_->synth.get());
}

void Synth::reset() {
    cancelPending();
    fluid_synth_all_sounds_off(impl_->synth.get(), -1);
    fluid_synth_system_reset(impl_->synth.get());
}

void Synth::renderInterleaved(std::int16_t* out, int frames) {
    if (impl_->driver) throw std::logic_error("Synth::renderInterleaved needs a synth without audio driver");
    fluid_synth_write_s16(impl_->synth.get(), frames, out, 0, 2, out, 1, 2);
}

void Synth::renderInterleaved(float* out, int frames) {
    if (impl_->driver) throw std::logic_error("Synth::renderInterleaved needs a synth without audio driver");
    fluid_synth_write_float(impl_->synth.get(), frames, out, 0, 2, out, 1, 2);
}

double Synth::clockSeconds() const {
    if (!impl_->sequencer) return 0;
    return fluid_sequencer_get_tick(impl_->sequencer.get()) / kSequencerTicksPerSecond;
}

double Synth::lookaheadSeconds() const {
    return kLookaheadSeconds;
}

void Synth::sendAt(const MidiMessage& m, double when) {
    Impl& d = *impl_;
    if (!d.sequencer) return;
    fluid_event_t* e = d.event.get();
    const int ch = m.channel();
    switch (m.type()) {
    case 0x80:
        fluid_event_noteoff(e, ch, short(m.bytes[1]));
        break;
    case 0x90:
        if (m.bytes[2] == 0) {
            fluid_event_noteoff(e, ch, short(m.bytes[1]));
        } else {
            fluid_event_noteon(e, ch, short(m.bytes[1]), short(m.bytes[2]));
        }
        break;
    case 0xA0:
        fluid_event_key_pressure(e, ch, short(m.bytes[1]), short(m.bytes[2]));
        break;
    case 0xB0:
        fluid_event_control_change(e, ch, short(m.bytes[1]), short(m.bytes[2]));
        break;
    case 0xC0:
        fluid_event_program_change(e, ch, m.bytes[1]);
        break;
    case 0xD0:
        fluid_event_channel_pressure(e, ch, m.bytes[1]);
        break;
    case 0xE0:
        fluid_event_pitch_bend(e, ch, m.bytes[1] | (m.bytes[2] << 7));
        break;
    default:
        return;
    }
    const double ticks = std::max(0.0, std::round(when * kSequencerTicksPerSecond));
    fluid_sequencer_send_at(d.sequencer.get(), e, static_cast<unsigned int>(ticks), 1);
}

void Synth::cancelPending() {
    Impl& d = *impl_;
    if (d.sequencer) fluid_sequencer_remove_events(d.sequencer.get(), -1, d.synthDest, -1);
}

bool Synth::canPlay(std::string* why) const {
    if (impl_->driver) return true;
    if (why) *why = impl_->status;
    return false;
}

} // namespace continuo::playback
