#include "SynthTransport.h"

#include "playback/OfflineRender.h"
#include "playback/PlaybackError.h"
#include "playback/SoundFonts.h"

#include <algorithm>
#include <stdexcept>

namespace continuo::app {

std::shared_ptr<SynthTransport> SynthTransport::createDefault() {
    std::shared_ptr<SynthTransport> t(new SynthTransport);
    try {
        t->soundFont_ = playback::resolveSoundFont({});
        playback::SynthOptions options;
        options.soundFont = t->soundFont_;
        t->synth_ = std::make_unique<playback::Synth>(options);
    } catch (const std::exception& e) {
        // No (usable) SoundFont: nothing can sound, and Export WAV would fail the same way.
        t->reason_ = std::string("no SoundFont: ") + e.what();
        t->renderProblem_ = std::string(e.what()) +
                            "\nInstall a General MIDI SoundFont (e.g. the fluid-soundfont-gm package) or put "
                            "a .sf2 file in Continuo's soundfonts folder.";
        return t;
    }
    std::string why;
    if (!t->synth_->canPlay(&why)) {
        // "auto" found no device: keep the synth for WAV export, but do not start a player whose clock
        // would never move.
        t->reason_ = why.empty() ? t->synth_->audioStatus() : why;
        return t;
    }
    t->player_ = std::make_unique<playback::Player>(*t->synth_);
    return t;
}

SynthTransport::SynthTransport(playback::MidiSink& sink, std::filesystem::path soundFont)
    : player_(std::make_unique<playback::Player>(sink))
    , soundFont_(std::move(soundFont)) {
    std::string why;
    if (!sink.canPlay(&why)) reason_ = why;
}

SynthTransport::~SynthTransport() {
    player_.reset(); // releases every note through the synth, which is still alive
    synth_.reset();
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

void SynthTransport::renderWav(const music::Song& song, const std::string& path) {
    if (!renderProblem_.empty()) throw std::runtime_error(renderProblem_);
    playback::RenderOptions options;
    options.soundFont = soundFont_;
    playback::renderSongToWav(song, path, options);
}

playback::Synth* SynthAudition::liveSynth() const {
    playback::Synth* s = transport_ ? transport_->synth() : nullptr;
    return s && s->hasAudio() ? s : nullptr; // without a driver, voices would pile up unheard
}

void SynthAudition::noteOn(int channel, int program, int pitch, int velocity) {
    if (playback::Synth* s = liveSynth()) {
        if (channel != 9) s->programChange(channel, program); // channel 10 keeps its drum kit
        s->noteOn(channel, pitch, velocity);
    }
}

void SynthAudition::noteOff(int channel, int pitch) {
    if (playback::Synth* s = liveSynth()) s->noteOff(channel, pitch);
}

void SynthAudition::allNotesOff() {
    if (playback::Synth* s = liveSynth()) s->allNotesOff();
}

} // namespace continuo::app
