#pragma once
// The studio window: assembles the roll, the Generate and Tracks docks, menus and toolbar around one
// Session. The work is done by one controller per concern (File, Generate, Transport, Record), each talking
// to the session only; this class only wires them.

#include "music/SongFile.h"
#include "ui/playback/IAudition.h"
#include "ui/playback/IRecorder.h"
#include "ui/playback/ITransport.h"
#include "ui/settings/ISoundSystem.h"

#include <QMainWindow>

class QLabel;

#include <memory>
#include <optional>
#include <string>

namespace continuo::model {
class Composer;
}

namespace continuo::ui {

class Document;
class Engine;
class FileController;
class GenerateController;
class GeneratePanel;
class PianoRollView;
class RecordController;
class Session;
class SettingsController;
class TransportController;
class WavExportController;

/// What `app/` hands the studio: every engine behind an interface, each may be null (no model installed,
/// no audio) and the studio says so instead of pretending.
struct StudioServices {
    std::shared_ptr<model::Composer> composer;
    /// Why `composer` is null (a missing or broken default model), shown in the Generate panel; "" = none.
    std::string composerProblem;
    std::shared_ptr<ITransport> transport;
    std::shared_ptr<IAudition> audition;
    /// What the Sound and MIDI settings pages list and test, and where their changes go; null: no pages.
    std::shared_ptr<ISoundSystem> sound = nullptr;
    /// Takes notes from the MIDI input (Record); null: the Record button is disabled and says why.
    std::shared_ptr<IRecorder> recorder = nullptr;
};

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    explicit MainWindow(StudioServices services, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Starts reading `path` (MIDI or .continuo project) off the GUI thread; the roll and status bar update
    /// when it is read, and a failure is reported in a dialog and the status bar (the current song stays).
    void openFile(const QString& path);

    PianoRollView* roll() const { return roll_; }
    /// The studio's session: document, selection, playhead, loop, previews, Generate settings.
    Session* session() const { return session_; }
    Document* document() const { return doc_; }
    FileController* files() const { return files_; }
    GeneratePanel* generatePanel() const { return panel_; }
    GenerateController* generator() const { return generator_; }
    /// The engine thread's handle (app/ swaps the model on it when the settings change).
    Engine* engine() const { return engine_; }
    TransportController* transport() const { return transport_; }
    RecordController* recorder() const { return recorder_; }
    WavExportController* wavExport() const { return wavExport_; }
    SettingsController* settings() const { return settings_; }
    /// A snapshot of the document as a Song (rebuilt after each edit, on demand).
    const music::Song* song() const;
    /// After a crash: offers to recover the autosave (call once the window is shown). True when the
    /// document is now the recovered one.
    bool offerRecovery();
    /// What the studio does once its window is shown, however it was started: offers to recover what
    /// studios that did not end cleanly autosaved, then opens `file` (a path from the command line, may be
    /// empty) unless a recovered document took its place. True when `file` is being opened (songOpened or
    /// openFailed follows).
    bool startSession(const QString& file);

Q_SIGNALS:
    /// Emitted on the GUI thread once a file given to openFile has been read and shown.
    void songOpened(const QString& path);
    /// Emitted on the GUI thread when a file given to openFile could not be read.
    void openFailed(const QString& path, const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createActions();
    void createToolBar();
    void showOpenDialog();
    void updateRecentMenu();

    StudioServices services_;
    Session* session_ = nullptr;
    Document* doc_ = nullptr;
    PianoRollView* roll_ = nullptr;
    GeneratePanel* panel_ = nullptr;
    Engine* engine_ = nullptr;
    GenerateController* generator_ = nullptr;
    TransportController* transport_ = nullptr;
    RecordController* recorder_ = nullptr;
    WavExportController* wavExport_ = nullptr;
    FileController* files_ = nullptr;
    SettingsController* settings_ = nullptr;
    class QMenu* recentMenu_ = nullptr;
    QLabel* soundState_ = nullptr; ///< permanent status-bar line: why Play is disabled
    mutable std::optional<music::Song> songCache_;
};

} // namespace continuo::ui
