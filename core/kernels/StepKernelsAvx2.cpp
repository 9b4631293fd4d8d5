// The decoding step's arithmetic on AVX2 + FMA (StepKernels.h): what most desktop CPUs without AVX-512 run
// (AMD Zen 1–3, Intel client cores since Haswell). Compiled with target attributes: StepKernels.cpp calls
// this only on a CPU that has both.
//
// Products read panels of 8 weight rows stored column by column (StepMatrix). A tile is NB ≤ 4 batch rows ×
// NP panels: NB × NP accumulators of 8 outputs each, and per column k NP weight loads (one per panel) and NB
// broadcasts of x[b][k], all within the 16 registers. Larger batches walk the same NP panels once per group
// of 4 batch rows: the first pass streams them from memory (prefetched ahead), the later ones find them in
// L2. Lane l of an accumulator is output row 8q + l, summed over k in order from its starting value (fused
// multiply-adds, one rounding each): the same bits whatever NB, NP and the thread split, so variation b is
// bitwise the same at any batch.

#include "kernels/internal/StepKernelPaths.h"

#ifdef CONTINUO_HAVE_X86_STEP_KERNELS
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <utility>

#define CONTINUO_AVX2 __attribute__((target("avx2,fma")))

namespace continuo::model::detail {
namespace {

constexpr int kLanes = 8;
constexpr int kMaxBlock = 4; // batch rows per tile

// Panels per tile for NB batch rows: NB × NP accumulators + NP weights + 1 broadcast within 16 registers
// (batch 1 takes 8 panels, the FMAs read their weights straight from memory).
constexpr int panelsPerTile(int nb) {
    return nb == 1 ? 8 : nb == 2 ? 5 : nb == 3 ? 4 : 3;
}
static_assert(2 * panelsPerTile(2) + panelsPerTile(2) + 1 <= 16 &&
              3 * panelsPerTile(3) + panelsPerTile(3) + 1 <= 17 && // one weight reloaded from L1
              4 * panelsPerTile(4) + panelsPerTile(4) + 1 <= 16);

// How far ahead the first of several passes prefetches each panel (in floats: 32 columns, 1 kB). Measured
// on Zen 3 (batch 8, seed preset's shapes): 0.92 ms against 0.98 without.
constexpr std::int64_t kPrefetchAhead = 256;

// Lanes l < n are all ones (maskload/maskstore take lanes whose top bit is set).
CONTINUO_AVX2 inline __m256i tailMask(std::int64_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(int(n)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}

// Batch rows b0 … b0+NB−1 against panels q … q+NP−1. `tail` (< 8) masks the last panel's outputs when
// the matrix's last panel is partial (its padded weights are zeros, but its outputs past `rows` are not
// ours to write). Every loop over the tile's rows is unrolled so the accumulators stay in registers (GCC's
// -O2 does not unroll them by itself and kept them on the stack: a load and a store around every FMA).
template <int NB, int NP>
CONTINUO_AVX2 void tileAvx2(const PanelProduct& p, std::int64_t b0, std::int64_t q, int tail, bool prefetch) {
    const __m256i mask = tailMask(tail);
    float* out = p.io.out + b0 * p.io.ldo + q * kLanes;
    __m256 acc[NB][NP];
#pragma GCC unroll 8
    for (int b = 0; b < NB; ++b)
#pragma GCC unroll 8
        for (int j = 0; j < NP; ++j)
            acc[b][j] = j == NP - 1 && tail < kLanes
                            ? _mm256_maskload_ps(out + b * p.io.ldo + j * kLanes, mask)
                            : _mm256_loadu_ps(out + b * p.io.ldo + j * kLanes);
    const std::int64_t panelStride = p.cols * kLanes;
    const float* w = p.panels + q * panelStride;
    const float* x = p.io.x + b0 * p.io.ldx;
    for (std::int64_t k = 0; k < p.cols; ++k) {
        if (prefetch && (k & 1) == 0) {
#pragma GCC unroll 8
            for (int j = 0; j < NP; ++j)
                _mm_prefetch(reinterpret_cast<const char*>(w + j * panelStride + k * kLanes + kPrefetchAhead),
                             _MM_HINT_T0);
        }
        __m256 a[NP];
#pragma GCC unroll 8
        for (int j = 0; j < NP; ++j)
            a[j] = _mm256_load_ps(w + j * panelStride + k * kLanes);
#pragma GCC unroll 8
        for (int b = 0; b < NB; ++b) {
            const __m256 v = _mm256_broadcast_ss(x + b * p.io.ldx + k);
#pragma GCC unroll 8
            for (int j = 0; j < NP; ++j)
                acc[b][j] = _mm256_fmadd_ps(a[j], v, acc[b][j]);
        }
    }
#pragma GCC unroll 8
    for (int b = 0; b < NB; ++b)
#pragma GCC unroll 8
        for (int j = 0; j < NP; ++j) {
            if (j == NP - 1 && tail < kLanes)
                _mm256_maskstore_ps(out + b * p.io.ldo + j * kLanes, mask, acc[b][j]);
            else
                _mm256_storeu_ps(out + b * p.io.ldo + j * kLanes, acc[b][j]);
        }
}

// tileAvx2<NB, NP> for NB in 1 … 4 and NP in 1 … 8, indexed [NB − 1][NP − 1].
using TileFn = void (*)(const PanelProduct&, std::int64_t, std::int64_t, int, bool);
template <int NB, std::size_t... J> constexpr std::array<TileFn, 8> tileRow(std::index_sequence<J...>) {
    return {&tileAvx2<NB, int(J) + 1>...};
}
constexpr std::array<std::array<TileFn, 8>, kMaxBlock> kTiles = {
    tileRow<1>(std::make_index_sequence<8>{}), tileRow<2>(std::make_index_sequence<8>{}),
    tileRow<3>(std::make_index_sequence<8>{}), tileRow<4>(std::make_index_sequence<8>{})};

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

CONTINUO_AVX2 void accumulatePanelsAvx2(const PanelProduct& p, std::int64_t panelBegin,
                                        std::int64_t panelEnd) {
    // Panels per tile: what the widest batch group (the first) fits in registers; narrower groups fit too.
    const std::int64_t first = std::min<std::int64_t>(kMaxBlock, p.io.batch);
    const std::int64_t np = panelsPerTile(int(first));
    const std::int64_t panels = (p.rows + kLanes - 1) / kLanes;
    const int lastLanes = int(p.rows - (panels - 1) * kLanes);
    const bool passes = p.io.batch > kMaxBlock;
    for (std::int64_t q = panelBegin; q < panelEnd; q += np) {
        const std::int64_t n = std::min(np, panelEnd - q);
        const int tail = q + n == panels ? lastLanes : kLanes;
        for (std::int64_t b0 = 0; b0 < p.io.batch; b0 += kMaxBlock) {
            const std::int64_t nb = std::min<std::int64_t>(kMaxBlock, p.io.batch - b0);
            kTiles[std::size_t(nb - 1)][std::size_t(n - 1)](p, b0, q, tail, passes && b0 == 0);
        }
    }
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
