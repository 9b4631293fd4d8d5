#pragma once
// The shipped default model (found by modelfile/DefaultModelLookup.h) as a Composer for the studio: it
// checks the file up front without LibTorch and loads the weights on its first generate() (the engine
// thread), so the GUI thread never runs LibTorch. No LibTorch in this header or its .cpp.

#include "composer/Composer.h"
#include "modelfile/DefaultModelLookup.h"

#include <filesystem>
#include <memory>
#include <string>

namespace continuo::model {

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
