#pragma once
// The model file: one self-describing file holding what a model is and its weights.
//
//     "CONTMODL" (8 bytes) · format version (u32 LE) · section count (u32 LE)
//     per section: tag (4 ASCII bytes) · length (u64 LE) · SHA-256 of the bytes (32) · the bytes
//
// Sections: META (JSON: tokenizer settings string, architecture, training config and summary), WGHT (the
// weights as a LibTorch archive), and for a file that can be resumed TRST (trainer state, JSON) and OPTM
// (optimizer state, LibTorch archive). Every section's checksum is verified before any byte of it is
// parsed, so a corrupt or truncated file is refused here and never reaches LibTorch's loader. No LibTorch in
// this header or its .cpp.

#include "io/AtomicFile.h"
#include "modelfile/ModelConfig.h"
#include "music/TokenizerSettings.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

namespace continuo::model {

inline constexpr std::uint32_t kModelFormatVersion = 1;

/// Why a model file was refused. what() is one sentence naming the file.
class ModelFileError : public std::runtime_error {
public:
    enum class Kind {
        Unreadable,         ///< missing, a folder, or an I/O error
        NotAModel,          ///< empty, zero bytes, or no magic: not a Continuo model
        Truncated,          ///< ends inside the header or a section
        Corrupt,            ///< a checksum, the metadata or the weights archive do not check out
        UnsupportedVersion, ///< written by another (newer) format version
        TokenizerMismatch   ///< trained for other tokenizer settings than the caller needs
    };
    ModelFileError(Kind kind, const std::string& message)
        : std::runtime_error(message)
        , kind_(kind) {}
    Kind kind() const { return kind_; }

private:
    Kind kind_;
};
const char* modelFileErrorName(ModelFileError::Kind kind); ///< "corrupt", "truncated", …

/// What a training run did; the model file carries it and `continuo-cli info` prints it.
struct TrainingSummary {
    std::string preset;     ///< preset the run started from ("" = custom)
    std::string corpusHash; ///< SHA-256 hex of the corpus (MANIFEST.tsv, else the token data)
    std::string corpusPath; ///< the --data folder as given
    std::uint64_t trainFiles = 0;
    std::uint64_t validationFiles = 0;
    std::uint64_t trainTokens = 0; ///< with augmentation
    std::uint64_t validationTokens = 0;
    int epochs = 0;            ///< epochs completed
    std::int64_t steps = 0;    ///< optimizer steps
    double trainLoss = 0;      ///< mean cross-entropy (nats/token) of the last completed epoch
    double validationLoss = 0; ///< of the last completed epoch
    double bestValidationLoss = 0;
    std::vector<double> trainLosses;      ///< per epoch
    std::vector<double> validationLosses; ///< per epoch; −1 = no validation data
    std::string stoppedBy;       ///< "epochs", "early stopping", "cancelled", "time limit", "" = running
    std::string device;          ///< "cpu (2 threads)", "cuda (bf16 autocast)"
    double seconds = 0;          ///< training wall time, all sessions together
    double targetsPerSecond = 0; ///< of the last session
    std::string date;            ///< UTC, ISO 8601, when the file was written
};

struct ModelMetadata {
    std::uint32_t formatVersion = kModelFormatVersion;
    music::TokenizerSettings tokenizer;
    ModelConfig model;
    TrainConfig train;
    TrainingSummary training;
    std::int64_t parameters = 0;
};

/// Metadata as JSON text (the META section) and back. fromJson throws ModelFileError(Corrupt) naming the
/// first missing or malformed field.
std::string metadataToJson(const ModelMetadata& metadata);
ModelMetadata metadataFromJson(const std::string& json, const std::string& fileForErrors);

/// A parsed file: its metadata and its raw (checked) sections.
struct ModelFileContents {
    ModelMetadata metadata;
    std::map<std::string, std::string> sections; ///< tag → bytes (META included)
};

/// Reads and checks a file. `expectTokenizer`: refuse a model trained for other settings. Throws
/// ModelFileError, never anything else for bad bytes.
ModelFileContents readModelFile(const std::filesystem::path& file,
                                const std::optional<music::TokenizerSettings>& expectTokenizer = {});
/// The same from bytes in memory (`name` only for messages).
ModelFileContents parseModelFile(const std::string& bytes, const std::string& name,
                                 const std::optional<music::TokenizerSettings>& expectTokenizer = {});

/// Serializes sections (META is made from `metadata`; other tags as given, in tag order).
std::string buildModelFile(const ModelMetadata& metadata, const std::map<std::string, std::string>& sections);

/// Model files and cards are written by the one atomic writer (io/AtomicFile.h: temporary file, fsync,
/// rename, folder fsync; std::system_error naming the file, "the disk is full: …" for ENOSPC, EDQUOT,
/// EFBIG), and checked for writability before training by its checkWritable. Named here for the model
/// code's callers.
using io::checkWritable;
using io::isDiskFull;
using io::writeFileAtomically;

/// Now as "2024-05-01T12:00:00Z".
std::string utcNow();

} // namespace continuo::model
