#include "ui/playback/TransportController.h"

#include "ui/session/Session.h"

#include <QAction>
#include <QSignalBlocker>
#include <QTimer>
#include <QToolBar>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>
#include <cmath>

namespace continuo::ui {

namespace {
constexpr int kPollMs = 33; // ~30 Hz: smooth enough for a playhead, one atomic load per tick

double startBpm(const SongMeta& meta) {
    if (meta.tempos.empty() || meta.tempos.front().tick != 0) return 120.0;
    return meta.tempos.front().bpm();
}

std::uint32_t microsFor(double bpm) {
    return std::uint32_t(std::clamp<double>(std::round(60'000'000.0 / bpm), 1, 0xFFFFFF));
}
} // namespace

TransportController::TransportController(Session* session, ITransport* transport, QObject* parent)
    : QObject(parent)
    , session_(session)
    , doc_(session->document())
    , transport_(transport)
    , play_(new QAction(tr("Play"), this))
    , loop_(new QAction(tr("Loop"), this))
    , timer_(new QTimer(this)) {
    play_->setShortcut(QKeySequence(Qt::Key_Space));
    play_->setCheckable(true);
    connect(play_, &QAction::triggered, this, [this] { togglePlay(); });
    loop_->setShortcut(QKeySequence(Qt::Key_L));
    loop_->setCheckable(true);
    loop_->setToolTip(tr("Loop the selection, or the whole song when nothing is selected (L)"));
    connect(loop_, &QAction::toggled, this, &TransportController::setLooping);
    connect(session_, &Session::loopingChanged, this, [this](bool on) {
        const QSignalBlocker block(loop_);
        loop_->setChecked(on);
        if (available()) transport_->setLoop(on ? loopRange() : std::nullopt);
    });

    timer_->setInterval(kPollMs);
    connect(timer_, &QTimer::timeout, this, &TransportController::tick);
    syncAvailability();
    if (transport_) {
        // Queued by the transport's contract: this runs from the event loop, never inside our own calls.
        transport_->setStateListener([this](const std::string& notice) {
            syncAvailability();
            tick(); // a change of output may have stopped the sound
            Q_EMIT availabilityChanged(QString::fromStdString(notice));
        });
    }

    connect(doc_, &Document::metaChanged, this, [this] {
        Q_EMIT tempoChanged(tempoBpm());
        if (isPlaying()) play(session_->playableSong(), transport_->position()); // hear the new tempo at once
    });
    connect(doc_, &Document::tracksChanged, this, [this] {
        if (isPlaying()) play(session_->playableSong(), transport_->position()); // mute/solo/program
    });
    connect(doc_, &Document::documentReset, this, [this] {
        stop();
        Q_EMIT tempoChanged(tempoBpm());
    });
    connect(session_, &Session::playheadMoved, this, [this](std::int64_t tickAt, bool byTransport) {
        // A ruler click while playing seeks; the timer's own moves must not restart the song.
        if (!byTransport && isPlaying()) transport_->play(playing_, tickAt);
    });
    connect(&watcher_, &QFutureWatcher<ExportOutcome>::finished, this, [this] {
        const ExportOutcome outcome = watcher_.result();
        if (outcome.cancelled)
            Q_EMIT wavExportCancelled(exportPath_);
        else
            Q_EMIT wavExported(exportPath_, outcome.error);
    });
}

TransportController::~TransportController() {
    timer_->stop();
    if (transport_) transport_->setStateListener({}); // the transport may outlive us
    if (transport_ && transport_->isPlaying()) transport_->stop();
    // The worker uses the transport, which app/ destroys after us: let it finish first.
    cancelExport_ = true; // a long render need not finish for nothing
    watcher_.waitForFinished();
}

void TransportController::populate(QToolBar* bar) {
    bar->addAction(play_);
    bar->addAction(loop_);
}

bool TransportController::available() const {
    return transport_ && transport_->unavailableReason().empty();
}

void TransportController::syncAvailability() {
    const bool on = available();
    const QString why = unavailableText();
    play_->setEnabled(on || recording_); // while recording it is the Stop button, sound or not
    loop_->setEnabled(on);
    play_->setToolTip(on ? tr("Play from the playhead / Stop (Space)") : why);
    loop_->setToolTip(on ? tr("Loop the selection, or the whole song when nothing is selected (L)") : why);
    if (on)
        timer_->start(); // also catches a Listen started by the Generate panel
    else if (!isPlaying())
        timer_->stop();
}

QString TransportController::unavailableText() const {
    if (!transport_) return tr("No sound: this build has no synthesizer.");
    if (transport_->isLoading()) return tr("Loading SoundFont…");
    const std::string why = transport_->unavailableReason();
    return why.empty() ? QString() : tr("No sound: %1").arg(QString::fromStdString(why));
}

void TransportController::togglePlay() {
    if (recording_) {
        Q_EMIT stopRequested();
        tick(); // the button shows Stop while recording, even after the song's playback ended
        return;
    }
    if (isPlaying())
        stop();
    else
        play(session_->playableSong(), session_->playhead());
}

void TransportController::setLooping(bool on) {
    if (!available()) {
        const QSignalBlocker block(loop_);
        loop_->setChecked(session_->looping());
        return;
    }
    session_->setLooping(on); // loopingChanged applies it
}

std::optional<LoopRange> TransportController::loopRange() const {
    const auto range = session_->loopRange();
    if (!range) return std::nullopt;
    return LoopRange{range->first, range->second};
}

void TransportController::setTempo(double bpm) {
    SongMeta meta = doc_->meta();
    const double old = startBpm(meta);
    if (std::lround(old) == std::lround(bpm) && !meta.tempos.empty()) return;
    if (meta.tempos.empty() || meta.tempos.front().tick != 0)
        meta.tempos.insert(meta.tempos.begin(), music::TempoChange{0, microsFor(old)});
    // Scale the whole tempo map so a piece with tempo changes keeps its shape.
    const double ratio = bpm / old;
    for (auto& t : meta.tempos)
        t.microsPerQuarter = microsFor(t.bpm() * ratio);
    meta.tempos.front().microsPerQuarter = microsFor(bpm);
    session_->setMeta(meta, tr("Tempo %1 BPM").arg(bpm));
}

int TransportController::tempoBpm() const {
    return int(std::lround(startBpm(doc_->meta())));
}

void TransportController::exportWav(const QString& path) {
    if (exporting()) return;
    exportPath_ = path;
    if (!transport_) {
        Q_EMIT wavExported(path, tr("This build of Continuo has no synthesizer, so it cannot render audio. "
                                    "Export MIDI instead and render it with another program."));
        return;
    }
    cancelExport_ = false;
    ITransport* transport = transport_;
    // Runs on the render's thread: reads the flag, and posts the percentage (only when it moved, so the
    // GUI's queue never fills) to this object; Qt drops the posts if this object is gone by then.
    auto progress = [this, lastPercent = -1](double fraction) mutable {
        const int percent = int(fraction * 100);
        if (percent != lastPercent) {
            lastPercent = percent;
            QMetaObject::invokeMethod(
                this, [this, fraction] { Q_EMIT exportProgress(fraction); }, Qt::QueuedConnection);
        }
        return !cancelExport_.load();
    };
    // The copy is taken here, on the GUI thread; the worker never touches the document.
    watcher_.setFuture(QtConcurrent::run(
        [transport, progress, song = session_->playableSong(), file = path.toStdString()]() -> ExportOutcome {
            try {
                return ExportOutcome{{}, !transport->renderWav(song, file, progress)};
            } catch (const std::exception& e) {
                return ExportOutcome{QString::fromStdString(e.what()), false};
            }
        }));
}

void TransportController::cancelExport() {
    if (exporting()) cancelExport_ = true;
}

void TransportController::setRecordingActive(bool on) {
    recording_ = on;
    syncAvailability();
    shownPlaying_ = !isPlaying(); // forces tick() to redraw the button
    tick();
}

std::string TransportController::unavailableReason() const {
    return transport_ ? transport_->unavailableReason() : std::string("no synthesizer in this build");
}

void TransportController::play(const music::Song& song, std::int64_t fromTick) {
    if (!available()) return;
    playing_ = song;
    transport_->setLoop(session_->looping() ? loopRange() : std::nullopt);
    transport_->play(playing_, fromTick);
    tick();
}

void TransportController::stop() {
    if (!transport_) return;
    transport_->stop();
    tick();
}

bool TransportController::isPlaying() const {
    return transport_ && transport_->isPlaying();
}

void TransportController::setLoop(std::optional<LoopRange> loop) {
    if (transport_) transport_->setLoop(loop);
}

std::int64_t TransportController::position() const {
    return transport_ ? transport_->position() : 0;
}

bool TransportController::renderWav(const music::Song& song, const std::string& path,
                                    const RenderProgress& progress) {
    // May run on a worker: no document access here (exportWav applies mute/solo before).
    if (!transport_) throw std::runtime_error("no synthesizer in this build");
    return transport_->renderWav(song, path, progress);
}

void TransportController::tick() {
    const bool playing = isPlaying();
    if (playing) session_->setPlayhead(transport_->position(), true);
    if (playing == shownPlaying_) return;
    shownPlaying_ = playing;
    if (!playing && transport_) // where the sound stopped (the end, or a Stop)
        session_->setPlayhead(transport_->position(), true);
    play_->setChecked(playing || recording_);
    play_->setText(playing || recording_ ? tr("Stop") : tr("Play"));
    Q_EMIT playingChanged(playing);
}

} // namespace continuo::ui
