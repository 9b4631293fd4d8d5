#pragma once
// Which step-kernel path runs the decoding step: the one that is fastest on this CPU, measured, not the one
// with the newest instructions. On a Zen 4 the row-major AVX-512 kernel took 1.38 ms per step of 8 where
// AVX2 took 0.99 ms (issue 19): how wide the registers are says little about how fast a product streams
// its weights. No LibTorch here.

#include "kernels/StepKernels.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace continuo::model {

/// One path's time on the product that was measured.
struct PathTiming {
    StepPath path = StepPath::Portable;
    double milliseconds = 0; ///< median of the timed runs, batch 1 and batch 8 together
};

struct PathChoice {
    StepPath path = StepPath::Portable;
    std::vector<PathTiming> timings; ///< every vector path timed, fastest first (empty: nothing to choose)
    bool fromCache = false;          ///< read from this machine's cache file rather than timed now
    std::string why; ///< one line: "avx2: 0.41 ms against avx512 0.52 ms on a 2048 × 1024 …"
};

/// The fastest available path for a product of `rows` × `cols` weights (rows, cols ≥ 1), the decoding
/// step's largest. The vector paths this CPU has are timed once on random weights of that shape, at batch 1
/// and batch 8, 7 runs each after a warm-up (a few milliseconds for the seed preset's shapes); the portable
/// path is chosen only when no vector path exists. The answer is remembered for the process and in
/// `cacheFile` (one line per CPU model and shape; empty path: no file), so later runs on this machine skip
/// the timing. A stale or unreadable cache file is ignored and rewritten. Thread-safe.
/// CONTINUO_STEP_PATH=avx512|avx2|portable in the environment overrides the choice (when available).
/// `timePortable`: time the portable path too (it is never the fastest where a vector path exists; the
/// tests use it to exercise the timing on a CPU with a single vector path).
PathChoice chooseStepPath(std::int64_t rows, std::int64_t cols, const std::filesystem::path& cacheFile,
                          bool timePortable = false);
/// chooseStepPath with the default cache file: $XDG_CACHE_HOME/continuo/step-kernels.txt (or
/// ~/.cache/continuo/…; none when neither is set).
PathChoice chooseStepPath(std::int64_t rows, std::int64_t cols);
std::filesystem::path defaultStepPathCache();

} // namespace continuo::model
