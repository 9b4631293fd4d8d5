#pragma once
// Shared by the retraining tests: a small folder with good and bad files, and a gate that holds the REAL
// training backend at a chosen report so a test can press Pause or Cancel at a known point (no sleeps).

#include "app/training/TrainingBackend.h"
#include "model/ModelTestUtil.h"
#include "music/SongFile.h"

#include <QFile>
#include <QMap>
#include <QSemaphore>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/resource.h>

namespace continuo::retrain_test {
namespace fs = std::filesystem;

/// 6 good tunes (tune0…tune5.mid) and one file of each kind the scan must refuse:
/// broken.mid (unreadable), drums.mid (no melodic notes), short.mid (too short), copy.mid (duplicate of
/// tune0.mid) and notes.txt (not a MIDI file).
inline void writeMixedFolder(const fs::path& dir) {
    model::test::writeTinyCorpus(dir, 6, 120);
    std::ofstream(dir / "broken.mid", std::ios::binary) << "MThd\0\0\0\6\0\1";
    std::ofstream(dir / "notes.txt") << "not music\n";
    music::Song drums;
    music::Track d;
    d.channel = 9;
    for (int i = 0; i < 64; ++i)
        d.notes.push_back({i * 240, 120, 36, 100, 9});
    drums.tracks.push_back(d);
    music::saveSong(dir / "drums.mid", drums);
    music::Song shortSong;
    music::Track s;
    s.notes.push_back({0, 480, 60, 90});
    s.notes.push_back({480, 480, 62, 90});
    shortSong.tracks.push_back(s);
    music::saveSong(dir / "short.mid", shortSong);
    fs::copy_file(dir / "tune0.mid", dir / "copy.mid");
}

/// Forwards every call to the real TrainingBackend. When `gateEpoch`/`gateStep` match a progress report
/// (gateStep 0 = the epochDone report), the worker waits in that callback until release(): the test acts
/// (pause, cancel) while the trainer is known to be between two batches.
class GatedBackend : public ui::retrain::ITrainingBackend {
public:
    explicit GatedBackend(fs::path cacheDir)
        : real_(std::move(cacheDir)) {}
    int gateEpoch = -1;
    qint64 gateStep = 0;
    std::atomic<int> reportsAfterGate{0}; ///< batch reports after the gate opened
    std::atomic<qint64> lastStepReported{0};

    void release() { open_.release(); }

    ui::retrain::ScanReport scan(const ui::retrain::TrainingSetup& s, const ScanProgress& p,
                                 const std::atomic<bool>& c) override {
        return real_.scan(s, p, c);
    }
    double estimateSeconds(const ui::retrain::TrainingSetup& s, const ui::retrain::ScanReport& r,
                           const std::atomic<bool>& c) override {
        return real_.estimateSeconds(s, r, c);
    }
    ui::retrain::TrainingResult train(const ui::retrain::TrainingRequest& rq, const TrainProgress& progress,
                                      const std::atomic<bool>& cancel) override {
        bool passed = false;
        return real_.train(
            rq,
            [&](const ui::retrain::TrainingProgress& p) {
                if (passed && !p.epochDone) ++reportsAfterGate;
                lastStepReported = p.step;
                progress(p);
                const bool hit = p.epoch == gateEpoch && (gateStep == 0 ? p.epochDone : p.step == gateStep);
                if (hit && !passed) {
                    passed = true;
                    // Bounded so that a test failing before release() ends instead of hanging.
                    open_.tryAcquire(1, 60000);
                }
            },
            cancel);
    }

private:
    app::TrainingBackend real_;
    QSemaphore open_;
};

/// The tiny preset on `corpus` for `epochs`, no transposition, CPU: every run takes seconds.
inline ui::retrain::TrainingSetup tinySetup(const fs::path& corpus, int epochs) {
    ui::retrain::TrainingSetup s;
    s.folder = QString::fromStdString(corpus.string());
    s.name = "tiny test";
    s.preset = "tiny";
    s.epochs = epochs;
    s.transposeLow = 0;
    s.transposeHigh = 0;
    s.validationShare = 0.2;
    s.device = "cpu";
    s.threads = 2;
    return s;
}

/// File name → skip reason of a scan.
inline QMap<QString, QString> reasons(const ui::retrain::ScanReport& r) {
    QMap<QString, QString> m;
    for (const ui::retrain::SkippedEntry& e : r.skipped)
        m[e.file] = e.reason;
    return m;
}

/// While alive, writes past `bytes` fail with EFBIG (SIGXFSZ ignored), as they would on a full disk.
struct FileSizeLimit {
    explicit FileSizeLimit(rlim_t bytes) {
        ::signal(SIGXFSZ, SIG_IGN);
        ::getrlimit(RLIMIT_FSIZE, &old);
        rlimit small = old;
        small.rlim_cur = bytes;
        set = ::setrlimit(RLIMIT_FSIZE, &small) == 0;
    }
    ~FileSizeLimit() { ::setrlimit(RLIMIT_FSIZE, &old); }
    rlimit old{};
    bool set = false;
};

} // namespace continuo::retrain_test
