#include "ui/generate/GenerateController.h"

#include "music/PitchNames.h"
#include "ui/playback/ITransport.h"

#include <stdexcept>

namespace continuo::ui {

GenerateController::GenerateController(Session* session, Engine* engine, ITransport* transport,
                                       QObject* parent)
    : QObject(parent)
    , session_(session)
    , doc_(session->document())
    , engine_(engine)
    , transport_(transport) {
    connect(engine_, &Engine::modelChanged, this, &GenerateController::modelChanged); // switched in Settings
    connect(engine_, &Engine::progress, this, &GenerateController::progress);
    connect(engine_, &Engine::finished, this, &GenerateController::onFinished);
    connect(engine_, &Engine::failed, this, [this](const QString& text) {
        setBusy(false);
        Q_EMIT message(tr("Generation failed: %1").arg(text));
        Q_EMIT generationFailed(text);
    });
    // Results describe the song they were made for; a different song makes them meaningless.
    connect(doc_, &Document::documentReset, this, &GenerateController::discard);
}

void GenerateController::setBusy(bool busy) {
    if (busy == busy_) return;
    busy_ = busy;
    Q_EMIT busyChanged(busy);
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
        r.fromTick = session_->playhead();
        break;
    case GenerateWhere::RegenerateSelection: {
        const auto [start, end] = session_->selectionRange();
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
        Q_EMIT message(tr("No model is installed yet, so there is nothing to generate with."));
        return;
    }
    try {
        request_ = buildRequest(session_->generateSettings());
    } catch (const std::exception& e) {
        Q_EMIT message(QString::fromStdString(e.what()));
        return;
    }
    track_ = doc_->currentTrack();
    discard();
    setBusy(true);
    Q_EMIT message(tr("Generating…"));
    engine_->generate(request_, std::move(composer));
}

void GenerateController::onFinished(const model::GenerateResult& result, bool cancelled) {
    setBusy(false);
    if (cancelled) {
        Q_EMIT message(tr("Cancelled. Nothing was changed."));
        Q_EMIT resultsReady(0);
        return;
    }
    result_ = result;
    std::erase_if(result_.variations, [](const auto& v) { return v.empty(); });
    if (result_.variations.empty()) {
        Q_EMIT message(tr("The model produced no notes. Try a higher temperature or another seed."));
        Q_EMIT resultsReady(0);
        return;
    }
    Q_EMIT message(tr("%n variation(s) in %1 s. Flip through them, listen, then Accept or Discard.", nullptr,
                      int(result_.variations.size()))
                       .arg(result.seconds, 0, 'f', 1));
    showVariation(0);
    Q_EMIT resultsReady(int(result_.variations.size()));
}

void GenerateController::showVariation(int index) {
    if (result_.variations.empty()) return;
    current_ = std::clamp(index, 0, int(result_.variations.size()) - 1);
    const auto& notes = result_.variations[std::size_t(current_)];
    session_->setPreview(PreviewOwner::Generate, notes);
    session_->reveal(notes.front().start, notes.front().pitch);
    Q_EMIT variationsChanged(int(result_.variations.size()), current_,
                             tr("%n note(s)", nullptr, int(notes.size())));
}

void GenerateController::accept() {
    if (result_.variations.empty() || doc_->trackIndex(track_) < 0) return;
    QSet<NoteId> replaced;
    if (request_.mode == model::GenerateMode::Regenerate)
        for (const auto& [id, n] : doc_->track(track_)->notes)
            if (n.start >= request_.rangeStart && n.start < request_.rangeEnd) replaced.insert(id);
    session_->addPassage(track_, result_.variations[std::size_t(current_)], replaced);
    discard();
    Q_EMIT message(tr("Accepted. Undo (Ctrl+Z) removes the whole passage."));
    Q_EMIT accepted();
}

void GenerateController::discard() {
    result_ = {};
    current_ = 0;
    // Only the variations' own preview: a take being recorded keeps showing.
    session_->clearPreview(PreviewOwner::Generate);
    Q_EMIT variationsChanged(0, 0, QString());
}

void GenerateController::audition() {
    if (!transport_ || result_.variations.empty()) return;
    const auto& notes = result_.variations[std::size_t(current_)];
    const music::Song song = session_->playableSongWith(PreviewOwner::Generate);
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
        Q_EMIT message(tr("Draw a few notes first; the key is detected from them."));
        return;
    }
    const model::KeyLock key = continuo::ui::detectKey(notes);
    GenerateSettings settings = session_->generateSettings();
    settings.tonic = key.tonic;
    settings.scale = key.scale;
    settings.keyLock = true;
    session_->setGenerateSettings(settings);
    Q_EMIT message(tr("Your notes look like %1 %2.")
                       .arg(QString::fromStdString(music::keyTonicName(
                                key.tonic, key.scale == model::Scale::NaturalMinor, music::Signs::Music)),
                            scaleName(key.scale).toLower()));
}

} // namespace continuo::ui
