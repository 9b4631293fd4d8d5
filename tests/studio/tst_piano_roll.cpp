// The roll with real mouse and key events on its viewport: drawn notes land in the document at the pitch
// and tick under the mouse, and every gesture is exactly one undo step.

#include "midi/SmfReader.h"
#include "midi/SmfWriter.h"
#include "music/SmfToSong.h"
#include "music/SongToSmf.h"
#include "ui/PianoRollView.h"
#include "ui/document/Commands.h"
#include "ui/document/Document.h"
#include "ui/playback/IAudition.h"

#include <QApplication>
#include <QClipboard>
#include <QMimeData>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>

using namespace continuo;
using namespace continuo::ui;

class TestPianoRoll : public QObject {
    Q_OBJECT
    Session* session = nullptr;
    Document* doc = nullptr;
    PianoRollView* roll = nullptr;
    NullAudition audition;

    QPoint at(std::int64_t tick, int pitch) const {
        const auto& g = roll->geometry();
        return QPoint(int(g.tickToX(tick)) + 3, int(g.pitchToY(pitch) + g.keyHeight / 2));
    }
    QWidget* vp() const { return roll->viewport(); }
    void move(QPoint pos, Qt::KeyboardModifiers mods = Qt::NoModifier) {
        QMouseEvent e(QEvent::MouseMove, pos, vp()->mapToGlobal(pos), Qt::NoButton, Qt::LeftButton, mods);
        QCoreApplication::sendEvent(vp(), &e);
    }
    void drag(QPoint from, QPoint to, Qt::KeyboardModifiers mods = Qt::NoModifier) {
        QTest::mousePress(vp(), Qt::LeftButton, mods, from);
        for (int i = 1; i <= 5; ++i)
            move(from + (to - from) * i / 5, mods);
        QTest::mouseRelease(vp(), Qt::LeftButton, mods, to);
    }
    std::vector<std::pair<NoteId, music::Note>> notes() const {
        std::vector<std::pair<NoteId, music::Note>> v;
        for (const auto& [id, n] : doc->track(doc->currentTrack())->notes)
            v.emplace_back(id, n);
        return v;
    }
    void seed() { // four quarter notes C D E F in bar 1, on a song where the roll shows pitch 60–72
        music::Song s;
        music::Track t;
        t.name = "Melody";
        const std::uint8_t pitches[] = {60, 62, 64, 65};
        for (int i = 0; i < 4; ++i)
            t.notes.push_back({i * 480, 480, pitches[i], 90, 0});
        s.tracks.push_back(t);
        doc->reset(s);
        roll->ensureVisible(0, 62);
    }

private Q_SLOTS:
    void init() {
        session = new Session;
        doc = session->document();
        roll = new PianoRollView(session);
        roll->setAudition(&audition);
        roll->resize(900, 600);
        roll->show();
        QVERIFY(QTest::qWaitForWindowExposed(roll));
        roll->ensureVisible(0, 60);
    }
    void cleanup() {
        delete roll;
        delete session;
    }

    void drawClickMakesOneGridNote_data() {
        QTest::addColumn<qint64>("tick");
        QTest::addColumn<int>("pitch");
        QTest::addColumn<qint64>("expectStart");
        QTest::newRow("bar 2, C4") << qint64(1920) << 60 << qint64(1920);
        QTest::newRow("off-grid snaps down") << qint64(1000) << 64 << qint64(960);
        QTest::newRow("beat 2, A4") << qint64(480) << 69 << qint64(480);
    }
    void drawClickMakesOneGridNote() {
        QFETCH(qint64, tick);
        QFETCH(int, pitch);
        QFETCH(qint64, expectStart);
        roll->ensureVisible(tick, pitch);
        QTest::mouseClick(vp(), Qt::LeftButton, {}, at(tick, pitch));
        QCOMPARE(doc->noteCount(), std::size_t(1));
        const music::Note n = notes().front().second;
        QCOMPARE(int(n.pitch), pitch);
        QCOMPARE(n.start, expectStart);
        QCOMPARE(n.duration, std::int64_t(120)); // 1/16 at 480 ppq
        QCOMPARE(n.origin, music::NoteOrigin::User);
        QCOMPARE(doc->undoStack()->count(), 1);
        QCOMPARE(audition.lastPitch, pitch); // drawing lets you hear the note
        doc->undoStack()->undo();
        QCOMPARE(doc->noteCount(), std::size_t(0));
        doc->undoStack()->redo();
        QCOMPARE(doc->noteCount(), std::size_t(1));
    }

    void drawDragMakesALongerNoteInOneStep() {
        drag(at(0, 67), at(960, 67));
        QCOMPARE(doc->noteCount(), std::size_t(1));
        QCOMPARE(notes().front().second.duration, std::int64_t(960));
        QCOMPARE(doc->undoStack()->count(), 1);
    }

    void moveDragIsOneCommand() {
        seed();
        const NoteId id = notes()[1].first; // D at 480
        drag(at(480, 62), at(480 + 960, 65));
        QCOMPARE(doc->note(id)->start, std::int64_t(1440));
        QCOMPARE(int(doc->note(id)->pitch), 65);
        QCOMPARE(doc->undoStack()->count(), 1);
        doc->undoStack()->undo();
        QCOMPARE(doc->note(id)->start, std::int64_t(480));
        QCOMPARE(int(doc->note(id)->pitch), 62);
    }

    /// Issue 20: a drag of many selected notes is one gesture command (its steps merge in O(1); the speed is
    /// in bench_roll). Whatever the route, the mouse drag stays one undo step that restores every note, and
    /// one redo moves them all again; a drag that ends where it began leaves no undo step.
    void dragOfManySelectedNotesIsOneStep() {
        music::Song s;
        music::Track t;
        for (int i = 0; i < 2000; ++i)
            t.notes.push_back({std::int64_t(i % 200) * 120, 120, std::uint8_t(60 + i % 12), 90, 0});
        t.sortNotes();
        s.tracks.push_back(t);
        doc->reset(s);
        roll->ensureVisible(0, 66);
        session->selectAll();
        QCOMPARE(session->selection().size(), 2000);
        const music::Song before = doc->toSong();
        const NoteId anchor = notes()[0].first; // at tick 0, pitch 60
        QCOMPARE(doc->note(anchor)->start, std::int64_t(0));
        QCOMPARE(int(doc->note(anchor)->pitch), 60);
        QTest::mousePress(vp(), Qt::LeftButton, {}, at(0, 60));
        for (int i = 1; i <= 30; ++i) // wanders: right, up and down, then to 4 beats right, 2 up
            move(at(i * 40, 60 + i % 5));
        move(at(1920, 62));
        QTest::mouseRelease(vp(), Qt::LeftButton, {}, at(1920, 62));
        QCOMPARE(doc->undoStack()->count(), 1);
        music::Song moved = before;
        for (music::Note& n : moved.tracks[0].notes) {
            n.start += 1920;
            n.pitch = std::uint8_t(n.pitch + 2);
        }
        moved.tracks[0].sortNotes();
        QCOMPARE(doc->toSong(), moved);
        QCOMPARE(session->selection().size(), 2000); // still selected
        doc->undoStack()->undo();
        QCOMPARE(doc->toSong(), before);
        doc->undoStack()->redo();
        QCOMPARE(doc->toSong(), moved);
        doc->undoStack()->undo();
        // Out and back: nothing to undo.
        QTest::mousePress(vp(), Qt::LeftButton, {}, at(0, 60));
        move(at(960, 64));
        move(at(0, 60));
        QTest::mouseRelease(vp(), Qt::LeftButton, {}, at(0, 60));
        QCOMPARE(doc->toSong(), before);
        QCOMPARE(doc->undoStack()->count(), 0); // (the first step dropped the undone drag, as any edit does)
    }

    void shiftLocksAxis() {
        seed();
        const NoteId id = notes()[0].first;
        drag(at(0, 60), at(960, 61), Qt::ShiftModifier);
        QCOMPARE(int(doc->note(id)->pitch), 60);
        QCOMPARE(doc->note(id)->start, std::int64_t(960));
    }

    void altDragDuplicates() {
        seed();
        const NoteId id = notes()[0].first;
        drag(at(0, 60), at(1920, 60), Qt::AltModifier);
        QCOMPARE(doc->noteCount(), std::size_t(5));
        QCOMPARE(doc->note(id)->start, std::int64_t(0)); // the original stays
        QCOMPARE(doc->undoStack()->count(), 1);
        doc->undoStack()->undo();
        QCOMPARE(doc->noteCount(), std::size_t(4));
    }

    void resizeRightEdge() {
        seed();
        const NoteId id = notes()[3].first; // F at 1440..1920
        const auto& g = roll->geometry();
        const QRectF r = g.noteRect(1440, 480, 65);
        const QPoint edge(int(r.right()) - 2, int(r.center().y()));
        drag(edge, edge + QPoint(int(g.ticksToPixels(480)), 0));
        QCOMPARE(doc->note(id)->duration, std::int64_t(960));
        QCOMPARE(doc->note(id)->start, std::int64_t(1440));
        QCOMPARE(doc->undoStack()->count(), 1);
    }

    void eraseByRightClickToolAndDelete() {
        seed();
        QTest::mouseClick(vp(), Qt::RightButton, {}, at(0, 60));
        QCOMPARE(doc->noteCount(), std::size_t(3));
        roll->setTool(PianoRollView::Tool::Erase);
        // One erase stroke over two notes is one step.
        drag(at(480, 62), at(960, 64));
        QTest::mouseClick(vp(), Qt::LeftButton, {}, at(960, 64));
        QCOMPARE(doc->noteCount(), std::size_t(1));
        QCOMPARE(doc->undoStack()->count(), 2);
        roll->setTool(PianoRollView::Tool::Select);
        QTest::mouseClick(vp(), Qt::LeftButton, {}, at(1440, 65));
        QCOMPARE(session->selection().size(), 1);
        QTest::keyClick(roll, Qt::Key_Delete);
        QCOMPARE(doc->noteCount(), std::size_t(0));
        QCOMPARE(doc->undoStack()->count(), 3);
    }

    void rubberBandSelects() {
        seed();
        roll->setTool(PianoRollView::Tool::Select);
        QSignalSpy spy(session, &Session::selectionChanged);
        // From empty space above-left of D to below-right of E: D and E only.
        drag(at(470, 66) - QPoint(8, 0), at(1400, 61));
        QCOMPARE(session->selection().size(), 2);
        QVERIFY(session->selection().contains(notes()[1].first));
        QVERIFY(session->selection().contains(notes()[2].first));
        QVERIFY(spy.count() >= 1);
        QCOMPARE(doc->undoStack()->count(), 0); // selecting is not an edit
        // Shift adds, Ctrl+A selects all.
        QTest::mouseClick(vp(), Qt::LeftButton, Qt::ShiftModifier, at(0, 60));
        QCOMPARE(session->selection().size(), 3);
        QTest::keyClick(roll, Qt::Key_A, Qt::ControlModifier);
        QCOMPARE(session->selection().size(), 4);
    }

    void arrowsNudgeAndQuantize() {
        seed();
        session->selectAll();
        QTest::keyClick(roll, Qt::Key_Right);
        QTest::keyClick(roll, Qt::Key_Up, Qt::ShiftModifier);
        QCOMPARE(notes()[0].second.start, std::int64_t(120));
        QCOMPARE(int(notes()[0].second.pitch), 72);
        QCOMPARE(doc->undoStack()->count(), 2);
        roll->setSnap(SnapGrid{4, false, true});
        roll->quantizeSelection();
        QCOMPARE(notes()[0].second.start, std::int64_t(0));
        QCOMPARE(doc->undoStack()->count(), 3);
    }

    void velocityLaneDrag() {
        seed();
        const NoteId id = notes()[2].first;
        const QRectF lane = roll->geometry().velocityArea();
        const int x = int(roll->geometry().tickToX(960)) + 1;
        drag(QPoint(x, int(lane.bottom()) - 10), QPoint(x, int(lane.top()) + 2));
        QCOMPARE(int(doc->note(id)->velocity), 127);
        QCOMPARE(doc->undoStack()->count(), 1);
    }

    void copyPasteAtPlayhead() {
        seed();
        session->selectAll();
        QTest::keyClick(roll, Qt::Key_C, Qt::ControlModifier);
        // A click in the ruler puts the playhead at bar 3.
        const auto& g = roll->geometry();
        QTest::mouseClick(vp(), Qt::LeftButton, {}, QPoint(int(g.tickToX(3840)) + 1, 10));
        QCOMPARE(session->playhead(), std::int64_t(3840));
        QTest::keyClick(roll, Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(doc->noteCount(), std::size_t(8));
        QCOMPARE(session->selection().size(), 4);
        QCOMPARE(doc->undoStack()->count(), 1);
        QTest::keyClick(roll, Qt::Key_X, Qt::ControlModifier);
        QCOMPARE(doc->noteCount(), std::size_t(4));
    }

    // Copy puts a Standard MIDI File on the system clipboard that any program can read back.
    void copyPutsMidiOnTheSystemClipboard() {
        seed();
        session->selectAll();
        QTest::keyClick(roll, Qt::Key_C, Qt::ControlModifier);
        const QMimeData* data = QApplication::clipboard()->mimeData();
        QVERIFY(data && data->hasFormat("audio/midi"));
        QVERIFY(data->text().contains("C4"));
        const QByteArray bytes = data->data("audio/midi");
        const music::Song song = music::songFromSmf(midi::parseMidiBytes(
            std::span(reinterpret_cast<const std::uint8_t*>(bytes.constData()), std::size_t(bytes.size()))));
        QCOMPARE(song.ppq, doc->ppq());
        std::vector<int> pitches;
        for (const auto& t : song.tracks)
            for (const auto& n : t.notes) {
                pitches.push_back(n.pitch);
                QCOMPARE(n.duration, std::int64_t(480));
            }
        QCOMPARE(pitches, (std::vector<int>{60, 62, 64, 65}));
    }

    // MIDI another program copied (another resolution, two tracks, starting late) pastes at the playhead
    // at the document's resolution; garbage on the clipboard is refused with a message and changes nothing.
    void pasteTakesMidiFromOtherPrograms() {
        seed();
        music::Song other;
        other.ppq = 96;
        other.tracks.resize(2);
        other.tracks[0].notes.push_back({192, 96, 67, 100, 0}); // G4, a quarter, from beat 3
        other.tracks[1].notes.push_back({240, 48, 43, 80, 1});  // G2, an eighth, half a beat later
        const std::vector<std::uint8_t> smf = midi::serializeSmf(music::smfFromSong(other));
        auto* data = new QMimeData;
        data->setData("audio/midi",
                      QByteArray(reinterpret_cast<const char*>(smf.data()), qsizetype(smf.size())));
        QApplication::clipboard()->setMimeData(data);
        session->setPlayhead(1920);
        QTest::keyClick(roll, Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(doc->noteCount(), std::size_t(6));
        std::vector<music::Note> pasted;
        for (const auto& [id, n] : doc->track(doc->currentTrack())->notes)
            if (n.start >= 1920) pasted.push_back(n);
        std::sort(pasted.begin(), pasted.end(), music::noteLess);
        QCOMPARE(pasted.size(), std::size_t(2));
        QCOMPARE(pasted[0].start, std::int64_t(1920));
        QCOMPARE(pasted[0].duration, std::int64_t(480));
        QCOMPARE(int(pasted[0].pitch), 67);
        QCOMPARE(pasted[1].start, std::int64_t(1920 + 240));
        QCOMPARE(pasted[1].duration, std::int64_t(240));
        QCOMPARE(int(pasted[1].pitch), 43);

        auto* junk = new QMimeData;
        static const char kJunk[] = "MThd\0\0\0\6garbage";
        junk->setData("audio/midi", QByteArray(kJunk, sizeof kJunk - 1));
        QApplication::clipboard()->setMimeData(junk);
        QSignalSpy status(roll, &PianoRollView::statusMessage);
        const int steps = doc->undoStack()->count();
        QTest::keyClick(roll, Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(doc->undoStack()->count(), steps);
        QCOMPARE(status.count(), 1);
        QVERIFY(status.at(0).at(0).toString().contains("could not be read"));
    }

    void keyboardAuditions() {
        const QPoint key(10, int(roll->geometry().pitchToY(64) + 3));
        QTest::mousePress(vp(), Qt::LeftButton, {}, key);
        QCOMPARE(audition.lastPitch, 64);
        QTest::mouseRelease(vp(), Qt::LeftButton, {}, key);
        QCOMPARE(doc->noteCount(), std::size_t(0));
    }

    void ctrlWheelZooms() {
        const double before = roll->geometry().pixelsPerQuarter;
        const QPoint pos(400, 300);
        QWheelEvent e(pos, vp()->mapToGlobal(pos), {}, QPoint(0, 240), Qt::NoButton, Qt::ControlModifier,
                      Qt::NoScrollPhase, false);
        QCoreApplication::sendEvent(vp(), &e);
        QVERIFY(roll->geometry().pixelsPerQuarter > before);
    }

    void otherTrackIsNotEdited() {
        seed();
        doc->undoStack()->push(TrackCommand::add(doc, TrackProps{"Bass", {}, 1, 33, {}, false, false}));
        doc->setCurrentTrack(doc->tracks().back().id);
        QTest::mouseClick(vp(), Qt::LeftButton, {},
                          at(0, 60)); // on top of the melody's C: draws, not selects
        QCOMPARE(doc->tracks().back().notes.size(), std::size_t(1));
        QCOMPARE(doc->tracks().front().notes.size(), std::size_t(4));
    }

    // Scrolling moves the cached grid and note layer and paints only the strips it uncovered: the picture
    // must be the one a full redraw gives, pixel for pixel, whichever way the roll scrolls.
    void scrolledPictureEqualsFullRedraw() {
        music::Song s;
        for (int k = 0; k < 2; ++k) {
            music::Track t;
            t.channel = std::uint8_t(k);
            for (int i = 0; i < 300; ++i) // varied lengths (some several bars long), pitches 40–87
                t.notes.push_back({std::int64_t(i) * 97 + k * 31, 60 + (i * 37 % 11) * 240,
                                   std::uint8_t(40 + (i * 7 + k * 5) % 48), std::uint8_t(30 + i % 90),
                                   t.channel,
                                   i % 4 == 0 ? music::NoteOrigin::Generated : music::NoteOrigin::User});
            t.sortNotes();
            s.tracks.push_back(t);
        }
        doc->reset(s);
        QSet<NoteId> some;
        for (const auto& [id, n] : doc->track(doc->currentTrack())->notes)
            if (id % 9 == 0) some.insert(id);
        session->setSelection(some);
        roll->horizontalScrollBar()->setValue(roll->horizontalScrollBar()->maximum() / 2);
        roll->verticalScrollBar()->setValue(roll->verticalScrollBar()->maximum() / 2);
        vp()->grab(); // fills the caches at the start position
        const QList<QPoint> steps{{0, 1}, {0, -7}, {3, 0}, {-25, 0}, {11, 13}, {-1, -1}, {200, -150}};
        for (const QPoint step : steps) {
            roll->horizontalScrollBar()->setValue(roll->horizontalScrollBar()->value() + step.x());
            roll->verticalScrollBar()->setValue(roll->verticalScrollBar()->value() + step.y());
            const QImage moved = vp()->grab().toImage();
            PianoRollView fresh(session);
            fresh.resize(roll->size());
            fresh.show();
            QVERIFY(QTest::qWaitForWindowExposed(&fresh));
            fresh.horizontalScrollBar()->setValue(roll->horizontalScrollBar()->value());
            fresh.verticalScrollBar()->setValue(roll->verticalScrollBar()->value());
            const QImage full = fresh.viewport()->grab().toImage();
            QCOMPARE(moved.size(), full.size());
            int differing = 0;
            for (int y = 0; y < full.height(); ++y)
                for (int x = 0; x < full.width(); ++x)
                    differing += moved.pixel(x, y) != full.pixel(x, y);
            QVERIFY2(differing == 0, qPrintable(QString("scroll by (%1, %2): %3 pixels differ")
                                                    .arg(step.x())
                                                    .arg(step.y())
                                                    .arg(differing)));
        }
    }

    void exportImage() {
        seed();
        const QImage img = roll->renderSongImage();
        QVERIFY(img.width() > 100);
        QVERIFY(img.height() > 50);
    }
};

QTEST_MAIN(TestPianoRoll)
#include "tst_piano_roll.moc"
