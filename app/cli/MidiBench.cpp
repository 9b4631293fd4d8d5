#include "cli/MidiBench.h"

#include "midi/SmfReader.h"
#include "music/CorpusFiles.h"
#include "music/SmfToSong.h"
#include "music/SongFile.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <unistd.h>

namespace continuo::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0 : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

// A song shaped like real music: 4 melodic tracks and drums, chords, varied lengths and velocities,
// overlapping notes, tempo and meter changes.
music::Song generatedSong(std::size_t noteCount) {
    music::Song song;
    song.ppq = 480;
    song.tempos = {{0, 500000}, {480 * 64, 461538}, {480 * 512, 545454}};
    song.timeSignatures = {{0, 4, 4, 24, 8}, {480 * 128, 3, 4, 24, 8}};
    std::mt19937 rng(1234);
    const std::array<int, 5> channels{0, 1, 2, 3, 9};
    for (int c : channels) {
        music::Track t;
        t.name = c == 9 ? "Drums" : "Part " + std::to_string(c + 1);
        t.channel = static_cast<std::uint8_t>(c);
        t.program = static_cast<std::uint8_t>(c * 8);
        song.tracks.push_back(t);
    }
    const std::array<int, 6> lengths{120, 240, 480, 160, 960, 60};
    std::vector<std::int64_t> time(channels.size(), 0);
    for (std::size_t i = 0; i < noteCount; ++i) {
        const std::size_t k = i % channels.size();
        music::Note n;
        n.channel = static_cast<std::uint8_t>(channels[k]);
        n.start = time[k];
        n.duration = lengths[rng() % lengths.size()];
        n.pitch = static_cast<std::uint8_t>(k == 4 ? 35 + rng() % 12 : 36 + 12 * (k % 3) + rng() % 24);
        n.velocity = static_cast<std::uint8_t>(40 + rng() % 80);
        song.tracks[k].notes.push_back(n);
        if (rng() % 3) time[k] += lengths[rng() % 4]; // else: a chord tone at the same onset
    }
    for (auto& t : song.tracks)
        t.sortNotes();
    return song;
}

// Times loadSong (read + parse + note pairing) over `files`, `reps` times; returns the median seconds of
// one pass, and the bytes and notes of one pass.
struct Pass {
    double seconds = 0;
    std::size_t bytes = 0;
    std::size_t notes = 0;
    std::size_t files = 0;
};

Pass timeContinuo(const std::vector<fs::path>& files, int reps) {
    Pass p;
    std::vector<double> times;
    for (int r = 0; r < reps; ++r) {
        std::size_t notes = 0, bytes = 0, ok = 0;
        const auto t0 = Clock::now();
        for (const fs::path& f : files) {
            try {
                notes += music::loadSong(f).song.noteCount();
                ++ok;
                bytes += fs::file_size(f);
            } catch (const std::exception&) {
                // Unreadable files are the cross-check's business, not the benchmark's.
            }
        }
        times.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
        p.notes = notes;
        p.bytes = bytes;
        p.files = ok;
    }
    p.seconds = median(times);
    return p;
}

const char* kMidoScript = R"PY(
import sys, time, gzip, statistics, json, mido
reps = int(sys.argv[1]); files = sys.argv[2:]
def load(f):
    return mido.MidiFile(file=gzip.open(f)) if f.endswith('.gz') else mido.MidiFile(f)
times = []
for _ in range(reps):
    t = time.perf_counter()
    for f in files:
        try: load(f)
        except Exception: pass
    times.append(time.perf_counter() - t)
print(json.dumps({"seconds": statistics.median(times), "version": mido.__version__}))
)PY";

// Times mido on the same files; returns its median seconds, or a negative number when it cannot run.
double timeMido(const MidiBenchOptions& o, const std::vector<fs::path>& files, int reps) {
    const fs::path listFile =
        fs::temp_directory_path() / ("continuo-bench-" + std::to_string(::getpid()) + ".py");
    {
        std::ofstream s(listFile);
        s << kMidoScript;
    }
    std::string cmd = o.python + " '" + listFile.string() + "' " + std::to_string(reps);
    for (const fs::path& f : files)
        cmd += " '" + f.string() + "'";
    cmd += " 2>/dev/null";
    std::string out;
    if (FILE* pipe = ::popen(cmd.c_str(), "r")) {
        std::array<char, 4096> buf{};
        while (std::fgets(buf.data(), buf.size(), pipe))
            out += buf.data();
        ::pclose(pipe);
    }
    fs::remove(listFile);
    try {
        return nlohmann::json::parse(out).at("seconds").get<double>();
    } catch (const std::exception&) {
        return -1;
    }
}

nlohmann::json figures(const char* label, const Pass& p, double midoSeconds) {
    nlohmann::json j{{"files", p.files},
                     {"bytes", p.bytes},
                     {"notes", p.notes},
                     {"continuo_ms", p.seconds * 1e3},
                     {"continuo_mb_per_s", p.bytes / 1e6 / p.seconds},
                     {"continuo_notes_per_s", p.notes / p.seconds}};
    std::fprintf(stderr,
                 "midi.%s: %zu files, %.2f MB, %zu notes: continuo %.1f ms (%.1f MB/s, %.2f M notes/s)",
                 label, p.files, p.bytes / 1e6, p.notes, p.seconds * 1e3, p.bytes / 1e6 / p.seconds,
                 p.notes / p.seconds / 1e6);
    if (midoSeconds > 0) {
        j["mido_ms"] = midoSeconds * 1e3;
        j["mido_mb_per_s"] = p.bytes / 1e6 / midoSeconds;
        j["mido_notes_per_s"] = p.notes / midoSeconds;
        j["speedup_vs_mido"] = midoSeconds / p.seconds;
        std::fprintf(stderr, "; mido %.1f ms (%.2f MB/s): %.0f× mido", midoSeconds * 1e3,
                     p.bytes / 1e6 / midoSeconds, midoSeconds / p.seconds);
    }
    std::fprintf(stderr, "\n");
    return j;
}

} // namespace

nlohmann::json runMidiBench(const MidiBenchOptions& o) {
    nlohmann::json out;
    const fs::path generated =
        fs::temp_directory_path() / ("continuo-bench-" + std::to_string(::getpid()) + ".mid");
    music::saveSong(generated, generatedSong(o.generatedNotes));
    const std::vector<fs::path> one{generated};
    const Pass gen = timeContinuo(one, o.repetitions);
    out["generated"] =
        figures("generated", gen, o.withMido ? timeMido(o, one, std::max(1, o.repetitions / 2)) : -1);
    fs::remove(generated);

    const std::vector<fs::path> corpus =
        music::findMidiFiles(o.corpusDirs.empty() ? music::debianMidiFolders() : o.corpusDirs);
    if (!corpus.empty()) {
        const Pass c = timeContinuo(corpus, o.repetitions);
        out["corpus"] =
            figures("corpus", c, o.withMido ? timeMido(o, corpus, std::max(1, o.repetitions / 2)) : -1);
    }
    return out;
}

} // namespace continuo::cli
