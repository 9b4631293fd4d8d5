#pragma once
// The studio window: assembles the menu, the roll and the status bar; file loading is SongLoader's job.

#include "music/SongFile.h"

#include <QMainWindow>

#include <memory>
#include <optional>

namespace continuo::ui {

class Document;
class PianoRollView;
class SongLoader;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Starts reading `path` off the GUI thread; the roll and status bar update when it is read, and a
    /// failure is reported in a dialog and the status bar (the current song stays).
    void openFile(const QString& path);

    PianoRollView* roll() const { return roll_; }
    Document* document() const { return doc_; }
    /// A snapshot of the document as a Song (rebuilt after each edit, on demand).
    const music::Song* song() const;

Q_SIGNALS:
    /// Emitted on the GUI thread once a file given to openFile has been read and shown.
    void songOpened(const QString& path);
    /// Emitted on the GUI thread when a file given to openFile could not be read.
    void openFailed(const QString& path, const QString& message);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void showOpenDialog();
    void onLoaded(const QString& path, std::shared_ptr<const music::LoadedSong> loaded);
    void onFailed(const QString& path, const QString& message);

    Document* doc_ = nullptr;
    PianoRollView* roll_ = nullptr;
    mutable std::optional<music::Song> songCache_;
    SongLoader* loader_ = nullptr;
    std::shared_ptr<const music::LoadedSong> loaded_;
};

} // namespace continuo::ui
