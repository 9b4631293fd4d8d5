#pragma once
// One training job for every front end (continuo-cli train and the studio's retraining): a folder is
// listed and read into a dataset once, the run is measured, trained, and the finished model and its card
// are written once. No LibTorch in this header, no Qt in this folder.
//
// Thread contract: a TrainingJob is used from one thread at a time (the CLI's main thread, the studio's
// training worker); every method blocks. `progress` is called synchronously on that calling thread —
// between stages, and between training batches — so it must return quickly. `cancel` may be set from any
// thread; it is checked between stages and between batches.
//
// The dataset is built once per run: scan() keeps it, and estimate() and run() reuse it while the folder's
// files (names, sizes, modification times) and the dataset options are those it was built from. A run that
// ends (or fails) lets it go.

#include "model/Trainer.h"
#include "modelfile/ModelConfig.h"
#include "music/Dataset.h"
#include "training/JobError.h"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace continuo::training {

/// Where a run's tokenizer, network and training configs come from.
struct Recipe {
    std::string preset = "compact";     ///< a new run from scratch: model::preset(name)
    music::TokenizerSettings tokenizer; ///< a new run from scratch
    /// Fine-tuning: the model file whose tokenizer, architecture and training config (and weights) start a
    /// new run ("" = from scratch). Unreadable: JobError Incompatible.
    std::filesystem::path baseModel;
    /// Continue this checkpoint exactly as it was set up: tokenizer and configs come from it ("" = a new
    /// run). Unreadable: JobError Other.
    std::filesystem::path resume;
    /// With `resume`: a file that does not exist starts a new run instead (a run stopped before its first
    /// checkpoint).
    bool resumeMayBeMissing = false;
    /// Applied to a new run's configs (the preset's or the base model's) before they are checked; never to
    /// a resumed run's. May be empty.
    std::function<void(model::ModelConfig&, model::TrainConfig&)> adjust;
    /// Epochs at most, also for a resumed run (0 = as set up).
    int epochs = 0;
};

struct JobSpec {
    std::filesystem::path folder; ///< MIDI files below it, recursively
    Recipe recipe;
    bool useCache = true;              ///< the corpus cache (music/CorpusCache.h)
    std::filesystem::path cacheDir;    ///< "" = music::defaultCacheDir()
    std::string device = "auto";       ///< "auto", "cpu", "cuda"
    int threads = 0;                   ///< CPU threads (model::setTorchThreads), 0 = every core
    double timeLimitSeconds = 0;       ///< stop after the epoch that passes it (0 = none)
    std::int64_t maxStepsPerEpoch = 0; ///< 0 = every window once per epoch
    std::int64_t stopAfterSteps = -1;  ///< stop resumably after this many steps in all (−1 = never)
};

/// What a run writes, and nothing else.
struct RunFiles {
    std::filesystem::path checkpoint; ///< rewritten atomically after every epoch and on stop; resumable
    /// Written once, when the run ends normally: the model without its resume state and, beside it,
    /// <stem>.md, its card. "" = the checkpoint is the result (continuo-cli train).
    std::filesystem::path finalModel;
    std::string trainedIn = "the Continuo studio"; ///< the card's "was trained in …"
};

/// What scan() found; run() reports the same at Progress::Stage::Ready.
struct CorpusReport {
    std::filesystem::path folder;
    int filesFound = 0; ///< every file below the folder (MIDI or not)
    int midiFiles = 0;  ///< of those, named like MIDI files (music::isMidiFileName)
    int filesUsable = 0;
    std::vector<SkippedEntry> skipped; ///< MIDI files left out and other files, sorted by file
    std::uint64_t notes = 0;           ///< melodic notes of the usable files
    std::uint64_t tokens = 0;          ///< their tokens (untransposed)
    std::uint64_t trainingTokens = 0;  ///< the training split's tokens, augmentation included
    std::size_t trainingFiles = 0, validationFiles = 0;
    std::size_t trainingWindows = 0, validationWindows = 0;
    int window = 0; ///< tokens per window
};

/// Delivered through ProgressFn on the job's calling thread (see the thread contract above).
struct Progress {
    enum class Stage {
        Listing,  ///< listing the folder
        Reading,  ///< reading corpus.midiFiles files into the dataset (or taking the kept one)
        Ready,    ///< the dataset is there: `corpus` holds its figures
        Training, ///< `training` holds the trainer's report (one per batch, one more per epoch)
        Saving    ///< writing the finished model and its card
    };
    Stage stage = Stage::Listing;
    CorpusReport corpus;           ///< Reading: midiFiles; Ready: every figure; else empty
    model::TrainProgress training; ///< Training only
};
using ProgressFn = std::function<void(const Progress&)>;

struct Outcome {
    model::TrainingSummary summary;    ///< as written into the checkpoint
    bool completed = false;            ///< false: stopped by cancel or stopAfterSteps (resumable)
    std::filesystem::path model, card; ///< written when completed and RunFiles::finalModel is set
};

class TrainingJob {
public:
    TrainingJob();
    ~TrainingJob();
    TrainingJob(const TrainingJob&) = delete;
    TrainingJob& operator=(const TrainingJob&) = delete;

    /// Reads every file below spec.folder the way the run will (window, policy, split, augmentation) and
    /// keeps the dataset. A folder whose files are all unusable gives a report with filesUsable 0 and every
    /// reason. Throws JobError: EmptyFolder, UnreadableFolder, Cancelled, Incompatible or Other (the recipe).
    CorpusReport scan(const JobSpec& spec, const ProgressFn& progress, const std::atomic<bool>& cancel);
    /// How long the run would take on spec.device: a few measured steps (model::estimateTraining). Throws
    /// JobError (NoUsableFile, Cancelled, …).
    model::TrainingEstimate estimate(const JobSpec& spec, const std::atomic<bool>& cancel);
    /// Trains (or resumes) until the epochs are done, early stopping, the time limit or `cancel` (then
    /// completed = false and the checkpoint is resumable), then writes files.finalModel and its card.
    /// Writes nowhere but files.checkpoint, files.finalModel and the card (folders are created). Throws
    /// JobError; DiskFull and OutOfMemory leave the last checkpoint intact.
    Outcome run(const JobSpec& spec, const RunFiles& files, const ProgressFn& progress,
                const std::atomic<bool>& cancel);

    /// How many datasets this job has built (read from files or the cache): one per run when scan(),
    /// estimate() and run() follow each other on the same folder and options.
    int datasetsBuilt() const;

private:
    struct Kept;
    std::unique_ptr<Kept> kept_;
};

} // namespace continuo::training
