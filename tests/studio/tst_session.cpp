// The studio session and the controllers on it, with no widget at all: the program is a QCoreApplication
// (QTEST_GUILESS_MAIN), where constructing any widget would abort. The Generate controller runs the test
// Composer on the real engine thread and shows its variations as the session's Generate preview; the file
// controller opens a project into the session; previews are kept per owner; the playable song applies
// mute and solo.

#include "MarkovComposer.h"

#include "music/SongFile.h"
#include "ui/document/Commands.h"
#include "ui/files/FileController.h"
#include "ui/files/ProjectFile.h"
#include "ui/generate/Engine.h"
#include "ui/generate/GenerateController.h"
#include "ui/session/Session.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace continuo;
using namespace continuo::ui;

namespace {
music::Song seed() {
    music::Song s;
    music::Track t;
    const std::uint8_t pitches[] = {60, 64, 67, 64, 62, 65, 69, 65};
    for (int i = 0; i < 8; ++i)
        t.notes.push_back({i * 240, 240, pitches[i], 90, 0});
    s.tracks.push_back(t);
    return s;
}
} // namespace

class TestSession : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void generateControllerWithoutWidgets() {
        Session session;
        session.document()->reset(seed());
        Engine engine(std::make_shared<test::MarkovComposer>());
        GenerateController controller(&session, &engine, nullptr);
        GenerateSettings s;
        s.bars = 2;
        s.variations = 3;
        s.randomSeed = 42;
        session.setGenerateSettings(s);
        QSignalSpy ready(&controller, &GenerateController::resultsReady);
        QSignalSpy shown(&controller, &GenerateController::variationsChanged);
        QSignalSpy busy(&controller, &GenerateController::busyChanged);
        QSignalSpy preview(&session, &Session::previewChanged);
        controller.generate();
        QVERIFY(controller.busy());
        QVERIFY(ready.wait(5000));
        QVERIFY(!controller.busy());
        QCOMPARE(busy.size(), 2);
        QCOMPARE(ready.front().front().toInt(), 3);
        QCOMPARE(shown.back().at(0).toInt(), 3);
        QCOMPARE(shown.back().at(1).toInt(), 0);
        QVERIFY(!preview.isEmpty());
        QCOMPARE(preview.back().front().value<PreviewOwner>(), PreviewOwner::Generate);
        const auto first = session.preview(PreviewOwner::Generate);
        QCOMPARE(first.size(), std::size_t(16)); // 2 bars of eighths
        QCOMPARE(first.front().start, std::int64_t(1920));
        QCOMPARE(session.document()->noteCount(), std::size_t(8)); // a preview is not in the document
        controller.showVariation(1);
        QVERIFY(session.preview(PreviewOwner::Generate) != first);

        controller.accept();
        QCOMPARE(session.document()->noteCount(), std::size_t(24));
        QCOMPARE(session.undoStack()->count(), 1);
        QVERIFY(session.preview(PreviewOwner::Generate).empty());
        session.undoStack()->undo();
        QCOMPARE(session.document()->noteCount(), std::size_t(8));
    }

    void generateSaysWhyNot() {
        Session session;
        session.document()->reset(seed());
        Engine engine(std::make_shared<test::MarkovComposer>());
        GenerateController controller(&session, &engine, nullptr);
        GenerateSettings s;
        s.where = GenerateWhere::RegenerateSelection;
        session.setGenerateSettings(s);
        QSignalSpy message(&controller, &GenerateController::message);
        controller.generate(); // nothing selected
        QCOMPARE(message.size(), 1);
        QVERIFY(message.front().front().toString().contains("Select the notes"));
        QVERIFY(!controller.busy());

        Engine none(nullptr);
        GenerateController without(&session, &none, nullptr);
        QSignalSpy noModel(&without, &GenerateController::message);
        without.generate();
        QVERIFY(noModel.front().front().toString().contains("No model"));
    }

    void detectKeySetsTheKeyLock() {
        Session session;
        std::vector<music::Note> aMinor;
        for (int p : {57, 60, 64, 69, 72, 76, 71, 74, 57, 64})
            aMinor.push_back({0, 480, std::uint8_t(p), 90, 0});
        music::Song song;
        song.tracks.push_back({});
        song.tracks[0].notes = aMinor;
        session.document()->reset(song);
        Engine engine(nullptr);
        GenerateController controller(&session, &engine, nullptr);
        QSignalSpy changed(&session, &Session::generateSettingsChanged);
        controller.detectKey();
        QCOMPARE(changed.size(), 1);
        QVERIFY(session.generateSettings().keyLock);
        QCOMPARE(session.generateSettings().tonic, 9);
        QCOMPARE(session.generateSettings().scale, model::Scale::NaturalMinor);
    }

    // Each owner has its own preview: discarding variations leaves a take being recorded on show, and the
    // reverse; a new document clears them all.
    void previewsPerOwner() {
        Session session;
        session.document()->reset(seed());
        Engine engine(std::make_shared<test::MarkovComposer>());
        GenerateController controller(&session, &engine, nullptr);
        const std::vector<music::Note> take{{0, 120, 72, 100, 0}};
        session.setPreview(PreviewOwner::Record, take);
        QSignalSpy ready(&controller, &GenerateController::resultsReady);
        controller.generate();
        QVERIFY(ready.wait(5000));
        QVERIFY(!session.preview(PreviewOwner::Generate).empty());
        QCOMPARE(session.preview(PreviewOwner::Record), take);
        controller.discard();
        QVERIFY(session.preview(PreviewOwner::Generate).empty());
        QCOMPARE(session.preview(PreviewOwner::Record), take);
        session.setPreview(PreviewOwner::Generate, take);
        session.clearPreview(PreviewOwner::Record);
        QCOMPARE(session.preview(PreviewOwner::Generate), take);
        QCOMPARE(session.previewEnd(), std::int64_t(120));
        session.setPreview(PreviewOwner::Record, take);
        session.document()->reset(seed());
        QVERIFY(session.preview(PreviewOwner::Generate).empty());
        QVERIFY(session.preview(PreviewOwner::Record).empty());
    }

    void playableSongAppliesMuteAndSolo() {
        Session session;
        music::Song song = seed();
        song.tracks.push_back(song.tracks[0]);
        song.tracks.push_back(song.tracks[0]);
        session.document()->reset(song);
        Document* doc = session.document();
        const auto props = [doc](int i) { return doc->tracks()[std::size_t(i)].props; };
        QCOMPARE(session.playableSong(), doc->toSong());
        TrackProps muted = props(1);
        muted.mute = true;
        session.push(TrackCommand::changeProps(doc, doc->tracks()[1].id, muted, "Mute"));
        music::Song playable = session.playableSong();
        QCOMPARE(playable.tracks.size(), std::size_t(3)); // indices still match the document
        QCOMPARE(playable.tracks[0].notes.size(), std::size_t(8));
        QVERIFY(playable.tracks[1].notes.empty());
        TrackProps solo = props(2);
        solo.solo = true;
        session.push(TrackCommand::changeProps(doc, doc->tracks()[2].id, solo, "Solo"));
        playable = session.playableSong();
        QVERIFY(playable.tracks[0].notes.empty());
        QVERIFY(playable.tracks[1].notes.empty());
        QCOMPARE(playable.tracks[2].notes.size(), std::size_t(8));
        // Listen: the variation sounds in place, on the track it was made for, mixed like the rest.
        session.setCurrentTrack(doc->tracks()[2].id);
        session.setPreview(PreviewOwner::Generate, {{1920, 240, 70, 90, 0}});
        playable = session.playableSongWith(PreviewOwner::Generate);
        QCOMPARE(playable.tracks[2].notes.size(), std::size_t(9));
        QCOMPARE(playable.tracks[2].notes.back().start, std::int64_t(1920));
    }

    void selectionFollowsTheDocument() {
        Session session;
        session.document()->reset(seed());
        session.selectAll();
        QCOMPARE(session.selection().size(), 8);
        QCOMPARE(session.selectionRange(), (std::pair<std::int64_t, std::int64_t>{0, 1920}));
        QCOMPARE(session.loopRange(), (std::pair<std::int64_t, std::int64_t>{0, 1920}));
        const NoteId gone = *session.selection().begin();
        QSignalSpy changed(&session, &Session::selectionChanged);
        session.removeNotes({gone}, "Erase");
        QCOMPARE(session.selection().size(), 7); // a removed note leaves the selection
        QCOMPARE(changed.size(), 1);
        session.nudgeSelection(480, 0);
        QCOMPARE(session.undoStack()->count(), 2);
        session.nudgeSelection(-10000, 0); // would leave the roll: all or none
        QCOMPARE(session.undoStack()->count(), 2);
        session.setPlayhead(960);
        session.document()->reset(seed());
        QVERIFY(session.selection().isEmpty());
        QCOMPARE(session.playhead(), std::int64_t(0));
        QCOMPARE(session.loopRange(), (std::pair<std::int64_t, std::int64_t>{0, 1920}));
    }

    // The end tick is kept as edits happen; every kind of edit leaves it equal to a full scan.
    void endTickFollowsEdits() {
        Session session;
        Document* doc = session.document();
        doc->reset(seed());
        const auto scan = [doc] {
            std::int64_t end = 0;
            for (const TrackData& t : doc->tracks())
                for (const auto& [id, n] : t.notes)
                    end = std::max(end, n.end());
            return end;
        };
        QCOMPARE(doc->endTick(), std::int64_t(1920));
        const std::vector<NoteId> added =
            session.addNotes(doc->currentTrack(), {{4000, 100, 60, 90, 0}}, "Draw");
        QCOMPARE(doc->endTick(), std::int64_t(4100));
        session.setSelection({added.front()});
        session.nudgeSelection(-3000, 0);
        QCOMPARE(doc->endTick(), scan());
        session.undoStack()->undo();
        QCOMPARE(doc->endTick(), std::int64_t(4100));
        session.undoStack()->undo();
        QCOMPARE(doc->endTick(), std::int64_t(1920));
        session.push(TrackCommand::remove(doc, doc->currentTrack()));
        QCOMPARE(doc->endTick(), scan());
        session.undoStack()->undo();
        QCOMPARE(doc->endTick(), std::int64_t(1920));
    }

    // A move gesture is one undo step however many steps it took; back where it started, no step at all.
    void moveGestureIsOneStep() {
        Session session;
        session.document()->reset(seed());
        session.selectAll();
        const music::Song before = session.document()->toSong();
        auto origin = session.beginMove(session.selection(), false);
        for (int i = 1; i <= 20; ++i)
            session.moveNotes(origin, i * 10, i % 3);
        QCOMPARE(session.undoStack()->count(), 1);
        QCOMPARE(session.document()->toSong().tracks[0].notes.front().start, std::int64_t(200));
        // Clamped: no note before tick 0 or above pitch 127.
        const auto [dt, dp] = session.moveNotes(origin, -100000, 1000);
        QCOMPARE(dt, std::int64_t(0));
        QCOMPARE(dp, 127 - 69);
        session.moveNotes(origin, 0, 0);
        QCOMPARE(session.undoStack()->count(), 0); // back to the start: nothing to undo
        QCOMPARE(session.document()->toSong(), before);
        session.moveNotes(origin, 480, -2);
        session.undoStack()->undo();
        QCOMPARE(session.document()->toSong(), before);
        session.undoStack()->redo();
        QCOMPARE(session.document()->toSong().tracks[0].notes.front().start, std::int64_t(480));
    }

    // The file controller needs no window either: a project opens into the session, settings included.
    void fileControllerWithoutWidgets() {
        QTemporaryDir dir;
        const QString path = dir.filePath("p.continuo");
        Document source;
        source.reset(seed());
        GenerateSettings g;
        g.bars = 9;
        writeFileAtomically(path, projectToJson(source, g, QString()));
        Session session;
        FileController files(nullptr, &session, [] { return QString(); });
        QStringList errors;
        files.showError = [&errors](const QString&, const QString& t) { errors << t; };
        QSignalSpy opened(&files, &FileController::opened);
        files.open(path);
        QVERIFY(opened.wait(5000));
        QCOMPARE(session.document()->toSong(), source.toSong());
        QCOMPARE(session.generateSettings().bars, 9);
        QVERIFY(errors.isEmpty());
        files.discardAutosave();
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
