// The decoding step's arithmetic (StepKernels.h). Products: Two weight rows at a time against up to 8 batch
// rows: 16 accumulators of 16 floats stay in registers, and each 16-float chunk of weights is loaded once for
// all batch rows. The AVX-512 path is compiled with a target attribute and chosen at run time, so the build
// and the package still run on any x86-64 (and other) CPU.

#include "model/StepKernels.h"

#include <algorithm>
#include <cmath>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// GCC 12's own intrinsics (_mm512_undefined_ps inside the masked loads and reductions) trip
// -Wuninitialized by design; nothing in this file reads an uninitialised value.
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>
#define CONTINUO_HAVE_AVX512_KERNEL 1
#endif

namespace continuo::model {
namespace {

constexpr int kMaxBlock = 8; // batch rows per block: 2 × 8 accumulators + 2 weights + 1 input ≤ 32 registers
constexpr int kLanes = 16;

// Portable: the same blocking with 16 partial sums per output, added in a fixed order at the end.
template <int NB> void blockPortable(const RowProduct& p, std::int64_t b0, std::int64_t j) {
    float acc[NB][kLanes] = {};
    const float* w = p.w + j * p.ldw;
    for (std::int64_t k = 0; k < p.cols; k += kLanes) {
        const int n = int(std::min<std::int64_t>(kLanes, p.cols - k));
        for (int b = 0; b < NB; ++b) {
            const float* x = p.x + (b0 + b) * p.ldx + k;
            for (int l = 0; l < n; ++l)
                acc[b][l] += w[k + l] * x[l];
        }
    }
    for (int b = 0; b < NB; ++b) {
        float sum = 0;
        for (int l = 0; l < kLanes; ++l)
            sum += acc[b][l];
        p.out[(b0 + b) * p.ldo + j] += sum;
    }
}

template <int NB> void runPortable(const RowProduct& p, std::int64_t b0, std::int64_t r0, std::int64_t r1) {
    for (std::int64_t j = r0; j < r1; ++j)
        blockPortable<NB>(p, b0, j);
}

#ifdef CONTINUO_HAVE_AVX512_KERNEL
// Weight rows j … j+RB−1 against batch rows b0 … b0+NB−1: RB × NB accumulators, RB weight loads and NB
// input loads per 16 columns.
template <int NB, int RB>
__attribute__((target("avx512f"))) void blockAvx512(const RowProduct& p, std::int64_t b0, std::int64_t j) {
    __m512 acc[RB][NB];
    for (int r = 0; r < RB; ++r)
        for (int b = 0; b < NB; ++b)
            acc[r][b] = _mm512_setzero_ps();
    const float* w = p.w + j * p.ldw;
    const float* x = p.x + b0 * p.ldx;
    std::int64_t k = 0;
    for (; k + kLanes <= p.cols; k += kLanes) {
        __m512 a[RB];
        for (int r = 0; r < RB; ++r)
            a[r] = _mm512_loadu_ps(w + r * p.ldw + k);
        for (int b = 0; b < NB; ++b) {
            const __m512 v = _mm512_loadu_ps(x + b * p.ldx + k);
            for (int r = 0; r < RB; ++r)
                acc[r][b] = _mm512_fmadd_ps(a[r], v, acc[r][b]);
        }
    }
    if (k < p.cols) { // the tail, masked: the lanes past the end load zeros
        const __mmask16 m = __mmask16((1u << (p.cols - k)) - 1);
        __m512 a[RB];
        for (int r = 0; r < RB; ++r)
            a[r] = _mm512_maskz_loadu_ps(m, w + r * p.ldw + k);
        for (int b = 0; b < NB; ++b) {
            const __m512 v = _mm512_maskz_loadu_ps(m, x + b * p.ldx + k);
            for (int r = 0; r < RB; ++r)
                acc[r][b] = _mm512_fmadd_ps(a[r], v, acc[r][b]);
        }
    }
    for (int b = 0; b < NB; ++b)
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
__attribute__((target("avx512f"))) void lstmCellAvx512(const float* g, float* c, float* h, std::int64_t n) {
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

bool cpuHasAvx512() {
    static const bool has = __builtin_cpu_supports("avx512f");
    return has;
}
#endif

using RunFn = void (*)(const RowProduct&, std::int64_t, std::int64_t, std::int64_t);

template <template <int> class Table> RunFn pick(int nb) {
    switch (nb) {
    case 1:
        return Table<1>::fn;
    case 2:
        return Table<2>::fn;
    case 3:
        return Table<3>::fn;
    case 4:
        return Table<4>::fn;
    case 5:
        return Table<5>::fn;
    case 6:
        return Table<6>::fn;
    case 7:
        return Table<7>::fn;
    default:
        return Table<8>::fn;
    }
}
template <int NB> struct PortableTable { static constexpr RunFn fn = &runPortable<NB>; };
#ifdef CONTINUO_HAVE_AVX512_KERNEL
template <int NB> struct Avx512Table { static constexpr RunFn fn = &runAvx512<NB>; };
#endif

} // namespace

void accumulateRows(const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd) {
    for (std::int64_t b0 = 0; b0 < p.batch; b0 += kMaxBlock) {
        const int nb = int(std::min<std::int64_t>(kMaxBlock, p.batch - b0));
#ifdef CONTINUO_HAVE_AVX512_KERNEL
        if (cpuHasAvx512()) {
            pick<Avx512Table>(nb)(p, b0, rowBegin, rowEnd);
            continue;
        }
#endif
        pick<PortableTable>(nb)(p, b0, rowBegin, rowEnd);
    }
}

void accumulateRowsPortable(const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd) {
    for (std::int64_t b0 = 0; b0 < p.batch; b0 += kMaxBlock)
        pick<PortableTable>(int(std::min<std::int64_t>(kMaxBlock, p.batch - b0)))(p, b0, rowBegin, rowEnd);
}

void lstmCellRowPortable(const float* g, float* c, float* h, std::int64_t n) {
    const auto sigmoid = [](float x) { return 1.0f / (1.0f + std::exp(-x)); };
    for (std::int64_t j = 0; j < n; ++j) {
        const float i = sigmoid(g[j]), f = sigmoid(g[n + j]), gg = std::tanh(g[2 * n + j]),
                    o = sigmoid(g[3 * n + j]);
        c[j] = f * c[j] + i * gg;
        h[j] = o * std::tanh(c[j]);
    }
}

void lstmCellRow(const float* gates, float* c, float* h, std::int64_t units) {
#ifdef CONTINUO_HAVE_AVX512_KERNEL
    if (cpuHasAvx512()) return lstmCellAvx512(gates, c, h, units);
#endif
    lstmCellRowPortable(gates, c, h, units);
}

const char* rowKernelName() {
#ifdef CONTINUO_HAVE_AVX512_KERNEL
    if (cpuHasAvx512()) return "avx512";
#endif
    return "portable";
}

} // namespace continuo::model
