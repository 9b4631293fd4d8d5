// AMX bf16x3 products (AmxProduct.h). Layout of a PackedMatrix: for each group of 32 weight rows and each
// block of 32 columns, 4 tiles of 16 × 64 bytes one after the other — rows 0–15 hi, rows 0–15 lo, rows
// 16–31 hi, rows 16–31 lo — so a thread reads its groups as one forward stream. A tile holds a 32-column
// block of 16 weight rows in the order TDPBF16PS wants its second operand ("VNNI"): tile row r, column n
// = weights (n, 2r) and (n, 2r + 1).
//
// The kernel is compiled with target attributes and chosen at run time, so the build runs on any CPU.

#include "kernels/AmxProduct.h"

#include <algorithm>
#include <cstring>
#include <new>
#include <stdexcept>

#if defined(__x86_64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__))
// GCC 12's own intrinsics (_mm512_undefined_epi32 inside the conversions) trip -Wmaybe-uninitialized by
// design; nothing in this file reads an uninitialised value.
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <cpuid.h>
#include <immintrin.h>
#include <sys/syscall.h>
#include <unistd.h>
#define CONTINUO_HAVE_AMX_KERNEL 1
#endif

namespace continuo::model::amx {
namespace {

constexpr std::int64_t kTileRows = 16;                      ///< output rows per C tile, k pairs per B tile
constexpr std::int64_t kColsPerBlock = 32;                  ///< bf16 values in a 64-byte tile row
constexpr std::int64_t kTileValues = 16 * 32;               ///< bf16 values in a full tile (1 kB)
constexpr std::int64_t kGroupBlockValues = 4 * kTileValues; ///< one group × one column block

std::int64_t roundUp(std::int64_t v, std::int64_t m) {
    return (v + m - 1) / m * m;
}

AlignedBf16 allocate(std::int64_t values) {
    const std::size_t bytes = std::size_t(roundUp(std::max<std::int64_t>(values, 1) * 2, 64));
    auto* p = static_cast<std::uint16_t*>(std::aligned_alloc(64, bytes));
    if (!p) throw std::bad_alloc();
    std::memset(p, 0, bytes);
    return AlignedBf16(p);
}

void split(float v, std::uint16_t& hi, std::uint16_t& lo) {
    hi = toBf16(v);
    lo = toBf16(v - fromBf16(hi)); // exact: hi is v rounded, so the difference is a float
}

#ifdef CONTINUO_HAVE_AMX_KERNEL
// The 64-byte operand of LDTILECFG (palette 1).
struct alignas(64) TileConfig {
    std::uint8_t palette = 1;
    std::uint8_t startRow = 0;
    std::uint8_t reserved[14] = {};
    std::uint16_t colsb[16] = {};
    std::uint8_t rows[16] = {};
};
static_assert(sizeof(TileConfig) == 64);

// Tiles: 0, 1 = outputs of the group's two 16-row halves (batch × 16 floats); 2, 3 = x hi, lo (batch × 32
// bf16); 4, 5 = weights hi, lo of half 0; 6, 7 = of half 1.
__attribute__((target("amx-tile,amx-bf16"))) void
runGroups(const std::uint16_t* tiles, std::int64_t kBlocks, const std::uint16_t* xHi,
          const std::uint16_t* xLo, std::int64_t xStride, std::int64_t batch, std::int64_t rows, float* out,
          std::int64_t ldo, std::int64_t g0, std::int64_t g1) {
    TileConfig cfg;
    for (int t = 0; t < 8; ++t) {
        cfg.colsb[t] = 64;
        cfg.rows[t] = std::uint8_t(t < 4 ? batch : kTileRows);
    }
    _tile_loadconfig(&cfg);
    const std::int64_t xBytes = xStride * 2;
    alignas(64) float result[2][kTileRows * 16];
    for (std::int64_t g = g0; g < g1; ++g) {
        _tile_zero(0);
        _tile_zero(1);
        const std::uint16_t* t = tiles + g * kBlocks * kGroupBlockValues;
        for (std::int64_t kb = 0; kb < kBlocks; ++kb, t += kGroupBlockValues) {
            {
                // Two blocks (8 kB) ahead: tile loads alone left batch 1 about 10 % behind the float
                // kernel's plain loads, and batch 8 noisier. Prefetching past the end cannot fault.
                const char* pf = reinterpret_cast<const char*>(t + 2 * kGroupBlockValues);
                for (int l = 0; l < 64; ++l)
                    _mm_prefetch(pf + 64 * l, _MM_HINT_T0);
            }
            _tile_loadd(2, xHi + kb * kColsPerBlock, xBytes);
            _tile_loadd(3, xLo + kb * kColsPerBlock, xBytes);
            _tile_loadd(4, t, 64);
            _tile_loadd(5, t + kTileValues, 64);
            _tile_loadd(6, t + 2 * kTileValues, 64);
            _tile_loadd(7, t + 3 * kTileValues, 64);
            // Small terms first, then hi·hi: the same order for every output.
            _tile_dpbf16ps(0, 3, 4);
            _tile_dpbf16ps(0, 2, 5);
            _tile_dpbf16ps(0, 2, 4);
            _tile_dpbf16ps(1, 3, 6);
            _tile_dpbf16ps(1, 2, 7);
            _tile_dpbf16ps(1, 2, 6);
        }
        _tile_stored(0, result[0], 64);
        _tile_stored(1, result[1], 64);
        const std::int64_t j0 = g * kRowsPerGroup;
        const std::int64_t n = std::min<std::int64_t>(kRowsPerGroup, rows - j0);
        for (std::int64_t b = 0; b < batch; ++b) {
            float* o = out + b * ldo + j0;
            for (std::int64_t j = 0; j < n; ++j)
                o[j] += result[j / 16][b * 16 + j % 16];
        }
    }
    _tile_release();
}

// One input row split with AVX512-BF16's conversion (round to nearest even; it reads denormals as zero,
// which only ever changes a lo part below 1e-38): 16 floats per step instead of one.
__attribute__((target("avx512f,avx512bw,avx512bf16"))) void
splitRowAvx512(const float* x, std::int64_t n, std::uint16_t* hi, std::uint16_t* lo) {
    std::int64_t k = 0;
    for (; k + 16 <= n; k += 16) {
        const __m512 v = _mm512_loadu_ps(x + k);
        const __m256i h = (__m256i)_mm512_cvtneps_pbh(v);
        const __m512 hf = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
        const __m256i l = (__m256i)_mm512_cvtneps_pbh(_mm512_sub_ps(v, hf));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(hi + k), h);
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(lo + k), l);
    }
    for (; k < n; ++k)
        split(x[k], hi[k], lo[k]);
}

bool askForTiles() {
    unsigned a = 0, b = 0, c = 0, d = 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    const bool amxBf16 = d & (1u << 22), amxTile = d & (1u << 24);
    if (!amxBf16 || !amxTile) return false;
    // AVX512-BF16 (leaf 7.1, EAX bit 5) converts the inputs; every AMX CPU so far has it, but ask.
    if (!__get_cpuid_count(7, 1, &a, &b, &c, &d) || !(a & (1u << 5))) return false;
    // Linux (5.16+) hands out the 8 kB of tile state only on request: ARCH_REQ_XCOMP_PERM for
    // XFEATURE_XTILEDATA. Without it the first tile instruction is a SIGILL.
    constexpr long kArchReqXcompPerm = 0x1023, kXfeatureXtiledata = 18;
    return syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0;
}
#endif

} // namespace

std::uint16_t toBf16(float v) {
    std::uint32_t u;
    std::memcpy(&u, &v, 4);
    if ((u & 0x7fffffffu) > 0x7f800000u) return std::uint16_t((u >> 16) | 0x40); // NaN stays a (quiet) NaN
    u += 0x7fffu + ((u >> 16) & 1u);
    return std::uint16_t(u >> 16);
}

float fromBf16(std::uint16_t v) {
    const std::uint32_t u = std::uint32_t(v) << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

bool available() {
#ifdef CONTINUO_HAVE_AMX_KERNEL
    static const bool ok = askForTiles();
    return ok;
#else
    return false;
#endif
}

void SplitInput::set(const float* x, std::int64_t batch, std::int64_t cols, std::int64_t ldx) {
    if (batch < 1 || batch > kMaxBatch) throw std::invalid_argument("amx::SplitInput: batch must be 1-16");
    const std::int64_t stride = roundUp(cols, kColsPerBlock);
    if (batch * stride > capacity_) {
        capacity_ = batch * stride;
        hi_ = allocate(capacity_);
        lo_ = allocate(capacity_);
    }
    batch_ = batch;
    stride_ = stride;
    for (std::int64_t b = 0; b < batch; ++b) {
        std::uint16_t* h = hi_.get() + b * stride;
        std::uint16_t* l = lo_.get() + b * stride;
#ifdef CONTINUO_HAVE_AMX_KERNEL
        if (available()) {
            splitRowAvx512(x + b * ldx, cols, h, l);
        } else
#endif
            for (std::int64_t k = 0; k < cols; ++k)
                split(x[b * ldx + k], h[k], l[k]);
        std::fill(h + cols, h + stride, std::uint16_t(0));
        std::fill(l + cols, l + stride, std::uint16_t(0));
    }
}

PackedMatrix::PackedMatrix(const float* w, std::int64_t rows, std::int64_t cols, std::int64_t ldw)
    : rows_(rows)
    , cols_(cols)
    , groups_((rows + kRowsPerGroup - 1) / kRowsPerGroup)
    , kBlocks_((cols + kColsPerBlock - 1) / kColsPerBlock)
    , tiles_(allocate(groups_ * kBlocks_ * kGroupBlockValues)) {
    for (std::int64_t g = 0; g < groups_; ++g)
        for (std::int64_t kb = 0; kb < kBlocks_; ++kb) {
            std::uint16_t* t = tiles_.get() + (g * kBlocks_ + kb) * kGroupBlockValues;
            for (int half = 0; half < 2; ++half) {
                std::uint16_t* hi = t + 2 * half * kTileValues;
                std::uint16_t* lo = hi + kTileValues;
                for (std::int64_t n = 0; n < kTileRows; ++n) {
                    const std::int64_t j = g * kRowsPerGroup + half * kTileRows + n;
                    if (j >= rows) break; // padding rows stay zero
                    for (std::int64_t kk = 0; kk < kColsPerBlock; ++kk) {
                        const std::int64_t k = kb * kColsPerBlock + kk;
                        if (k >= cols) break;
                        const std::int64_t at = (kk / 2) * kColsPerBlock + n * 2 + kk % 2;
                        split(w[j * ldw + k], hi[at], lo[at]);
                    }
                }
            }
        }
}

void PackedMatrix::accumulate(const SplitInput& x, float* out, std::int64_t ldo, std::int64_t groupBegin,
                              std::int64_t groupEnd) const {
    if (x.stride_ != kBlocks_ * kColsPerBlock)
        throw std::invalid_argument("amx::PackedMatrix: the input's width does not match the weights");
    groupBegin = std::max<std::int64_t>(0, groupBegin);
    groupEnd = std::min(groups_, groupEnd);
    if (groupBegin >= groupEnd) return;
#ifdef CONTINUO_HAVE_AMX_KERNEL
    if (!available()) throw std::logic_error("amx::PackedMatrix::accumulate: no AMX on this CPU");
    runGroups(tiles_.get(), kBlocks_, x.hi_.get(), x.lo_.get(), x.stride_, x.batch_, rows_, out, ldo,
              groupBegin, groupEnd);
#else
    (void)out;
    (void)ldo;
    throw std::logic_error("amx::PackedMatrix::accumulate: built without the AMX kernel");
#endif
}

} // namespace continuo::model::amx
