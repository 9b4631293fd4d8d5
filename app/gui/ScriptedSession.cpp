#include "ScriptedSession.h"

#include "ui/MainWindow.h"
#include "ui/files/FileController.h"
#include "ui/files/ProjectFile.h"
#include "ui/session/Session.h"

#include <QFile>

#include <chrono>
#include <fcntl.h>
#include <unistd.h>

namespace continuo::app {

namespace {
QByteArray now() {
    return QByteArray::number(
        qint64(std::chrono::steady_clock::now().time_since_epoch() / std::chrono::nanoseconds(1)));
}
} // namespace

std::unique_ptr<ScriptedSession> ScriptedSession::fromEnvironment(ui::MainWindow* window) {
    const QString journal = qEnvironmentVariable("CONTINUO_TEST_SCRIPT");
    if (journal.isEmpty()) return nullptr;
    return std::unique_ptr<ScriptedSession>(new ScriptedSession(window, journal));
}

ScriptedSession::ScriptedSession(ui::MainWindow* window, const QString& journal)
    : window_(window)
    , journal_(journal)
    , fd_(::open(QFile::encodeName(journal).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) {
    bool ok = false;
    const int autosaveMs = qEnvironmentVariableIntValue("CONTINUO_TEST_AUTOSAVE_MS", &ok);
    if (ok && autosaveMs > 0) window_->files()->setAutosaveInterval(autosaveMs);
    window_->files()->askRecovery = [this](const QDateTime&) {
        log("recovery");
        return true;
    };
    const int stepMs = qEnvironmentVariableIntValue("CONTINUO_TEST_STEP_MS", &ok);
    timer_.setInterval(ok && stepMs > 0 ? stepMs : 10);
    pauseInDrag_ = qEnvironmentVariableIntValue("CONTINUO_TEST_PAUSE_IN_DRAG");
    connect(&timer_, &QTimer::timeout, this, [this] {
        script_->step();
        log("step " + QByteArray::number(script_->steps()) + ' ' + now());
        if (pauseInDrag_ > 0 && (script_->dragSteps() >= pauseInDrag_ || script_->steps() >= 1000)) {
            timer_.stop();
            log("pause " + now());
        }
    });
}

ScriptedSession::~ScriptedSession() {
    if (fd_ >= 0) ::close(fd_);
}

void ScriptedSession::begin(bool waitForOpen) {
    if (!waitForOpen) return start();
    connect(window_, &ui::MainWindow::songOpened, this, &ScriptedSession::start);
    connect(window_, &ui::MainWindow::openFailed, this, &ScriptedSession::start);
}

void ScriptedSession::start() {
    if (started_) return;
    started_ = true;
    ui::Document* doc = window_->document();
    const QString dump = journal_ + QStringLiteral(".start.continuo");
    ui::writeFileAtomically(dump, ui::projectToJson(*doc, window_->session()->generateSettings(), QString()));
    log("start " + now());
    script_ = std::make_unique<ui::EditScript>(doc, qEnvironmentVariable("CONTINUO_TEST_SEED").toULongLong());
    timer_.start();
}

void ScriptedSession::log(const QByteArray& line) {
    const QByteArray bytes = line + '\n';
    if (fd_ >= 0 && ::write(fd_, bytes.constData(), std::size_t(bytes.size())) != bytes.size())
        qWarning("ScriptedSession: cannot append to the journal");
}

} // namespace continuo::app
