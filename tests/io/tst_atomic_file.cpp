// io/AtomicFile, the one writer every file goes through (issue 20, item 4): the target holds its old
// content or the whole new one, never half; a failure says which file and why (disk full, permission,
// missing folder, a folder in the way) and leaves no temporary file behind.
//
// The tests run as root on the build machines, where a read-only folder still takes files: the test drops
// CAP_DAC_OVERRIDE from its own effective set for that case (and takes it back), and stands a full disk in
// with RLIMIT_FSIZE (EFBIG, which the writer counts as a full disk like ENOSPC).

#include "io/AtomicFile.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <fstream>
#include <linux/capability.h>
#include <sstream>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

using namespace continuo;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

void writePlain(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
}

/// The names in `dir`, hidden ones included (a leftover temporary file starts with a dot).
QStringList entries(const fs::path& dir) {
    return QDir(QString::fromStdString(dir.string()))
        .entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

/// Without CAP_DAC_OVERRIDE (and CAP_DAC_READ_SEARCH) in the effective set while it lives, so that
/// permissions apply to root too. The capabilities stay permitted and come back at the end.
class WithoutDacOverride {
public:
    WithoutDacOverride() {
        if (::geteuid() != 0) return;
        header_.version = _LINUX_CAPABILITY_VERSION_3;
        if (::syscall(SYS_capget, &header_, saved_) != 0) return;
        __user_cap_data_struct reduced[2] = {saved_[0], saved_[1]};
        const unsigned drop = (1u << CAP_DAC_OVERRIDE) | (1u << CAP_DAC_READ_SEARCH);
        reduced[0].effective &= ~drop;
        ok_ = ::syscall(SYS_capset, &header_, reduced) == 0;
        dropped_ = ok_;
    }
    ~WithoutDacOverride() {
        if (dropped_) ::syscall(SYS_capset, &header_, saved_);
    }
    /// False only when root could not drop the capability.
    bool ok() const { return ::geteuid() != 0 || ok_; }

private:
    __user_cap_header_struct header_{};
    __user_cap_data_struct saved_[2]{};
    bool ok_ = false;
    bool dropped_ = false;
};

/// Files may grow to `bytes` at most while it lives; writing past that fails with EFBIG (SIGXFSZ ignored).
class FileSizeLimit {
public:
    explicit FileSizeLimit(rlim_t bytes) {
        ::getrlimit(RLIMIT_FSIZE, &saved_);
        oldHandler_ = std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit = saved_;
        limit.rlim_cur = bytes;
        ok_ = ::setrlimit(RLIMIT_FSIZE, &limit) == 0;
    }
    ~FileSizeLimit() {
        ::setrlimit(RLIMIT_FSIZE, &saved_);
        std::signal(SIGXFSZ, oldHandler_);
    }
    bool ok() const { return ok_; }

private:
    rlimit saved_{};
    void (*oldHandler_)(int) = nullptr;
    bool ok_ = false;
};

} // namespace

class TestAtomicFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        tmp_ = std::make_unique<QTemporaryDir>();
        dir_ = tmp_->path().toStdString();
    }

    void writesAndReplacesLeavingNoTemporary() {
        const fs::path file = dir_ / "song.mid";
        io::writeFileAtomically(file, "old");
        QCOMPARE(readAll(file), std::string("old"));
        io::writeFileAtomically(file, "new and longer");
        QCOMPARE(readAll(file), std::string("new and longer"));
        QCOMPARE(entries(dir_), QStringList{"song.mid"});
        // A name with no folder writes in the current one.
        const fs::path before = fs::current_path();
        fs::current_path(dir_);
        io::writeFileAtomically("bare.txt", "x");
        fs::current_path(before);
        QCOMPARE(readAll(dir_ / "bare.txt"), std::string("x"));
    }

    /// Streamed in pieces larger and smaller than the buffer, a header patched at the end: the target
    /// shows nothing of it until commit, then all of it.
    void streamsAndPatchesTheHeader() {
        const fs::path file = dir_ / "take.wav";
        writePlain(file, "previous");
        std::string expected;
        {
            io::AtomicFile f(file);
            f.write("HEAD0000");
            expected = "HEAD0000";
            for (int i = 0; i < 40; ++i) {
                const std::string piece(std::size_t(1 + i * 7919 % 100'000), char('a' + i % 26));
                f.write(piece);
                expected += piece;
            }
            QCOMPARE(f.size(), std::uint64_t(expected.size()));
            QCOMPARE(readAll(file), std::string("previous")); // still the old file while writing
            f.writeAt(4, "1234", 4);
            expected.replace(4, 4, "1234");
            QVERIFY_THROWS_EXCEPTION(std::logic_error, f.writeAt(expected.size() - 2, "xyz", 3));
            f.commit();
            QVERIFY_THROWS_EXCEPTION(std::logic_error, f.write("late"));
        }
        QCOMPARE(readAll(file), expected);
        QCOMPARE(entries(dir_), QStringList{"take.wav"});
    }

    void abandonedWriteLeavesTheOldFile() {
        const fs::path file = dir_ / "project.continuo";
        writePlain(file, "saved work");
        {
            io::AtomicFile f(file);
            f.write(std::string(200'000, 'x'));
        } // no commit: a cancelled export, an exception on the way
        QCOMPARE(readAll(file), std::string("saved work"));
        QCOMPARE(entries(dir_), QStringList{"project.continuo"});
    }

    /// A full disk (EFBIG stands in for ENOSPC): the old file is whole, the message names the target
    /// and starts "the disk is full", the code tells a caller so without reading words.
    void fullDiskLeavesTheOldFileWhole() {
        const fs::path file = dir_ / "model.cmodel";
        const std::string old(10'000, 'o');
        writePlain(file, old);
        try {
            FileSizeLimit limit(50'000);
            QVERIFY(limit.ok());
            io::writeFileAtomically(file, std::string(1'000'000, 'n'));
            QFAIL("a write past the size limit succeeded");
        } catch (const std::system_error& e) {
            QVERIFY(io::isDiskFull(e.code()));
            QCOMPARE(e.code(), std::make_error_code(std::errc::file_too_large));
            QVERIFY2(
                std::string(e.what()).starts_with("the disk is full: cannot write " + file.string() + ": "),
                e.what());
        }
        QCOMPARE(readAll(file), old);
        QCOMPARE(entries(dir_), QStringList{"model.cmodel"});
    }

    void readOnlyFolderFailsAndKeepsTheOldFile() {
        const fs::path folder = dir_ / "locked";
        fs::create_directories(folder);
        const fs::path file = folder / "song.mid";
        writePlain(file, "keep me");
        fs::permissions(folder, fs::perms::owner_read | fs::perms::owner_exec);
        {
            WithoutDacOverride asUser;
            QVERIFY2(asUser.ok(), "root could not drop CAP_DAC_OVERRIDE for this test");
            try {
                io::writeFileAtomically(file, "replaced");
                QFAIL("wrote into a read-only folder");
            } catch (const std::system_error& e) {
                QCOMPARE(e.code(), std::make_error_code(std::errc::permission_denied));
                QCOMPARE(std::string(e.what()), "cannot write " + file.string() + " (its folder " +
                                                    folder.string() +
                                                    " does not take new files): Permission denied");
            }
            QVERIFY_THROWS_EXCEPTION(std::system_error, io::checkWritable(folder / "other.mid"));
        }
        fs::permissions(folder, fs::perms::owner_all);
        QCOMPARE(readAll(file), std::string("keep me"));
        QCOMPARE(entries(folder), QStringList{"song.mid"});
    }

    void missingFolderAndFolderTargetAreNamed() {
        const fs::path missing = dir_ / "nowhere" / "song.mid";
        try {
            io::writeFileAtomically(missing, "x");
            QFAIL("wrote into a missing folder");
        } catch (const std::system_error& e) {
            QCOMPARE(std::string(e.what()), "cannot write " + missing.string() + " (its folder " +
                                                (dir_ / "nowhere").string() +
                                                " does not exist): No such file or directory");
        }
        const fs::path folder = dir_ / "out";
        fs::create_directories(folder / "inside");
        try {
            io::writeFileAtomically(folder, "x");
            QFAIL("wrote over a folder");
        } catch (const std::system_error& e) {
            QCOMPARE(e.code(), std::make_error_code(std::errc::is_a_directory));
            QCOMPARE(std::string(e.what()), "cannot write " + folder.string() +
                                                " (a folder; name the file to write): Is a directory");
        }
        QVERIFY(fs::is_directory(folder / "inside"));
        QCOMPARE(entries(dir_), QStringList{});
    }

    /// A private file stays private when it is replaced (the ofstream writers made it 0644 by the umask).
    void replacingKeepsThePermissions() {
        const fs::path file = dir_ / "private.continuo";
        writePlain(file, "secret");
        fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
        io::writeFileAtomically(file, "still secret");
        QCOMPARE(fs::status(file).permissions() & fs::perms::all,
                 fs::perms::owner_read | fs::perms::owner_write);
        // A new file gets 0666 less the umask.
        const mode_t mask = ::umask(0);
        ::umask(mask);
        io::writeFileAtomically(dir_ / "fresh.txt", "x");
        QCOMPARE(int(fs::status(dir_ / "fresh.txt").permissions() & fs::perms::all), int(0666 & ~mask));
    }

    void leftoverTemporariesAreRemoved() {
        const fs::path file = dir_ / "1234-ab.continuo";
        writePlain(file, "autosave");
        writePlain(dir_ / ".1234-ab.continuo.tmp-99999-1", "half");
        writePlain(dir_ / ".other.continuo.tmp-99999-1", "someone else's");
        io::removeLeftoverTemporaries(file);
        QCOMPARE(entries(dir_), (QStringList{".other.continuo.tmp-99999-1", "1234-ab.continuo"}));
    }

    void diskFullCodes() {
        QVERIFY(io::isDiskFull(std::make_error_code(std::errc::no_space_on_device)));
        QVERIFY(io::isDiskFull(std::make_error_code(std::errc::file_too_large)));
        QVERIFY(io::isDiskFull(std::error_code(EDQUOT, std::generic_category())));
        QVERIFY(!io::isDiskFull(std::make_error_code(std::errc::permission_denied)));
        QVERIFY(!io::isDiskFull(std::error_code()));
    }

private:
    std::unique_ptr<QTemporaryDir> tmp_;
    fs::path dir_;
};

QTEST_GUILESS_MAIN(TestAtomicFile)
#include "tst_atomic_file.moc"
