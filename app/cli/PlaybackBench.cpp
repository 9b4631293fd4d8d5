#include "cli/PlaybackBench.h"

#include "playback/JackMidiMonitor.h"
#include "playback/JackMidiOut.h"
#include "playback/JackServerProcess.h"
#include "playback/MidiOut.h"
#include "playback/OfflineRender.h"
#include "playback/PlaybackError.h"
#include "playback/Player.h"
#include "playback/Timeline.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <thread>

namespace continuo::cli {
namespace {

double median(std::vector<double> v) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double quantile(std::vector<double> v, double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, std::size_t(std::ceil(q * double(v.size() - 1))))];
}

// A busy General MIDI arrangement: melody, bass, chords, pad and drums, with a tempo change.
music::Song arrangement(double seconds) {
    music::Song song;
    song.ppq = 480;
    song.tempos = {{0, 500000}, {480 * 32, 461538}}; // 120, then 130 BPM after 8 bars
    std::mt19937 rng(7);
    auto track = [&](const char* name, int ch, int program) {
        music::Track t;
        t.name = name;
        t.channel = std::uint8_t(ch);
        t.program = std::uint8_t(program);
        return t;
    };
    music::Track melody = track("Melody", 0, 0), bass = track("Bass", 1, 33), chords = track("Chords", 2, 4),
                 pad = track("Pad", 3, 89), drums = track("Drums", 9, 0);
    // Long enough at the faster tempo, then trimmed to `seconds` through the tempo map.
    const std::int64_t end = std::int64_t(song.ppq * 2.5 * seconds);
    auto add = [](music::Track& t, std::int64_t start, std::int64_t dur, int pitch, int vel) {
        t.notes.push_back(
            {start, dur, std::uint8_t(pitch), std::uint8_t(vel), t.channel, music::NoteOrigin::User});
    };
    const int scale[] = {0, 2, 4, 5, 7, 9, 11};
    for (std::int64_t t = 0; t < end; t += 240)
        add(melody, t, 220, 60 + scale[rng() % 7] + 12 * int(rng() % 2), 70 + int(rng() % 40));
    for (std::int64_t t = 0; t < end; t += 480)
        add(bass, t, 460, 36 + scale[rng() % 7], 90);
    for (std::int64_t t = 0; t < end; t += 960) {
        const int root = 48 + scale[rng() % 7];
        for (int k : {0, 4, 7})
            add(chords, t, 900, root + k, 60);
    }
    for (std::int64_t t = 0; t < end; t += 1920)
        add(pad, t, 1920, 72 + scale[rng() % 7], 50);
    for (std::int64_t t = 0; t < end; t += 120)
        add(drums, t, 60, (t % 480 == 0) ? 36 : 42, 80);
    song.tracks = {melody, bass, chords, pad, drums};
    // Trim to the requested length in seconds through the tempo map.
    const playback::TempoMap tempo(song);
    const auto last = std::int64_t(tempo.tickAt(seconds));
    for (auto& t : song.tracks) {
        std::erase_if(t.notes, [&](const music::Note& n) { return n.end() > last; });
    }
    return song;
}

nlohmann::json renderBench(const PlaybackBenchOptions& o) {
    const music::Song song = arrangement(o.songSeconds);
    const auto path =
        std::filesystem::temp_directory_path() / ("continuo-bench-" + std::to_string(::getpid()) + ".wav");
    std::vector<double> speeds, walls;
    playback::RenderResult last;
    for (int i = 0; i < o.repetitions; ++i) {
        playback::RenderOptions ro;
        ro.soundFont = o.soundFont;
        ro.sampleRate = 44100;
        ro.tailSeconds = 0;
        last = playback::renderSongToWav(song, path, ro);
        speeds.push_back(last.speed());
        walls.push_back(last.wallSeconds);
        std::fprintf(stderr, "bench playback: render %d/%d: %.2f s of audio in %.3f s (%.0f× real time)\n",
                     i + 1, o.repetitions, last.audioSeconds, last.wallSeconds, last.speed());
    }
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return {{"songSeconds", last.audioSeconds},
            {"notes", song.noteCount()},
            {"sampleRate", 44100},
            {"format", "16-bit WAV"},
            {"soundFont", last.soundFont.string()},
            {"soundFontLoadSeconds", last.loadSeconds},
            {"wallSeconds", median(walls)},
            {"timesRealTime", median(speeds)},
            {"repetitions", o.repetitions}};
}

// Notes every 50 ms (25 ms long), then every 40 ms after a tempo change.
music::Song clickSong(int notes) {
    music::Song song;
    song.ppq = 480;
    song.tempos = {{0, 500000}, {std::int64_t(notes / 2) * 48, 400000}};
    music::Track t;
    t.name = "Clicks";
    for (int i = 0; i < notes; ++i) {
        t.notes.push_back(
            {std::int64_t(i) * 48, 24, std::uint8_t(60 + i % 24), 100, 0, music::NoteOrigin::User});
    }
    song.tracks.push_back(t);
    return song;
}

// Plays `song` through `sink` (connected to `monitor`) and compares each arrival, stamped to the frame by
// the receiver, with the schedule: the spread around the median offset is the jitter.
nlohmann::json measureJitter(const char* path, playback::MidiSink& sink, playback::JackMidiMonitor& monitor,
                             const music::Song& song) {
    const playback::Timeline timeline(song);
    const std::size_t expected = timeline.events.size();
    monitor.clear();
    {
        playback::Player player(sink);
        player.setSong(song);
        player.play();
        const auto deadline = std::chrono::steady_clock::now() +
                              std::chrono::milliseconds(std::int64_t(timeline.endSeconds * 1000) + 10000);
        while (player.endedCount() == 0 && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20)); // waiting for the song to play out
        }
    }
    const auto arrivalDeadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (monitor.count() < expected && std::chrono::steady_clock::now() < arrivalDeadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    // Match the note events in order (the player adds releases and controllers at the end). A lost event
    // is counted, not allowed to shift every later match by one.
    const std::vector<playback::MonitoredEvent> got = monitor.events();
    std::vector<double> offsets;
    std::size_t matched = 0, j = 0;
    for (std::size_t i = 0; i < expected; ++i) {
        for (std::size_t k = j; k < std::min(got.size(), j + 8); ++k) {
            if (got[k].message == timeline.events[i].message) {
                offsets.push_back(got[k].seconds - timeline.events[i].seconds);
                ++matched;
                j = k + 1;
                break;
            }
        }
    }
    const double mid = median(offsets);
    std::vector<double> jitter;
    for (double x : offsets)
        jitter.push_back(std::abs(x - mid) * 1000);
    const double maxJitter = jitter.empty() ? 0 : *std::max_element(jitter.begin(), jitter.end());
    std::fprintf(stderr, "bench playback: JACK jitter (%s) over %zu events: median %.3f ms, max %.3f ms\n",
                 path, matched, median(jitter), maxJitter);
    return {{"path", path},
            {"events", expected},
            {"received", matched},
            {"missing", expected - matched},
            {"jitterMedianMs", median(jitter)},
            {"jitterP99Ms", quantile(jitter, 0.99)},
            {"jitterMaxMs", maxJitter}};
}

nlohmann::json jitterBench(const PlaybackBenchOptions& o) {
    playback::JackServerProcess::Options so;
    so.period = o.jackPeriod;
    so.sampleRate = 48000;
    playback::JackServerProcess server(so);
    ::setenv("JACK_DEFAULT_SERVER", server.name().c_str(), 1);
    const music::Song song = clickSong(o.jitterNotes);
    playback::JackMidiMonitor monitor("continuo-bench-receiver");

    nlohmann::json out{{"jackPeriodFrames", monitor.periodFrames()},
                       {"jackPeriodMs", 1000.0 * monitor.periodFrames() / monitor.sampleRate()},
                       {"sampleRate", monitor.sampleRate()},
                       {"server", "jackd -S -t 5000 --no-realtime -d dummy (private, started by the bench)"},
                       {"goalMs", 1.0}};
    {
        playback::JackMidiOut exact("continuo-bench-exact");
        exact.connect(monitor.portName());
        out["sampleAccurate"] = measureJitter("Player -> JackMidiOut (frame-placed)", exact, monitor, song);
    }
    {
        playback::MidiOut rt(playback::MidiApi::Jack, "continuo-bench-rtmidi");
        rt.open(monitor.portName());
        out["rtmidi"] = measureJitter("Player -> MidiOut (RtMidi JACK, next cycle)", rt, monitor, song);
    }
    return out;
}

} // namespace

nlohmann::json runPlaybackBench(const PlaybackBenchOptions& options) {
    nlohmann::json out;
    out["render"] = renderBench(options);
    if (!options.withJack) {
        out["jackJitter"] = {{"skipped", "--no-jack"}};
        return out;
    }
    try {
        out["jackJitter"] = jitterBench(options);
    } catch (const playback::PlaybackError& e) {
        std::fprintf(stderr, "bench playback: JACK jitter skipped: %s\n", e.what());
        out["jackJitter"] = {{"skipped", e.what()}};
    }
    return out;
}

} // namespace continuo::cli
