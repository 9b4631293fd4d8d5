#pragma once
// A private JACK server with the dummy driver (no sound card), started and stopped by tests and the
// benchmark so JACK MIDI timing can be measured anywhere. Not used by the studio.

#include <chrono>
#include <string>
#include <sys/types.h>

namespace continuo::playback {

class JackServerProcess {
public:
    struct Options {
        std::string name; ///< server name; empty: "continuo-<program>-<n>" (+ "-<pid>" if that one is live)
        int sampleRate = 48000; ///< Hz
        int period = 256;       ///< frames per cycle (a power of two, 16–4096)
        std::string jackd = "jackd";
        std::chrono::milliseconds timeout{15000}; ///< to wait for the server to accept clients
    };

    /// Runs `jackd -S -t 5000 -n NAME --no-realtime -d dummy -r RATE -p PERIOD` and returns once a client can
    /// connect (polled every 10 ms, not slept). Throws PlaybackError(ServerFailed) with jackd's last
    /// output when it exits or does not answer in time.
    explicit JackServerProcess(const Options& options);
    JackServerProcess()
        : JackServerProcess(Options{}) {}
    /// SIGTERM, then SIGKILL if it has not exited within 5 s. The server also gets SIGTERM if the thread
    /// that constructed this object dies (PR_SET_PDEATHSIG), so construct it on a long-lived thread.
    ~JackServerProcess();
    JackServerProcess(const JackServerProcess&) = delete;
    JackServerProcess& operator=(const JackServerProcess&) = delete;

    const std::string& name() const { return name_; }
    int sampleRate() const { return sampleRate_; }
    int period() const { return period_; }
    pid_t pid() const { return pid_; }

    /// True when a client can connect to the server `name` (never starts one). A few milliseconds.
    static bool isRunning(const std::string& name);

private:
    std::string name_;
    std::string logPath_;
    int sampleRate_;
    int period_;
    pid_t pid_ = -1;
};

} // namespace continuo::playback
