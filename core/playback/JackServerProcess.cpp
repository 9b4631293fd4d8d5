#include "playback/JackServerProcess.h"

#include "playback/AudioLibraries.h"
#include "playback/PlaybackError.h"

#include <jack/jack.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace continuo::playback {

namespace {

std::string tail(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    if (text.size() > 600) text = "…" + text.substr(text.size() - 600);
    for (char& c : text) {
        if (c == '\n') c = ' ';
    }
    return text;
}

bool waitExited(pid_t pid, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        int status = 0;
        const pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid || r < 0) return true;
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10)); // polling a child with a deadline
    }
}

std::string findExecutable(const std::string& name) {
    if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : std::string();
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
        if (access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return {};
}

} // namespace

bool JackServerProcess::isRunning(const std::string& name) {
    initAudioLibraries();
    jack_status_t status{};
    jack_client_t* c = jack_client_open("continuo-probe", jack_options_t(JackNoStartServer | JackServerName),
                                        &status, name.c_str());
    if (!c) return false;
    jack_client_close(c);
    return true;
}

JackServerProcess::JackServerProcess(const Options& options)
    : name_(options.name)
    , sampleRate_(options.sampleRate)
    , period_(options.period) {
    if (name_.empty()) {
        // The program's name and a per-process count, not the pid: JACK frees the registry slot of a server
        // that was killed (SIGKILL: no clean-up) only when a server of the same name starts again, and it
        // has 8 slots. A name that repeats across runs of one test program reclaims its own slot. Only when
        // that name is live (the same program running twice at once) does the pid make it unique.
        static std::atomic<int> counter{0};
        const int n = counter++;
        name_ = std::string("continuo-") + program_invocation_short_name + "-" + std::to_string(n);
        if (isRunning(name_)) name_ += "-" + std::to_string(getpid());
    }
    if (period_ < 16 || period_ > 4096 || (period_ & (period_ - 1)) != 0) {
        throw PlaybackError(ErrorKind::InvalidArgument, "JACK period must be a power of two, 16–4096");
    }
    const std::string exe = findExecutable(options.jackd);
    if (exe.empty()) {
        throw PlaybackError(ErrorKind::ServerFailed,
                            "cannot run " + options.jackd + ": not found (install jackd2)");
    }
    logPath_ = (std::filesystem::temp_directory_path() / (name_ + ".jackd.log")).string();

    // -S (synchronous) with a long client timeout (-t, ms): the server waits for every client each cycle.
    // By default a client that the scheduler delays past a timeout of about one period is skipped, and
    // its MIDI for that cycle is lost or read twice downstream: on a loaded machine without real-time
    // priority that happens to notes sent in time.
    std::vector<std::string> args = {exe,
                                     "-S",
                                     "-t",
                                     "5000",
                                     "-n",
                                     name_,
                                     "--no-realtime",
                                     "-d",
                                     "dummy",
                                     "-r",
                                     std::to_string(sampleRate_),
                                     "-p",
                                     std::to_string(period_)};
    std::vector<char*> argv;
    for (std::string& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);

    const int logFd = open(logPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    const int nullFd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    const pid_t parent = getpid();
    // fork + exec rather than posix_spawn, for PR_SET_PDEATHSIG: a test that crashes takes its server with
    // it instead of leaving jackd running. Only async-signal-safe calls in the child.
    pid_ = fork();
    if (pid_ == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) _exit(127);
        dup2(nullFd, 0);
        dup2(logFd, 1);
        dup2(logFd, 2);
        execve(exe.c_str(), argv.data(), environ);
        _exit(127);
    }
    const int forkErrno = errno;
    if (logFd >= 0) close(logFd);
    if (nullFd >= 0) close(nullFd);
    if (pid_ < 0)
        throw PlaybackError(ErrorKind::ServerFailed, "cannot run " + exe + ": " + std::strerror(forkErrno));

    const auto deadline = std::chrono::steady_clock::now() + options.timeout;
    while (!isRunning(name_)) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            throw PlaybackError(ErrorKind::ServerFailed, "jackd exited at start: " + tail(logPath_));
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            const std::string log = tail(logPath_);
            kill(pid_, SIGKILL);
            waitExited(pid_, std::chrono::milliseconds(2000));
            pid_ = -1;
            throw PlaybackError(ErrorKind::ServerFailed, "jackd did not answer in time: " + log);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10)); // polling with a deadline
    }
}

JackServerProcess::~JackServerProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
        if (!waitExited(pid_, std::chrono::milliseconds(5000))) {
            kill(pid_, SIGKILL);
            waitExited(pid_, std::chrono::milliseconds(2000));
        }
    }
    std::error_code ec;
    std::filesystem::remove(logPath_, ec);
}

} // namespace continuo::playback
