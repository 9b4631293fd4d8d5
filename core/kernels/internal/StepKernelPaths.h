#pragma once
// Inside core/model: the per-instruction-set implementations behind StepKernels.h, one translation unit
// each. Call them only through StepKernels.h's dispatch (a path's code faults on a CPU without its
// instructions).

#include "kernels/StepKernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CONTINUO_HAVE_X86_STEP_KERNELS 1
#endif

namespace continuo::model::detail {

/// A product on a row-major StepMatrix (the Portable path).
struct RowProduct {
    const float* w = nullptr; ///< weights, `rows` × `cols`, row-major, row stride `ldw` floats
    std::int64_t rows = 0, cols = 0, ldw = 0;
    const float* x = nullptr; ///< inputs, `batch` × `cols`, row stride `ldx`
    std::int64_t batch = 0, ldx = 0;
    float* out = nullptr; ///< `batch` × `rows`, row stride `ldo`; accumulated into (out += x · wᵀ)
    std::int64_t ldo = 0;
};

/// A product on a panelled StepMatrix: `panels` holds ⌈rows / P⌉ panels of cols × P floats, P = 8 on
/// Avx2Fma and 16 on Avx512 (panelRows); computes the outputs of panels [panelBegin, panelEnd).
struct PanelProduct {
    const float* panels = nullptr;
    std::int64_t rows = 0, cols = 0;
    ProductIo io;
};
/// Rows per panel of a path's StepMatrix: one vector register of floats (1: row-major, not panelled).
constexpr std::int64_t panelRows(StepPath path) {
    return path == StepPath::Avx2Fma ? 8 : path == StepPath::Avx512 ? 16 : 1;
}

void accumulateRowsPortable(const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd);
void lstmCellRowPortable(const float* gates, float* c, float* h, std::int64_t units);

#ifdef CONTINUO_HAVE_X86_STEP_KERNELS
void accumulatePanelsAvx512(const PanelProduct& p, std::int64_t panelBegin, std::int64_t panelEnd);
void lstmCellRowAvx512(const float* gates, float* c, float* h, std::int64_t units);
void accumulatePanelsAvx2(const PanelProduct& p, std::int64_t panelBegin, std::int64_t panelEnd);
void lstmCellRowAvx2(const float* gates, float* c, float* h, std::int64_t units);
#endif

} // namespace continuo::model::detail
