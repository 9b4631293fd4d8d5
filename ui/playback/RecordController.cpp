#include "ui/playback/RecordController.h"

#include "ui/playback/IRecorder.h"
#include "ui/playback/TransportController.h"

#include <QAction>
#include <QPainter>
#include <QPixmap>
#include <QSignalBlocker>
#include <QTimer>

namespace continuo::ui {

namespace {
constexpr int kPreviewMs = 50; // the preview shows a released key within a frame or three

/// The red dot every recorder has (drawn: the studio ships no icon theme of its own).
QIcon recordIcon() {
    QPixmap dot(32, 32);
    dot.fill(Qt::transparent);
    QPainter p(&dot);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QPen(QColor(0x8b, 0x1a, 0x1a), 2));
    p.setBrush(QColor(0xd6, 0x2d, 0x2d));
    p.drawEllipse(QRectF(5, 5, 22, 22));
    return QIcon(dot);
}
} // namespace

RecordController::RecordController(Session* session, TransportController* transport, IRecorder* recorder,
                                   QObject* parent)
    : QObject(parent)
    , session_(session)
    , doc_(session->document())
    , transport_(transport)
    , recorder_(recorder)
    , record_(new QAction(tr("Record"), this))
    , preview_(new QTimer(this)) {
    record_->setObjectName("recordAction");
    record_->setIcon(recordIcon());
    record_->setShortcut(QKeySequence(Qt::Key_R));
    record_->setCheckable(true);
    connect(record_, &QAction::triggered, this, [this] { toggleRecord(); });
    preview_->setInterval(kPreviewMs);
    connect(preview_, &QTimer::timeout, this, &RecordController::showPreview);
    // Play/Stop and Space mean Stop while recording; a change of MIDI input (Settings) comes through the
    // transport's availability notice.
    connect(transport_, &TransportController::stopRequested, this, &RecordController::stopRecording);
    connect(transport_, &TransportController::availabilityChanged, this, [this] { syncAvailability(); });
    // A new or opened document: the take belonged to the old one.
    connect(doc_, &Document::documentReset, this, [this] {
        if (!recording_) return;
        recorder_->finishRecording();
        recording_ = false;
        preview_->stop();
        transport_->setRecordingActive(false);
        syncAvailability();
    });
    syncAvailability();
}

RecordController::~RecordController() {
    if (recording_ && recorder_) recorder_->finishRecording();
}

void RecordController::syncAvailability() {
    const std::string why = recorder_ ? recorder_->recordUnavailableReason()
                                      : std::string("This build of Continuo cannot read MIDI input.");
    // Stays enabled while recording, so a take can always be stopped.
    record_->setEnabled(why.empty() || recording_);
    record_->setToolTip(why.empty() ? tr("Record from the MIDI input into the current track, playing the "
                                         "song from the playhead (R; R or Space stops)")
                                    : QString::fromStdString(why));
    {
        const QSignalBlocker block(record_);
        record_->setChecked(recording_);
    }
}

void RecordController::toggleRecord() {
    if (recording_)
        stopRecording();
    else
        startRecording();
}

void RecordController::startRecording() {
    if (recording_ || !recorder_ || !recorder_->recordUnavailableReason().empty()) {
        syncAvailability();
        return;
    }
    track_ = doc_->currentTrack();
    const TrackData* track = doc_->track(track_);
    const int channel = track ? track->props.channel : 0;
    const std::int64_t from = session_->playhead();
    // Recording and playback start together: the recorder's clock says `from` sounds now.
    recorder_->startRecording(doc_->toSong(), from, channel);
    if (!recorder_->isRecording()) {
        syncAvailability();
        return;
    }
    recording_ = true;
    previewed_ = 0;
    transport_->play(session_->playableSong(),
                     from); // silently does nothing without sound: recording still works
    transport_->setRecordingActive(true);
    preview_->start();
    syncAvailability();
    Q_EMIT statusMessage(
        tr("Recording into %1… (R or Space stops)").arg(track ? track->props.name : tr("the current track")));
}

void RecordController::showPreview() {
    const std::vector<music::Note> notes = recorder_->recordedSoFar();
    if (notes.size() == previewed_) return;
    previewed_ = notes.size();
    session_->setPreview(PreviewOwner::Record, notes);
}

void RecordController::stopRecording() {
    if (!recording_) return;
    recording_ = false;
    preview_->stop();
    const std::vector<music::Note> notes = recorder_->finishRecording();
    transport_->stop();
    transport_->setRecordingActive(false);
    session_->clearPreview(PreviewOwner::Record); // its own preview only: variations on show stay
    syncAvailability();
    if (notes.empty()) {
        Q_EMIT statusMessage(tr("Nothing recorded: no note was played on the MIDI input."));
        return;
    }
    if (!doc_->track(track_)) {
        Q_EMIT statusMessage(tr("The track was removed while recording: the notes played are dropped."));
        return;
    }
    const std::vector<NoteId> ids = session_->addNotes(track_, notes, tr("Record notes"));
    session_->setSelection(QSet<NoteId>(ids.begin(), ids.end()));
    // Spelled out: without a loaded translation, tr()'s %n plural forms would show "note(s)".
    Q_EMIT statusMessage(notes.size() == 1 ? tr("Recorded 1 note.")
                                           : tr("Recorded %1 notes.").arg(notes.size()));
}

} // namespace continuo::ui
