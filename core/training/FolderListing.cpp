#include "training/internal/FolderListing.h"

#include "music/MidiFileNames.h"

#include "modelfile/Sha256.h"
#include "training/JobError.h"

#include <algorithm>

namespace continuo::training {
namespace fs = std::filesystem;

FolderListing listFolder(const fs::path& dir) {
    using Kind = JobError::Kind;
    std::error_code ec;
    if (dir.empty() || !fs::is_directory(dir, ec))
        throw JobError(Kind::UnreadableFolder,
                       "The folder " + dir.string() + " does not exist or is not a folder.");
    // The folder itself must open (skip_permission_denied below would make a locked folder look empty).
    fs::directory_iterator top(dir, ec);
    if (ec)
        throw JobError(Kind::UnreadableFolder,
                       "The folder " + dir.string() + " cannot be read (" + ec.message() + ").");
    FolderListing r;
    fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
    if (ec)
        throw JobError(Kind::UnreadableFolder,
                       "The folder " + dir.string() + " cannot be read (" + ec.message() + ").");
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_regular_file(ec)) r.files.push_back(it->path());
    }
    std::sort(r.files.begin(), r.files.end());
    if (r.files.empty())
        throw JobError(Kind::EmptyFolder, "The folder " + dir.string() + " is empty: put MIDI files (" +
                                              music::midiExtensionsText() + ") in it.");
    std::string text;
    for (const fs::path& f : r.files) {
        std::error_code e1, e2;
        const auto size = fs::file_size(f, e1);
        const auto time = fs::last_write_time(f, e2);
        text += f.string() + '\n' + std::to_string(e1 ? 0 : size) + ' ' +
                std::to_string(e2 ? 0 : time.time_since_epoch().count()) + '\n';
    }
    r.fingerprint = model::toHex(model::sha256(text));
    return r;
}

} // namespace continuo::training
