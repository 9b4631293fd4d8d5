// The decoding step's arithmetic (StepKernels.h): which path runs, and the portable one. The vector paths
// are in StepKernelsAvx512.cpp and StepKernelsAvx2.cpp.

#include "kernels/internal/StepKernelPaths.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

namespace continuo::model {
namespace {
using detail::RowProduct;

constexpr int kMaxBlock = 8; // batch rows per block
constexpr int kLanes = 16;

// 16 partial sums per output, added in a fixed order at the end (written in the shape of the AVX-512
// path's accumulators; the two still differ in the last bits, as StepKernels.h says).
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

using RunFn = void (*)(const RowProduct&, std::int64_t, std::int64_t, std::int64_t);
template <std::size_t... I> constexpr auto portableTable(std::index_sequence<I...>) {
    return std::array<RunFn, sizeof...(I)>{&runPortable<int(I) + 1>...};
}
constexpr auto kPortable = portableTable(std::make_index_sequence<kMaxBlock>{});

bool cpuHas(StepPath path) {
#ifdef CONTINUO_HAVE_X86_STEP_KERNELS
    // Asked once each: __builtin_cpu_supports reads cpuid's cached answers, but the statics keep the
    // dispatch on the hot path to one load.
    static const bool avx512 = __builtin_cpu_supports("avx512f");
    static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    switch (path) {
    case StepPath::Avx512:
        return avx512;
    case StepPath::Avx2Fma:
        return avx2;
    case StepPath::Portable:
        return true;
    }
    return false;
#else
    return path == StepPath::Portable;
#endif
}

StepPath fastest() {
    static const StepPath best = availablePaths().front();
    return best;
}

void requireAvailable(StepPath path) {
    if (!cpuHas(path))
        throw std::invalid_argument(std::string("step kernels: this CPU cannot run the ") + pathName(path) +
                                    " path");
}

} // namespace

namespace detail {

void accumulateRowsPortable(const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd) {
    for (std::int64_t b0 = 0; b0 < p.batch; b0 += kMaxBlock)
        kPortable[std::size_t(std::min<std::int64_t>(kMaxBlock, p.batch - b0) - 1)](p, b0, rowBegin, rowEnd);
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

} // namespace detail

bool pathAvailable(StepPath path) {
    return cpuHas(path);
}

std::vector<StepPath> availablePaths() {
    std::vector<StepPath> paths;
    for (StepPath p : {StepPath::Avx512, StepPath::Avx2Fma, StepPath::Portable})
        if (cpuHas(p)) paths.push_back(p);
    return paths;
}

const char* pathName(StepPath path) {
    switch (path) {
    case StepPath::Avx512:
        return "avx512";
    case StepPath::Avx2Fma:
        return "avx2";
    case StepPath::Portable:
        return "portable";
    }
    return "?";
}

namespace {
// The switch behind both entry points of the cell: the checked one (…On) and the fastest path's.
void cellOn(StepPath path, const float* gates, float* c, float* h, std::int64_t units) {
    switch (path) {
#ifdef CONTINUO_HAVE_X86_STEP_KERNELS
    case StepPath::Avx512:
        return detail::lstmCellRowAvx512(gates, c, h, units);
    case StepPath::Avx2Fma:
        return detail::lstmCellRowAvx2(gates, c, h, units);
#endif
    default:
        return detail::lstmCellRowPortable(gates, c, h, units);
    }
}

constexpr std::align_val_t kAlignment{64};
} // namespace

void StepMatrix::AlignedFree::operator()(float* p) const {
    ::operator delete[](p, kAlignment);
}

StepMatrix::StepMatrix(StepPath path, const float* w, std::int64_t rows, std::int64_t cols, std::int64_t ldw)
    : path_(path)
    , rows_(rows)
    , cols_(cols)
    , group_(detail::panelRows(path)) {
    requireAvailable(path);
    if (rows < 1 || cols < 1 || ldw < cols || !w)
        throw std::invalid_argument("StepMatrix: bad shape " + std::to_string(rows) + " x " +
                                    std::to_string(cols) + " (row stride " + std::to_string(ldw) + ")");
    const std::size_t size = std::size_t(groups() * group_ * cols);
    data_.reset(static_cast<float*>(::operator new[](size * sizeof(float), kAlignment)));
    float* d = data_.get();
    if (group_ == 1) {
        for (std::int64_t r = 0; r < rows; ++r)
            std::copy_n(w + r * ldw, cols, d + r * cols);
        return;
    }
    // Panel q, column k, lane l = row group·q + l (zero past the last row).
    for (std::int64_t q = 0; q < groups(); ++q)
        for (std::int64_t k = 0; k < cols; ++k)
            for (std::int64_t l = 0; l < group_; ++l) {
                const std::int64_t r = q * group_ + l;
                d[(q * cols + k) * group_ + l] = r < rows ? w[r * ldw + k] : 0.f;
            }
}

void StepMatrix::accumulate(const ProductIo& io, std::int64_t groupBegin, std::int64_t groupEnd) const {
    groupBegin = std::max<std::int64_t>(0, groupBegin);
    groupEnd = std::min(groupEnd, groups());
    if (groupBegin >= groupEnd || io.batch < 1) return;
    const RowProduct rows{data_.get(), rows_, cols_, cols_, io.x, io.batch, io.ldx, io.out, io.ldo};
    switch (path_) {
#ifdef CONTINUO_HAVE_X86_STEP_KERNELS
    case StepPath::Avx2Fma:
        return detail::accumulatePanelsAvx2({data_.get(), rows_, cols_, io}, groupBegin, groupEnd);
    case StepPath::Avx512:
        return detail::accumulatePanelsAvx512({data_.get(), rows_, cols_, io}, groupBegin, groupEnd);
#endif
    default:
        return detail::accumulateRowsPortable(rows, groupBegin, groupEnd);
    }
}

void lstmCellRowOn(StepPath path, const float* gates, float* c, float* h, std::int64_t units) {
    requireAvailable(path);
    cellOn(path, gates, c, h, units);
}
void lstmCellRow(const float* gates, float* c, float* h, std::int64_t units) {
    cellOn(fastest(), gates, c, h, units);
}

const char* rowKernelName() {
    return pathName(fastest());
}

} // namespace continuo::model
