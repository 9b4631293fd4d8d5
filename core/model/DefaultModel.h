#pragma once
// The shipped default model: where it is looked for, and a Composer for the studio that checks the file
// up front without LibTorch and loads the weights on its first generate() (the engine thread), so the GUI
// thread never runs LibTorch. No LibTorch in this header or its .cpp.

#include "model/Composer.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace continuo::model {

inline constexpr const char* kDefaultModelFileName = "continuo-default.cmodel";
/// Environment variable naming the default model file; when set, it is the only place looked at.
inline constexpr const char* kDefaultModelEnv = "CONTINUO_DEFAULT_MODEL";

/// Where the default model may be, in order: $CONTINUO_DEFAULT_MODEL alone when set; else
/// <exe>/../share/continuo/models/ (an installed prefix), the configured install data dir,
/// <exe>/../../resources/models/ and <source>/resources/models/ (build trees).
std::vector<std::filesystem::path> defaultModelCandidates();

/// The first candidate that is a regular file, or an empty path; `looked` (if given) receives the
/// candidates tried, comma-separated, for messages.
std::filesystem::path findDefaultModel(std::string* looked = nullptr);

struct DefaultComposer {
    std::shared_ptr<Composer> composer; ///< null when the model is missing or broken
    std::filesystem::path file;         ///< the file found (empty when none)
    std::string problem;                ///< one sentence when composer is null, else ""
};

/// Finds the default model and checks it (checksums, metadata, tokenizer; no LibTorch). The Composer it
/// returns loads the weights on `device` at its first generate(), on the calling thread; a load failure
/// there is thrown as std::runtime_error (one sentence) like any generation error. Never throws.
DefaultComposer openDefaultComposer(const std::string& device = "cpu");

/// The same for a given file (tests, --model): checked now, loaded on first use. Never throws.
DefaultComposer openComposerDeferred(const std::filesystem::path& file, const std::string& device = "cpu");

} // namespace continuo::model
