// core/playback logic that needs no device: tempo map, timeline order, port matching, the lock-free queue,
// the MIDI-in recorder's placement and count-in, and the WAV writer's files.

#include "PlaybackTestUtil.h"

#include "playback/MidiRecorder.h"
#include "playback/MidiSystem.h"
#include "playback/PlaybackError.h"
#include "playback/SpscQueue.h"
#include "playback/Timeline.h"
#include "playback/WavWriter.h"

#include <QTemporaryDir>
#include <QtTest>

#include <thread>

using namespace continuo;
using playback::MidiMessage;
using test::note;
using test::songOf;

class TestPlaybackLogic : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tempoMapFollowsTempoChanges() {
        // 120 BPM for 2 quarters (1 s), then 60 BPM: tick 1440 is 1 s + 1 quarter at 1 s = 2 s.
        const music::Song song = songOf({note(0, 10, 60)}, 0, 0, {{0, 500000}, {960, 1000000}});
        const playback::TempoMap map(song);
        QCOMPARE(map.secondsAt(0), 0.0);
        QCOMPARE(map.secondsAt(480), 0.5);
        QCOMPARE(map.secondsAt(960), 1.0);
        QCOMPARE(map.secondsAt(1440), 2.0);
        QCOMPARE(map.tickAt(2.0), 1440.0);
        QCOMPARE(map.tickAt(0.25), 240.0);
        for (std::int64_t t : {0, 17, 959, 960, 961, 5000})
            QVERIFY(std::abs(map.tickAt(map.secondsAt(t)) - t) < 1e-6);
        QCOMPARE(map.secondsAt(1440), song.secondsAt(1440)); // agrees with the model's own conversion
    }

    void tempoMapSmpte() {
        music::Song song = songOf({note(0, 10, 60)});
        song.smpte = music::SmpteTiming{25, 40}; // 1000 ticks per second
        const playback::TempoMap map(song);
        QCOMPARE(map.secondsAt(2500), 2.5);
        QCOMPARE(map.tickAt(0.5), 500.0);
    }

    void timelineOrdersAndSetsPrograms() {
        music::Song song = songOf({note(0, 480, 60), note(480, 480, 60), note(480, 240, 64)}, 73, 2);
        music::Track drums;
        drums.channel = 9;
        drums.program = 5;
        drums.notes = {note(0, 60, 36, 90, 9)};
        song.tracks.push_back(drums);
        const playback::Timeline tl(song);
        QCOMPARE(tl.setup.size(), std::size_t(1)); // channel 2 gets Flute; the drum channel keeps its kit
        QCOMPARE(tl.setup[0], MidiMessage::programChange(2, 73));
        QCOMPARE(tl.events.size(), std::size_t(8));
        // At tick 480 the first C4 ends before the second starts, or the re-strike would be cut.
        std::vector<std::pair<std::int64_t, MidiMessage>> at480;
        for (const auto& e : tl.events) {
            if (e.tick == 480) at480.push_back({e.tick, e.message});
        }
        QCOMPARE(at480.size(), std::size_t(3));
        QVERIFY(at480[0].second.isNoteOff());
        QCOMPARE(at480[0].second.bytes[1], std::uint8_t(60));
        QCOMPARE(tl.endTick, std::int64_t(960));
        QCOMPARE(tl.endSeconds, 1.0);
        for (std::size_t i = 1; i < tl.events.size(); ++i)
            QVERIFY(tl.events[i - 1].seconds <= tl.events[i].seconds);
        QCOMPARE(tl.firstEventAt(0.5), std::size_t(3));
        QCOMPARE(tl.firstEventAt(5.0), tl.events.size());
    }

    void findPortMatchesNames() {
        const std::vector<std::string> ports = {"Midi Through:Port-0 14:0", "FLUID Synth:out", "fluid"};
        QCOMPARE(playback::findPort(ports, "fluid"), 2); // exact (case-insensitive) wins
        QCOMPARE(playback::findPort(ports, "synth"), 1); // else the first substring
        QCOMPARE(playback::findPort(ports, "MIDI THROUGH"), 0);
        QCOMPARE(playback::findPort(ports, "keyboard"), -1);
        QCOMPARE(playback::parseMidiApi("JACK"), playback::MidiApi::Jack);
        QVERIFY_THROWS_EXCEPTION(playback::PlaybackError, playback::parseMidiApi("coremidi"));
    }

    void spscQueueKeepsOrderAcrossThreads() {
        playback::SpscQueue<std::uint64_t> q(64);
        constexpr std::uint64_t n = 200000;
        std::thread producer([&] {
            for (std::uint64_t i = 0; i < n; ++i) {
                while (!q.push(i))
                    std::this_thread::yield();
            }
        });
        std::uint64_t expected = 0, v = 0;
        while (expected < n) {
            if (q.pop(v)) {
                QCOMPARE(v, expected);
                ++expected;
            } else {
                std::this_thread::yield();
            }
        }
        producer.join();
        QVERIFY(q.empty());
    }

    void recorderPlacesNotesAtThePlayhead() {
        // 120 BPM, 4/4, 480 ppq: a beat is 0.5 s, a bar 2 s. Recording at tick 1920 (bar 2) after one bar
        // of count-in, started at steady second 100.
        music::Song song = songOf({note(0, 480, 60)});
        playback::RecordingOptions options;
        options.startTick = 1920;
        options.countInBars = 1;
        options.channel = 3;
        playback::MidiRecorder rec(song, options);
        QCOMPARE(rec.countInSeconds(), 2.0);
        rec.start(100.0);
        QCOMPARE(rec.recordStartSeconds(), 102.0);
        auto msg = [](MidiMessage m, double s) { return playback::TimedMidiMessage{m, s}; };
        rec.feed(msg(MidiMessage::noteOn(0, 50, 90), 100.6)); // mid count-in: not meant, dropped
        rec.feed(msg(MidiMessage::noteOff(0, 50), 100.9));
        rec.feed(msg(MidiMessage::noteOn(0, 60, 100), 101.8)); // early pickup in the last beat: at the start
        rec.feed(msg(MidiMessage::noteOff(0, 60), 102.25));
        rec.feed(msg(MidiMessage::noteOn(5, 64, 80), 102.5)); // channel 5 in, track's channel 3 out
        rec.feed(msg(MidiMessage::noteOn(0, 67, 70), 103.0));
        rec.feed(msg(MidiMessage::noteOn(0, 64, 0), 103.25));         // velocity 0 = note-off
        rec.feed(msg(MidiMessage::controlChange(0, 64, 127), 103.3)); // not a note
        QCOMPARE(rec.notes().size(), std::size_t(2));
        const std::vector<music::Note> notes = rec.finish(104.0); // 67 still held: closed at stop
        QCOMPARE(notes.size(), std::size_t(3));
        QCOMPARE(notes[0], note(1920, 240, 60, 100, 3));
        QCOMPARE(notes[1], note(1920 + 480, 720, 64, 80, 3));
        QCOMPARE(notes[2], note(1920 + 960, 960, 67, 70, 3));

        music::Track track = song.tracks[0];
        playback::MidiRecorder::mergeInto(track, notes);
        QCOMPARE(track.notes.size(), std::size_t(4));
        QVERIFY(std::is_sorted(track.notes.begin(), track.notes.end(), music::noteLess));
    }

    void recorderFollowsTempoChanges() {
        // From tick 960 the tempo halves: one second after recording starts at tick 960 is tick 1440.
        music::Song song = songOf({note(0, 480, 60)}, 0, 0, {{0, 500000}, {960, 1000000}});
        playback::RecordingOptions options;
        options.startTick = 960;
        playback::MidiRecorder rec(song, options);
        rec.start(10.0);
        QCOMPARE(rec.countInSeconds(), 0.0);
        rec.feed({MidiMessage::noteOn(0, 72, 100), 11.0});
        rec.feed({MidiMessage::noteOff(0, 72), 11.5});
        const auto notes = rec.finish(12.0);
        QCOMPARE(notes.size(), std::size_t(1));
        QCOMPARE(notes[0].start, std::int64_t(1440));
        QCOMPARE(notes[0].duration, std::int64_t(240));
        QVERIFY_THROWS_EXCEPTION(playback::PlaybackError, playback::MidiRecorder(song, {-1, 0, 0}));
        QVERIFY_THROWS_EXCEPTION(playback::PlaybackError, playback::MidiRecorder(song, {0, 9, 0}));
    }

    void wavWriterWritesReadableFiles() {
        QTemporaryDir dir;
        const std::filesystem::path pcm = dir.filePath("a.wav").toStdString();
        const std::filesystem::path flt = dir.filePath("b.wav").toStdString();
        {
            playback::WavWriter w(pcm, 44100, 2, playback::SampleFormat::Int16);
            const std::int16_t frames[] = {0, 0, 16384, -16384, -32768, 32767};
            w.write(frames, 3);
            QVERIFY(!std::filesystem::exists(pcm)); // only under its name once finished
            w.finish();
        }
        const test::WavData a = test::readWav(pcm);
        QCOMPARE(a.format, 1);
        QCOMPARE(a.channels, 2);
        QCOMPARE(a.sampleRate, 44100);
        QCOMPARE(a.bits, 16);
        QCOMPARE(a.left, (std::vector<float>{0.0f, 0.5f, -1.0f}));
        {
            playback::WavWriter w(flt, 48000, 2, playback::SampleFormat::Float32);
            const float frames[] = {0.25f, -0.25f, -0.75f, 0.75f};
            w.write(frames, 2);
            QVERIFY_THROWS_EXCEPTION(std::logic_error, w.write(static_cast<const std::int16_t*>(nullptr), 0));
            w.finish();
        }
        const test::WavData b = test::readWav(flt);
        QCOMPARE(b.format, 3);
        QCOMPARE(b.sampleRate, 48000);
        QCOMPARE(b.bits, 32);
        QCOMPARE(b.left, (std::vector<float>{0.25f, -0.75f}));

        const std::filesystem::path abandoned = dir.filePath("c.wav").toStdString();
        { playback::WavWriter w(abandoned, 48000, 2, playback::SampleFormat::Int16); }
        QVERIFY(!std::filesystem::exists(abandoned));
        for (const auto& e :
             std::filesystem::directory_iterator(abandoned.parent_path())) // no temporary left
            QVERIFY2(e.path().filename().string().find(".tmp-") == std::string::npos, e.path().c_str());
        QVERIFY_THROWS_EXCEPTION(
            playback::PlaybackError,
            playback::WavWriter("/nonexistent-dir/x.wav", 48000, 2, playback::SampleFormat::Int16));
    }
};

QTEST_GUILESS_MAIN(TestPlaybackLogic)
#include "tst_playback_logic.moc"
