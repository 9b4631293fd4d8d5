#pragma once
// Record (R): plays the song from the playhead so the player hears it, and takes every note played on the
// MIDI input into the current track. The notes show as the session's Record preview while recording (beside
// any generated variations, which keep theirs); Stop (the Record button again, Play/Stop or Space) adds them
// as ONE undo step ("Record notes") and selects them. Talks to the Session, never to a widget.

#include "ui/session/Session.h"

#include <QObject>

class QAction;
class QTimer;

namespace continuo::ui {

class IRecorder;
class TransportController;

/// Thread contract: a QObject of the GUI thread; every method is called there.
class RecordController : public QObject {
    Q_OBJECT
public:
    /// `recorder` may be null (no MIDI input in this build): the action stays disabled and says why. None of
    /// the pointers is owned; all outlive this.
    RecordController(Session* session, TransportController* transport, IRecorder* recorder,
                     QObject* parent = nullptr);
    ~RecordController() override;

    /// The checkable Record action (R); enabled only when the recorder can record.
    QAction* recordAction() const { return record_; }
    bool recording() const { return recording_; }

    /// Starts recording (and playback from the playhead), or stops and keeps the notes.
    void toggleRecord();
    void startRecording();
    /// Ends the recording and playback; the notes played become one undo step on the track that was current
    /// when recording started, selected. Nothing played: no undo step, a status message says so.
    void stopRecording();

Q_SIGNALS:
    /// GUI thread: a sentence for the status bar ("Recording… (Space or R to stop)", "Recorded 12 notes").
    void statusMessage(const QString& message);

private:
    void syncAvailability();
    void showPreview();

    Session* session_;
    Document* doc_;
    TransportController* transport_;
    IRecorder* recorder_;
    QAction* record_;
    QTimer* preview_;
    bool recording_ = false;
    TrackId track_ = 0;         ///< where the notes go
    std::size_t previewed_ = 0; ///< notes shown in the preview so far
};

} // namespace continuo::ui
