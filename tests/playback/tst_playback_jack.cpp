// The Player driving real MIDI ports on a real JACK server (dummy driver, started here): every note-on and
// note-off arrives in order with the right spacing, through a port opened by name and a virtual port;
// stop, seek and exit release every note; loops repeat; the synth plays on JACK's sample clock; notes
// sent into Continuo's input are recorded.

#include "PlaybackTestUtil.h"

#include "playback/JackMidiMonitor.h"
#include "playback/JackMidiOut.h"
#include "playback/JackServerProcess.h"
#include "playback/MidiIn.h"
#include "playback/MidiOut.h"
#include "playback/MidiRecorder.h"
#include "playback/PlaybackError.h"
#include "playback/Player.h"
#include "playback/Synth.h"
#include "playback/Timeline.h"

#include <QElapsedTimer>
#include <QtTest>

#include <algorithm>
#include <map>
#include <thread>

using namespace continuo;
using playback::MidiMessage;
using test::note;

namespace {

constexpr int kTimeoutMs = 20000; // generous: a loaded CI machine without real-time priority

// A phrase with a tempo change (120 → 160 BPM at tick 960), a chord and rests, on two channels.
music::Song phrase() {
    music::Song song =
        test::songOf({note(0, 240, 60), note(240, 240, 62), note(480, 120, 64), note(720, 240, 65),
                      note(960, 240, 67), note(960, 240, 71), note(1320, 120, 72), note(1440, 240, 74)},
                     0, 0, {{0, 500000}, {960, 375000}});
    music::Track bass;
    bass.name = "Bass";
    bass.channel = 1;
    bass.program = 33;
    bass.notes = {note(0, 480, 36, 90, 1), note(480, 480, 43, 90, 1), note(960, 720, 38, 90, 1)};
    song.tracks.push_back(bass);
    return song;
}

// Checks what reached a receiver against the schedule: every note event, in order, each at its time
// relative to the others within `tolerance` seconds. A machine this shares with builds and no real-time
// priority can starve any thread now and then: `fraction` of the events must meet `tolerance`, and all of
// them `outlier`.
void checkArrivals(const std::vector<test::Received>& got, const music::Song& song, double tolerance,
                   double fraction = 1.0, double outlier = 0.0) {
    const playback::Timeline tl(song);
    if (qEnvironmentVariableIsSet("CONTINUO_TEST_DUMP")) {
        for (std::size_t i = 0; i < std::max(got.size(), tl.events.size()); ++i) {
            qDebug("%zu got %02x %3d %.4f want %02x %3d %.4f", i,
                   i < got.size() ? got[i].message.bytes[0] : 0, i < got.size() ? got[i].message.bytes[1] : 0,
                   i < got.size() ? got[i].seconds - got[0].seconds : 0.0,
                   i < tl.events.size() ? tl.events[i].message.bytes[0] : 0,
                   i < tl.events.size() ? tl.events[i].message.bytes[1] : 0,
                   i < tl.events.size() ? tl.events[i].seconds : 0.0);
        }
    }
    QCOMPARE(got.size(), tl.events.size());
    std::vector<double> errors;
    for (std::size_t i = 0; i < got.size(); ++i) {
        QVERIFY2(got[i].message == tl.events[i].message,
                 qPrintable(QString("event %1: got %2 %3, expected %4 %5")
                                .arg(i)
                                .arg(got[i].message.bytes[0], 2, 16)
                                .arg(got[i].message.bytes[1])
                                .arg(tl.events[i].message.bytes[0], 2, 16)
                                .arg(tl.events[i].message.bytes[1])));
        errors.push_back((got[i].seconds - got[0].seconds) - (tl.events[i].seconds - tl.events[0].seconds));
    }
    // The first event may itself be early or late in its cycle: measure around the median offset.
    std::vector<double> sorted = errors;
    std::sort(sorted.begin(), sorted.end());
    const double mid = sorted[sorted.size() / 2];
    std::size_t within = 0;
    for (std::size_t i = 0; i < errors.size(); ++i) {
        const double off = std::abs(errors[i] - mid);
        if (off <= tolerance) ++within;
        QVERIFY2(off <= std::max(tolerance, outlier),
                 qPrintable(QString("event %1 is %2 ms off its spacing (limit %3 ms)")
                                .arg(i)
                                .arg((errors[i] - mid) * 1000, 0, 'f', 2)
                                .arg(std::max(tolerance, outlier) * 1000)));
    }
    QVERIFY2(
        double(within) >= fraction * double(errors.size()),
        qPrintable(
            QString("%1 of %2 events within %3 ms").arg(within).arg(errors.size()).arg(tolerance * 1000)));
}

bool playToEnd(playback::Player& player) {
    player.play();
    return QTest::qWaitFor([&] { return player.endedCount() > 0; }, kTimeoutMs);
}

// Per (channel, key): note-ons minus note-offs; all zero when nothing is left hanging.
std::map<int, int> balance(const std::vector<test::Received>& got) {
    std::map<int, int> b;
    for (const auto& r : got) {
        const int k = r.message.channel() * 128 + r.message.bytes[1];
        if (r.message.isNoteOn()) ++b[k];
        if (r.message.isNoteOff()) b[k] = 0; // a note-off (or several) ends the key
    }
    std::erase_if(b, [](const auto& kv) { return kv.second == 0; });
    return b;
}

bool hasAllNotesOff(const std::vector<test::Received>& got, int channel) {
    return std::any_of(got.begin(), got.end(), [&](const test::Received& r) {
        return r.message == MidiMessage::controlChange(channel, playback::kAllNotesOff, 0);
    });
}

} // namespace

class TestPlaybackJack : public QObject {
    Q_OBJECT

    std::unique_ptr<playback::JackServerProcess> server_;
    double period_ = 0; ///< seconds per JACK cycle

private Q_SLOTS:
    void initTestCase() {
        playback::JackServerProcess::Options o;
        o.period = 128;
        o.sampleRate = 48000;
        try {
            server_ = std::make_unique<playback::JackServerProcess>(o);
        } catch (const playback::PlaybackError& e) {
            QFAIL(e.what()); // jackd2 is a test dependency (scripts/install-deps.sh)
        }
        qputenv("JACK_DEFAULT_SERVER", QByteArray::fromStdString(server_->name()));
        period_ = double(o.period) / o.sampleRate;
    }

    void cleanupTestCase() { server_.reset(); }

    void jackIsTheMidiSystemHere() {
        const playback::MidiApiStatus st = playback::probeMidiApi(playback::MidiApi::Jack);
        QVERIFY2(st.available, st.reason.c_str());
        test::RtReceiver receiver("continuo-test-lister");
        receiver.openVirtual("listed-in");
        const playback::MidiPortLists lists = playback::listMidiPorts(playback::MidiApi::Jack);
        QCOMPARE(lists.api, playback::MidiApi::Jack);
        QVERIFY(std::any_of(lists.outputs.begin(), lists.outputs.end(),
                            [](const std::string& p) { return p.find("listed-in") != std::string::npos; }));
    }

    // Continuo opens the receiver's port by (part of) its name.
    void playsToAPortOpenedByName() {
        test::RtReceiver receiver("continuo-test-recv");
        receiver.openVirtual("by-name");
        playback::MidiOut out(playback::MidiApi::Jack, "continuo-test-player");
        QVERIFY_THROWS_EXCEPTION(playback::PlaybackError, out.open("no-such-port"));
        out.open("RECV:BY-NAME"); // case-insensitive substring
        QVERIFY(out.isOpen());
        QCOMPARE(out.portName(), std::string("continuo-test-recv:by-name"));
        const music::Song song = phrase();
        {
            playback::Player player(out);
            player.setSong(song);
            QVERIFY(playToEnd(player));
            QVERIFY(!player.isPlaying());
            QCOMPARE(player.positionTick(), song.endTick());
        }
        QVERIFY(QTest::qWaitFor([&] { return hasAllNotesOff(receiver.received(), 1); }, kTimeoutMs));
        const auto all = receiver.received();
        // Programs first (the melody's piano, the bass's fingered bass), then the notes.
        QCOMPARE(all[0].message, MidiMessage::programChange(0, 0));
        QCOMPARE(all[1].message, MidiMessage::programChange(1, 33));
        // RtMidi delivers at the start of the next JACK cycle and stamps on arrival: a period each way.
        checkArrivals(receiver.notes(), song, 2 * period_ + 0.004, 0.9, 0.05);
        QVERIFY(balance(all).empty());
    }

    // Continuo offers a virtual port (RtMidi's isPortOpen() says false for it; Continuo's own flag does not).
    void playsToAVirtualPort() {
        playback::MidiOut out(playback::MidiApi::Jack, "continuo-test-virtual");
        out.openVirtual("virtual-out");
        QVERIFY(out.isOpen());
        std::string why;
        QVERIFY(out.canPlay(&why));
        test::RtReceiver receiver("continuo-test-recv2");
        QVERIFY(receiver.open("continuo-test-virtual:virtual-out"));
        QVERIFY(playback::waitForJackCycles()); // the receiver's connection is in effect
        const music::Song song = phrase();
        {
            playback::Player player(out);
            player.setSong(song);
            QVERIFY(playToEnd(player));
        }
        QVERIFY(QTest::qWaitFor([&] { return hasAllNotesOff(receiver.received(), 1); }, kTimeoutMs));
        checkArrivals(receiver.notes(), song, 2 * period_ + 0.004, 0.9, 0.05);
        QVERIFY(balance(receiver.received()).empty());
    }

    // The frame-placed JACK output against a receiver that stamps each event to the frame. A margin of
    // 250 ms lets the player thread be starved that long without an event missing its frame.
    void jackOutputIsSampleAccurate() {
        playback::JackMidiMonitor monitor("continuo-test-monitor");
        playback::JackMidiOut out("continuo-test-exact", "out", 0.25);
        QVERIFY_THROWS_EXCEPTION(playback::PlaybackError, out.connect("no-such-port"));
        QCOMPARE(out.connect("test-monitor"), monitor.portName());
        QCOMPARE(out.startDelaySeconds(), out.lookaheadSeconds());
        const music::Song song = phrase();
        {
            playback::Player player(out);
            player.setSong(song);
            QVERIFY(playToEnd(player));
        }
        const playback::Timeline tl(song);
        // Programs (2), the notes, then sustain off and all notes off on both channels (4).
        QVERIFY(QTest::qWaitFor([&] { return monitor.count() >= tl.events.size() + 6; }, kTimeoutMs));
        std::vector<test::Received> notes;
        for (const auto& e : monitor.events()) {
            if (e.message.isNoteOn() || e.message.isNoteOff()) notes.push_back({e.message, e.seconds});
        }
        // Each on its own frame: well under a millisecond (JACK's clock estimate may step between cycles).
        checkArrivals(notes, song, 0.0002, 0.9, 0.002);
    }

    void stopSeekAndExitReleaseEveryNote() {
        test::RtReceiver receiver("continuo-test-release");
        receiver.openVirtual("in");
        playback::MidiOut out(playback::MidiApi::Jack, "continuo-test-release-player");
        out.open("continuo-test-release:in");
        // Long notes: a chord held for 8 s, so stop/seek/exit always find it sounding.
        const music::Song song = test::songOf({note(0, 7680, 60), note(0, 7680, 64), note(0, 7680, 67)});
        auto soundingKeys = [&] { return balance(receiver.received()).size(); };
        {
            playback::Player player(out);
            player.setSong(song);
            player.play();
            QVERIFY(QTest::qWaitFor([&] { return soundingKeys() == 3; }, kTimeoutMs));
            QVERIFY(player.isPlaying());
            player.stop();
            QVERIFY(QTest::qWaitFor(
                [&] { return soundingKeys() == 0 && hasAllNotesOff(receiver.received(), 0); }, kTimeoutMs));
            QVERIFY(!player.isPlaying());
            const std::int64_t stoppedAt = player.positionTick();
            QVERIFY(stoppedAt >= 0 && stoppedAt < 7680);

            receiver.clear();
            player.seek(0);
            player.play();
            QVERIFY(QTest::qWaitFor([&] { return soundingKeys() == 3; }, kTimeoutMs));
            receiver.clear();
            player.seek(960); // mid-chord: released, and not struck again (notes start where they start)
            QVERIFY(QTest::qWaitFor(
                [&] {
                    const auto got = receiver.received();
                    return std::count_if(got.begin(), got.end(),
                                         [](const auto& r) { return r.message.isNoteOff(); }) == 3;
                },
                kTimeoutMs));
            QVERIFY(player.isPlaying());
            QVERIFY(QTest::qWaitFor([&] { return player.positionTick() > 960; }, kTimeoutMs));

            player.seek(0); // strike the chord again, then leave while it sounds
            QVERIFY(QTest::qWaitFor([&] { return soundingKeys() == 3; }, kTimeoutMs));
        } // ~Player
        QVERIFY(QTest::qWaitFor([&] { return soundingKeys() == 0; }, kTimeoutMs));
    }

    void loopsARange() {
        test::RtReceiver receiver("continuo-test-loop");
        receiver.openVirtual("in");
        playback::MidiOut out(playback::MidiApi::Jack, "continuo-test-loop-player");
        out.open("continuo-test-loop:in");
        // Four eighth notes at 240 BPM (125 ms each); the loop covers the 2nd and 3rd, and cuts a long 3rd.
        const music::Song song =
            test::songOf({note(0, 240, 60), note(240, 240, 62), note(480, 960, 64), note(720, 240, 65)}, 0, 0,
                         {{0, 250000}});
        playback::Player player(out);
        player.setSong(song);
        player.setLoop(playback::LoopRange{240, 720});
        player.play();
        auto noteOns = [&] {
            std::vector<int> keys;
            for (const auto& r : receiver.notes()) {
                if (r.message.isNoteOn()) keys.push_back(r.message.bytes[1]);
            }
            return keys;
        };
        QVERIFY(QTest::qWaitFor([&] { return noteOns().size() >= 7; }, kTimeoutMs));
        std::int64_t lowest = 1 << 30, highest = 0;
        for (int i = 0; i < 40 && player.isPlaying(); ++i) { // the playhead stays inside the loop
            QTest::qWait(5);
            lowest = std::min(lowest, player.positionTick());
            highest = std::max(highest, player.positionTick());
        }
        player.stop();
        QVERIFY(QTest::qWaitFor([&] { return balance(receiver.received()).empty(); }, kTimeoutMs));
        const std::vector<int> keys = noteOns();
        QCOMPARE((std::vector<int>(keys.begin(), keys.begin() + 7)),
                 (std::vector<int>{60, 62, 64, 62, 64, 62, 64}));
        QVERIFY2(lowest >= 240 && highest < 720,
                 qPrintable(QString("playhead %1–%2").arg(lowest).arg(highest)));
        // The long E is released at each loop end, before the D starts again.
        const auto events = receiver.notes();
        for (std::size_t i = 1; i < events.size(); ++i) {
            if (events[i].message.isNoteOn() && events[i].message.bytes[1] == 62 && i > 2) {
                QVERIFY(events[i - 1].message.isNoteOff());
            }
        }
    }

    void playheadMovesWithTheMusic() {
        playback::MidiOut out(playback::MidiApi::Jack, "continuo-test-playhead");
        out.openVirtual("out");
        const music::Song song = test::songOf({note(0, 480, 60), note(480, 480, 62), note(960, 480, 64)});
        playback::Player player(out);
        player.setSong(song);
        player.seek(480);
        QVERIFY(
            QTest::qWaitFor([&] { return player.commandsTaken() == player.commandsPosted(); }, kTimeoutMs));
        QCOMPARE(player.positionTick(), std::int64_t(480));
        QCOMPARE(player.positionSeconds(), 0.5);
        QElapsedTimer clock;
        clock.start();
        player.play();
        std::int64_t last = 480;
        while (player.endedCount() == 0 && clock.elapsed() < kTimeoutMs) {
            const std::int64_t now = player.positionTick();
            QVERIFY(now >= last);
            last = now;
            QTest::qWait(10);
        }
        QCOMPARE(player.endedCount(), std::uint64_t(1));
        QCOMPARE(player.positionTick(), std::int64_t(1440));
        QVERIFY(clock.elapsed() >= 900); // a second of music does not end early
        player.play();                   // at the end, play starts over
        QVERIFY(QTest::qWaitFor([&] { return player.isPlaying(); }, kTimeoutMs));
        QVERIFY(QTest::qWaitFor([&] { return player.endedCount() == 2; }, kTimeoutMs));
    }

    void sendingOnAClosedPortNeverHangs() {
        // RtMidi's JACK sendMessage spins until its ring buffer drains, which only an open port does.
        playback::MidiOut out(playback::MidiApi::Jack, "continuo-test-closed");
        QVERIFY(!out.isOpen());
        std::string why;
        QVERIFY(!out.canPlay(&why));
        QCOMPARE(why, std::string("no MIDI output port open"));
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < 100000; ++i)
            out.send(MidiMessage::noteOn(0, 60, 100));
        out.openVirtual("x");
        out.close();
        for (int i = 0; i < 100000; ++i)
            out.send(MidiMessage::noteOff(0, 60));
        QVERIFY(t.elapsed() < 5000);
    }

    void synthPlaysOnTheSampleClock() {
        const auto sf = test::testSoundFont();
        if (sf.empty()) QSKIP("no SoundFont installed");
        playback::Synth synth({sf, 48000, 0.6, "jack", 256});
        QVERIFY(synth.hasAudio());
        QCOMPARE(synth.audioDriver(), std::string("jack"));
        QCOMPARE(synth.sampleRate(), 48000.0);
        QVERIFY(synth.canPlay());
        const double t0 = synth.clockSeconds();
        QVERIFY(QTest::qWaitFor([&] { return synth.clockSeconds() > t0 + 0.05; }, kTimeoutMs)); // audio runs
        const music::Song song = test::songOf({note(0, 240, 72), note(240, 240, 76), note(480, 480, 79)}, 73);
        playback::Player player(synth);
        player.setSong(song);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(playToEnd(player));
        QVERIFY2(clock.elapsed() >= 900, qPrintable(QString("%1 ms").arg(clock.elapsed()))); // 1 s of music
        QCOMPARE(player.positionTick(), song.endTick());
    }

    void recordsNotesPlayedIntoContinuosInput() {
        playback::MidiIn in(playback::MidiApi::Jack, "continuo-test-input");
        in.openVirtual("keys");
        QVERIFY(in.isOpen());
        RtMidiOut keyboard(RtMidi::UNIX_JACK, "continuo-test-keyboard");
        bool found = false;
        for (unsigned i = 0; i < keyboard.getPortCount() && !found; ++i) {
            if (keyboard.getPortName(i).find("continuo-test-input:keys") != std::string::npos) {
                keyboard.openPort(i);
                found = true;
            }
        }
        QVERIFY(found);

        // 2/4 at 240 BPM: a beat is 0.25 s, the one-bar count-in 0.5 s. Record at bar 3 (tick 1920).
        music::Song song = test::songOf({note(0, 480, 48)}, 0, 0, {{0, 250000}});
        song.timeSignatures = {{0, 2, 4, 24, 8}};
        playback::MidiRecorder recorder(song, {1920, 1, 5});
        QCOMPARE(recorder.countInSeconds(), 0.5);
        const double t0 = playback::steadySeconds();
        recorder.start(t0);
        // The "keyboard" plays in time: pacing the input is not waiting for a result.
        auto at = [&](double seconds, std::vector<unsigned char> bytes) {
            std::this_thread::sleep_until(std::chrono::steady_clock::time_point(
                std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(t0 + seconds))));
            keyboard.sendMessage(&bytes);
            recorder.feedFrom(in);
        };
        at(0.05, {0x90, 50, 80}); // during the count-in: dropped
        at(0.15, {0x80, 50, 0});
        at(0.50, {0x90, 60, 100}); // on the downbeat: tick 1920
        at(0.75, {0x80, 60, 0});
        at(0.75, {0x90, 64, 90}); // one beat later: tick 2400
        at(1.00, {0x90, 67, 0});  // (a stray note-off for a key not held)
        at(1.125, {0x80, 64, 0});
        at(1.25, {0x93, 67, 70}); // channel 4 in, the track's channel out
        at(1.50, {0x83, 67, 0});
        QVERIFY(QTest::qWaitFor(
            [&] {
                recorder.feedFrom(in);
                return recorder.notes().size() == 3;
            },
            kTimeoutMs));
        const std::vector<music::Note> notes = recorder.finish(playback::steadySeconds());
        QCOMPARE(notes.size(), std::size_t(3));
        QCOMPARE(in.dropped(), std::uint64_t(0));
        // A JACK cycle each way plus scheduling: 40 ms = 77 ticks at this tempo.
        const std::int64_t tol = 77;
        const std::vector<std::pair<int, std::int64_t>> expected = {{60, 1920}, {64, 2400}, {67, 3360}};
        for (std::size_t i = 0; i < 3; ++i) {
            QCOMPARE(int(notes[i].pitch), expected[i].first);
            QVERIFY2(std::abs(notes[i].start - expected[i].second) <= tol,
                     qPrintable(QString("note %1 at tick %2, expected %3")
                                    .arg(i)
                                    .arg(notes[i].start)
                                    .arg(expected[i].second)));
            QCOMPARE(notes[i].channel, std::uint8_t(5));
            QVERIFY(notes[i].duration >= 1);
        }
        QCOMPARE(notes[0].velocity, std::uint8_t(100));
        QVERIFY(std::abs(notes[1].duration - 720) <= 2 * tol); // 0.375 s
    }
};

QTEST_GUILESS_MAIN(TestPlaybackJack)
#include "tst_playback_jack.moc"
