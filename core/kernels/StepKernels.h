#pragma once
// The arithmetic of one decoding step (LstmComposer's Stepper), without LibTorch: the matrix products and
// the LSTM cell's nonlinearities.
//
// Products: out += X · Wᵀ for a small batch X (1–8 variations). BLAS sgemm packs all of W on every call,
// which at batch 2–8 costs more than the product; here W is packed once, in the layout its path reads
// (StepMatrix), and each step streams it once and multiplies each weight it loads into every batch row.
//
// Every output (b, j) is summed in the same order whatever the batch size, the block shapes and the thread
// split, so variation b of a generation is bitwise the same at batch 1 and batch 8.
//
// Each function comes in one implementation per instruction set (StepPath), compiled with target
// attributes and chosen at run time, so the build and the package still run on any x86-64 (and other)
// CPU. The paths may differ from one another in the last bits of a sum, never between calls of one path.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace continuo::model {

/// The implementations, fastest first.
enum class StepPath {
    Avx512,   ///< AVX-512F (Intel since Skylake-SP, AMD since Zen 4)
    Avx2Fma,  ///< AVX2 + FMA (Intel since Haswell, AMD since Zen 1)
    Portable, ///< plain C++, any CPU
};
/// Whether this build and this CPU (asked once) can run `path`. Portable always can.
bool pathAvailable(StepPath path);
/// The paths this CPU can run, fastest first (the first is what lstmCellRow and rowKernelName mean).
std::vector<StepPath> availablePaths();
/// "avx512", "avx2" or "portable".
const char* pathName(StepPath path);

/// The batch side of one product: out += x · wᵀ.
struct ProductIo {
    const float* x = nullptr; ///< inputs, `batch` × the matrix's cols, row stride `ldx` floats
    std::int64_t batch = 0, ldx = 0;
    float* out = nullptr; ///< `batch` × the matrix's rows, row stride `ldo`; accumulated into
    std::int64_t ldo = 0;
};

/// A weight matrix (rows × cols floats) copied into the layout its path's products read, once per model:
/// - Avx2Fma, Avx512: panels of one vector register of rows (8 or 16), each stored column by column (the
///   panel's weights of column k side by side, the last panel padded with zeros). A panel is one
///   contiguous stream, each load holds the weights of a register of outputs for one input, and each
///   output is summed over k in order in its own lane (so a partial sum can be stored and resumed without
///   changing a bit). Against row-major rows (one 4 kB-strided stream per row, a horizontal sum per
///   output) this halved batch 1's step on Zen 3 (AVX2), and took AVX-512 from slower than AVX2 on Zen 4
///   to faster.
/// - Portable: row-major (each output summed in 16 interleaved partial sums).
/// Read-only once made: any number of threads may run products on it at once. Move-only.
class StepMatrix {
public:
    /// `w`: row-major, row stride `ldw` ≥ `cols` floats; rows, cols ≥ 1. Throws std::invalid_argument for a
    /// path this CPU lacks or a bad shape.
    StepMatrix(StepPath path, const float* w, std::int64_t rows, std::int64_t cols, std::int64_t ldw);

    StepPath path() const { return path_; }
    std::int64_t rows() const { return rows_; }
    std::int64_t cols() const { return cols_; }
    /// The units the rows are split in across threads: single rows, or panels of 8 (Avx2Fma) or 16 (Avx512).
    std::int64_t rowsPerGroup() const { return group_; }
    std::int64_t groups() const { return (rows_ + group_ - 1) / group_; }

    /// Adds the products of row groups [groupBegin, groupEnd) to `io.out` for every batch row. Different
    /// group ranges may run on different threads at once (they write disjoint outputs).
    void accumulate(const ProductIo& io, std::int64_t groupBegin, std::int64_t groupEnd) const;

private:
    struct AlignedFree {
        void operator()(float* p) const;
    };
    StepPath path_;
    std::int64_t rows_, cols_, group_;
    std::unique_ptr<float[], AlignedFree> data_; ///< 64-byte aligned, in the path's layout
};

/// One row of an LSTM cell update, PyTorch's gate order: `gates` = [i | f | g | o] pre-activations (4 × h
/// floats); c ← σ(f)·c + σ(i)·tanh(g), h ← σ(o)·tanh(c) for each of the `h` units. The vector paths use
/// their own exp (relative error below 2e-7, measured in tst_step_kernels), 8 times faster than calling
/// std::exp per value, which at 8 variations was a fifth of a step.
void lstmCellRow(const float* gates, float* c, float* h, std::int64_t units);
/// The same on a given path (which must be available).
void lstmCellRowOn(StepPath path, const float* gates, float* c, float* h, std::int64_t units);

/// pathName of the fastest path: what a StepMatrix made for availablePaths().front() runs (for the
/// benchmark's report).
const char* rowKernelName();

} // namespace continuo::model
