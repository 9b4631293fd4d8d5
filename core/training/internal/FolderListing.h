#pragma once
// The files below a corpus folder, or the reason the folder cannot be used (JobError), with a fingerprint
// that changes when a file is added, removed, resized or rewritten: the kept dataset is reused only while
// it is the same.

#include <filesystem>
#include <string>
#include <vector>

namespace continuo::training {

struct FolderListing {
    std::vector<std::filesystem::path> files; ///< regular files, sorted; never empty
    std::string fingerprint;                  ///< SHA-256 hex of every path, size and modification time
};

/// Throws JobError UnreadableFolder (missing, not a folder, no permission to list it) or EmptyFolder.
/// Subfolders that cannot be listed are passed over.
FolderListing listFolder(const std::filesystem::path& dir);

} // namespace continuo::training
