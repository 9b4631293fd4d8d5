#pragma once
// The decoding step's matrix products on Intel AMX tiles, in "bf16x3" precision: every float is split into
// two bfloat16 halves, v ≈ hi + lo (hi = v rounded to bf16, lo = what is left, rounded to bf16: about 16
// significant bits), and w·x is summed as hi·hi + hi·lo + lo·hi in float (the lo·lo term, below 2⁻¹⁶ of
// the product, is dropped). Each bf16 product is exact in float and the tiles accumulate in float, so a
// dot product is within 3·2⁻¹⁶ (4.6e-5) of Σ|w·x| of its exact value by construction, and measured about
// 1e-6 for the model's 512–1,024-long sums (tst_amx_product) — the precision PyTorch calls "high" for
// float32 matrix products (torch.set_float32_matmul_precision).
//
// Why: a decoding step at batch 8 does 8× the arithmetic of batch 1. In float32 on AVX-512 this CPU's FMA
// units are the limit (8 variations cost 2.4× one); on AMX the arithmetic is almost free and a step costs
// what streaming the weights costs, at any batch up to 16.
//
// Every output (b, j) is summed in the same order whatever the batch and the split of row groups between
// threads, so variation b is bitwise the same at batch 1 and batch 8 (as on the float32 path).
//
// Thread contract: a PackedMatrix and a SplitInput are read-only during accumulate(), which different
// threads may call at once for different row groups. Each call loads its own tile configuration and
// releases the tiles before it returns (tile state is per thread, and LibTorch's oneDNN may use it too).

#include <cstdint>
#include <cstdlib>
#include <memory>

namespace continuo::model::amx {

/// Whether this CPU has AMX-BF16 and the Linux kernel granted this process the tile state (asked once, on
/// the first call; a kernel without AMX support, or another OS, says no). Thread-safe.
bool available();

/// Rows are handled in groups of this many (two 16-row output tiles); the last group is zero-padded.
constexpr std::int64_t kRowsPerGroup = 32;
/// The most batch rows one call takes (a tile has 16 rows).
constexpr std::int64_t kMaxBatch = 16;

/// 64-byte aligned bf16 storage (a tile row is a cache line).
struct FreeDeleter {
    void operator()(std::uint16_t* p) const { std::free(p); }
};
using AlignedBf16 = std::unique_ptr<std::uint16_t[], FreeDeleter>;

/// The inputs of one product, x (batch × cols floats), split into bf16 hi and lo parts, zero-padded to a
/// multiple of 32 columns.
class SplitInput {
public:
    /// Splits x: `batch` rows (1 … kMaxBatch) of `cols` floats, row stride `ldx` floats. Reuses its memory
    /// when the shape does not grow.
    void set(const float* x, std::int64_t batch, std::int64_t cols, std::int64_t ldx);
    std::int64_t batch() const { return batch_; }

private:
    friend class PackedMatrix;
    std::int64_t batch_ = 0, stride_ = 0, capacity_ = 0; ///< stride_: padded cols (bf16 values per row)
    AlignedBf16 hi_, lo_;
};

/// A weight matrix (rows × cols floats, row-major) split into bf16 hi and lo parts and laid out as AMX
/// tiles, in the order the kernel reads them (one stream). Same memory as the float matrix, padding aside.
class PackedMatrix {
public:
    PackedMatrix() = default;
    PackedMatrix(const float* w, std::int64_t rows, std::int64_t cols, std::int64_t ldw);

    std::int64_t rows() const { return rows_; }
    std::int64_t cols() const { return cols_; }
    /// Row groups of kRowsPerGroup rows: the unit of work to split between threads.
    std::int64_t groups() const { return groups_; }

    /// out[b · ldo + j] += Σ_k x[b][k] · w[j][k] for the rows j of groups [groupBegin, groupEnd) and every
    /// batch row of x (x.cols must equal cols()). Needs available().
    void accumulate(const SplitInput& x, float* out, std::int64_t ldo, std::int64_t groupBegin,
                    std::int64_t groupEnd) const;

private:
    std::int64_t rows_ = 0, cols_ = 0, groups_ = 0, kBlocks_ = 0;
    AlignedBf16 tiles_;
};

/// Rounds to the nearest bfloat16 (ties to even), as the bits of a bf16; and back. Exposed for tests.
std::uint16_t toBf16(float v);
float fromBf16(std::uint16_t v);

} // namespace continuo::model::amx
