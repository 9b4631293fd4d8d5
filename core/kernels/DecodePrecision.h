#pragma once
// The arithmetic of the CPU decoding step (LstmComposer::decodePrecision, `--precision`). No LibTorch.

#include "kernels/StepKernels.h"

#include <optional>
#include <string>

namespace continuo::model {

/// The arithmetic of the CPU decoding step's matrix products (the cell, sampling and everything else are
/// float32 either way; another device uses its own):
/// - Float32: AVX-512, AVX2 + FMA or portable C++ float products (StepKernels.h, the fastest this CPU
///   has), exact to float rounding.
/// - Bf16x3: AMX tiles with every float split into two bf16 halves (AmxProduct.h): a dot product within
///   3·2⁻¹⁶ of Σ|w·x| of its exact value (about 1e-6 measured for the model's sums, tst_amx_product), and
///   a step of 8 variations costs little more than a step of one. PyTorch's "high" float32 matmul precision.
/// - Auto: Bf16x3 where the CPU has AMX-BF16, Float32 elsewhere.
/// Each gives the same notes at any batch for a given seed; the two precisions (and so machines with and
/// without AMX under Auto) can differ only where two tokens' logits lie within about 1e-4 of a sampling
/// boundary (on the shipped model 16 of 16 variations came out note for note the same, tst_default_model).
enum class DecodePrecision { Auto, Float32, Bf16x3 };
/// Auto → what this CPU runs. Throws std::runtime_error for Bf16x3 on a CPU without AMX.
DecodePrecision resolvePrecision(DecodePrecision precision);
/// "auto", "fp32", "bf16x3" (the CLI's names), and back (nullopt: not one of them).
const char* precisionName(DecodePrecision precision);
std::optional<DecodePrecision> parsePrecision(const std::string& name);
/// The kernel a precision runs: "amx-bf16x3", "avx512-fp32", "avx2-fp32" or "portable-fp32", with the
/// float32 products on `path` (none: the newest path this CPU has; the engine runs the fastest one it
/// timed, chooseStepPath). Throws as resolve.
std::string decodeKernelName(DecodePrecision precision, std::optional<StepPath> path = std::nullopt);

} // namespace continuo::model
