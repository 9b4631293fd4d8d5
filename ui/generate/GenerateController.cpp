#include "ui/generate/GenerateController.h"

#include "music/PitchNames.h"
#include "ui/PianoRollView.h"
#include "ui/document/Commands.h"
#include "ui/generate/GeneratePanel.h"
#include "ui/playback/ITransport.h"

#include <stdexcept>

namespace continuo::ui {

GenerateController::GenerateController(Document* doc, PianoRollView* roll, GeneratePanel* panel,
                                       Engine* engine, ITransport* transport, QObject* parent)
    : QObject(parent)
    , doc_(doc)
    , roll_(roll)
    , panel_(panel)
    , engine_(engine)
    , transport_(transport) {
    const auto showModel = [this] {
        panel_->setModel(engine_->hasModel(), QString::fromStdString(engine_->description().name),
                         QString::fromStdString(engine_->description().summary));
    };
    showModel();
    connect(engine_, &Engine::modelChanged, this, showModel); // switched in Settings
    const bool sound = transport_ && transport_->unavailableReason().empty();
    panel_->setAuditionAvailable(sound, transport_ ? QString::fromStdString(transport_->unavailableReason())
                                                   : tr("No sound output is connected yet."));
    connect(panel_, &GeneratePanel::generateRequested, this, [this] { generate(); });
    connect(panel_, &GeneratePanel::cancelRequested, this, &GenerateController::cancel);
    connect(panel_, &GeneratePanel::previousVariation, this, [this] { showVariation(current_ - 1); });
    connect(panel_, &GeneratePanel::nextVariation, this, [this] { showVariation(current_ + 1); });
    connect(panel_, &GeneratePanel::acceptRequested, this, &GenerateController::accept);
    connect(panel_, &GeneratePanel::discardRequested, this, &GenerateController::discard);
    connect(panel_, &GeneratePanel::auditionRequested, this, &GenerateController::audition);
    connect(panel_, &GeneratePanel::detectKeyRequested, this, &GenerateController::detectKey);
    connect(engine_, &Engine::progress, panel_, &GeneratePanel::setProgress);
    connect(engine_, &Engine::finished, this, &GenerateController::onFinished);
    connect(engine_, &Engine::failed, this, [this](const QString& message) {
        panel_->setBusy(false);
        panel_->setMessage(tr("Generation failed: %1").arg(message));
        Q_EMIT generationFailed(message);
    });
    // Results describe the song they were made for; a different song makes them meaningless.
    connect(doc_, &Document::documentReset, this, &GenerateController::discard);
}

model::GenerateRequest GenerateController::buildRequest(const GenerateSettings& s) const {
    model::GenerateRequest r;
    r.song = doc_->toSong();
    r.track = std::max(0, doc_->trackIndex(doc_->currentTrack()));
    r.bars = s.bars;
    r.temperature = s.temperature;
    r.topP = s.topP;
    r.pitchTopP = s.pitchTopP;
    r.texture = s.texture;
    r.structure = s.structure;
    r.variations = s.variations;
    r.randomSeed = s.randomSeed;
    if (s.keyLock) r.key = model::KeyLock{s.tonic, s.scale};
    switch (s.where) {
    case GenerateWhere::ContinueFromEnd:
        r.mode = model::GenerateMode::Continue;
        break;
    case GenerateWhere::ContinueFromPlayhead:
        r.mode = model::GenerateMode::Continue;
        r.fromTick = roll_->playhead();
        break;
    case GenerateWhere::RegenerateSelection: {
        const auto [start, end] = roll_->selectionRange();
        if (end <= start)
            throw std::runtime_error(
                tr("Select the notes whose time range should be regenerated first.").toStdString());
        r.mode = model::GenerateMode::Regenerate;
        r.rangeStart = start;
        r.rangeEnd = end;
        break;
    }
    case GenerateWhere::FromScratch:
        r.mode = model::GenerateMode::FromScratch;
        break;
    }
    return r;
}

void GenerateController::generate(std::shared_ptr<model::Composer> composer) {
    if (!engine_->hasModel() && !composer) {
        panel_->setMessage(tr("No model is installed yet, so there is nothing to generate with."));
        return;
    }
    try {
        request_ = buildRequest(panel_->settings());
    } catch (const std::exception& e) {
        panel_->setMessage(QString::fromStdString(e.what()));
        return;
    }
    track_ = doc_->currentTrack();
    discard();
    panel_->setBusy(true);
    panel_->setMessage(tr("Generating…"));
    engine_->generate(request_, std::move(composer));
}

void GenerateController::onFinished(const model::GenerateResult& result, bool cancelled) {
    panel_->setBusy(false);
    if (cancelled) {
        panel_->setMessage(tr("Cancelled. Nothing was changed."));
        Q_EMIT resultsReady(0);
        return;
    }
    result_ = result;
    std::erase_if(result_.variations, [](const auto& v) { return v.empty(); });
    if (result_.variations.empty()) {
        panel_->setMessage(tr("The model produced no notes. Try a higher temperature or another seed."));
        Q_EMIT resultsReady(0);
        return;
    }
    panel_->setMessage(tr("%n variation(s) in %1 s. Flip through them, listen, then Accept or Discard.",
                          nullptr, int(result_.variations.size()))
                           .arg(result.seconds, 0, 'f', 1));
    showVariation(0);
    Q_EMIT resultsReady(int(result_.variations.size()));
}

void GenerateController::showVariation(int index) {
    if (result_.variations.empty()) return;
    current_ = std::clamp(index, 0, int(result_.variations.size()) - 1);
    const auto& notes = result_.variations[std::size_t(current_)];
    roll_->setPreview(notes);
    roll_->ensureVisible(notes.front().start, notes.front().pitch);
    panel_->setVariations(int(result_.variations.size()), current_,
                          tr("%n note(s)", nullptr, int(notes.size())));
}

void GenerateController::accept() {
    if (result_.variations.empty() || doc_->trackIndex(track_) < 0) return;
    QSet<NoteId> replaced;
    if (request_.mode == model::GenerateMode::Regenerate)
        for (const auto& [id, n] : doc_->track(track_)->notes)
            if (n.start >= request_.rangeStart && n.start < request_.rangeEnd) replaced.insert(id);
    doc_->undoStack()->push(
        generatedPassageCommand(doc_, track_, result_.variations[std::size_t(current_)], replaced));
    discard();
    panel_->setMessage(tr("Accepted. Undo (Ctrl+Z) removes the whole passage."));
    Q_EMIT accepted();
}

void GenerateController::discard() {
    result_ = {};
    current_ = 0;
    roll_->clearPreview();
    panel_->setVariations(0, 0, QString());
}

void GenerateController::audition() {
    if (!transport_ || result_.variations.empty()) return;
    music::Song song = doc_->toSong();
    const auto& notes = result_.variations[std::size_t(current_)];
    const int index = std::max(0, doc_->trackIndex(track_));
    for (const auto& n : notes)
        song.tracks[std::size_t(index)].notes.push_back(n);
    song.tracks[std::size_t(index)].sortNotes();
    // Start a bar before the new notes so the ear hears how they join the seed.
    const std::int64_t bar = std::int64_t(doc_->ppq()) * 4;
    transport_->play(song, std::max<std::int64_t>(0, notes.front().start - bar));
}

void GenerateController::detectKey() {
    std::vector<music::Note> notes;
    if (const TrackData* t = doc_->track(doc_->currentTrack()))
        for (const auto& [id, n] : t->notes)
            notes.push_back(n);
    if (notes.empty()) {
        panel_->setMessage(tr("Draw a few notes first; the key is detected from them."));
        return;
    }
    const model::KeyLock key = continuo::ui::detectKey(notes);
    panel_->setKey(key.tonic, key.scale);
    panel_->setMessage(tr("Your notes look like %1 %2.")
                           .arg(QString::fromStdString(music::keyTonicName(
                                    key.tonic, key.scale == model::Scale::NaturalMinor, music::Signs::Music)),
                                scaleName(key.scale).toLower()));
}

} // namespace continuo::ui
