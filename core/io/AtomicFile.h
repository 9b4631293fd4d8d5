#pragma once
// The one way Continuo writes a file: into a temporary file in the target's folder, flushed to the disk
// (fsync), renamed over the target, and the folder flushed too, so that after a crash, a power cut or a
// failed write the target holds either its old content or the whole new one, never half of it. Every writer
// goes through here: projects and the autosave, MIDI export, WAV export, model files and cards, the corpus
// cache.
//
// Errors are std::system_error carrying errno's code (so a caller can tell a full disk from a permission
// problem without reading words), with a message that names the target file and says what went wrong:
//   "cannot write /m/song.mid (its folder /m does not take new files): Permission denied"
//   "the disk is full: cannot write /m/song.mid: No space left on device"   (ENOSPC, EDQUOT, EFBIG)
//   "cannot write /m/song.mid (a folder; name the file to write): Is a directory"
//   "cannot replace /m/song.mid: …"                                        (the final rename)
// After any error the target is as it was and the temporary file is gone.
//
// Thread contract: an AtomicFile belongs to one thread at a time; different files may be written from
// different threads at once.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace continuo::io {

/// True for the codes of a full disk: ENOSPC, EDQUOT and EFBIG (a file over the size limit). The one rule
/// for "the disk is full" messages.
bool isDiskFull(const std::error_code& code);

class AtomicFile {
public:
    /// Creates the temporary file ".<name>.tmp-<pid>-<random>" beside `target`, with the target's
    /// permissions when it exists (else 0666 less the umask). Throws std::system_error (see above): the
    /// target is a folder, its folder is missing or takes no new file.
    explicit AtomicFile(std::filesystem::path target);
    /// Without commit(): removes the temporary file; the target is left as it was.
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// Appends `size` bytes. Throws std::system_error; the object is then finished (a later write or
    /// commit throws std::logic_error).
    void write(const void* data, std::size_t size);
    void write(std::string_view bytes) { write(bytes.data(), bytes.size()); }
    /// Overwrites bytes already written, at `offset` from the start (a header whose sizes are known only
    /// at the end). offset + size must not pass what was written (std::logic_error). Throws as write().
    void writeAt(std::uint64_t offset, const void* data, std::size_t size);
    /// Bytes written so far.
    std::uint64_t size() const { return size_; }

    /// Flushes the data to the disk, renames the temporary file over the target and flushes the folder.
    /// Throws std::system_error; the target is then as it was.
    void commit();

    const std::filesystem::path& target() const { return target_; }

private:
    void flushBuffer();
    [[noreturn]] void fail(int err, const std::string& what);
    void discard() noexcept;

    std::filesystem::path target_;
    std::filesystem::path temp_;
    int fd_ = -1;
    std::vector<char> buffer_; ///< pending bytes, so that many small writes make few system calls
    std::uint64_t size_ = 0;   ///< bytes written, buffered ones included
    std::uint64_t flushed_ = 0;
};

/// The whole file in one call: AtomicFile(file).write(bytes), commit().
void writeFileAtomically(const std::filesystem::path& file, std::string_view bytes);

/// Whether a file can be written at `file`, asked before hours of work rather than after: `file` is not a
/// folder, its folder exists and takes a new file (one is created and removed). Throws std::system_error
/// as above, e.g. "cannot write m/out.cmodel (its folder m does not take new files): Permission denied" or
/// "… (its folder m does not exist): No such file or directory".
void checkWritable(const std::filesystem::path& file);

/// Removes the temporary files that writers of `target` left beside it when their process died mid-write
/// (".<name>.tmp-*"). Only for a caller that knows no writer of `target` is running (the autosave owns its
/// file through a lock). Errors are ignored: a leftover is litter, not a failure.
void removeLeftoverTemporaries(const std::filesystem::path& target);

} // namespace continuo::io
