#pragma once
// The models the studio can choose from: the shipped default plus every .cmodel file in the user's models
// folder, each with its model card read from the file's metadata (no LibTorch), and importing / removing a
// user model. A broken file is listed with its problem, never hidden, so the user can see and remove it.
//
// Thread contract: plain functions with no shared state; they read and write files, so the studio calls
// them off the GUI thread (except removeModel, one unlink). Safe to call from several threads on different
// folders; two imports into the same folder at the same instant may pick the same free name (the later
// rename wins) — the studio runs one import at a time.

#include "modelfile/ModelFile.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace continuo::model {

inline constexpr const char* kModelExtension = ".cmodel";

/// One line of a model card: what it is ("Corpus", "Validation loss") and its value as shown.
struct ModelCardLine {
    std::string label;
    std::string value;
};

struct ModelEntry {
    std::filesystem::path path;
    std::string displayName;               ///< "Shipped default (compact)" or the file's stem
    bool builtIn = false;                  ///< the shipped default: never removed
    std::optional<ModelMetadata> metadata; ///< set when the file checked out
    std::string problem;                   ///< one sentence when the file cannot be used, else ""
    bool usable() const { return problem.empty(); }
};

/// The card of a model, in display order: corpus (path and SHA-256), date, preset, architecture, epochs,
/// training and validation loss, parameters, tokenizer encoding (and its full settings), device, time.
std::vector<ModelCardLine> modelCard(const ModelMetadata& metadata);

/// Checks one file fully (every section checksum, the metadata, the vocabulary against its tokenizer) and
/// describes it. Never throws: a bad file comes back with `problem` set.
ModelEntry inspectModel(const std::filesystem::path& file, bool builtIn);

/// The shipped default (first, when `defaultModel` is not empty; a missing file is listed with its problem)
/// then every regular file ending in .cmodel in `userDir`, sorted by name. A missing `userDir` is an empty
/// folder. Never throws.
std::vector<ModelEntry> listModels(const std::filesystem::path& userDir,
                                   const std::filesystem::path& defaultModel);

/// Copies `source` into `userDir` (created if needed) after checking it as inspectModel does: the bytes
/// checked are the bytes written, atomically (temporary file + rename), under the source's name or, when
/// that is taken, "<stem>-2.cmodel", "-3", …. Returns the new file. Throws ModelFileError (the one-sentence
/// reason) for a file that does not check out and std::runtime_error when the copy cannot be written; the
/// source is never modified.
std::filesystem::path importModel(const std::filesystem::path& source, const std::filesystem::path& userDir);

/// Deletes a user model. Throws std::runtime_error (one sentence) for the built-in model, a file outside
/// `userDir`, or a failed delete.
void removeModel(const std::filesystem::path& file, const std::filesystem::path& userDir,
                 const std::filesystem::path& defaultModel);

} // namespace continuo::model
