#pragma once
// A hidden test hook for the kill -9 autosave test (tests/studio/tst_autosave_kill.cpp). Set
// CONTINUO_TEST_SCRIPT=<journal file> and the studio, once started:
//  - answers the recovery question with Yes (and writes "recovery" to the journal);
//  - writes the document it starts from to <journal>.start.continuo, then "start <ns>";
//  - every CONTINUO_TEST_STEP_MS (default 10) makes one ui::EditScript edit seeded with CONTINUO_TEST_SEED,
//    then writes "step <n> <ns>".
// With CONTINUO_TEST_PAUSE_IN_DRAG=<n> it stops editing in the middle of a drag once that drag has made n
// steps (the moment a drag used to be autosaved mid-way and never again; after 1000 steps it stops anyway)
// and writes "pause <ns>". CONTINUO_TEST_AUTOSAVE_MS sets the autosave interval. <ns> is
// std::chrono::steady_clock (CLOCK_MONOTONIC, the same clock in every process). Each journal line is one
// write(2) to a file opened with O_APPEND: it is in the kernel once written, so a kill -9 cannot lose it. The
// test replays the same script to know the document after every step and checks what the next start recovers.

#include "ui/document/EditScript.h"

#include <QObject>
#include <QString>
#include <QTimer>

#include <memory>

namespace continuo::ui {
class MainWindow;
}

namespace continuo::app {

/// Thread contract: GUI thread only.
class ScriptedSession : public QObject {
public:
    /// Null unless CONTINUO_TEST_SCRIPT is set. Installs the recovery answer at once: create it before the
    /// window offers recovery.
    static std::unique_ptr<ScriptedSession> fromEnvironment(ui::MainWindow* window);
    ~ScriptedSession() override;

    /// Starts editing: at once, or when the file being opened has been read (`waitForOpen`).
    void begin(bool waitForOpen);

private:
    ScriptedSession(ui::MainWindow* window, const QString& journal);
    void start();
    void log(const QByteArray& line);

    ui::MainWindow* window_;
    QString journal_;
    int fd_ = -1;
    std::unique_ptr<ui::EditScript> script_;
    QTimer timer_;
    int pauseInDrag_ = 0; ///< 0: never pause
    bool started_ = false;
};

} // namespace continuo::app
