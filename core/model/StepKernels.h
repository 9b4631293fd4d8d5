#pragma once
// The arithmetic of one decoding step (LstmComposer's Stepper), without LibTorch: the matrix products and
// the LSTM cell's nonlinearities.
//
// Products: out += X · Wᵀ for a
// small batch X. BLAS sgemm packs all of W on every call, which at batch 2–8 costs more than the product;
// these kernels stream W once per step and multiply each weight they load into every batch row.
//
// Every output (b, j) is summed in the same order whatever the batch size, the row block and the thread
// split, so variation b of a generation is bitwise the same at batch 1 and batch 8.
//
// Each function comes in one implementation per instruction set (StepPath), compiled with target
// attributes and chosen at run time, so the build and the package still run on any x86-64 (and other)
// CPU. The paths may differ from one another in the last bits of a sum, never between calls of one path.

#include <cstdint>
#include <vector>

namespace continuo::model {

struct RowProduct {
    const float* w = nullptr; ///< weights, `rows` × `cols`, row-major, row stride `ldw` floats
    std::int64_t rows = 0, cols = 0, ldw = 0;
    const float* x = nullptr; ///< inputs, `batch` × `cols`, row stride `ldx`
    std::int64_t batch = 0, ldx = 0;
    float* out = nullptr; ///< `batch` × `rows`, row stride `ldo`; accumulated into (out += x · wᵀ)
    std::int64_t ldo = 0;
};

/// The implementations, fastest first.
enum class StepPath {
    Avx512,   ///< AVX-512F (Intel since Skylake-SP, AMD since Zen 4)
    Avx2Fma,  ///< AVX2 + FMA (Intel since Haswell, AMD since Zen 1)
    Portable, ///< plain C++, any CPU
};
/// Whether this build and this CPU (asked once) can run `path`. Portable always can.
bool pathAvailable(StepPath path);
/// The paths this CPU can run, fastest first (the first is what accumulateRows and lstmCellRow use).
std::vector<StepPath> availablePaths();
/// "avx512", "avx2" or "portable".
const char* pathName(StepPath path);

/// Computes the outputs of weight rows [rowBegin, rowEnd) for every batch row, on the fastest path. Different
/// row ranges may run on different threads at once (they write disjoint outputs).
void accumulateRows(const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd);
/// The same on a given path (which must be available: tests and benchmarks compare them).
void accumulateRowsOn(StepPath path, const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd);

/// One row of an LSTM cell update, PyTorch's gate order: `gates` = [i | f | g | o] pre-activations (4 × h
/// floats); c ← σ(f)·c + σ(i)·tanh(g), h ← σ(o)·tanh(c) for each of the `h` units. The vector paths use
/// their own exp (relative error below 2e-7, measured in tst_step_kernels), 8 times faster than calling
/// std::exp per value, which at 8 variations was a fifth of a step.
void lstmCellRow(const float* gates, float* c, float* h, std::int64_t units);
/// The same on a given path (which must be available).
void lstmCellRowOn(StepPath path, const float* gates, float* c, float* h, std::int64_t units);

/// pathName of the fastest path: what accumulateRows takes on this CPU (for the benchmark's report).
const char* rowKernelName();

} // namespace continuo::model
