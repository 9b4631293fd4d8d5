#pragma once
// What the Sound and MIDI settings pages ask of the audio side, and how the studio applies the choice. The
// pages live in ui/, which never includes FluidSynth or RtMidi: app/ implements this on core/playback
// (app/audio/StudioSoundSystem) and hands it in through StudioServices.

#include "ui/settings/StudioSettings.h"

#include <string>
#include <vector>

namespace continuo::ui {

struct MidiPortList {
    std::vector<std::string> outputs; ///< ports the studio can play into
    std::vector<std::string> inputs;  ///< ports the studio can listen to
    std::string problem; ///< why there are none ("no ALSA sequencer … and no JACK server"), or ""
};

struct TestNoteResult {
    bool ok = false;     ///< the chord was sent to a running audio driver
    std::string message; ///< one sentence for the page: what was heard, or why nothing was
};

/// Thread contract: every method may be called from any thread, several at once (the implementation keeps
/// no state between calls), except apply(), which is for the GUI thread. The "fast" ones may run on the
/// GUI thread; the others block for the time they say and belong on a worker (QtConcurrent::run).
class ISoundSystem {
public:
    virtual ~ISoundSystem() = default;

    /// Audio driver names to offer: "auto" first, "none" last, between them those of "pulseaudio",
    /// "pipewire", "alsa", "jack" that the synth has built in. Fast.
    virtual std::vector<std::string> audioDrivers() const = 0;
    /// The SoundFont the default lookup finds (soundfonts/README.md), or "" when there is none. Fast
    /// (file existence checks only).
    virtual std::string defaultSoundFont() const = 0;
    /// "" when `path` is a readable SoundFont 2/3 file (its header is read, a few bytes), otherwise one
    /// sentence why not. Fast. A file with a good header may still fail to load: playTestNote says so.
    virtual std::string checkSoundFont(const std::string& path) const = 0;
    /// The MIDI ports of the system the studio uses (ALSA sequencer, else a JACK server). Tens of
    /// milliseconds: call it on a worker.
    virtual MidiPortList midiPorts() const = 0;
    /// Loads `settings`' SoundFont into a synth of its own with its audio driver and gain, plays a short
    /// C major chord and returns when it has faded (a few seconds, most of it loading). Worker only.
    virtual TestNoteResult playTestNote(const SoundSettings& settings) const = 0;
    /// Makes the running studio use `settings` (GUI thread; returns at once: a new SoundFont or driver
    /// loads on a worker while the old synth keeps sounding, see ITransport::isLoading).
    virtual void apply(const SoundSettings& settings) = 0;
};

} // namespace continuo::ui
