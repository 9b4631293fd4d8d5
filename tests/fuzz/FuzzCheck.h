#pragma once
// What every fuzz target does when a property fails: say which, and abort so libFuzzer keeps the input.

#include <cstdio>
#include <cstdlib>

namespace continuo::fuzz {

inline void check(bool ok, const char* what) {
    if (!ok) {
        std::fprintf(stderr, "property violated: %s\n", what);
        std::abort();
    }
}

} // namespace continuo::fuzz
