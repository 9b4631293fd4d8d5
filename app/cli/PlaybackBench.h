#pragma once
// The playback benchmark: offline render speed of a 60-second song, and the timing of note events as a
// JACK receiver sees them when the Player drives a JACK MIDI port.

#include <nlohmann/json.hpp>

#include <string>

namespace continuo::cli {

struct PlaybackBenchOptions {
    int repetitions = 3;     ///< render repetitions (the median is reported)
    std::string soundFont;   ///< empty: the default lookup
    double songSeconds = 60; ///< length of the rendered song
    int jackPeriod = 256;    ///< frames per JACK cycle of the private dummy server (48 kHz)
    int jitterNotes = 240;   ///< notes played to the JACK receiver
    bool withJack = true;
};

/// Runs the benchmark and returns its figures; prints progress to stderr. A part that cannot run here
/// (no jackd) reports {"skipped": reason} instead of figures.
nlohmann::json runPlaybackBench(const PlaybackBenchOptions& options);

} // namespace continuo::cli
