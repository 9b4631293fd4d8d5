#pragma once
// Play / Stop (Space), Loop (L), the tempo box and the moving playhead: the studio's side of ITransport.
// It plays the Session's playable song (mute/solo applied) from the session's playhead, moves that playhead
// while the song plays and loops the session's loop range. It is itself an ITransport in front of the real
// one, so the Generate panel's "Listen" (which passes the session's playable song with the variation) gets
// the playhead moved too. Talks to the Session, never to a widget.

#include "ui/playback/ITransport.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <atomic>

class QAction;
class QTimer;
class QToolBar;

namespace continuo::ui {

class Document;
class Session;

/// Thread contract: a QObject of the GUI thread; every method is called there. exportWav renders on the
/// thread pool and reports back on the GUI thread.
class TransportController : public QObject, public ITransport {
    Q_OBJECT
public:
    /// `transport` may be null (no sound at all); none of the pointers is owned, all outlive this.
    TransportController(Session* session, ITransport* transport, QObject* parent = nullptr);
    ~TransportController() override;

    /// Play/Stop and Loop (the actions carry the Space / L shortcuts).
    void populate(QToolBar* bar);
    QAction* playAction() const { return play_; }
    QAction* loopAction() const { return loop_; }
    /// The tempo at the start of the song, in whole BPM (what the window's tempo box shows).
    int tempoBpm() const;
    /// True when a transport exists and says it can sound.
    bool available() const;
    /// One line for the status bar: "" when sound works, "Loading SoundFont…", else why not.
    QString unavailableText() const;

    /// Plays the session's playable song (mute/solo applied) from its playhead, or stops when playing.
    void togglePlay();
    /// Turns the session's loop on or off: the selection's time range (the whole song when nothing is
    /// selected) loops while on.
    void setLooping(bool on);
    /// Sets the tempo at the start of the song (later tempo changes scale with it): one undo step.
    void setTempo(double bpm);
    /// Renders the document to `path` on the thread pool; exportProgress while it runs, then wavExported
    /// or wavExportCancelled on the GUI thread. Ignored while an export runs.
    void exportWav(const QString& path);
    bool exporting() const { return watcher_.isRunning(); }
    /// Asks the running export to stop: the render ends at its next progress report (half a second of
    /// audio, milliseconds of work), its partial file is removed, and wavExportCancelled follows. No-op
    /// when none runs.
    void cancelExport();

    /// While on (a recording runs), Play/Stop and Space show and mean "Stop": they emit stopRequested
    /// instead of toggling playback, so ending the song's playback does not end the recording.
    void setRecordingActive(bool on);

    // ITransport, for the Generate panel's Listen: plays `song` as given (a playable song from the Session),
    // the playhead follows.
    std::string unavailableReason() const override;
    void play(const music::Song& song, std::int64_t fromTick) override;
    void stop() override;
    bool isPlaying() const override;
    void setLoop(std::optional<LoopRange> loop) override;
    std::int64_t position() const override;
    bool renderWav(const music::Song& song, const std::string& path,
                   const RenderProgress& progress = {}) override;

Q_SIGNALS:
    /// GUI thread: tempoBpm() changed (an edit, an undo, another document).
    void tempoChanged(int bpm);
    /// GUI thread: playback started or stopped (also when the song ended by itself).
    void playingChanged(bool playing);
    /// GUI thread: an export finished; `error` is empty on success.
    void wavExported(const QString& path, const QString& error);
    /// GUI thread: an export was cancelled; nothing was written at `path` (a file already there stays).
    void wavExportCancelled(const QString& path);
    /// GUI thread, queued from the render: the fraction of the export done, 0–1, rising.
    void exportProgress(double fraction);
    /// GUI thread: Play/Stop or Space was pressed while setRecordingActive(true).
    void stopRequested();
    /// GUI thread: available() / unavailableText() may have changed (a SoundFont finished loading, the
    /// output changed); `notice` is a sentence for the status bar, or empty.
    void availabilityChanged(const QString& notice);

private:
    void tick();
    /// Enables Play/Loop and sets their tool tips from available().
    void syncAvailability();
    std::optional<LoopRange> loopRange() const;

    Session* session_;
    Document* doc_;
    ITransport* transport_;
    QAction* play_ = nullptr;
    QAction* loop_ = nullptr;
    QTimer* timer_ = nullptr;
    bool shownPlaying_ = false;
    music::Song playing_; ///< what is playing now, to restart it after a seek or a tempo change
    struct ExportOutcome {
        QString error;
        bool cancelled = false;
    };
    QFutureWatcher<ExportOutcome> watcher_;
    QString exportPath_;
    std::atomic<bool> cancelExport_{false}; ///< set on the GUI thread, read by the render's progress calls
    bool recording_ = false;
};

} // namespace continuo::ui
