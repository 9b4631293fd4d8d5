#include "io/AtomicFile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace continuo::io {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kBufferBytes = 64 * 1024;

fs::path folderOf(const fs::path& file) {
    return file.has_parent_path() ? file.parent_path() : fs::path(".");
}

/// Every temporary file of `target` starts so (the constructor adds "<pid>-<random>").
std::string temporaryPrefix(const fs::path& target) {
    return "." + target.filename().string() + ".tmp-";
}

[[noreturn]] void throwCode(int err, const std::string& what) {
    const std::error_code code(err, std::generic_category());
    throw std::system_error(code, isDiskFull(code) ? "the disk is full: " + what : what);
}

/// Why a file cannot be created in `file`'s folder, for the message: the folder's state, as the errno of
/// open() tells it.
std::string whyNotCreated(const fs::path& file, int err) {
    const std::string dir = folderOf(file).string();
    switch (err) {
    case ENOENT:
        return " (its folder " + dir + " does not exist)";
    case ENOTDIR:
        return " (" + dir + " is not a folder)";
    case EACCES:
    case EPERM:
    case EROFS:
        return " (its folder " + dir + " does not take new files)";
    default:
        return "";
    }
}

void throwIfFolder(const fs::path& file) {
    std::error_code ec;
    if (fs::is_directory(file, ec))
        throw std::system_error(std::make_error_code(std::errc::is_a_directory),
                                "cannot write " + file.string() + " (a folder; name the file to write)");
}

/// write(2) until all is written; false with errno set when the disk refuses.
bool writeAll(int fd, const char* data, std::size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= std::size_t(n);
    }
    return true;
}

bool writeAllAt(int fd, const char* data, std::size_t size, std::uint64_t offset) {
    while (size > 0) {
        const ssize_t n = ::pwrite(fd, data, size, off_t(offset));
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        data += n;
        size -= std::size_t(n);
        offset += std::uint64_t(n);
    }
    return true;
}

} // namespace

bool isDiskFull(const std::error_code& code) {
    return code == std::errc::no_space_on_device || code == std::errc::file_too_large ||
           (code.category() == std::generic_category() && code.value() == EDQUOT) ||
           (code.category() == std::system_category() && code.value() == EDQUOT);
}

AtomicFile::AtomicFile(fs::path target)
    : target_(std::move(target)) {
    throwIfFolder(target_);
    std::random_device random;
    temp_ = folderOf(target_) /
            (temporaryPrefix(target_) + std::to_string(::getpid()) + "-" + std::to_string(random()));
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd_ < 0) {
        const int err = errno;
        throwCode(err, "cannot write " + target_.string() + whyNotCreated(target_, err));
    }
    // A replaced file keeps who may read it (a private project stays private), as QSaveFile does.
    struct stat old {};
    if (::stat(target_.c_str(), &old) == 0 && S_ISREG(old.st_mode)) (void)::fchmod(fd_, old.st_mode & 07777);
    buffer_.reserve(kBufferBytes);
}

AtomicFile::~AtomicFile() {
    discard();
}

void AtomicFile::discard() noexcept {
    if (fd_ < 0) return;
    ::close(fd_);
    fd_ = -1;
    ::unlink(temp_.c_str());
}

void AtomicFile::fail(int err, const std::string& what) {
    discard();
    throwCode(err ? err : EIO, what);
}

void AtomicFile::flushBuffer() {
    if (buffer_.empty()) return;
    if (!writeAll(fd_, buffer_.data(), buffer_.size())) fail(errno, "cannot write " + target_.string());
    flushed_ += buffer_.size();
    buffer_.clear();
}

void AtomicFile::write(const void* data, std::size_t size) {
    if (fd_ < 0) throw std::logic_error("AtomicFile: write after commit or failure: " + target_.string());
    const char* bytes = static_cast<const char*>(data);
    if (buffer_.size() + size > kBufferBytes) {
        flushBuffer();
        if (size >= kBufferBytes) {
            if (!writeAll(fd_, bytes, size)) fail(errno, "cannot write " + target_.string());
            flushed_ += size;
            size_ += size;
            return;
        }
    }
    buffer_.insert(buffer_.end(), bytes, bytes + size);
    size_ += size;
}

void AtomicFile::writeAt(std::uint64_t offset, const void* data, std::size_t size) {
    if (fd_ < 0) throw std::logic_error("AtomicFile: write after commit or failure: " + target_.string());
    if (offset + size > size_)
        throw std::logic_error("AtomicFile::writeAt past the end: " + target_.string());
    flushBuffer();
    if (!writeAllAt(fd_, static_cast<const char*>(data), size, offset))
        fail(errno, "cannot write " + target_.string());
}

void AtomicFile::commit() {
    if (fd_ < 0) throw std::logic_error("AtomicFile: commit after commit or failure: " + target_.string());
    flushBuffer();
    // Data first, then the name: a rename that reaches the disk before the data would leave an empty
    // file under the target's name after a power cut.
    if (::fsync(fd_) != 0) fail(errno, "cannot write " + target_.string());
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(temp_.c_str());
        throwCode(err, "cannot write " + target_.string());
    }
    if (::rename(temp_.c_str(), target_.c_str()) != 0) {
        const int err = errno;
        ::unlink(temp_.c_str());
        throwCode(err, "cannot replace " + target_.string());
    }
    // The rename is durable only once the folder is. Some file systems refuse fsync on a folder; the file
    // is in place by then, so that is not an error.
    const int dir = ::open(folderOf(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        (void)::fsync(dir);
        ::close(dir);
    }
}

void writeFileAtomically(const fs::path& file, std::string_view bytes) {
    AtomicFile f(file);
    f.write(bytes);
    f.commit();
}

void checkWritable(const fs::path& file) {
    throwIfFolder(file);
    std::error_code ec;
    const fs::path dir = folderOf(file);
    const fs::file_status folder = fs::status(dir, ec);
    if (!fs::exists(folder))
        throw std::system_error(std::make_error_code(std::errc::no_such_file_or_directory),
                                "cannot write " + file.string() + " (its folder " + dir.string() +
                                    " does not exist)");
    if (!fs::is_directory(folder))
        throw std::system_error(std::make_error_code(std::errc::not_a_directory),
                                "cannot write " + file.string() + " (" + dir.string() + " is not a folder)");
    const fs::path probe = dir / ("." + file.filename().string() + ".probe-" + std::to_string(::getpid()));
    const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        const int err = errno;
        throw std::system_error(std::error_code(err, std::generic_category()),
                                "cannot write " + file.string() + " (its folder " + dir.string() +
                                    " does not take new files)");
    }
    ::close(fd);
    ::unlink(probe.c_str());
}

void removeLeftoverTemporaries(const fs::path& target) {
    const std::string prefix = temporaryPrefix(target);
    std::error_code ec;
    for (fs::directory_iterator it(folderOf(target), ec), end; !ec && it != end; it.increment(ec))
        if (it->path().filename().string().starts_with(prefix)) {
            std::error_code ignored;
            fs::remove(it->path(), ignored);
        }
}

} // namespace continuo::io
