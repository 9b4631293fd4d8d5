#pragma once
// The studio's ITransport and IAudition on core/playback: a Player driving the FluidSynth Synth (the default
// SoundFont, found without configuration), and OfflineRender for Export WAV. Only app/ sees FluidSynth;
// the studio sees the two ui/ interfaces.

#include "playback/MidiSink.h"
#include "playback/Player.h"
#include "playback/Synth.h"
#include "ui/playback/IAudition.h"
#include "ui/playback/ITransport.h"

#include <filesystem>
#include <memory>
#include <string>

namespace continuo::app {

/// Thread contract: as ITransport (every call on the GUI thread, none waits on audio), except renderWav,
/// which blocks and is meant for a worker thread; it uses its own synth, so it may run while playing.
/// Construct and destroy on the GUI thread (Synth's contract).
class SynthTransport final : public ui::ITransport {
public:
    /// The studio's transport: the default SoundFont lookup and the "auto" audio driver. Never throws: a
    /// missing SoundFont or audio device leaves a transport that says why in unavailableReason() (the
    /// studio must open anyway) and, when a SoundFont exists, can still render WAV files.
    static std::shared_ptr<SynthTransport> createDefault();

    /// Plays into `sink` (not owned; outlives this) and renders with `soundFont` (empty: default lookup).
    /// For tests: a sink on the steady clock drives a real Player on a machine without a sound card.
    SynthTransport(playback::MidiSink& sink, std::filesystem::path soundFont);
    ~SynthTransport() override;

    /// The live synth, or nullptr (no SoundFont, or a test sink). The audition plays through it.
    playback::Synth* synth() const { return synth_.get(); }

    std::string unavailableReason() const override { return reason_; }
    void play(const music::Song& song, std::int64_t fromTick) override;
    void stop() override;
    bool isPlaying() const override;
    void setLoop(std::optional<ui::LoopRange> loop) override;
    std::int64_t position() const override;
    void renderWav(const music::Song& song, const std::string& path) override;

private:
    SynthTransport() = default;

    // Declaration order is destruction order reversed: the player stops before the synth it drives goes.
    std::unique_ptr<playback::Synth> synth_;
    std::unique_ptr<playback::Player> player_;
    std::filesystem::path soundFont_;
    std::string reason_;
    std::string renderProblem_;      ///< why renderWav cannot work (no SoundFont), "" when it can
    bool requested_ = false;         ///< the last play/stop asked for, until the player thread takes it up
    std::int64_t requestedTick_ = 0; ///< where the last play() starts
};

/// Keyboard clicks and drawn notes through the transport's live synth; silent without one.
/// Thread contract: GUI thread (IAudition); Synth's MIDI calls are thread-safe and return at once.
class SynthAudition final : public ui::IAudition {
public:
    explicit SynthAudition(std::shared_ptr<SynthTransport> transport)
        : transport_(std::move(transport)) {}
    void noteOn(int channel, int program, int pitch, int velocity) override;
    void noteOff(int channel, int pitch) override;
    void allNotesOff() override;

private:
    playback::Synth* liveSynth() const;
    std::shared_ptr<SynthTransport> transport_; ///< keeps the synth alive as long as the audition
};

} // namespace continuo::app
