#include "ui/MainWindow.h"

#include "ui/PianoRollView.h"
#include "ui/SongLoader.h"
#include "ui/document/Document.h"

#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>

namespace continuo::ui {

namespace {
const char* kMidiFilter = "MIDI files (*.mid *.midi *.kar *.rmi *.mid.gz *.MID);;All files (*)";

bool looksLikeMidi(const QString& path) {
    const QString p = path.toLower();
    return p.endsWith(".mid") || p.endsWith(".midi") || p.endsWith(".kar") || p.endsWith(".rmi") ||
           p.endsWith(".mid.gz");
}
} // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , doc_(new Document(this))
    , roll_(new PianoRollView(doc_, this))
    , loader_(new SongLoader(this)) {
    setWindowTitle(tr("Continuo"));
    setCentralWidget(roll_);
    setAcceptDrops(true);
    createMenus();
    connect(doc_, &Document::notesChanged, this, [this] { songCache_.reset(); });
    connect(doc_, &Document::tracksChanged, this, [this] { songCache_.reset(); });
    connect(loader_, &SongLoader::loaded, this, &MainWindow::onLoaded);
    connect(loader_, &SongLoader::failed, this, &MainWindow::onFailed);
    statusBar()->showMessage(tr("Open a MIDI file (File ▸ Open, or drop it here) to start."));
    resize(1100, 700);
}

MainWindow::~MainWindow() = default;

const music::Song* MainWindow::song() const {
    if (!songCache_) songCache_ = doc_->toSong();
    return &*songCache_;
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open…"), this, &MainWindow::showOpenDialog);
    open->setShortcut(QKeySequence::Open);
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), qApp, &QApplication::closeAllWindows);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Continuo"), this, [this] {
        QMessageBox::about(this, tr("About Continuo"),
                           tr("<b>Continuo</b> %1<br>Sketch a few notes; an LSTM continues the melody.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::showOpenDialog() {
    const QString path = QFileDialog::getOpenFileName(this, tr("Open MIDI file"), QString(), tr(kMidiFilter));
    if (!path.isEmpty()) openFile(path);
}

void MainWindow::openFile(const QString& path) {
    statusBar()->showMessage(tr("Reading %1…").arg(QFileInfo(path).fileName()));
    loader_->load(path);
}

void MainWindow::onLoaded(const QString& path, std::shared_ptr<const music::LoadedSong> loaded) {
    loaded_ = std::move(loaded);
    // The roll shares the song without copying it; the aliasing pointer keeps the LoadedSong alive.
    doc_->reset(loaded_->song);
    setWindowTitle(tr("%1 — Continuo").arg(QFileInfo(path).fileName()));
    QString message = tr("%1: %2").arg(QFileInfo(path).fileName(),
                                       QString::fromStdString(music::describeSong(loaded_->song)));
    if (!loaded_->warnings.empty()) {
        message += tr(" (%n warning(s): %1)", nullptr, int(loaded_->warnings.size()))
                       .arg(QString::fromStdString(loaded_->warnings.front()));
    }
    statusBar()->showMessage(message);
    Q_EMIT songOpened(path);
}

void MainWindow::onFailed(const QString& path, const QString& message) {
    statusBar()->showMessage(tr("Could not open %1").arg(QFileInfo(path).fileName()));
    auto* box = new QMessageBox(
        QMessageBox::Warning, tr("Cannot open MIDI file"),
        tr("Continuo could not read this file:\n\n%1\n\nThe file may be damaged or not a MIDI "
           "file. Nothing in the studio was changed.")
            .arg(message),
        QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open(); // window-modal without blocking the event loop
    Q_EMIT openFailed(path, message);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.front().isLocalFile() && looksLikeMidi(urls.front().toLocalFile())) {
        event->acceptProposedAction();
    }
}

void MainWindow::dropEvent(QDropEvent* event) {
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty()) openFile(urls.front().toLocalFile());
}

} // namespace continuo::ui
