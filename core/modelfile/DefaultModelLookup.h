#pragma once
// Where the shipped default model is looked for. No LibTorch: the studio's settings and a build without the
// engine list it too. The Composer that runs it is model/DefaultModel.h.

#include <filesystem>
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

} // namespace continuo::model
