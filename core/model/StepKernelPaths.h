#pragma once
// Inside core/model: the per-instruction-set implementations behind StepKernels.h, one translation unit
// each. Call them only through StepKernels.h's dispatch (a path's code faults on a CPU without its
// instructions).

#include "model/StepKernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define CONTINUO_HAVE_X86_STEP_KERNELS 1
#endif

namespace continuo::model::detail {

void accumulateRowsPortable(const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd);
void lstmCellRowPortable(const float* gates, float* c, float* h, std::int64_t units);

#ifdef CONTINUO_HAVE_X86_STEP_KERNELS
void accumulateRowsAvx512(const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd);
void lstmCellRowAvx512(const float* gates, float* c, float* h, std::int64_t units);
void accumulateRowsAvx2(const RowProduct& p, std::int64_t rowBegin, std::int64_t rowEnd);
void lstmCellRowAvx2(const float* gates, float* c, float* h, std::int64_t units);
#endif

} // namespace continuo::model::detail
