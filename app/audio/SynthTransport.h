#pragma once
// The studio's ITransport and IAudition on core/playback: a Player driving the FluidSynth Synth or a MIDI
// output port, the SoundFont loaded on a worker (the window never waits for it), MIDI input heard through
// the current output, and OfflineRender for Export WAV. Only app/ sees FluidSynth and RtMidi; the studio
// sees the ui/ interfaces.

#include "LiveOutput.h"
#include "playback/MidiSink.h"
#include "playback/Player.h"
#include "playback/Synth.h"
#include "ui/playback/IAudition.h"
#include "ui/playback/IRecorder.h"
#include "ui/playback/ITransport.h"
#include "ui/settings/ISoundSystem.h"

#include <QObject>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

namespace continuo::playback {
class MidiOut;
class MidiRecorder;
} // namespace continuo::playback

namespace continuo::app {

class MidiInputPump;

/// Thread contract: as ITransport (every call on the GUI thread, none waits on audio or on a SoundFont
/// load), except renderWav, which blocks and is meant for a worker thread; it uses its own synth, so it may
/// run while playing. Construct and destroy on the GUI thread, which must run an event loop for loads to
/// finish. SoundFonts load on Qt's thread pool; the result is taken up on the GUI thread, and the state
/// listener is called there, queued. Notes from the MIDI input reach the output on the input's own thread
/// (MidiInputPump → LiveOutput), not through the GUI thread.
class SynthTransport final : public ui::ITransport, public ui::IRecorder {
public:
    /// The studio's transport with `settings` (SoundFont, driver, gain, MIDI ports). Returns at once:
    /// the SoundFont loads on a worker (isLoading() until then); MIDI ports open here (milliseconds). Never
    /// throws: a missing SoundFont, audio device or port leaves a transport that says why in
    /// unavailableReason() and the listener's notice (the studio must open anyway).
    static std::shared_ptr<SynthTransport> create(const ui::SoundSettings& settings = {});

    /// Plays into `sink` (not owned; outlives this) and renders with `soundFont` (empty: default lookup).
    /// For tests: a sink on the steady clock drives a real Player on a machine without a sound card.
    SynthTransport(playback::MidiSink& sink, std::filesystem::path soundFont);
    ~SynthTransport() override;

    /// Applies `settings`, redoing only what differs from the current ones: gain at once on the live synth;
    /// a new SoundFont or driver loads on a worker while the old synth keeps sounding (a failure keeps the
    /// old one and the notice says why); MIDI output and input ports reopen here (a port that cannot open
    /// falls back to the synth / no input, with a notice). Playback stops when its output changes.
    void configure(const ui::SoundSettings& settings);
    const ui::SoundSettings& settings() const { return settings_; }

    /// The live synth, or nullptr (none loaded yet, none could load, or a test sink).
    playback::Synth* synth() const { return synth_.get(); }
    /// The name of the MIDI output port playback goes to, or "" for the synth.
    std::string outputPort() const;
    /// The name of the MIDI input port listened to, or "".
    std::string inputPort() const;

    /// Immediate MIDI from the on-screen keyboard or a drawn note: to the output port when playback goes to
    /// one, else to the synth when it sounds; dropped otherwise (LiveOutput). GUI thread.
    void audition(const playback::MidiMessage& message);
    void auditionAllNotesOff();

    std::string unavailableReason() const override;
    void play(const music::Song& song, std::int64_t fromTick) override;
    void stop() override;
    bool isPlaying() const override;
    void setLoop(std::optional<ui::LoopRange> loop) override;
    std::int64_t position() const override;
    bool renderWav(const music::Song& song, const std::string& path,
                   const RenderProgress& progress = {}) override;
    bool isLoading() const override;
    void setStateListener(StateListener listener) override { listener_ = std::move(listener); }

    // IRecorder: a MidiRecorder fed by the input port's messages (their arrival on the steady clock), handed
    // to the GUI thread by the input thread. A change of input port keeps the recording going.
    std::string recordUnavailableReason() const override;
    void startRecording(const music::Song& song, std::int64_t fromTick, int channel) override;
    bool isRecording() const override { return recorder_ != nullptr; }
    std::vector<music::Note> recordedSoFar() const override;
    std::vector<music::Note> finishRecording() override;

private:
    struct Loaded;
    SynthTransport();
    void startLoad();
    void finishLoad(const Loaded& loaded);
    std::string openOutput();
    std::string openInput();
    void rebuildPlayer();
    void notify(const std::string& notice);

    std::unique_ptr<QObject> context_; ///< GUI-thread anchor for load watchers and queued notices
    ui::SoundSettings settings_;
    StateListener listener_;
    playback::MidiSink* testSink_ = nullptr;
    std::shared_ptr<playback::Synth> synth_;
    std::unique_ptr<playback::MidiOut> port_; ///< playback's output port (player thread sends)
    LiveOutput live_; ///< immediate MIDI (GUI and input threads): a second client on that port, or the synth
    std::unique_ptr<MidiInputPump> input_; ///< after live_, which its thread sends to: destroyed first
    std::unique_ptr<playback::MidiRecorder> recorder_; ///< while recording
    // Declared after what it drives: destroyed first, releasing its notes while the sink is still there.
    std::unique_ptr<playback::Player> player_;
    std::string reason_;       ///< why playback cannot sound (besides loading), "" when it can
    std::string synthProblem_; ///< why no synth could be loaded, "" when one is or may still be
    bool loading_ = false;     ///< a load is on the thread pool
    std::uint64_t loadGeneration_ = 0;
    bool requested_ = false;         ///< the last play/stop asked for, until the player thread takes it up
    std::int64_t requestedTick_ = 0; ///< where the last play() starts

    mutable std::mutex renderMutex_; ///< renderWav (worker) reads what the GUI thread sets
    std::filesystem::path soundFont_;
    std::string renderProblem_; ///< why renderWav cannot work (no SoundFont), "" when it can
};

/// Keyboard clicks and drawn notes through the transport's current output; silent without one.
/// Thread contract: GUI thread (IAudition); Synth's MIDI calls are thread-safe and return at once.
class SynthAudition final : public ui::IAudition {
public:
    explicit SynthAudition(std::shared_ptr<SynthTransport> transport)
        : transport_(std::move(transport)) {}
    void noteOn(int channel, int program, int pitch, int velocity) override;
    void noteOff(int channel, int pitch) override;
    void allNotesOff() override;

private:
    std::shared_ptr<SynthTransport> transport_; ///< keeps the outputs alive as long as the audition
};

} // namespace continuo::app
