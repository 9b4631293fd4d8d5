// Which decoding kernel a precision means on this CPU, and the precisions' names.

#include "kernels/DecodePrecision.h"

#include "kernels/AmxProduct.h"
#include "kernels/StepKernels.h"

#include <stdexcept>

namespace continuo::model {

DecodePrecision resolvePrecision(DecodePrecision p) {
    if (p == DecodePrecision::Auto)
        return amx::available() ? DecodePrecision::Bf16x3 : DecodePrecision::Float32;
    if (p == DecodePrecision::Bf16x3 && !amx::available())
        throw std::runtime_error(
            "bf16x3 decoding needs a CPU with AMX-BF16 (and Linux 5.16 or later); this one "
            "has none: use fp32 or auto");
    return p;
}

const char* precisionName(DecodePrecision p) {
    switch (p) {
    case DecodePrecision::Auto:
        return "auto";
    case DecodePrecision::Float32:
        return "fp32";
    case DecodePrecision::Bf16x3:
        return "bf16x3";
    }
    return "?";
}

std::optional<DecodePrecision> parsePrecision(const std::string& name) {
    for (DecodePrecision p : {DecodePrecision::Auto, DecodePrecision::Float32, DecodePrecision::Bf16x3})
        if (name == precisionName(p)) return p;
    return std::nullopt;
}

std::string decodeKernelName(DecodePrecision p, std::optional<StepPath> path) {
    return resolvePrecision(p) == DecodePrecision::Bf16x3
               ? "amx-bf16x3"
               : std::string(path ? pathName(*path) : rowKernelName()) + "-fp32";
}

} // namespace continuo::model
