#pragma once
// The General MIDI synthesizer: FluidSynth with one SoundFont loaded once, an optional live audio driver,
// and FluidSynth's sequencer on the synth's sample clock for sample-accurate playback.

#include "playback/MidiSink.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace continuo::playback {

struct SynthOptions {
    /// .sf2/.sf3 to load; empty: the default lookup (see SoundFonts.h).
    std::filesystem::path soundFont;
    /// Hz, 22050–96000 (44100 and 48000 are the ones offered). A JACK driver imposes the server's rate.
    double sampleRate = 48000;
    /// Master gain, 0–10. FluidSynth's (and Debian's) default 0.2 is too quiet next to other players;
    /// 0.5 is 2.5× louder, and still leaves a dense arrangement (openmsx "boogi_marabi" through FluidR3,
    /// peak 1.02 of full scale at 0.5) at the edge of clipping rather than past it.
    double gain = 0.5;
    /// "auto" (PulseAudio — PipeWire answers as Pulse —, then ALSA, then JACK), "none" (offline only), or
    /// a FluidSynth driver name: "pulseaudio", "alsa", "jack", "oss", "sdl2".
    std::string audioDriver = "auto";
    /// Simultaneous voices, 16–4096.
    int polyphony = 256;
};

/// Thread contract: construct on any thread (the studio loads a SoundFont, which takes seconds, on a worker)
/// and hand the object over; destroy it on any thread once no other call on it can run. The MIDI calls
/// (send, noteOn, allNotesOff, …) and setGain may be made from any thread: FluidSynth serialises them. sendAt
/// and cancelPending belong to the one Player driving this synth (the player thread). The render* calls are
/// for a synth without audio driver, from one thread at a time.
class Synth final : public MidiSink {
public:
    /// Loads the SoundFont and, unless audioDriver is "none", starts the audio driver.
    /// Throws PlaybackError: SoundFontMissing / SoundFontInvalid (with FluidSynth's reason),
    /// InvalidArgument for a value out of range, NoAudioDevice only when a driver was named explicitly and
    /// failed ("auto" that finds no device is not an error: hasAudio() is false and audioStatus() says why).
    explicit Synth(const SynthOptions& options = {});
    ~Synth() override;
    Synth(const Synth&) = delete;
    Synth& operator=(const Synth&) = delete;

    const std::filesystem::path& soundFont() const;
    /// The rate the synth renders at, in Hz (the JACK server's when the JACK driver runs).
    double sampleRate() const;
    /// True when a live audio driver runs.
    bool hasAudio() const;
    /// The running driver's name ("pulseaudio", "alsa", "jack"), or "" without audio.
    const std::string& audioDriver() const;
    /// One line for a status bar: "audio: pulseaudio at 48000 Hz" or "no audio device (pulseaudio: …;
    /// alsa: …; jack: …)".
    const std::string& audioStatus() const;

    /// The audio drivers this FluidSynth was built with that SynthOptions::audioDriver may name besides
    /// "auto" and "none", in the order "auto" tries them, then the rest by name ("pulseaudio", "alsa",
    /// "jack", …). Any thread; no device is opened.
    static std::vector<std::string> audioDrivers();

    /// Master gain, 0–10 (SynthOptions::gain), applied at once to the sounding notes too. Any thread.
    /// Throws PlaybackError(InvalidArgument) outside 0–10.
    void setGain(double gain);
    double gain() const;

    /// Immediate MIDI, any thread. Channel 0–15; out-of-range values are masked to 7 bits.
    void send(const MidiMessage& message);
    void noteOn(int channel, int key, int velocity) { send(MidiMessage::noteOn(channel, key, velocity)); }
    void noteOff(int channel, int key) { send(MidiMessage::noteOff(channel, key)); }
    void programChange(int channel, int program) { send(MidiMessage::programChange(channel, program)); }
    /// Releases every sounding note on every channel (notes fade with their release, nothing is cut).
    void allNotesOff();
    /// Silences everything at once, releases included, and resets controllers (a panic button).
    void reset();
    /// Voices sounding now (a held note has at least one; a released one keeps its voices while it fades).
    /// Any thread.
    int activeVoiceCount() const;

    /// Offline rendering of `frames` stereo frames (interleaved L R) into `out`. Only without an audio
    /// driver (throws std::logic_error otherwise): the driver's thread would be rendering too.
    void renderInterleaved(std::int16_t* out, int frames);
    void renderInterleaved(float* out, int frames);

    // MidiSink: the clock is the synth's sample clock (it advances only while an audio driver runs).
    double clockSeconds() const override;
    double lookaheadSeconds() const override;
    void sendAt(const MidiMessage& message, double when) override;
    void cancelPending() override;
    bool canPlay(std::string* why = nullptr) const override;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace continuo::playback
