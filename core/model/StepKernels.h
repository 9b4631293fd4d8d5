#pragma once
// The arithmetic of one decoding step (LstmComposer's Stepper), without LibTorch: the matrix products and
// the LSTM cell's nonlinearities.
//
// Products: out += X · Wᵀ for a
// small batch X. BLAS sgemm packs all of W on every call, which at batch 2–8 costs more than the product;
// this kernel streams W once per step and multiplies each weight it loads into every batch row.
//
// Every output (b, j) is summed in the same order whatever the batch size, the row block and the thread
// split, so variation b of a generation is bitwise the same at batch 1 and batch 8.

#include <cstdint>

namespace continuo::model {

struct RowProduct {
    const float* w = nullptr; ///< weights, `rows` × `cols`, row-major, row stride `ldw` floats
    std::int64_t rows = 0, cols = 0, ldw = 0;
    const float* x = nullptr; ///< inputs, `batch` × `cols`, row stride `ldx`
    std::int64_t batch = 0, ldx = 0;
    float* out = nullptr; ///< `batch` × `rows`, row stride `ldo`; accumulated into (out += x · wᵀ)
    std::int64_t ldo = 0;
};

/// Computes the outputs of weight rows [rowBegin, rowEnd) for every batch row. Different row ranges may run
/// on different threads at once (they write disjoint outputs). Uses AVX-512 when the CPU has it (checked
/// once at run time), portable C++ otherwise; the two may differ in the last bits, not between calls.
void accumulateRows(const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd);

/// The portable path alone (what a CPU without AVX-512 runs), for tests on any machine.
void accumulateRowsPortable(const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd);

/// One row of an LSTM cell update, PyTorch's gate order: `gates` = [i | f | g | o] pre-activations (4 × h
/// floats); c ← σ(f)·c + σ(i)·tanh(g), h ← σ(o)·tanh(c) for each of the `h` units. The AVX-512 path uses
/// its own exp (relative error below 2e-7, measured in tst_step_kernels), 8 times faster than calling
/// std::exp per value, which at 8 variations was a fifth of a step.
void lstmCellRow(const float* gates, float* c, float* h, std::int64_t units);
/// The same with std::exp / std::tanh (what a CPU without AVX-512 runs), for tests on any machine.
void lstmCellRowPortable(const float* gates, float* c, float* h, std::int64_t units);

/// "avx512" or "portable": the path accumulateRows takes on this CPU (for the benchmark's report).
const char* rowKernelName();

} // namespace continuo::model
