#pragma once
// The one error type of a training job (TrainingJob.h): a kind a front end can act on, one sentence for
// the user, and for "nothing usable" the list of files left out with their reasons.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace continuo::training {

/// A file of the corpus folder that is not trained on.
struct SkippedEntry {
    std::filesystem::path file; ///< relative to the scanned folder
    /// "unreadable", "no melodic notes", "too short", "duplicate" (music::skipReasonName) or "not a MIDI
    /// file"
    std::string reason;
    std::string detail; ///< one sentence
};

class JobError : public std::runtime_error {
public:
    enum class Kind {
        EmptyFolder,      ///< the folder holds no file at all
        UnreadableFolder, ///< missing, not a folder, or no permission to list it
        NoUsableFile,     ///< no file gives a training window: skipped() says why for each
        /// a model file could not be written (model::isDiskFull: ENOSPC, EDQUOT, EFBIG); the last checkpoint
        /// on disk, if any, is intact (the message says whether there is one)
        DiskFull,
        OutOfMemory,  ///< CUDA or host memory ran out; the last checkpoint is intact
        Incompatible, ///< fine-tuning: the base model is unreadable or does not fit the data's
                      ///< tokenizer/window
        Cancelled,    ///< a scan or estimate was cancelled (a cancelled run is not an error: Outcome says so)
        Other         ///< anything else: a bad resume file, options out of range, a LibTorch failure …
    };
    JobError(Kind kind, const std::string& message, std::vector<SkippedEntry> skipped = {})
        : std::runtime_error(message)
        , kind_(kind)
        , skipped_(std::move(skipped)) {}
    Kind kind() const { return kind_; }
    /// NoUsableFile: every file left out with its reason, sorted by file; empty for other kinds.
    const std::vector<SkippedEntry>& skipped() const { return skipped_; }

private:
    Kind kind_;
    std::vector<SkippedEntry> skipped_;
};

} // namespace continuo::training
