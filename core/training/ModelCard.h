#pragma once
// The model card written beside a model a training job finished (<name>.md, like resources/models/
// continuo-default.md): where it came from, how it was trained and how it did, for a person to read.

#include "modelfile/ModelFile.h"

#include <filesystem>
#include <string>

namespace continuo::training {

/// Markdown text. `model` is the finished model file (named in the card); `baseModel` the file a fine-tune
/// started from ("" = from scratch); `where` says where it was trained ("the Continuo studio"). Pure: no I/O.
std::string modelCard(const model::ModelMetadata& metadata, const std::filesystem::path& model,
                      const std::filesystem::path& baseModel, const std::string& where);

} // namespace continuo::training
