#pragma once
// What the retraining page asks of the engine: scan a folder, estimate a run, train. The studio's
// implementation is app/training/TrainingBackend (core/training's TrainingJob, LibTorch); ui/ only
// sees this interface, so it never links LibTorch.
//
// Thread contract: every method blocks and is called on the training worker thread (TrainingController),
// one call at a time. `progress` callbacks run on that same thread; `cancel` may be set from any thread and
// is checked between files (scan), between steps (estimate) and between batches (train).

#include <QJsonObject>
#include <QString>
#include <QVector>

#include <atomic>
#include <functional>
#include <stdexcept>

namespace continuo::ui::retrain {

/// Everything a run is set up from; stored as JSON in the pending-run record (settings::kPendingTraining).
struct TrainingSetup {
    QString folder;             ///< the MIDI folder (searched recursively)
    QString name;               ///< the model's name; its file is userModelsDir()/<name>.cmodel
    QString preset = "compact"; ///< "tiny", "compact", "seed" (model::presetNames); ignored when fine-tuning
    QString baseModel;          ///< fine-tune: the model file whose weights start the run; "" = from scratch
    int epochs = 10;            ///< 1–100000; early stopping may end sooner
    int window = 0;             ///< tokens per window, 0 = the preset's (a fine-tune always uses its model's)
    double learningRate = 0;    ///< peak rate, 0 = the preset's
    int transposeLow = -5;      ///< augmentation, semitones, −24–0
    int transposeHigh = 6;      ///< 0–24
    double validationShare = 0.1; ///< share of files held out, 0–0.9
    /// multi-track files: "textures" (all tracks merged as piano writing, plus each single-line track as a
    /// melody: the shipped model's kind), "merge", "per-track", "top-voice" (from scratch only)
    QString policy = "textures";
    QString device = "auto";     ///< "auto", "cpu", "cuda"
    int threads = 0;             ///< CPU threads, 0 = every core
    qint64 maxStepsPerEpoch = 0; ///< 0 = every window once per epoch (tests and quick runs cap it)

    bool fineTune() const { return !baseModel.isEmpty(); }
    QJsonObject toJson() const;
    /// Missing fields keep their defaults.
    static TrainingSetup fromJson(const QJsonObject& json);
};

struct SkippedEntry {
    QString file;   ///< path relative to the scanned folder
    QString reason; ///< "unreadable", "no melodic notes", "too short", "duplicate", "not a MIDI file"
    QString detail; ///< one sentence
};

struct ScanReport {
    QString folder;
    int filesFound = 0; ///< every file below the folder (MIDI or not)
    int midiFiles = 0;  ///< of those, named like MIDI files
    int filesUsable = 0;
    QVector<SkippedEntry> skipped; ///< MIDI files left out and other files, each with its reason
    quint64 notes = 0;             ///< melodic notes of the usable files
    quint64 tokens = 0;            ///< their tokens (untransposed)
    quint64 trainingTokens = 0;    ///< the training split's tokens, augmentation included
    qint64 trainingWindows = 0;
    qint64 validationWindows = 0;
};

/// One report per training batch, and one more with epochDone after each epoch's validation.
struct TrainingProgress {
    int epoch = 0; ///< 1-based
    int epochs = 0;
    qint64 step = 0; ///< 1-based within the epoch
    qint64 stepsPerEpoch = 0;
    double trainLoss = 0;       ///< running mean of this epoch (nats/token); the epoch's mean when epochDone
    double validationLoss = -1; ///< of the last finished epoch, −1 = none yet
    double tokensPerSecond = 0;
    double etaSeconds = 0;
    bool epochDone = false;
};

struct TrainingRequest {
    TrainingSetup setup;
    QString checkpoint;  ///< the run's resumable file, rewritten atomically after every epoch and on stop
    bool resume = false; ///< continue `checkpoint` (it must exist) instead of starting
    QString finalModel;  ///< where a run that ends normally writes its model (without resume state) + card
};

struct TrainingResult {
    bool completed = false; ///< false: stopped by cancel (checkpoint is then resumable)
    QString model;          ///< finalModel when completed
    QString card;           ///< the card (.md) written beside it
    QString summary;        ///< one line: epochs, losses, time
    int epochsDone = 0;
    qint64 steps = 0;                              ///< optimizer steps done in all
    QVector<double> trainLosses, validationLosses; ///< per finished epoch
};

/// A failure the dialog shows as is: what() is one sentence for the user.
class TrainingFailure : public std::runtime_error {
public:
    enum class Kind {
        EmptyFolder,
        UnreadableFolder,
        NoUsableFile,
        DiskFull,
        OutOfMemory,
        Incompatible,
        Other
    };
    TrainingFailure(Kind kind, const QString& message)
        : std::runtime_error(message.toStdString())
        , kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};

class ITrainingBackend {
public:
    virtual ~ITrainingBackend() = default;
    /// fraction 0–1 and a short text ("reading files").
    using ScanProgress = std::function<void(double fraction, const QString& stage)>;
    using TrainProgress = std::function<void(const TrainingProgress&)>;

    /// Reads every file below setup.folder the way training will (window, policy, split, augmentation).
    /// A folder whose files are all unusable gives a report with filesUsable 0 and every reason (train()
    /// then throws NoUsableFile). Throws TrainingFailure: EmptyFolder (no file at all), UnreadableFolder
    /// (missing, not a folder, or no permission to list it); a cancelled scan throws Other. Progress and
    /// cancel are checked between stages only: the dataset build itself is one step (seconds, cached after).
    virtual ScanReport scan(const TrainingSetup& setup, const ScanProgress& progress,
                            const std::atomic<bool>& cancel) = 0;
    /// Seconds the run would take on setup.device (a few measured steps). Throws TrainingFailure.
    virtual double estimateSeconds(const TrainingSetup& setup, const ScanReport& report,
                                   const std::atomic<bool>& cancel) = 0;
    /// Trains (or resumes) until the epochs are done, early stopping, or `cancel` (then completed = false and
    /// the checkpoint is resumable). Never writes anywhere but request.checkpoint and request.finalModel (+
    /// its card). Throws TrainingFailure (DiskFull and OutOfMemory leave the last checkpoint intact).
    virtual TrainingResult train(const TrainingRequest& request, const TrainProgress& progress,
                                 const std::atomic<bool>& cancel) = 0;
};

} // namespace continuo::ui::retrain
