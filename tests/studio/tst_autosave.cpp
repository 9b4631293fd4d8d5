// Autosave keeps the last edit and belongs to the studio that wrote it (issue 17, item 1): an undo followed
// by a new edit, a drag that outlasts the interval, recovery offered when the studio starts with a file, and
// a second studio that neither offers nor deletes the autosave of one still running. A "crash" here is a
// window destroyed without closing (no clean exit); tst_autosave_kill does it with SIGKILL on a real process.

#include "music/SongFile.h"
#include "ui/MainWindow.h"
#include "ui/document/Commands.h"
#include "ui/document/Document.h"
#include "ui/files/AutosaveWriter.h"
#include "ui/files/FileController.h"
#include "ui/files/ProjectFile.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace continuo;
using namespace continuo::ui;

namespace {
void draw(Document* d, std::int64_t start, int pitch) {
    d->undoStack()->push(
        addNotesCommand(d, d->currentTrack(), {{start, 240, std::uint8_t(pitch), 90, 0}}, "Draw"));
}

/// True once the window's autosave file holds exactly its document (the write runs off the GUI thread).
bool autosaveHolds(const MainWindow& w) {
    try {
        return readProject(w.files()->autosavePath()).song == w.document()->toSong();
    } catch (const std::exception&) {
        return false;
    }
}
} // namespace

class TestAutosave : public QObject {
    Q_OBJECT
    QTemporaryDir dir;

private Q_SLOTS:
    void initTestCase() {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setQuitOnLastWindowClosed(false); // the clean exits below close windows
    }
    void init() { QDir(FileController::autosaveDir()).removeRecursively(); }

    // (a) The autosave used to skip when the undo index matched the saved one: undo + a new edit within one
    // interval lands on the same index, so recovery brought back the undone note and lost the new one.
    void undoThenNewEditIsAutosaved() {
        music::Song expected;
        {
            MainWindow w;
            w.files()->setAutosaveInterval(20);
            draw(w.document(), 0, 60);
            QTRY_VERIFY(autosaveHolds(w));
            w.document()->undoStack()->undo();
            draw(w.document(), 480, 64); // same undo index as the autosaved state, other notes
            expected = w.document()->toSong();
            QTRY_VERIFY_WITH_TIMEOUT(autosaveHolds(w), 3000);
        } // crash
        MainWindow w;
        QVERIFY(w.files()->recover());
        QCOMPARE(w.document()->toSong(), expected);
    }

    // (b) Every step of a drag merges into one command, so the undo index stops moving: the drag used to be
    // autosaved at its first step and never again.
    void dragLongerThanTheIntervalIsAutosavedToItsEnd() {
        music::Song expected;
        {
            MainWindow w;
            w.files()->setAutosaveInterval(20);
            Document* d = w.document();
            draw(d, 0, 60);
            QTRY_VERIFY(autosaveHolds(w));
            const NoteId id = d->track(d->currentTrack())->notes.begin()->first;
            for (int step = 1; step <= 8; ++step) {
                music::Note n = *d->note(id);
                n.start += 48;
                d->undoStack()->push(changeNotesCommand(d, {{id, n}}, "Move", NoteEditCommand::Drag, 7));
                // The drag goes on over many intervals: each position reaches the autosave.
                QTRY_VERIFY_WITH_TIMEOUT(autosaveHolds(w), 3000);
            }
            QCOMPARE(d->undoStack()->count(), 2); // one command for the whole drag
            expected = d->toSong();
        } // crash
        MainWindow w;
        QVERIFY(w.files()->recover());
        QCOMPARE(w.document()->toSong(), expected);
    }

    // (c) Started with a file (what a file manager does), the studio offered no recovery; and a session that
    // opened a file and quit cleanly deleted the autosave of the session that had crashed.
    void recoveryOfferedWhenStartedWithAFile() {
        const QString midi = dir.filePath("tune.mid");
        music::Song tune;
        tune.tracks.push_back({});
        tune.tracks.back().notes.push_back({0, 480, 67, 80, 0});
        music::saveSong(midi.toStdString(), tune);
        music::Song crashed;
        {
            MainWindow a;
            draw(a.document(), 0, 60);
            draw(a.document(), 240, 62);
            a.files()->autosaveNow();
            QTRY_VERIFY(autosaveHolds(a));
            crashed = a.document()->toSong();
        } // crash
        {
            MainWindow b; // opens a file, never asked, quits cleanly
            QSignalSpy opened(&b, &MainWindow::songOpened);
            b.openFile(midi);
            QVERIFY(opened.wait(5000));
            QVERIFY(b.close());
        }
        MainWindow c;
        int asked = 0;
        c.files()->askRecovery = [&](const QDateTime&) { return ++asked, true; };
        QVERIFY(!c.startSession(midi)); // the recovered document takes the file's place
        QCOMPARE(asked, 1);
        QCOMPARE(c.document()->toSong(), crashed);
        QVERIFY(c.document()->isModified());
    }

    // (d) A second studio used to offer the autosave of the first, still running, and its clean exit
    // deleted that file.
    void secondInstanceLeavesTheFirstOnesAutosave() {
        auto first = std::make_unique<MainWindow>();
        draw(first->document(), 0, 60);
        first->files()->autosaveNow();
        QTRY_VERIFY(autosaveHolds(*first));
        {
            MainWindow second;
            int asked = 0;
            second.files()->askRecovery = [&](const QDateTime&) { return ++asked, true; };
            QVERIFY(!second.files()->hasRecovery());
            QVERIFY(!second.startSession({}));
            QCOMPARE(asked, 0);
            QVERIFY(second.files()->autosavePath() != first->files()->autosavePath());
            QVERIFY(second.close()); // a clean exit
        }
        QVERIFY(QFile::exists(first->files()->autosavePath()));
        QVERIFY(autosaveHolds(*first));
        const music::Song expected = first->document()->toSong();
        first.reset(); // now the first one crashes: its autosave is recoverable
        MainWindow third;
        QVERIFY(third.files()->hasRecovery());
        QVERIFY(third.files()->recover());
        QCOMPARE(third.document()->toSong(), expected);
    }

    // The owner's clean exit deletes its own autosave: nothing is offered next time.
    void cleanExitDeletesOwnAutosave() {
        QString path;
        {
            MainWindow w;
            draw(w.document(), 0, 60);
            w.files()->autosaveNow();
            QTRY_VERIFY(autosaveHolds(w));
            path = w.files()->autosavePath();
            w.files()->discardAutosave();
        }
        QVERIFY(!QFile::exists(path));
        MainWindow next;
        QVERIFY(!next.files()->hasRecovery());
    }

    // The writer's own guarantees: a reader never sees a half-written file, the last snapshot handed in is
    // the one that stays, and a failure is reported rather than lost.
    void writerKeepsTheFileWholeAndTheLatest() {
        const QString path = dir.filePath("writer.continuo");
        ProjectData data;
        data.song.tracks.resize(1);
        data.trackProps.resize(1);
        {
            AutosaveWriter writer(path);
            for (int i = 0; i < 200; ++i) {
                for (int k = 0; k < 50; ++k)
                    data.song.tracks[0].notes.push_back({i * 50 + k, 10, std::uint8_t(40 + k), 90, 0});
                writer.write(data);
                if (QFile::exists(path)) QVERIFY(!readProject(path).song.tracks.empty()); // never torn
            }
            writer.flush();
            QCOMPARE(readProject(path).song.noteCount(), std::size_t(200 * 50));
            QVERIFY(QDir(QFileInfo(path).absolutePath())
                        .entryList({"*.tmp-*"}, QDir::Files | QDir::Hidden)
                        .isEmpty()); // no temporary file left
            writer.remove();
            writer.flush();
            QVERIFY(!QFile::exists(path));
        }
        AutosaveWriter broken(dir.filePath("no/such/folder/x.continuo"));
        QSignalSpy failed(&broken, &AutosaveWriter::failed);
        broken.write(data);
        QVERIFY(failed.wait(5000));
        QVERIFY(failed.front().at(0).toString().contains("x.continuo"));
    }
};

QTEST_MAIN(TestAutosave)
#include "tst_autosave.moc"
