// Offline rendering through FluidSynth: the audio of a known melody is there, has the right length, and
// sounds the right pitch in each note's window; SoundFont problems give their clear errors.

#include "PlaybackTestUtil.h"

#include "playback/OfflineRender.h"
#include "playback/PlaybackError.h"
#include "playback/SoundFonts.h"
#include "playback/Synth.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace continuo;
using test::note;

namespace {

// Flute (GM 73) in its upper octave, where it is nearly a sine. Two tempos, so the windows only line up
// if the tempo map is followed; a rest in the middle.
music::Song melody() {
    return test::songOf({note(0, 480, 72), note(480, 480, 76), note(960, 480, 79), note(1440, 960, 84),
                         // tempo change at 2400: 60 BPM from there
                         note(2400, 360, 81), note(2760, 360, 77), note(3120, 720, 74)},
                        73, 0, {{0, 500000}, {2400, 1000000}});
}

double rms(const std::vector<float>& x, std::size_t from, std::size_t to) {
    double sum = 0;
    for (std::size_t i = from; i < to; ++i)
        sum += double(x[i]) * x[i];
    return to > from ? std::sqrt(sum / double(to - from)) : 0;
}

} // namespace

class TestPlaybackRender : public QObject {
    Q_OBJECT

    std::filesystem::path soundFont_;
    QTemporaryDir dir_;

    std::filesystem::path file(const char* name) const { return dir_.filePath(name).toStdString(); }

private Q_SLOTS:
    void initTestCase() {
        soundFont_ = test::testSoundFont();
        if (soundFont_.empty()) QSKIP("no General MIDI SoundFont installed (timgm6mb-soundfont)");
        QVERIFY(dir_.isValid());
    }

    void rendersTheMelody_data() {
        QTest::addColumn<int>("rate");
        QTest::addColumn<bool>("isFloat");
        QTest::newRow("44.1 kHz 16-bit") << 44100 << false;
        QTest::newRow("48 kHz float") << 48000 << true;
    }

    void rendersTheMelody() {
        QFETCH(int, rate);
        QFETCH(bool, isFloat);
        const music::Song song = melody();
        playback::RenderOptions options;
        options.soundFont = soundFont_;
        options.sampleRate = rate;
        options.format = isFloat ? playback::SampleFormat::Float32 : playback::SampleFormat::Int16;
        options.tailSeconds = 0.5;
        const auto out = file(isFloat ? "melody-f.wav" : "melody-s16.wav");
        const playback::RenderResult r = playback::renderSongToWav(song, out, options);
        QVERIFY(!r.cancelled);
        QCOMPARE(r.soundFont, soundFont_);
        QVERIFY2(r.speed() > 1, qPrintable(QString("rendered at %1× real time").arg(r.speed())));

        const test::WavData wav = test::readWav(out);
        QCOMPARE(wav.format, isFloat ? 3 : 1);
        QCOMPARE(wav.channels, 2);
        QCOMPARE(wav.sampleRate, rate);
        QCOMPARE(wav.bits, isFloat ? 32 : 16);
        const double seconds = song.secondsAt(song.endTick()); // 2.5 s at 120 BPM + 3 quarters at 60 BPM
        QCOMPARE(seconds, 5.5);
        QCOMPARE(std::int64_t(wav.left.size()), std::llround((seconds + 0.5) * rate));
        QCOMPARE(r.frames, std::int64_t(wav.left.size()));

        const double whole = rms(wav.left, 0, wav.left.size());
        QVERIFY2(whole > 0.005, qPrintable(QString("RMS %1: silent").arg(whole)));
        float peak = 0;
        for (float s : wav.left)
            peak = std::max(peak, std::abs(s));
        QVERIFY2(peak < 1.0f, "clipped");

        for (const music::Note& n : song.tracks[0].notes) {
            // From 40 ms after the attack to the end of the note (at most 300 ms).
            const double start = song.secondsAt(n.start) + 0.04;
            const double end = std::min(song.secondsAt(n.end()), start + 0.3);
            const auto from = std::size_t(start * rate), to = std::size_t(end * rate);
            QVERIFY2(rms(wav.left, from, to) > 0.002, qPrintable(QString("note %1 silent").arg(n.pitch)));
            // The pitch whose harmonics (1–4) carry the most energy: an octave error would need the
            // even harmonics to outweigh the odd ones, a semitone error finds none of them.
            int best = -1;
            double bestPower = 0;
            for (int key = n.pitch - 12; key <= n.pitch + 12; ++key) {
                double p = 0;
                for (int h = 1; h <= 4; ++h)
                    p += test::goertzel(wav.left, from, to, h * test::keyFrequency(key), rate);
                if (p > bestPower) {
                    bestPower = p;
                    best = key;
                }
            }
            QVERIFY2(
                best == n.pitch,
                qPrintable(
                    QString("at %1 s expected key %2, loudest is %3").arg(start).arg(n.pitch).arg(best)));
        }
    }

    void cancellingLeavesNoFile() {
        playback::RenderOptions options;
        options.soundFont = soundFont_;
        const auto out = file("cancelled.wav");
        int calls = 0;
        const auto r = playback::renderSongToWav(melody(), out, options, [&](double) { return ++calls < 2; });
        QVERIFY(r.cancelled);
        QVERIFY(!std::filesystem::exists(out));
        for (const auto& e : std::filesystem::directory_iterator(out.parent_path())) // no temporary left
            QVERIFY2(e.path().filename().string().find(".tmp-") == std::string::npos, e.path().c_str());
    }

    void defaultLookupFindsASoundFont() {
        const auto candidates = playback::defaultSoundFontCandidates();
        QVERIFY(candidates.size() >= 4);
        QCOMPARE(candidates.back(), std::filesystem::path("/usr/share/sounds/sf2/FluidR3_GM.sf2"));
        const auto found = playback::findSoundFont(candidates);
        QVERIFY(found.has_value());
        QCOMPARE(playback::resolveSoundFont({}, candidates), *found);
    }

    void soundFontLookupOrder() {
        // A folder entry gives its first .sf2/.sf3 by name; later entries are not looked at.
        QTemporaryDir folder;
        std::filesystem::copy_file(soundFont_, folder.filePath("b.sf2").toStdString());
        std::filesystem::copy_file(soundFont_, folder.filePath("a.sf3").toStdString());
        std::ofstream(folder.filePath("readme.txt").toStdString()) << "not a SoundFont";
        const auto found =
            playback::findSoundFont({"/nonexistent/folder", folder.path().toStdString(), soundFont_});
        QCOMPARE(*found, std::filesystem::path(folder.filePath("a.sf3").toStdString()));
    }

    void missingSoundFontIsAClearError() {
        try {
            playback::Synth synth({"/nonexistent/piano.sf2", 48000, 0.6, "none", 256});
            QFAIL("no exception");
        } catch (const playback::PlaybackError& e) {
            QCOMPARE(e.kind(), playback::ErrorKind::SoundFontMissing);
            QCOMPARE(std::string(e.what()), std::string("SoundFont not found: /nonexistent/piano.sf2"));
        }
        try {
            playback::resolveSoundFont({}, {"/nonexistent/a.sf2", "/nonexistent/folder"});
            QFAIL("no exception");
        } catch (const playback::PlaybackError& e) {
            QCOMPARE(e.kind(), playback::ErrorKind::SoundFontMissing);
            QVERIFY(std::string(e.what()).starts_with(
                "no General MIDI SoundFont found (looked in /nonexistent/a.sf2"));
            QVERIFY(std::string(e.what()).find("--soundfont") != std::string::npos);
        }
    }

    void corruptSoundFontIsAClearError() {
        // Not a RIFF file at all.
        const auto junk = file("junk.sf2");
        std::ofstream(junk, std::ios::binary) << std::string(4096, '\x5a');
        try {
            playback::Synth synth({junk, 48000, 0.6, "none", 256});
            QFAIL("no exception");
        } catch (const playback::PlaybackError& e) {
            QCOMPARE(e.kind(), playback::ErrorKind::SoundFontInvalid);
            QVERIFY(std::string(e.what()).starts_with("not a SoundFont"));
        }
        // A real SoundFont cut in half: the header says sfbk, the chunks run off the end.
        const auto cut = file("cut.sf2");
        {
            std::ifstream in(soundFont_, std::ios::binary);
            std::vector<char> bytes(std::size_t(std::filesystem::file_size(soundFont_) / 2));
            in.read(bytes.data(), std::streamsize(bytes.size()));
            std::ofstream(cut, std::ios::binary).write(bytes.data(), std::streamsize(bytes.size()));
        }
        try {
            playback::Synth synth({cut, 48000, 0.6, "none", 256});
            QFAIL("no exception");
        } catch (const playback::PlaybackError& e) {
            QCOMPARE(e.kind(), playback::ErrorKind::SoundFontInvalid);
            QVERIFY2(std::string(e.what()).starts_with("cannot load SoundFont " + cut.string() + ": "),
                     e.what());
        }
        // And the render entry point says the same, leaving no WAV behind.
        playback::RenderOptions options;
        options.soundFont = cut;
        QVERIFY_THROWS_EXCEPTION(playback::PlaybackError,
                                 playback::renderSongToWav(melody(), file("x.wav"), options));
        QVERIFY(!std::filesystem::exists(file("x.wav")));
    }

    void silentRenderIsReported() {
        // A SoundFont that loads but has no sound (its one sample is silence): the WAV is written, and the
        // result says it is silent so the CLI and the studio can warn instead of leaving the user to listen.
        const auto silent = file("silent.sf2");
        test::writeSilentSoundFont(silent);
        playback::RenderOptions options;
        options.soundFont = silent;
        options.tailSeconds = 0.1;
        const playback::RenderResult quiet = playback::renderSongToWav(melody(), file("quiet.wav"), options);
        QVERIFY(std::filesystem::exists(file("quiet.wav")));
        QCOMPARE(quiet.notes, melody().tracks[0].notes.size());
        QVERIFY2(quiet.peak < playback::RenderResult::kSilentPeak, qPrintable(QString::number(quiet.peak)));
        QVERIFY(quiet.silent());
        // The real SoundFont is heard, and a song without notes is not "silent" (nothing was asked for).
        options.soundFont = soundFont_;
        const playback::RenderResult heard = playback::renderSongToWav(melody(), file("heard.wav"), options);
        QVERIFY(heard.peak > 0.01);
        QVERIFY(!heard.silent());
        QVERIFY(!playback::renderSongToWav(music::Song{}, file("empty.wav"), options).silent());
    }

    void optionsOutOfRange() {
        QVERIFY_THROWS_EXCEPTION(playback::PlaybackError,
                                 playback::Synth({soundFont_, 8000, 0.6, "none", 256}));
        QVERIFY_THROWS_EXCEPTION(playback::PlaybackError,
                                 playback::Synth({soundFont_, 48000, 11, "none", 256}));
        QVERIFY_THROWS_EXCEPTION(playback::PlaybackError,
                                 playback::Synth({soundFont_, 48000, 0.6, "none", 1}));
        playback::Synth offline({soundFont_, 44100, 0.6, "none", 256});
        QVERIFY(!offline.hasAudio());
        std::string why;
        QVERIFY(!offline.canPlay(&why));
        QCOMPARE(why, std::string("audio off (offline rendering only)"));
        QCOMPARE(offline.sampleRate(), 44100.0);
    }
};

QTEST_GUILESS_MAIN(TestPlaybackRender)
#include "tst_playback_render.moc"
