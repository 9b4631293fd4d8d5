#pragma once
// ui::ISoundSystem on core/playback: what the Sound and MIDI settings pages list and test (FluidSynth's
// drivers, the SoundFont lookup, RtMidi's ports, a test chord through a synth of its own), and applying
// the choice to the studio's SynthTransport.

#include "SynthTransport.h"
#include "ui/settings/ISoundSystem.h"

#include <memory>

namespace continuo::app {

/// Thread contract: as ui::ISoundSystem (the queries keep no state and may run on any thread at once;
/// apply() on the GUI thread).
class StudioSoundSystem final : public ui::ISoundSystem {
public:
    /// `transport` receives apply(); may be null (the queries alone, e.g. for a test).
    explicit StudioSoundSystem(std::shared_ptr<SynthTransport> transport = nullptr)
        : transport_(std::move(transport)) {}

    std::vector<std::string> audioDrivers() const override;
    std::string defaultSoundFont() const override;
    std::string checkSoundFont(const std::string& path) const override;
    ui::MidiPortList midiPorts() const override;
    ui::TestNoteResult playTestNote(const ui::SoundSettings& settings) const override;
    void apply(const ui::SoundSettings& settings) override;

private:
    std::shared_ptr<SynthTransport> transport_;
};

} // namespace continuo::app
