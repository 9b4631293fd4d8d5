// The decoding step's arithmetic on AVX-512F (StepKernels.h). Compiled with target attributes:
// StepKernels.cpp calls this only on a CPU that has AVX-512F.

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
#include <array>
#include <utility>

namespace continuo::model::detail {
namespace {

constexpr int kMaxBlock = 8;
constexpr int kLanes = 16;

// Products read panels of 16 weight rows stored column by column (StepMatrix), the layout that made the AVX2
// path fast: per column k one aligned 16-float load holds the weights of 16 outputs, and it is multiplied
// into every batch row of the tile by a broadcast of x[b][k]. With 32 registers a tile takes up to 8 batch
// rows at once (NB × NP accumulators + NP weights + 1 broadcast ≤ 32), so batch 8 streams the weights once.
// Lane l of an accumulator is output row 16q + l, summed over k in order from its starting value (fused
// multiply-adds): the same bits whatever NB, NP and the thread split. The row-major kernel this replaced
// (16 partial sums per output, a horizontal reduction per output) measured 1.38 ms per step of 8 against
// AVX2's 0.99 ms on the same Zen 4 (issue 19).
constexpr int panelsPerTile(int nb) {
    return nb <= 2 ? 8 : nb == 3 ? 7 : nb == 4 ? 6 : nb <= 6 ? 4 : 3;
}
static_assert(8 * panelsPerTile(8) + panelsPerTile(8) + 1 <= 32 &&
              6 * panelsPerTile(6) + panelsPerTile(6) + 1 <= 32 &&
              4 * panelsPerTile(4) + panelsPerTile(4) + 1 <= 32 &&
              3 * panelsPerTile(3) + panelsPerTile(3) + 1 <= 32 &&
              2 * panelsPerTile(2) + panelsPerTile(2) + 1 <= 32);

// How far ahead a tile prefetches each panel, in floats (64 columns, 4 kB), when the batch needs more than
// one pass over the weights.
constexpr std::int64_t kPrefetchAhead = 1024;

template <int NB, int NP>
__attribute__((target("avx512f"))) void tileAvx512(const PanelProduct& p, std::int64_t b0, std::int64_t q,
                                                   int tail, bool prefetch) {
    const __mmask16 mask = tail >= kLanes ? __mmask16(0xffff) : __mmask16((1u << tail) - 1);
    float* out = p.io.out + b0 * p.io.ldo + q * kLanes;
    __m512 acc[NB][NP];
#pragma GCC unroll 8
    for (int b = 0; b < NB; ++b)
#pragma GCC unroll 8
        for (int j = 0; j < NP; ++j)
            acc[b][j] = j == NP - 1 ? _mm512_maskz_loadu_ps(mask, out + b * p.io.ldo + j * kLanes)
                                    : _mm512_loadu_ps(out + b * p.io.ldo + j * kLanes);
    const std::int64_t panelStride = p.cols * kLanes;
    const float* w = p.panels + q * panelStride;
    const float* x = p.io.x + b0 * p.io.ldx;
    for (std::int64_t k = 0; k < p.cols; ++k) {
        if (prefetch) {
#pragma GCC unroll 8
            for (int j = 0; j < NP; ++j)
                _mm_prefetch(reinterpret_cast<const char*>(w + j * panelStride + k * kLanes + kPrefetchAhead),
                             _MM_HINT_T0);
        }
        __m512 a[NP];
#pragma GCC unroll 8
        for (int j = 0; j < NP; ++j)
            a[j] = _mm512_load_ps(w + j * panelStride + k * kLanes);
#pragma GCC unroll 8
        for (int b = 0; b < NB; ++b) {
            const __m512 v = _mm512_set1_ps(x[b * p.io.ldx + k]);
#pragma GCC unroll 8
            for (int j = 0; j < NP; ++j)
                acc[b][j] = _mm512_fmadd_ps(a[j], v, acc[b][j]);
        }
    }
#pragma GCC unroll 8
    for (int b = 0; b < NB; ++b)
#pragma GCC unroll 8
        for (int j = 0; j < NP; ++j) {
            if (j == NP - 1)
                _mm512_mask_storeu_ps(out + b * p.io.ldo + j * kLanes, mask, acc[b][j]);
            else
                _mm512_storeu_ps(out + b * p.io.ldo + j * kLanes, acc[b][j]);
        }
}

// tileAvx512<NB, NP> for NB in 1 … 8 and NP in 1 … 8, indexed [NB − 1][NP − 1].
using TileFn = void (*)(const PanelProduct&, std::int64_t, std::int64_t, int, bool);
template <int NB, std::size_t... J> constexpr std::array<TileFn, 8> tileRow(std::index_sequence<J...>) {
    return {&tileAvx512<NB, int(J) + 1>...};
}
template <std::size_t... B>
constexpr std::array<std::array<TileFn, 8>, kMaxBlock> tileTable(std::index_sequence<B...>) {
    return {tileRow<int(B) + 1>(std::make_index_sequence<8>{})...};
}
constexpr auto kTiles = tileTable(std::make_index_sequence<kMaxBlock>{});

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

void accumulatePanelsAvx512(const PanelProduct& p, std::int64_t panelBegin, std::int64_t panelEnd) {
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

} // namespace continuo::model::detail
#endif
