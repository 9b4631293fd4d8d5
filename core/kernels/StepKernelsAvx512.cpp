// The decoding step's arithmetic on AVX-512F (StepKernels.h). Products: up to 8 batch rows at a time, as
// many weight rows as keep the RB × NB accumulators of 16 floats, RB weights and one input within the 32
// registers; each 16-float chunk of weights is loaded once for all batch rows of the block. Compiled with
// target attributes: StepKernels.cpp calls this only on a CPU that has AVX-512F.

#include "kernels/internal/StepKernelPaths.h"

#ifdef CONTINUO_HAVE_X86_STEP_KERNELS
// GCC 12's own intrinsics (_mm512_undefined_ps inside the masked loads and reductions) trip
// -Wuninitialized by design; nothing in this file reads an uninitialised value.
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>

namespace continuo::model::detail {
namespace {

constexpr int kMaxBlock = 8;
constexpr int kLanes = 16;

// Weight rows j … j+RB−1 against batch rows b0 … b0+NB−1: RB × NB accumulators, RB weight loads and NB
// input loads per 16 columns. Every loop over the block's rows is unrolled so the accumulators stay in
// registers: GCC's -O2 does not unroll them by itself and kept them on the stack, a load and a store
// around every FMA (seen in the disassembly; the same fix made the AVX2 kernel 2–6× faster).
template <int NB, int RB>
__attribute__((target("avx512f"))) void blockAvx512(const RowProduct& p, std::int64_t b0, std::int64_t j) {
    __m512 acc[RB][NB];
#pragma GCC unroll 8
    for (int r = 0; r < RB; ++r)
#pragma GCC unroll 8
        for (int b = 0; b < NB; ++b)
            acc[r][b] = _mm512_setzero_ps();
    const float* w = p.w + j * p.ldw;
    const float* x = p.x + b0 * p.ldx;
    std::int64_t k = 0;
    for (; k + kLanes <= p.cols; k += kLanes) {
        __m512 a[RB];
#pragma GCC unroll 8
        for (int r = 0; r < RB; ++r)
            a[r] = _mm512_loadu_ps(w + r * p.ldw + k);
#pragma GCC unroll 8
        for (int b = 0; b < NB; ++b) {
            const __m512 v = _mm512_loadu_ps(x + b * p.ldx + k);
#pragma GCC unroll 8
            for (int r = 0; r < RB; ++r)
                acc[r][b] = _mm512_fmadd_ps(a[r], v, acc[r][b]);
        }
    }
    if (k < p.cols) { // the tail, masked: the lanes past the end load zeros
        const __mmask16 m = __mmask16((1u << (p.cols - k)) - 1);
        __m512 a[RB];
#pragma GCC unroll 8
        for (int r = 0; r < RB; ++r)
            a[r] = _mm512_maskz_loadu_ps(m, w + r * p.ldw + k);
#pragma GCC unroll 8
        for (int b = 0; b < NB; ++b) {
            const __m512 v = _mm512_maskz_loadu_ps(m, x + b * p.ldx + k);
#pragma GCC unroll 8
            for (int r = 0; r < RB; ++r)
                acc[r][b] = _mm512_fmadd_ps(a[r], v, acc[r][b]);
        }
    }
#pragma GCC unroll 8
    for (int b = 0; b < NB; ++b)
#pragma GCC unroll 8
        for (int r = 0; r < RB; ++r)
            p.out[(b0 + b) * p.ldo + j + r] += _mm512_reduce_add_ps(acc[r][b]);
}

// Rows per block: as many as keep RB × NB accumulators + RB weights + 1 input within the 32 registers.
template <int NB>
__attribute__((target("avx512f"))) void runAvx512(const RowProduct& p, std::int64_t b0, std::int64_t r0,
                                                  std::int64_t r1) {
    constexpr int RB = NB >= 7 ? 3 : NB >= 5 ? 4 : NB >= 3 ? 6 : NB == 2 ? 8 : 8;
    std::int64_t j = r0;
    for (; j + RB <= r1; j += RB)
        blockAvx512<NB, RB>(p, b0, j);
    for (; j < r1; ++j)
        blockAvx512<NB, 1>(p, b0, j);
}

// exp(x) for x in [−87, 87]: x = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor polynomial to r⁶ (error
// below 1e-7 relative), then scaled by 2ⁿ exactly (scalef).
__attribute__((target("avx512f"))) inline __m512 expAvx512(__m512 x) {
    x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.f)), _mm512_set1_ps(87.f));
    const __m512 n = _mm512_roundscale_ps(_mm512_mul_ps(x, _mm512_set1_ps(1.44269504088896341f)),
                                          _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x); // ln2 in two parts: exact first step
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 p = _mm512_set1_ps(1.f / 720);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f / 120));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f / 24));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f / 6));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(0.5f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.f));
    return _mm512_scalef_ps(p, n);
}
__attribute__((target("avx512f"))) inline __m512 sigmoidAvx512(__m512 x) {
    const __m512 one = _mm512_set1_ps(1.f);
    return _mm512_div_ps(one, _mm512_add_ps(one, expAvx512(_mm512_sub_ps(_mm512_setzero_ps(), x))));
}
// tanh(x) = 2σ(2x) − 1: absolute error ~1e-7 (near 0 that is not a relative error; no caller needs one).
__attribute__((target("avx512f"))) inline __m512 tanhAvx512(__m512 x) {
    const __m512 two = _mm512_set1_ps(2.f);
    return _mm512_sub_ps(_mm512_mul_ps(two, sigmoidAvx512(_mm512_mul_ps(two, x))), _mm512_set1_ps(1.f));
}
} // namespace

__attribute__((target("avx512f"))) void lstmCellRowAvx512(const float* g, float* c, float* h,
                                                          std::int64_t n) {
    for (std::int64_t j = 0; j < n; j += kLanes) {
        const __mmask16 m = n - j >= kLanes ? __mmask16(0xffff) : __mmask16((1u << (n - j)) - 1);
        const __m512 i = sigmoidAvx512(_mm512_maskz_loadu_ps(m, g + j));
        const __m512 f = sigmoidAvx512(_mm512_maskz_loadu_ps(m, g + n + j));
        const __m512 gg = tanhAvx512(_mm512_maskz_loadu_ps(m, g + 2 * n + j));
        const __m512 o = sigmoidAvx512(_mm512_maskz_loadu_ps(m, g + 3 * n + j));
        const __m512 cj = _mm512_fmadd_ps(f, _mm512_maskz_loadu_ps(m, c + j), _mm512_mul_ps(i, gg));
        _mm512_mask_storeu_ps(c + j, m, cj);
        _mm512_mask_storeu_ps(h + j, m, _mm512_mul_ps(o, tanhAvx512(cj)));
    }
}

using RunFn = void (*)(const RowProduct&, std::int64_t, std::int64_t, std::int64_t);
constexpr RunFn kRun[kMaxBlock] = {&runAvx512<1>, &runAvx512<2>, &runAvx512<3>, &runAvx512<4>,
                                   &runAvx512<5>, &runAvx512<6>, &runAvx512<7>, &runAvx512<8>};

void accumulateRowsAvx512(const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd) {
    for (std::int64_t b0 = 0; b0 < p.batch; b0 += kMaxBlock)
        kRun[std::min<std::int64_t>(kMaxBlock, p.batch - b0) - 1](p, b0, rowBegin, rowEnd);
}

} // namespace continuo::model::detail
#endif
