#include "playback/JackServerProcess.h"

#include "playback/AudioLibraries.h"
#include "playback/PlaybackError.h"

#include <jack/jack.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sstream>
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
        std::this_thread::sleep_for(std::chrono::milliseconds(10)); // polling a child, not synchronising
    }
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
        static std::atomic<int> counter{0};
        name_ = "continuo-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
    }
    if (period_ < 16 || period_ > 4096 || (period_ & (period_ - 1)) != 0) {
        throw PlaybackError(ErrorKind::InvalidArgument, "JACK period must be a power of two, 16–4096");
    }
    logPath_ = (std::filesystem::temp_directory_path() / (name_ + ".jackd.log")).string();

    // -S (synchronous): the server waits for every client each cycle. In the default asynchronous mode a
    // client that the scheduler delays past its cycle has its MIDI output dropped, which on a loaded
    // machine without real-time priority loses notes that were sent in time.
    std::vector<std::string> args = {options.jackd,
                                     "-S",
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

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, logPath_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const int err = posix_spawnp(&pid_, options.jackd.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (err != 0) {
        pid_ = -1;
        throw PlaybackError(ErrorKind::ServerFailed,
                            "cannot run " + options.jackd + ": " + std::strerror(err) + " (install jackd2)");
    }

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
