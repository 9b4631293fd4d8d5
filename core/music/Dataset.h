#pragma once
// Training data from folders of MIDI files: token streams split by file into train and validation,
// windows for next-token prediction at every position, transposition augmentation, and a cache keyed by
// the files' content and the tokenizer settings.
//
// For a trainer (LibTorch or other): each split holds one contiguous std::vector<std::int32_t> of tokens
// (streams back to back, each BOS … EOS) and the start offsets of its windows. Window w is
//     inputs  = tokens[windowStarts[w]     .. windowStarts[w] + L)
//     targets = tokens[windowStarts[w] + 1 .. windowStarts[w] + L + 1)
// and never crosses from one stream into the next, so a batch is B offsets and two strided copies (or
// torch::from_blob on tokens + index arithmetic).

#include "music/Tokenizer.h"
#include "music/TokenizerSettings.h"

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace continuo::music {

struct DatasetOptions {
    TokenizerSettings tokenizer;
    /// L, tokens per window, 1–1,000,000. A stream shorter than L + 1 tokens gives no window; a file whose
    /// streams are all that short is skipped as "too short".
    int window = 100;
    /// Tokens between consecutive window starts, ≥ 1; 0 = window / 2 (each token is seen in about two
    /// windows, with different context). The last window of a stream always ends at its end.
    int stride = 0;
    /// Share of the usable files held out for validation, 0–0.9. With two or more usable files and a share
    /// above 0, at least one file goes to each side.
    double validationShare = 0.1;
    /// The split: a file's side depends only on this seed and its path below its folder.
    std::uint64_t seed = 1;
    /// Transposition augmentation of the training split, in semitones (both ends included, low ≤ 0 ≤
    /// high). A transposition that would take a pitch outside 0–127 is left out for that stream. The
    /// validation split is never transposed.
    int transposeLow = -5;
    int transposeHigh = 6;
    bool useCache = true;
    /// Where cache files go; empty: defaultCacheDir().
    std::filesystem::path cacheDir;
    /// Worker threads for reading and encoding files; 0 = the hardware's (at most 8).
    int threads = 0;
};

enum class SkipReason {
    Unreadable,     ///< the file cannot be read or is not a MIDI file the reader accepts
    NoMelodicNotes, ///< no notes outside the drum channel
    TooShort,       ///< every stream is shorter than window + 1 tokens
    Duplicate       ///< the same bytes as a file listed earlier (kept out so no file is in both splits)
};
const char* skipReasonName(SkipReason reason); ///< "unreadable", "no melodic notes", "too short", "duplicate"

struct SkippedFile {
    std::filesystem::path file;
    SkipReason reason = SkipReason::Unreadable;
    std::string detail; ///< one sentence: the reader's message, the token count, the file it duplicates
};

struct DatasetSplit {
    std::vector<std::int32_t> tokens; ///< every stream of the split, back to back
    /// The network's inputs at each token when the encoding has more than the token per step (the bar
    /// encoding: Tokenizer::stepInputs), inputsPerStep ids per token, aligned with `tokens`; else empty.
    std::vector<std::int32_t> inputs;
    int inputsPerStep = 1;
    std::vector<std::int64_t> streamStarts;    ///< offset of each stream in tokens, then tokens.size()
    std::vector<std::int64_t> windowStarts;    ///< see the header comment
    std::vector<std::int32_t> streamFile;      ///< index into `files` of each stream
    std::vector<std::int32_t> streamTranspose; ///< semitones each stream was transposed by
    std::vector<std::filesystem::path> files;  ///< the split's files, sorted
    std::uint64_t notes = 0;                   ///< notes of the untransposed streams
    std::uint64_t untransposedTokens = 0;      ///< tokens of the untransposed streams

    std::size_t windowCount() const { return windowStarts.size(); }
    std::size_t streamCount() const { return streamStarts.empty() ? 0 : streamStarts.size() - 1; }
    /// The L + 1 tokens of window w (inputs: the first L, targets: the last L). w < windowCount().
    std::span<const std::int32_t> window(std::size_t w, int length) const {
        return {tokens.data() + windowStarts[w], std::size_t(length) + 1};
    }
};

struct DatasetStats {
    std::size_t filesFound = 0;
    std::size_t filesUsable = 0;
    std::uint64_t notes = 0;         ///< melodic notes encoded from the usable files (untransposed)
    std::uint64_t tokens = 0;        ///< tokens of the usable files' streams (untransposed)
    std::uint64_t clampedTokens = 0; ///< of those, DURs clamped to D and rests shortened to maxRest
    std::size_t filesFromCache = 0;  ///< files whose tokens came from the cache
    std::size_t filesParsed = 0;     ///< files read and encoded in this build
    bool cacheWritten = false;
    std::filesystem::path cacheFile; ///< empty when the cache is off
    int threads = 1;
    double seconds = 0; ///< wall time of buildDataset
    double clampedShare() const { return tokens ? double(clampedTokens) / double(tokens) : 0.0; }
};

struct Dataset {
    TokenizerSettings tokenizer;
    std::int32_t vocabSize = 0;
    std::int32_t inputVocab = 0; ///< Tokenizer::inputVocab
    int inputsPerStep = 1;       ///< Tokenizer::inputsPerStep
    int window = 100;
    DatasetSplit train;               ///< transposed as the options say
    DatasetSplit validation;          ///< untransposed
    std::vector<SkippedFile> skipped; ///< in file order
    DatasetStats stats;
};

/// A folder that does not exist, options out of range, or nothing usable (the message then names the
/// folder and counts the reasons, and skipped() lists every file with its reason, as Dataset::skipped would).
class DatasetError : public std::runtime_error {
public:
    explicit DatasetError(const std::string& message, std::vector<SkippedFile> skipped = {})
        : std::runtime_error(message)
        , skipped_(std::move(skipped)) {}
    /// The files left out, in file order; empty unless the error is "nothing usable".
    const std::vector<SkippedFile>& skipped() const { return skipped_; }

private:
    std::vector<SkippedFile> skipped_;
};

/// Builds the dataset from the MIDI files below `roots` (recursive; isMidiFileName, MidiFileNames.h). A file
/// that cannot be used is listed in `skipped` with its reason and never stops the build. Deterministic:
/// the same files and options give the same dataset, cached or not. Throws DatasetError (see above).
Dataset buildDataset(const std::vector<std::filesystem::path>& roots, const DatasetOptions& options = {});
Dataset buildDataset(const std::filesystem::path& root, const DatasetOptions& options = {});

/// $XDG_CACHE_HOME/continuo/corpus, else $HOME/.cache/continuo/corpus, else a folder in the temp dir.
std::filesystem::path defaultCacheDir();

} // namespace continuo::music
