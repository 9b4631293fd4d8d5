#include "ui/MainWindow.h"

#include "music/MidiFileNames.h"
#include "ui/PianoRollView.h"
#include "ui/TrackListPanel.h"
#include "ui/document/Document.h"
#include "ui/files/FileController.h"
#include "ui/generate/Engine.h"
#include "ui/generate/GenerateController.h"
#include "ui/generate/GeneratePanel.h"
#include "ui/playback/RecordController.h"
#include "ui/playback/TransportController.h"
#include "ui/playback/WavExportController.h"
#include "ui/session/Session.h"
#include "ui/settings/SettingsController.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScreen>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QStatusBar>
#include <QToolBar>
#include <QToolButton>

namespace continuo::ui {

namespace {
/// The Open dialog's filter: projects and every MIDI file name (music/MidiFileNames.h).
QString openFilter() {
    return MainWindow::tr("Projects and MIDI files (%1);;All files (*)")
        .arg(QStringLiteral("*.continuo ") + QString::fromStdString(music::midiFileGlobs()));
}

bool looksOpenable(const QString& path) {
    return path.toLower().endsWith(".continuo") ||
           music::isMidiFileName(QFile::encodeName(path).toStdString());
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : MainWindow(StudioServices{}, parent) {}

MainWindow::MainWindow(StudioServices services, QWidget* parent)
    : QMainWindow(parent)
    , services_(std::move(services))
    , session_(new Session(this))
    , doc_(session_->document())
    , roll_(new PianoRollView(session_, this))
    , panel_(new GeneratePanel)
    , engine_(new Engine(services_.composer, this)) {
    setWindowTitle(tr("Continuo"));
    setCentralWidget(roll_);
    setAcceptDrops(true);
    roll_->setAudition(services_.audition.get());
    transport_ = new TransportController(session_, services_.transport.get(), this);
    recorder_ = new RecordController(session_, transport_, services_.recorder.get(), this);
    wavExport_ = new WavExportController(this, transport_, services_.transport != nullptr);
    // Listen goes through the controller too, so it hears mute/solo and the playhead follows it.
    generator_ = new GenerateController(session_, engine_, services_.transport ? transport_ : nullptr, this);
    panel_->attach(generator_, session_);
    panel_->setAuditionAvailable(transport_->available(), transport_->unavailableText());
    if (!services_.composer && !services_.composerProblem.empty())
        panel_->setMessage(QString::fromStdString(services_.composerProblem));
    files_ = new FileController(
        this, session_, [this] { return QString::fromStdString(engine_->description().name); }, this);
    settings_ = new SettingsController(this, services_.sound, this);

    auto* generateDock = new QDockWidget(tr("Generate"), this);
    generateDock->setObjectName("generateDock");
    generateDock->setWidget(panel_);
    addDockWidget(Qt::RightDockWidgetArea, generateDock);
    auto* tracksDock = new QDockWidget(tr("Tracks"), this);
    tracksDock->setObjectName("tracksDock");
    tracksDock->setWidget(new TrackListPanel(doc_));
    addDockWidget(Qt::RightDockWidgetArea, tracksDock);

    createActions();
    createToolBar();
    connect(doc_, &Document::notesChanged, this, [this] { songCache_.reset(); });
    connect(doc_, &Document::tracksChanged, this, [this] { songCache_.reset(); });
    connect(doc_, &Document::metaChanged, this, [this] { songCache_.reset(); });
    connect(files_, &FileController::titleChanged, this,
            [this](const QString& title) { setWindowTitle(tr("%1 — Continuo").arg(title)); });
    connect(files_, &FileController::opened, this, [this](const QString& path) {
        statusBar()->showMessage(tr("%1: %2").arg(QFileInfo(path).fileName(),
                                                  QString::fromStdString(music::describeSong(*song()))));
        Q_EMIT songOpened(path);
    });
    connect(files_, &FileController::openFailed, this, [this](const QString& path, const QString& message) {
        statusBar()->showMessage(tr("Could not open %1").arg(QFileInfo(path).fileName()));
        Q_EMIT openFailed(path, message);
    });
    connect(files_, &FileController::recentFilesChanged, this, &MainWindow::updateRecentMenu);
    connect(files_, &FileController::autosaveFailed, this, [this](const QString& message) {
        statusBar()->showMessage(tr("Autosave failed: %1").arg(message), 10000);
    });
    connect(generator_, &GenerateController::resultsReady, this, [this](int n) {
        if (n > 0)
            statusBar()->showMessage(
                tr("%n variation(s) ready: ◀ ▶ to compare, Accept to keep.", nullptr, n));
    });
    connect(roll_, &PianoRollView::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 8000); });
    connect(session_, &Session::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message, 8000); });
    connect(recorder_, &RecordController::statusMessage, this,
            [this](const QString& message) { statusBar()->showMessage(message); });
    statusBar()->showMessage(tr("Draw notes in the roll (or open a MIDI file), then Generate."));
    updateRecentMenu();
    // 1280 × 800, or the screen's free area when it is smaller (a 1024 × 700 screen showed the Generate
    // panel half off the edge).
    QSize size(1280, 800);
    if (const QScreen* s = QGuiApplication::primaryScreen())
        size = size.boundedTo(s->availableGeometry().size());
    resize(size);
}

MainWindow::~MainWindow() {
    // Before services_ goes: the recorder ends a take on, and the transport controller waits for an export
    // on and unhooks itself from, the services they hold (Qt would delete them only after our members,
    // services included, are gone).
    delete recorder_;
    delete wavExport_;
    delete transport_;
}

const music::Song* MainWindow::song() const {
    if (!songCache_) songCache_ = doc_->toSong();
    return &*songCache_;
}

void MainWindow::createActions() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New"), QKeySequence::New, this, [this] {
        if (files_->maybeSave()) files_->newDocument();
    });
    file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::showOpenDialog);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    file->addAction(tr("&Save"), QKeySequence::Save, this, [this] { files_->save(); });
    file->addAction(tr("Save &As…"), QKeySequence::SaveAs, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save project"), QString(),
                                                          tr("Continuo projects (*.continuo)"));
        if (!path.isEmpty()) files_->saveAs(path.endsWith(".continuo") ? path : path + ".continuo");
    });
    file->addSeparator();
    const auto exportMidi = [this](bool selection) {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export MIDI"), QString(), tr("MIDI (*.mid)"));
        if (!path.isEmpty() && files_->exportMidi(path, selection))
            statusBar()->showMessage(tr("Exported %1").arg(path));
    };
    file->addAction(tr("Export &MIDI…"), this, [exportMidi] { exportMidi(false); });
    file->addAction(tr("Export Se&lection as MIDI…"), this, [exportMidi] { exportMidi(true); });
    file->addAction(tr("Export &PNG of the Roll…"), this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Export PNG"), QString(), tr("PNG (*.png)"));
        if (!path.isEmpty() && files_->exportPng(path, roll_->renderSongImage()))
            statusBar()->showMessage(tr("Exported %1").arg(path));
    });
    // Export WAV renders through the synth on a worker, with progress and Cancel; the window stays usable.
    file->addAction(wavExport_->action());
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = doc_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = doc_->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence::Redo});
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    edit->addAction(tr("Cu&t"), QKeySequence::Cut, roll_, &PianoRollView::cutSelection);
    edit->addAction(tr("&Copy"), QKeySequence::Copy, roll_, &PianoRollView::copySelection);
    edit->addAction(tr("&Paste at Playhead"), QKeySequence::Paste, roll_, &PianoRollView::pasteAtPlayhead);
    edit->addAction(tr("&Delete"), QKeySequence::Delete, session_, &Session::deleteSelection);
    edit->addAction(tr("Select &All"), QKeySequence::SelectAll, session_, &Session::selectAll);
    edit->addSeparator();
    edit->addAction(tr("&Quantize Selection"), QKeySequence(Qt::Key_Q), roll_,
                    &PianoRollView::quantizeSelection);
    edit->addSeparator();
    edit->addAction(settings_->action());

    QMenu* transport = menuBar()->addMenu(tr("&Transport"));
    transport->addAction(transport_->playAction());
    transport->addAction(transport_->loopAction());
    transport->addAction(recorder_->recordAction());

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("Zoom &In"), QKeySequence::ZoomIn, this,
                    [this] { roll_->zoomBy(1.25, 1.25, roll_->geometry().notesArea().center()); });
    view->addAction(tr("Zoom &Out"), QKeySequence::ZoomOut, this,
                    [this] { roll_->zoomBy(0.8, 0.8, roll_->geometry().notesArea().center()); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Continuo"), this, [this] {
        QMessageBox::about(this, tr("About Continuo"),
                           tr("<b>Continuo</b> %1<br>Sketch a few notes; an LSTM continues the melody.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::createToolBar() {
    QToolBar* bar = addToolBar(tr("Tools"));
    bar->setObjectName("toolsBar");
    auto* tools = new QActionGroup(this);
    const auto addTool = [&](const QString& name, const QKeySequence& key, PianoRollView::Tool tool) {
        QAction* a = bar->addAction(name, this, [this, tool] { roll_->setTool(tool); });
        a->setShortcut(key);
        a->setToolTip(tr("%1 (%2)").arg(name, key.toString()));
        a->setCheckable(true);
        a->setChecked(roll_->tool() == tool);
        tools->addAction(a);
    };
    addTool(tr("Draw"), QKeySequence(Qt::Key_D), PianoRollView::Tool::Draw);
    addTool(tr("Select"), QKeySequence(Qt::Key_S), PianoRollView::Tool::Select);
    addTool(tr("Erase"), QKeySequence(Qt::Key_E), PianoRollView::Tool::Erase);
    bar->addSeparator();
    auto* snap = new QComboBox;
    snap->setToolTip(tr("Snap grid"));
    const std::pair<const char*, SnapGrid> grids[] = {
        {"1/1", {1, false, true}},  {"1/2", {2, false, true}},   {"1/4", {4, false, true}},
        {"1/8", {8, false, true}},  {"1/16", {16, false, true}}, {"1/32", {32, false, true}},
        {"1/4 T", {4, true, true}}, {"1/8 T", {8, true, true}},  {"1/16 T", {16, true, true}},
        {"Off", {16, false, false}}};
    for (const auto& [name, grid] : grids)
        snap->addItem(tr(name), QVariant::fromValue(QList<int>{grid.division, grid.triplet, grid.enabled}));
    snap->setCurrentIndex(4);
    connect(snap, &QComboBox::currentIndexChanged, this, [this, snap] {
        const auto v = snap->currentData().value<QList<int>>();
        roll_->setSnap(SnapGrid{v[0], v[1] != 0, v[2] != 0});
    });
    bar->addWidget(snap);
    bar->addAction(tr("Quantize"), roll_, &PianoRollView::quantizeSelection);

    QToolBar* play = addToolBar(tr("Transport"));
    play->setObjectName("transportBar");
    transport_->populate(play);
    play->addAction(recorder_->recordAction()); // after Play and Loop
    if (auto* b = qobject_cast<QToolButton*>(play->widgetForAction(recorder_->recordAction())))
        b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon); // the red dot, and a word like its neighbours
    // The tempo box edits through the transport controller (one undo step per value settled on) and shows
    // what it announces (undo, another document).
    auto* tempo = new QSpinBox;
    tempo->setObjectName("tempoBox");
    tempo->setRange(20, 400);
    tempo->setSuffix(tr(" BPM"));
    tempo->setToolTip(tr("Tempo at the start of the song; later tempo changes follow in proportion"));
    tempo->setKeyboardTracking(false); // one command per value the user settles on, not per digit typed
    tempo->setValue(transport_->tempoBpm());
    connect(tempo, &QSpinBox::valueChanged, transport_, [this](int bpm) { transport_->setTempo(bpm); });
    connect(transport_, &TransportController::tempoChanged, tempo, [tempo](int bpm) {
        const QSignalBlocker block(tempo);
        tempo->setValue(bpm);
    });
    play->addWidget(tempo);
    // Where it stays visible while it holds: the buttons are disabled and this says why (the details of a
    // long reason in its tool tip). A SoundFont loading at start or after Settings passes through here.
    soundState_ = new QLabel;
    statusBar()->addPermanentWidget(soundState_);
    const auto showSoundState = [this] {
        const QString why = transport_->unavailableText();
        soundState_->setText(why.section(" (", 0, 0));
        soundState_->setToolTip(why);
        soundState_->setVisible(!why.isEmpty());
    };
    showSoundState();
    connect(transport_, &TransportController::availabilityChanged, this,
            [this, showSoundState](const QString& notice) {
                showSoundState();
                // The Generate panel's Listen follows too (it read the state once, maybe while loading).
                panel_->setAuditionAvailable(transport_->available(), transport_->unavailableText());
                if (!notice.isEmpty()) statusBar()->showMessage(notice, 10000);
            });
}

void MainWindow::updateRecentMenu() {
    recentMenu_->clear();
    for (const QString& path : files_->recentFiles())
        recentMenu_->addAction(QFileInfo(path).fileName(), this, [this, path] {
            if (files_->maybeSave()) openFile(path);
        });
    recentMenu_->setEnabled(!recentMenu_->isEmpty());
}

void MainWindow::showOpenDialog() {
    if (!files_->maybeSave()) return;
    const QString path = QFileDialog::getOpenFileName(this, tr("Open"), QString(), openFilter());
    if (!path.isEmpty()) openFile(path);
}

void MainWindow::openFile(const QString& path) {
    statusBar()->showMessage(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    files_->open(path);
}

bool MainWindow::offerRecovery() {
    return files_->offerRecovery();
}

bool MainWindow::startSession(const QString& file) {
    // Recovery first, however the studio was started (a file manager passes a file): what a crashed session
    // left is the work that exists nowhere else. A recovered document takes the file's place; the file is
    // one Open away, and the status bar says so.
    const bool recovered = files_->offerRecovery();
    if (file.isEmpty()) return false;
    if (recovered) {
        statusBar()->showMessage(
            tr("Recovered unsaved work; %1 was not opened (File ▸ Open it once this work is saved).")
                .arg(QFileInfo(file).fileName()));
        return false;
    }
    openFile(file);
    return true;
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!files_->maybeSave()) {
        event->ignore();
        return;
    }
    files_->discardAutosave(); // a clean exit: nothing to recover next time
    transport_->stop();
    if (services_.audition) services_.audition->allNotesOff();
    event->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile() && looksOpenable(urls.front().toLocalFile()))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty() && files_->maybeSave()) openFile(urls.front().toLocalFile());
}

} // namespace continuo::ui
