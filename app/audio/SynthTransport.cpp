#include "SynthTransport.h"

#include "MidiInputPump.h"
#include "playback/AudioLibraries.h"
#include "playback/MidiOut.h"
#include "playback/MidiRecorder.h"
#include "playback/OfflineRender.h"
#include "playback/PlaybackError.h"
#include "playback/SoundFonts.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <stdexcept>

namespace continuo::app {

namespace {
const char* kLoading = "loading SoundFont…";

std::string fileName(const std::filesystem::path& p) {
    return p.filename().string();
}

std::string noSoundFontAdvice(const std::string& why) {
    return why + "\nInstall a General MIDI SoundFont (e.g. the fluid-soundfont-gm package) or choose a .sf2 "
                 "file in Settings › Sound.";
}
} // namespace

struct SynthTransport::Loaded {
    std::shared_ptr<playback::Synth> synth;
    std::string error;
};

SynthTransport::SynthTransport()
    : context_(std::make_unique<QObject>()) {}

std::shared_ptr<SynthTransport> SynthTransport::create(const ui::SoundSettings& settings) {
    // Sets JACK_NO_START_SERVER before the loader thread's libraries read the environment.
    playback::initAudioLibraries();
    std::shared_ptr<SynthTransport> t(new SynthTransport);
    t->settings_ = settings;
    t->soundFont_ = settings.soundFont; // until a synth loads, Export WAV resolves it itself
    std::string notice = t->openOutput();
    const std::string inputNotice = t->openInput();
    if (!inputNotice.empty()) notice += (notice.empty() ? "" : " ") + inputNotice;
    t->startLoad();
    t->rebuildPlayer();
    t->notify(notice);
    return t;
}

SynthTransport::SynthTransport(playback::MidiSink& sink, std::filesystem::path soundFont)
    : context_(std::make_unique<QObject>())
    , testSink_(&sink)
    , soundFont_(std::move(soundFont)) {
    rebuildPlayer();
}

SynthTransport::~SynthTransport() {
    context_.reset(); // drops pending notices and load watchers (a running load ends on its own)
    input_.reset();   // nothing arrives for the outputs below any more
    recorder_.reset();
    player_.reset(); // releases every note through its sink, which is still alive
    live_.setPort(nullptr);
    live_.setSynth(nullptr);
    port_.reset();
    synth_.reset();
}

void SynthTransport::configure(const ui::SoundSettings& s) {
    const ui::SoundSettings old = settings_;
    settings_ = s;
    std::string notice;
    const auto add = [&notice](const std::string& n) {
        if (!n.empty()) notice += (notice.empty() ? "" : " ") + n;
    };
    if (s.gain != old.gain && synth_) {
        try {
            synth_->setGain(s.gain);
        } catch (const std::exception& e) {
            add(std::string("Gain not changed: ") + e.what() + ".");
        }
    }
    if (s.midiOutput != old.midiOutput) {
        add(openOutput());
        rebuildPlayer();
    }
    if (s.midiInput != old.midiInput) add(openInput());
    if (s.soundFont != old.soundFont || s.audioDriver != old.audioDriver) startLoad();
    notify(notice);
}

std::string SynthTransport::outputPort() const {
    return port_ ? port_->portName() : std::string();
}

std::string SynthTransport::inputPort() const {
    return input_ ? input_->portName() : std::string();
}

void SynthTransport::startLoad() {
    if (testSink_) return;
    loading_ = true;
    const std::uint64_t generation = ++loadGeneration_;
    playback::SynthOptions options;
    options.soundFont = settings_.soundFont;
    options.audioDriver = settings_.audioDriver;
    options.gain = std::clamp(settings_.gain, 0.0, 10.0);
    auto* watcher = new QFutureWatcher<Loaded>(context_.get());
    QObject::connect(watcher, &QFutureWatcherBase::finished, context_.get(), [this, watcher, generation] {
        watcher->deleteLater();
        if (generation == loadGeneration_) finishLoad(watcher->result()); // else a newer load supersedes it
    });
    // Loading FluidR3_GM takes ~2.5 s: never on the GUI thread. The worker touches nothing of ours.
    watcher->setFuture(QtConcurrent::run([options] {
        Loaded r;
        try {
            r.synth = std::make_shared<playback::Synth>(options);
        } catch (const std::exception& e) {
            r.error = e.what();
        }
        return r;
    }));
}

void SynthTransport::finishLoad(const Loaded& loaded) {
    loading_ = false;
    // Playback into a MIDI port goes on undisturbed: the synth is then only the audition's fallback.
    const bool playsToSynth = !testSink_ && !(port_ && port_->isOpen());
    std::string notice;
    std::string why;
    bool swapped = false;
    if (!loaded.error.empty()) {
        if (synth_) {
            notice = "Could not switch the sound: " + loaded.error + ". The current sound (" +
                     fileName(synth_->soundFont()) + ", " + synth_->audioStatus() + ") stays.";
        } else {
            synthProblem_ = "no SoundFont: " + loaded.error;
            notice = "No sound: " + loaded.error + ".";
            const std::lock_guard lock(renderMutex_);
            renderProblem_ = noSoundFontAdvice(loaded.error);
        }
    } else if (settings_.audioDriver != "none" && synth_ && synth_->hasAudio() &&
               !loaded.synth->canPlay(&why)) {
        // The new one loaded but found no device while the old one sounds: keep the old one (unless
        // silence was asked for).
        notice = "Could not switch the sound: " + (why.empty() ? loaded.synth->audioStatus() : why) +
                 ". The current sound (" + fileName(synth_->soundFont()) + ", " + synth_->audioStatus() +
                 ") stays.";
    } else {
        loaded.synth->setGain(std::clamp(settings_.gain, 0.0, 10.0)); // the gain may have moved meanwhile
        if (playsToSynth) player_.reset(); // it drives the old synth: stop it before that goes
        synth_ = loaded.synth;
        live_.setSynth(synth_);
        swapped = true;
        synthProblem_.clear();
        {
            const std::lock_guard lock(renderMutex_);
            soundFont_ = synth_->soundFont();
            renderProblem_.clear();
        }
        // Without a device the status bar gets one plain sentence; FluidSynth's per-driver reasons stay in
        // the sound-state label's tooltip (unavailableReason), where they help and do not flood the bar.
        notice = "SoundFont " + fileName(synth_->soundFont()) + " loaded" +
                 (synth_->hasAudio() ? " (" + synth_->audioStatus() + ")."
                                     : "; no audio device was found, so Play is off (Export WAV works).");
    }
    // A kept synth keeps its player, so a failed switch does not interrupt what is playing.
    if (playsToSynth && (swapped || !player_)) rebuildPlayer();
    notify(notice);
}

std::string SynthTransport::openOutput() {
    player_.reset(); // it may send to the port about to close
    live_.setPort(nullptr);
    port_.reset();
    if (settings_.midiOutput.empty()) return {};
    try {
        auto out = std::make_unique<playback::MidiOut>(playback::MidiApi::Auto, "Continuo");
        out->open(settings_.midiOutput);
        // Immediate notes (GUI and input threads, one at a time under LiveOutput's lock) take a client of
        // their own: a port is fed by one thread at a time.
        auto audition = std::make_unique<playback::MidiOut>(playback::MidiApi::Auto, "Continuo audition");
        audition->open(settings_.midiOutput);
        port_ = std::move(out);
        live_.setPort(std::move(audition));
        return {};
    } catch (const std::exception& e) {
        return "Cannot play to MIDI port \"" + settings_.midiOutput + "\": " + e.what() +
               ". Playing through the built-in synth.";
    }
}

std::string SynthTransport::openInput() {
    input_.reset();
    if (settings_.midiInput.empty()) return {};
    try {
        // The input thread sends each note to live_ itself; the GUI thread only records.
        input_ = std::make_unique<MidiInputPump>(settings_.midiInput, live_,
                                                 [this](const playback::TimedMidiMessage& m) {
                                                     if (recorder_) recorder_->feed(m);
                                                 });
        return {};
    } catch (const std::exception& e) {
        return "Cannot listen to MIDI port \"" + settings_.midiInput + "\": " + e.what() + ".";
    }
}

void SynthTransport::rebuildPlayer() {
    player_.reset();
    requested_ = false;
    reason_.clear();
    playback::MidiSink* sink = testSink_;
    if (!sink && port_ && port_->isOpen()) sink = port_.get();
    if (!sink && synth_) sink = synth_.get();
    if (!sink) {
        reason_ = synthProblem_;
        return;
    }
    std::string why;
    if (!sink->canPlay(&why)) {
        reason_ = why.empty() ? "cannot play" : why;
        // "auto" found no device: keep the synth for WAV export, but do not start a player whose clock
        // would never move. A test sink gets its player anyway (its own business).
        if (!testSink_) return;
    }
    player_ = std::make_unique<playback::Player>(*sink);
}

void SynthTransport::notify(const std::string& notice) {
    // Queued: the listener may call back into us, and must never run inside one of our own calls.
    QMetaObject::invokeMethod(
        context_.get(),
        [this, notice] {
            if (listener_) listener_(notice);
        },
        Qt::QueuedConnection);
}

bool SynthTransport::isLoading() const {
    // A port plays without the synth: loading it then keeps nothing from playing.
    return loading_ && !(port_ && port_->isOpen()) && !testSink_;
}

std::string SynthTransport::unavailableReason() const {
    if (isLoading()) return kLoading;
    if (!reason_.empty()) return reason_;
    if (!player_) return synthProblem_.empty() ? std::string("no output") : synthProblem_;
    return {};
}

void SynthTransport::play(const music::Song& song, std::int64_t fromTick) {
    if (!player_) return;
    // setSong compiles on this thread and posts; seek + play land in order on the player thread, and a
    // song already playing is replaced without a stop (the player releases its sounding notes).
    player_->setSong(song);
    player_->seek(std::max<std::int64_t>(0, fromTick));
    player_->play();
    requested_ = true;
    requestedTick_ = std::max<std::int64_t>(0, fromTick);
}

void SynthTransport::stop() {
    if (!player_) return;
    player_->stop();
    requested_ = false;
}

bool SynthTransport::isPlaying() const {
    if (!player_) return false;
    // Until the player thread has taken up our last command, answer what was asked: Space pressed twice
    // quickly must toggle twice, not play twice.
    if (player_->commandsTaken() < player_->commandsPosted()) return requested_;
    return player_->isPlaying();
}

void SynthTransport::setLoop(std::optional<ui::LoopRange> loop) {
    if (!player_) return;
    if (loop)
        player_->setLoop(playback::LoopRange{loop->start, loop->end});
    else
        player_->setLoop(std::nullopt);
}

std::int64_t SynthTransport::position() const {
    if (!player_) return 0;
    // Right after play(), the player thread may not have seeked yet: report where it is going, so the
    // playhead does not flash back to where the last playback stopped.
    if (requested_ && player_->commandsTaken() < player_->commandsPosted()) return requestedTick_;
    return player_->positionTick();
}

bool SynthTransport::renderWav(const music::Song& song, const std::string& path,
                               const RenderProgress& progress) {
    playback::RenderOptions options;
    {
        const std::lock_guard lock(renderMutex_);
        if (!renderProblem_.empty()) throw std::runtime_error(renderProblem_);
        options.soundFont = soundFont_;
    }
    // renderSongToWav writes "<path>.part" and renames it on success; a cancel removes the part file.
    return !playback::renderSongToWav(song, path, options, progress).cancelled;
}

std::string SynthTransport::recordUnavailableReason() const {
    if (!input_) {
        return settings_.midiInput.empty()
                   ? "Choose a MIDI input port in Settings ▸ MIDI to record from a keyboard."
                   : "The MIDI input \"" + settings_.midiInput + "\" could not be opened (Settings ▸ MIDI).";
    }
    return {};
}

void SynthTransport::startRecording(const music::Song& song, std::int64_t fromTick, int channel) {
    recorder_.reset();
    if (!recordUnavailableReason().empty()) return;
    playback::RecordingOptions options;
    options.startTick = std::max<std::int64_t>(0, fromTick);
    options.channel = std::uint8_t(std::clamp(channel, 0, 15));
    recorder_ = std::make_unique<playback::MidiRecorder>(song, options);
    recorder_->start(playback::steadySeconds());
}

std::vector<music::Note> SynthTransport::recordedSoFar() const {
    return recorder_ ? recorder_->notes() : std::vector<music::Note>{};
}

std::vector<music::Note> SynthTransport::finishRecording() {
    if (!recorder_) return {};
    std::vector<music::Note> notes = recorder_->finish(playback::steadySeconds());
    recorder_.reset();
    return notes;
}

void SynthTransport::audition(const playback::MidiMessage& message) {
    live_.send(message);
}

void SynthTransport::auditionAllNotesOff() {
    live_.allNotesOff();
}

void SynthAudition::noteOn(int channel, int program, int pitch, int velocity) {
    if (channel != 9) // channel 10 keeps its drum kit
        transport_->audition(playback::MidiMessage::programChange(channel, program));
    transport_->audition(playback::MidiMessage::noteOn(channel, pitch, velocity));
}

void SynthAudition::noteOff(int channel, int pitch) {
    transport_->audition(playback::MidiMessage::noteOff(channel, pitch));
}

void SynthAudition::allNotesOff() {
    transport_->auditionAllNotesOff();
}

} // namespace continuo::app
