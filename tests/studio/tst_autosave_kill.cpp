// kill -9 at random moments (issue 17, item 1): the real studio runs as its own process on the offscreen
// platform with the scripted-session hook (app/gui/ScriptedSession.h) editing on a timer, and is killed with
// SIGKILL 20 times at random points. Each next start answers the recovery question with Yes; what it
// recovers must be the document as it was at most 5 s plus the autosave interval before the kill (a state
// the document really had, found by replaying the same EditScript in this process). When nothing is
// offered, the document must have had nothing unsaved in that window. Every start after the first goes on
// from what it recovered, so 21 starts make the 20 checks; every other start gets a MIDI file on its
// command line, since recovery must be offered however the studio starts. Two starts stop editing in the
// middle of a long drag and are killed after the bound: only the last document will do. Content is
// checked, not speed: the only clock is the generous bound.

#include "music/SongFile.h"
#include "ui/document/Document.h"
#include "ui/document/EditScript.h"
#include "ui/files/ProjectFile.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <chrono>
#include <optional>

using namespace continuo;
using namespace continuo::ui;

namespace {
constexpr int kKills = 20;
constexpr int kAutosaveMs = 200;
constexpr qint64 kBoundNs = (5000 + kAutosaveMs) * qint64(1'000'000);

qint64 steadyNs() {
    return std::chrono::steady_clock::now().time_since_epoch() / std::chrono::nanoseconds(1);
}

/// What the hook wrote to one start's journal.
struct Journal {
    bool recovered = false;        ///< the recovery question was asked (and answered Yes)
    std::optional<qint64> startNs; ///< the start document was written (journal + ".start.continuo")
    std::vector<qint64> stepNs;    ///< step k (1-based) was made at stepNs[k - 1]
    std::optional<qint64> pauseNs; ///< editing stopped (in the middle of a drag)
};

Journal readJournal(const QString& path) {
    Journal j;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return j;
    for (const QByteArray& line : f.readAll().split('\n')) {
        const QList<QByteArray> w = line.split(' ');
        if (w[0] == "recovery")
            j.recovered = true;
        else if (w[0] == "start" && w.size() == 2)
            j.startNs = w[1].toLongLong();
        else if (w[0] == "step" && w.size() == 3 && w[1].toLongLong() == qint64(j.stepNs.size()) + 1)
            j.stepNs.push_back(w[2].toLongLong());
        else if (w[0] == "pause" && w.size() == 2)
            j.pauseNs = w[1].toLongLong();
    }
    return j;
}

/// A document as recovery shows it: the song and what the track list edits.
struct State {
    music::Song song;
    QStringList props;
    bool clean = false;
    bool operator==(const State& o) const { return song == o.song && props == o.props; }
};

State stateOf(const Document& d) {
    State s{d.toSong(), {}, d.undoStack()->isClean()};
    for (const TrackData& t : d.tracks())
        s.props << QStringLiteral("%1|%2|%3|%4|%5|%6|%7")
                       .arg(t.props.name, t.props.instrument)
                       .arg(t.props.channel)
                       .arg(t.props.program)
                       .arg(t.props.colour.name())
                       .arg(t.props.mute)
                       .arg(t.props.solo);
    return s;
}

State stateOf(const ProjectData& p) {
    Document d;
    d.reset(p.song, p.trackProps);
    return stateOf(d);
}
} // namespace

class TestAutosaveKill : public QObject {
    Q_OBJECT
    QTemporaryDir dir;
    QRandomGenerator random_{QRandomGenerator::global()->generate()};

    QString journalOf(int run) const { return dir.filePath(QStringLiteral("run%1.journal").arg(run)); }

    /// Two starts stop editing in the middle of a long drag and are killed only once the bound has passed:
    /// then nothing but the document as it was last will do.
    static bool pauses(int run) { return run == 4 || run == 13; }

    /// Starts the studio for `run`, kills it with SIGKILL at a random moment, returns the moment.
    qint64 runAndKill(int run, quint64 seed, const QString& midi) {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("QT_QPA_PLATFORM", "offscreen");
        env.insert("XDG_DATA_HOME", dir.filePath("data")); // the autosave folder, and nothing of the user's
        env.insert("XDG_CONFIG_HOME", dir.filePath("config"));
        env.insert("XDG_CACHE_HOME", dir.filePath("cache"));
        env.insert("CONTINUO_TEST_SCRIPT", journalOf(run));
        env.insert("CONTINUO_TEST_SEED", QString::number(seed));
        env.insert("CONTINUO_TEST_AUTOSAVE_MS", QString::number(kAutosaveMs));
        if (pauses(run)) env.insert("CONTINUO_TEST_PAUSE_IN_DRAG", "25"); // ≥ 250 ms: past an interval
        QProcess studio;
        studio.setProcessEnvironment(env);
        studio.setProcessChannelMode(QProcess::MergedChannels);
        studio.setStandardOutputFile(journalOf(run) + ".log");
        studio.start(CONTINUO_STUDIO, midi.isEmpty() ? QStringList{} : QStringList{midi});
        if (!studio.waitForStarted(10000)) return -1;
        // One start in five is killed at any moment of its start-up (recovery included); the others at a
        // random point of their editing. The wait for the start line is long only for a loaded machine.
        if (run % 5 != 2 &&
            !QTest::qWaitFor([&] { return readJournal(journalOf(run)).startNs.has_value(); }, 120000))
            qWarning("start %d wrote no start line in 120 s", run);
        if (pauses(run) &&
            QTest::qWaitFor([&] { return readJournal(journalOf(run)).pauseNs.has_value(); }, 120000))
            QTest::qWait(int(kBoundNs / 1'000'000) + 300);
        QTest::qWait(int(random_.bounded(run % 5 == 2 ? 800 : 1200)));
        const qint64 killedAt = steadyNs();
        studio.kill(); // SIGKILL
        studio.waitForFinished(10000);
        return killedAt;
    }

private Q_SLOTS:
    void recoveredDocumentIsRecentAfterKill9() {
        const QString midi = dir.filePath("tune.mid");
        music::Song tune;
        tune.tracks.push_back({});
        for (int i = 0; i < 4; ++i)
            tune.tracks.back().notes.push_back({i * 480, 480, std::uint8_t(60 + i), 80, 0});
        music::saveSong(midi.toStdString(), tune);

        // What the next start may recover; before the first start: nothing, and nothing unsaved.
        std::vector<State> allowed{State{{}, {}, true}};
        int checked = 0;
        for (int run = 0; run <= kKills; ++run) {
            const quint64 seed = random_.generate64();
            const qint64 killedAt = runAndKill(run, seed, run % 2 ? midi : QString());
            QVERIFY2(killedAt > 0, "the studio did not start");
            const Journal j = readJournal(journalOf(run));
            qInfo("start %d (%s, script seed %llu): %s, %d steps before the kill", run,
                  run % 2 ? "with a file" : "no file", seed,
                  !j.startNs    ? "killed while starting"
                  : j.recovered ? "recovered"
                                : "nothing recovered",
                  int(j.stepNs.size()));
            // Check what this start recovered against the states the previous kill allowed.
            if (j.startNs) {
                ++checked;
                if (j.recovered) {
                    const State got = stateOf(readProject(journalOf(run) + ".start.continuo"));
                    QVERIFY2(
                        std::find(allowed.begin(), allowed.end(), got) != allowed.end(),
                        qPrintable(QStringLiteral("start %1 recovered a document the studio did not have "
                                                  "in the %2 ms before the kill")
                                       .arg(run)
                                       .arg(kBoundNs / 1'000'000)));
                } else {
                    QVERIFY2(
                        std::any_of(allowed.begin(), allowed.end(), [](const State& s) { return s.clean; }),
                        qPrintable(QStringLiteral("start %1 offered no recovery, but the document had "
                                                  "unsaved edits until the kill")
                                       .arg(run)));
                }
            }
            if (!j.startNs) continue; // killed during start-up: the next start may recover the same states
            // Replay this start's edits to know the document after each step, and keep those it still had
            // within the bound before the kill.
            const ProjectData start = readProject(journalOf(run) + ".start.continuo");
            Document doc;
            doc.reset(start.song, start.trackProps);
            if (j.recovered) doc.undoStack()->resetClean(); // recovered work is unsaved work
            EditScript script(&doc, seed);
            allowed.clear();
            for (std::size_t k = 0; k <= j.stepNs.size(); ++k) {
                if (k > 0) script.step();
                const bool last = k == j.stepNs.size();
                if (last || j.stepNs[k] >= killedAt - kBoundNs) allowed.push_back(stateOf(doc));
            }
            if (pauses(run)) {
                QVERIFY2(j.pauseNs, "the paused start did not pause");
                QCOMPARE(allowed.size(), std::size_t(1)); // only the document as it was when editing stopped
            }
        }
        QVERIFY2(checked >= kKills / 2,
                 qPrintable(QStringLiteral("only %1 starts could be checked").arg(checked)));
    }
};

QTEST_MAIN(TestAutosaveKill)
#include "tst_autosave_kill.moc"
