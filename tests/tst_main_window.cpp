// The studio window opens MIDI files off the GUI thread and says what it read; a broken file is a
// dialog and a status message, and the song already open stays.

#include "music/SongFile.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>

using namespace continuo;

class TestMainWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensAFileAndListsIt();
    void brokenFileKeepsTheSong();
};

void TestMainWindow::opensAFileAndListsIt() {
    QTemporaryDir dir;
    music::Song s;
    music::Track t;
    t.name = "Sketch";
    for (int i = 0; i < 8; ++i)
        t.notes.push_back({i * 480, 480, std::uint8_t(60 + i), 100, 0, music::NoteOrigin::User});
    s.tracks = {t};
    const QString path = dir.filePath("sketch.mid");
    music::saveSong(path.toStdString(), s);

    ui::MainWindow w;
    w.show();
    QSignalSpy opened(&w, &ui::MainWindow::songOpened);
    w.openFile(path);
    QVERIFY(opened.wait(10000));
    QVERIFY2(w.statusBar()->currentMessage().contains("1 track, 8 notes"),
             qPrintable(w.statusBar()->currentMessage()));
    QVERIFY(w.windowTitle().contains("sketch.mid"));
    QVERIFY(w.song() != nullptr);
    QCOMPARE(w.song()->noteCount(), std::size_t(8));
}

void TestMainWindow::brokenFileKeepsTheSong() {
    QTemporaryDir dir;
    music::Song s;
    s.tracks.resize(1);
    s.tracks[0].notes = {{0, 100, 60, 100, 0, music::NoteOrigin::User}};
    const QString good = dir.filePath("good.mid");
    music::saveSong(good.toStdString(), s);
    const QString bad = dir.filePath("bad.mid");
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("MThd\0\0\0\x06\0\x01\0\x01\0\0", 14);
    f.close();

    ui::MainWindow w;
    w.show();
    QSignalSpy opened(&w, &ui::MainWindow::songOpened);
    QSignalSpy failed(&w, &ui::MainWindow::openFailed);
    w.openFile(good);
    QVERIFY(opened.wait(10000));
    w.openFile(bad);
    QVERIFY(failed.wait(10000));
    QVERIFY(failed.front().at(1).toString().contains("zero ticks per quarter note"));
    QVERIFY(w.statusBar()->currentMessage().contains("Could not open bad.mid"));
    auto* box = w.findChild<QMessageBox*>();
    QVERIFY(box != nullptr);
    QVERIFY(box->text().contains("zero ticks per quarter note"));
    QCOMPARE(w.song()->noteCount(), std::size_t(1)); // the open song stays
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
