// The decoding step's arithmetic on AVX2 + FMA (StepKernels.h): what most desktop CPUs without AVX-512 run
// (AMD Zen 1–3, Intel client cores since Haswell). Compiled with target attributes: StepKernels.cpp calls
// this only on a CPU that has both.
//
// Products: 16 registers of 8 floats. A block is NB ≤ 4 batch rows × RB weight rows, with RB × NB
// accumulators + RB weights + 1 input ≤ 16 registers; each 8-float chunk of weights is loaded once for the
// block's batch rows. Larger batches walk the same RB weight rows once per group of 4 batch rows, so the
// weights come from memory once per step (prefetched a block ahead) and the later passes find them in L1.
//
// Each output has one 8-lane accumulator, summed over the columns in order and reduced in a fixed order,
// whatever NB, RB and the thread split: variation b is bitwise the same at any batch.

#include "model/StepKernelPaths.h"

#ifdef CONTINUO_HAVE_X86_STEP_KERNELS
#include <immintrin.h>

#include <algorithm>

#define CONTINUO_AVX2 __attribute__((target("avx2,fma")))

namespace continuo::model::detail {
namespace {

constexpr int kLanes = 8;
constexpr int kMaxBlock = 4; // batch rows per block

// Weight rows per block for NB batch rows: RB × NB accumulators + RB weights + 1 input within 16 registers.
template <int NB> constexpr int kRowsPerBlock = NB == 1 ? 6 : NB == 2 ? 4 : 3;
static_assert(kRowsPerBlock<1> * 1 + kRowsPerBlock<1> + 1 <= 16 &&
              kRowsPerBlock<2> * 2 + kRowsPerBlock<2> + 1 <= 16 &&
              kRowsPerBlock<3> * 3 + kRowsPerBlock<3> + 1 <= 16 &&
              kRowsPerBlock<4> * 4 + kRowsPerBlock<4> + 1 <= 16);

// Lanes l < n are all ones (maskload/maskstore take lanes whose top bit is set).
CONTINUO_AVX2 inline __m256i tailMask(std::int64_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(int(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// The 8 lanes summed in one fixed order: (0+4, 1+5, 2+6, 3+7), then (0+2, 1+3), then 0+1.
CONTINUO_AVX2 inline float reduce(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

// Every loop over the block's batch and weight rows is unrolled, so the accumulators stay in registers:
// GCC's -O2 does not unroll them by itself, and kept them on the stack (a kernel 2–6× slower).
template <int NB, int RB>
CONTINUO_AVX2 void blockAvx2(const RowProduct& p, std::int64_t b0, std::int64_t j, std::int64_t prefetchBegin,
                             std::int64_t prefetchEnd) {
    __m256 acc[RB][NB];
#pragma GCC unroll 8
    for (int r = 0; r < RB; ++r)
#pragma GCC unroll 8
        for (int b = 0; b < NB; ++b)
            acc[r][b] = _mm256_setzero_ps();
    const float* w = p.w + j * p.ldw;
    const float* x = p.x + b0 * p.ldx;
    std::int64_t k = 0;
    for (; k + kLanes <= p.cols; k += kLanes) {
        if (k >= prefetchBegin && k < prefetchEnd && k % 16 == 0) {
#pragma GCC unroll 8
            for (int r = 0; r < RB; ++r)
                _mm_prefetch(reinterpret_cast<const char*>(w + (RB + r) * p.ldw + k), _MM_HINT_T0);
        }
        __m256 a[RB];
#pragma GCC unroll 8
        for (int r = 0; r < RB; ++r)
            a[r] = _mm256_loadu_ps(w + r * p.ldw + k);
#pragma GCC unroll 8
        for (int b = 0; b < NB; ++b) {
            const __m256 v = _mm256_loadu_ps(x + b * p.ldx + k);
#pragma GCC unroll 8
            for (int r = 0; r < RB; ++r)
                acc[r][b] = _mm256_fmadd_ps(a[r], v, acc[r][b]);
        }
    }
    if (k < p.cols) { // the tail, masked: the lanes past the end load zeros
        const __m256i m = tailMask(p.cols - k);
        __m256 a[RB];
#pragma GCC unroll 8
        for (int r = 0; r < RB; ++r)
            a[r] = _mm256_maskload_ps(w + r * p.ldw + k, m);
#pragma GCC unroll 8
        for (int b = 0; b < NB; ++b) {
            const __m256 v = _mm256_maskload_ps(x + b * p.ldx + k, m);
#pragma GCC unroll 8
            for (int r = 0; r < RB; ++r)
                acc[r][b] = _mm256_fmadd_ps(a[r], v, acc[r][b]);
        }
    }
#pragma GCC unroll 8
    for (int b = 0; b < NB; ++b)
#pragma GCC unroll 8
        for (int r = 0; r < RB; ++r)
            p.out[(b0 + b) * p.ldo + j + r] += reduce(acc[r][b]);
}

// RB weight rows from j against every batch row, 4 at a time: the RB rows are read from memory for the
// first 4 and from L1 after that. Meanwhile the next RB rows are prefetched, one cache line per row every
// other column step, spread over all the passes: the memory keeps streaming while the later passes compute
// (prefetching all in the first pass made batch 8 cost the memory time plus the arithmetic).
template <int RB> CONTINUO_AVX2 void chunkAvx2(const RowProduct& p, std::int64_t j, std::int64_t rowEnd) {
    const std::int64_t passes = (p.batch + kMaxBlock - 1) / kMaxBlock;
    const std::int64_t prefetchCols = j + 2 * RB <= rowEnd ? p.cols : 0;
    for (std::int64_t pass = 0; pass < passes; ++pass) {
        const std::int64_t b0 = pass * kMaxBlock;
        const std::int64_t from = prefetchCols * pass / passes, to = prefetchCols * (pass + 1) / passes;
        switch (std::min<std::int64_t>(kMaxBlock, p.batch - b0)) {
        case 1:
            blockAvx2<1, RB>(p, b0, j, from, to);
            break;
        case 2:
            blockAvx2<2, RB>(p, b0, j, from, to);
            break;
        case 3:
            blockAvx2<3, RB>(p, b0, j, from, to);
            break;
        default:
            blockAvx2<4, RB>(p, b0, j, from, to);
            break;
        }
    }
}

// exp(x) for x in [−87, 87]: x = n·ln2 + r with |r| ≤ ln2/2, e^r by its Taylor polynomial to r⁶ (error
// below 1e-7 relative), then scaled by 2ⁿ built in the exponent bits (n + 127 stays within 1 … 254).
CONTINUO_AVX2 inline __m256 expAvx2(__m256 x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.f)), _mm256_set1_ps(87.f));
    const __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                     _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x); // ln2 in two parts: exact first step
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.f / 720);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.f / 120));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.f / 24));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.f / 6));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(0.5f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.f));
    const __m256i scale =
        _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(scale));
}
CONTINUO_AVX2 inline __m256 sigmoidAvx2(__m256 x) {
    const __m256 one = _mm256_set1_ps(1.f);
    return _mm256_div_ps(one, _mm256_add_ps(one, expAvx2(_mm256_sub_ps(_mm256_setzero_ps(), x))));
}
// tanh(x) = 2σ(2x) − 1: absolute error ~1e-7 (near 0 that is not a relative error; no caller needs one).
CONTINUO_AVX2 inline __m256 tanhAvx2(__m256 x) {
    const __m256 two = _mm256_set1_ps(2.f);
    return _mm256_sub_ps(_mm256_mul_ps(two, sigmoidAvx2(_mm256_mul_ps(two, x))), _mm256_set1_ps(1.f));
}

} // namespace

CONTINUO_AVX2 void accumulateRowsAvx2(const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd) {
    // Rows per chunk: what the widest batch block (the first) fits in registers; narrower blocks fit too.
    const std::int64_t first = std::min<std::int64_t>(kMaxBlock, p.batch);
    const int rb = first == 1 ? kRowsPerBlock<1> : first == 2 ? kRowsPerBlock<2> : kRowsPerBlock<4>;
    std::int64_t j = rowBegin;
    for (; j + rb <= rowEnd; j += rb) {
        if (rb == 6)
            chunkAvx2<6>(p, j, rowEnd);
        else if (rb == 4)
            chunkAvx2<4>(p, j, rowEnd);
        else
            chunkAvx2<3>(p, j, rowEnd);
    }
    for (; j < rowEnd; ++j)
        chunkAvx2<1>(p, j, rowEnd);
}

CONTINUO_AVX2 void lstmCellRowAvx2(const float* g, float* c, float* h, std::int64_t n) {
    for (std::int64_t j = 0; j < n; j += kLanes) {
        const __m256i m = tailMask(n - j);
        const __m256 i = sigmoidAvx2(_mm256_maskload_ps(g + j, m));
        const __m256 f = sigmoidAvx2(_mm256_maskload_ps(g + n + j, m));
        const __m256 gg = tanhAvx2(_mm256_maskload_ps(g + 2 * n + j, m));
        const __m256 o = sigmoidAvx2(_mm256_maskload_ps(g + 3 * n + j, m));
        const __m256 cj = _mm256_fmadd_ps(f, _mm256_maskload_ps(c + j, m), _mm256_mul_ps(i, gg));
        _mm256_maskstore_ps(c + j, m, cj);
        _mm256_maskstore_ps(h + j, m, _mm256_mul_ps(o, tanhAvx2(cj)));
    }
}

} // namespace continuo::model::detail
#endif
