#pragma once
// The model card written beside a model the studio trained (<name>.md, like resources/models/
// continuo-default.md): where it came from, how it was trained and how it did, for a person to read.

#include "modelfile/ModelFile.h"
#include "ui/retrain/ITrainingBackend.h"

#include <filesystem>
#include <string>

namespace continuo::app {

/// Markdown text. `model` is the finished model file (named in the card). Pure: no I/O.
std::string trainingCard(const ui::retrain::TrainingSetup& setup, const model::ModelMetadata& metadata,
                         const std::filesystem::path& model);

} // namespace continuo::app
