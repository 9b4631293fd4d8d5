// Document + commands: every edit undoes and redoes exactly, drags merge into one step, a generated
// passage is one step, notes keep their ids through undo.

#include "ui/document/Commands.h"
#include "ui/document/Document.h"

#include <QSignalSpy>
#include <QTest>

using namespace continuo;
using namespace continuo::ui;

namespace {
music::Song seedSong() {
    music::Song s;
    s.ppq = 480;
    music::Track t;
    t.name = "Piano";
    for (int i = 0; i < 4; ++i)
        t.notes.push_back({i * 480, 480, std::uint8_t(60 + i * 2), 90, 0});
    s.tracks.push_back(t);
    return s;
}
std::vector<NoteId> idsOf(const Document& d, TrackId t) {
    std::vector<NoteId> ids;
    for (const auto& [id, n] : d.track(t)->notes)
        ids.push_back(id);
    return ids;
}
} // namespace

class TestDocument : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void resetGivesIdsAndATrack() {
        Document d;
        QCOMPARE(d.tracks().size(), std::size_t(1)); // an empty document still has a track to draw in
        d.reset(seedSong());
        QCOMPARE(d.noteCount(), std::size_t(4));
        QCOMPARE(d.undoStack()->count(), 0);
        QCOMPARE(d.toSong().tracks.front().notes, seedSong().tracks.front().notes);
        QVERIFY(!d.isModified());
    }

    void editUndoRedo_data() {
        QTest::addColumn<QString>("edit");
        QTest::addColumn<int>("notesAfter");
        QTest::newRow("add") << "add" << 5;
        QTest::newRow("remove two") << "remove" << 2;
        QTest::newRow("move") << "move" << 4;
        QTest::newRow("resize") << "resize" << 4;
        QTest::newRow("velocity") << "velocity" << 4;
        QTest::newRow("quantize") << "quantize" << 4;
        QTest::newRow("generated") << "generated" << 12;
        QTest::newRow("regenerate range") << "regenerate" << 10;
    }
    void editUndoRedo() {
        QFETCH(QString, edit);
        QFETCH(int, notesAfter);
        Document d;
        d.reset(seedSong());
        const TrackId t = d.currentTrack();
        const auto ids = idsOf(d, t);
        const music::Song before = d.toSong();
        QSignalSpy changed(&d, &Document::notesChanged);

        QUndoCommand* cmd = nullptr;
        auto moved = [&](NoteId id, auto f) {
            music::Note n = *d.note(id);
            f(n);
            return std::pair<NoteId, music::Note>(id, n);
        };
        if (edit == "add") {
            cmd = addNotesCommand(&d, t, {{1920, 240, 72, 100, 0}}, "Draw");
        } else if (edit == "remove") {
            cmd = removeNotesCommand(&d, {ids[0], ids[1]}, "Delete");
        } else if (edit == "move") {
            cmd = changeNotesCommand(&d,
                                     {moved(ids[1],
                                            [](music::Note& n) {
                                                n.start += 120;
                                                n.pitch += 1;
                                            })},
                                     "Move");
        } else if (edit == "resize") {
            cmd = changeNotesCommand(&d, {moved(ids[2], [](music::Note& n) { n.duration = 960; })}, "Resize");
        } else if (edit == "velocity") {
            cmd =
                changeNotesCommand(&d, {moved(ids[0], [](music::Note& n) { n.velocity = 30; })}, "Velocity");
        } else if (edit == "quantize") {
            cmd = changeNotesCommand(&d, {moved(ids[3], [](music::Note& n) { n.start += 37; })}, "Nudge");
            d.undoStack()->push(cmd);
            cmd = quantizeCommand(&d, {ids[3]}, 120, true);
        } else if (edit == "generated") {
            std::vector<music::Note> gen;
            for (int i = 0; i < 8; ++i)
                gen.push_back({1920 + i * 240, 240, std::uint8_t(64 + i % 3), 80, 0});
            cmd = generatedPassageCommand(&d, t, gen, {});
        } else if (edit == "regenerate") {
            std::vector<music::Note> gen;
            for (int i = 0; i < 8; ++i)
                gen.push_back({480 + i * 60, 60, 70, 80, 0});
            cmd = generatedPassageCommand(&d, t, gen, {ids[1], ids[2]});
        }
        const int base = d.undoStack()->count();
        d.undoStack()->push(cmd);
        QCOMPARE(d.undoStack()->count(), base + 1);
        QCOMPARE(int(d.noteCount()), notesAfter);
        QVERIFY(changed.count() >= 1);
        QVERIFY(d.isModified());
        const music::Song after = d.toSong();
        if (edit == "quantize") QCOMPARE(d.note(ids[3])->start, std::int64_t(1440));
        if (edit == "generated" || edit == "regenerate") {
            int generated = 0;
            for (const auto& n : after.tracks[0].notes)
                generated += n.origin == music::NoteOrigin::Generated;
            QCOMPARE(generated, 8);
        }

        // One undo removes the whole edit (a generated passage included) …
        d.undoStack()->undo();
        if (edit != "quantize") QCOMPARE(d.toSong(), before);
        // … ids survive, so redo restores the very same notes.
        d.undoStack()->redo();
        QCOMPARE(d.toSong(), after);
        for (NoteId id : ids)
            if (d.note(id)) QVERIFY(d.trackOfNote(id) == t);
    }

    void dragMergesIntoOneCommand() {
        Document d;
        d.reset(seedSong());
        const NoteId id = idsOf(d, d.currentTrack())[0];
        const music::Note start = *d.note(id);
        for (int step = 1; step <= 10; ++step) {
            music::Note n = start;
            n.start += step * 10;
            d.undoStack()->push(changeNotesCommand(&d, {{id, n}}, "Move", NoteEditCommand::Drag, 7));
        }
        QCOMPARE(d.undoStack()->count(), 1);
        QCOMPARE(d.note(id)->start, start.start + 100);
        // A new gesture is a new step.
        music::Note n = *d.note(id);
        n.pitch += 1;
        d.undoStack()->push(changeNotesCommand(&d, {{id, n}}, "Move", NoteEditCommand::Drag, 8));
        QCOMPARE(d.undoStack()->count(), 2);
        d.undoStack()->undo();
        d.undoStack()->undo();
        QCOMPARE(*d.note(id), start);
    }

    void dragBackToStartLeavesNoStep() {
        Document d;
        d.reset(seedSong());
        const NoteId id = idsOf(d, d.currentTrack())[0];
        music::Note n = *d.note(id);
        const music::Note start = n;
        n.start += 240;
        d.undoStack()->push(changeNotesCommand(&d, {{id, n}}, "Move", NoteEditCommand::Drag, 1));
        d.undoStack()->push(changeNotesCommand(&d, {{id, start}}, "Move", NoteEditCommand::Drag, 1));
        QCOMPARE(d.undoStack()->count(), 0);
        QCOMPARE(*d.note(id), start);
    }

    void trackCommands_data() {
        QTest::addColumn<QString>("op");
        QTest::newRow("add") << "add";
        QTest::newRow("remove") << "remove";
        QTest::newRow("rename") << "rename";
        QTest::newRow("program") << "program";
        QTest::newRow("mute") << "mute";
        QTest::newRow("solo") << "solo";
        QTest::newRow("colour") << "colour";
    }
    void trackCommands() {
        QFETCH(QString, op);
        Document d;
        d.reset(seedSong());
        d.undoStack()->push(TrackCommand::add(&d, TrackProps{"Bass", {}, 1, 33, {}, false, false}));
        const TrackId bass = d.tracks().back().id;
        d.undoStack()->push(addNotesCommand(&d, bass, {{0, 960, 36, 100, 1}}, "Draw"));
        const music::Song before = d.toSong();
        const auto propsBefore = d.track(bass)->props;
        QSignalSpy tracksChanged(&d, &Document::tracksChanged);
        TrackProps p = propsBefore;
        if (op == "add") {
            d.undoStack()->push(TrackCommand::add(&d, TrackProps{"Strings", {}, 2, 48, {}, false, false}));
            QCOMPARE(d.tracks().size(), std::size_t(3));
        } else if (op == "remove") {
            d.undoStack()->push(TrackCommand::remove(&d, bass));
            QCOMPARE(d.tracks().size(), std::size_t(1));
            QCOMPARE(d.noteCount(), std::size_t(4));
            QVERIFY(!d.trackOfNote(d.noteCount() + 1));
        } else {
            if (op == "rename") p.name = "Fretless";
            if (op == "program") p.program = 35;
            if (op == "mute") p.mute = true;
            if (op == "solo") p.solo = true;
            if (op == "colour") p.colour = Qt::magenta;
            d.undoStack()->push(TrackCommand::changeProps(&d, bass, p, "Track"));
            QCOMPARE(d.track(bass)->props, p);
        }
        QVERIFY(tracksChanged.count() >= 1);
        d.undoStack()->undo();
        QCOMPARE(d.toSong(), before);
        QCOMPARE(d.track(bass)->props, propsBefore);
        QCOMPARE(d.track(bass)->notes.size(), std::size_t(1)); // a removed track comes back with its notes
    }
};

QTEST_MAIN(TestDocument)
#include "tst_document.moc"
