#include "kernels/StepKernelChoice.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <tuple>

#include <unistd.h>

namespace continuo::model {

namespace {

/// "AMD EPYC 9R14 96-Core Processor" from /proc/cpuinfo; the cache key, so a disk image moved to another
/// machine times again. "unknown CPU" where there is no such file.
std::string cpuModel() {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
        }
    return "unknown CPU";
}

std::string cacheKey(std::int64_t rows, std::int64_t cols) {
    std::string paths;
    for (StepPath p : availablePaths())
        paths += std::string(paths.empty() ? "" : ",") + pathName(p);
    return cpuModel() + "|" + paths + "|" + std::to_string(rows) + "x" + std::to_string(cols);
}

std::string describe(const PathChoice& c, std::int64_t rows, std::int64_t cols) {
    if (c.timings.size() < 2) return std::string(pathName(c.path)) + ": the only vector path this CPU has";
    char buf[256];
    std::string others;
    for (std::size_t i = 1; i < c.timings.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%s%s %.3f ms", i > 1 ? ", " : "", pathName(c.timings[i].path),
                      c.timings[i].milliseconds);
        others += buf;
    }
    std::snprintf(buf, sizeof buf, "%s: %.3f ms against %s on a %lld × %lld product at batch 1 + 8%s",
                  pathName(c.path), c.timings[0].milliseconds, others.c_str(), static_cast<long long>(rows),
                  static_cast<long long>(cols), c.fromCache ? " (timed earlier on this machine)" : "");
    return buf;
}

std::optional<StepPath> pathFromName(const std::string& name) {
    for (StepPath p : {StepPath::Avx512, StepPath::Avx2Fma, StepPath::Portable})
        if (name == pathName(p)) return p;
    return std::nullopt;
}

/// Median milliseconds of one product at batch 1 plus one at batch 8 on `path`.
double timePath(StepPath path, const std::vector<float>& w, std::int64_t rows, std::int64_t cols) {
    using Clock = std::chrono::steady_clock;
    const StepMatrix m(path, w.data(), rows, cols, cols);
    std::vector<float> x(std::size_t(8 * cols), 0.5f), out(std::size_t(8 * rows), 0.f);
    auto run = [&](std::int64_t batch) {
        m.accumulate({x.data(), batch, cols, out.data(), rows}, 0, m.groups());
    };
    run(1), run(8); // warm-up: page in the packed weights, wake the vector units
    std::vector<double> ms;
    for (int r = 0; r < 7; ++r) {
        const auto t0 = Clock::now();
        run(1), run(8);
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::nth_element(ms.begin(), ms.begin() + 3, ms.end());
    return ms[3];
}

/// Reads "key<TAB>path<TAB>ms path ms …" lines; a line that does not parse is skipped.
std::map<std::string, std::string> readCache(const std::filesystem::path& file) {
    std::map<std::string, std::string> lines;
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        const auto tab = line.find('\t');
        if (tab != std::string::npos) lines[line.substr(0, tab)] = line.substr(tab + 1);
    }
    return lines;
}

std::optional<PathChoice> parseEntry(const std::string& value) {
    std::istringstream in(value);
    std::string name;
    PathChoice c;
    c.fromCache = true;
    in >> name;
    const auto chosen = pathFromName(name);
    if (!chosen || !pathAvailable(*chosen)) return std::nullopt;
    c.path = *chosen;
    double ms = 0;
    while (in >> name >> ms) {
        const auto p = pathFromName(name);
        if (!p) return std::nullopt;
        c.timings.push_back({*p, ms});
    }
    if (c.timings.empty() || c.timings.front().path != c.path) return std::nullopt;
    return c;
}

void writeCache(const std::filesystem::path& file, const std::string& key, const PathChoice& c) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    auto lines = readCache(file);
    std::ostringstream value;
    value << pathName(c.path);
    for (const PathTiming& t : c.timings)
        value << ' ' << pathName(t.path) << ' ' << t.milliseconds;
    lines[key] = value.str();
    // A cache: a failed or torn write only costs a timing next time, so a plain rewrite of a temporary
    // file renamed into place is enough (no fsync).
    const std::filesystem::path tmp = file.string() + ".tmp" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::trunc);
        for (const auto& [k, v] : lines)
            out << k << '\t' << v << '\n';
        if (!out) return;
    }
    std::filesystem::rename(tmp, file, ec);
    if (ec) std::filesystem::remove(tmp, ec);
}

} // namespace

std::filesystem::path defaultStepPathCache() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return std::filesystem::path(xdg) / "continuo" / "step-kernels.txt";
    if (const char* home = std::getenv("HOME"); home && *home)
        return std::filesystem::path(home) / ".cache" / "continuo" / "step-kernels.txt";
    return {};
}

PathChoice chooseStepPath(std::int64_t rows, std::int64_t cols) {
    return chooseStepPath(rows, cols, defaultStepPathCache());
}

PathChoice chooseStepPath(std::int64_t rows, std::int64_t cols, const std::filesystem::path& cacheFile,
                          bool timePortable) {
    static std::mutex mutex;
    static std::map<std::tuple<std::int64_t, std::int64_t, std::string>, PathChoice> known;
    const std::lock_guard lock(mutex);

    if (const char* forced = std::getenv("CONTINUO_STEP_PATH"); forced && *forced)
        if (const auto p = pathFromName(forced); p && pathAvailable(*p)) {
            PathChoice c;
            c.path = *p;
            c.why = std::string(pathName(*p)) + ": set by CONTINUO_STEP_PATH";
            return c;
        }

    const auto memo = std::make_tuple(rows, cols, cacheFile.string() + (timePortable ? "+portable" : ""));
    if (const auto it = known.find(memo); it != known.end()) return it->second;

    std::vector<StepPath> vector;
    for (StepPath p : availablePaths())
        if (p != StepPath::Portable || timePortable) vector.push_back(p);
    PathChoice c;
    if (vector.size() <= 1) {
        c.path = vector.empty() ? StepPath::Portable : vector.front();
        c.why = vector.empty()
                    ? std::string("portable: this CPU has no AVX2 or AVX-512 (or the build is not x86-64)")
                    : describe(c, rows, cols);
        return known[memo] = c;
    }
    const std::string key = cacheKey(rows, cols) + (timePortable ? "|portable" : "");
    if (!cacheFile.empty()) {
        const auto lines = readCache(cacheFile);
        if (const auto it = lines.find(key); it != lines.end())
            if (const auto cached = parseEntry(it->second)) c = *cached;
    }
    if (!c.fromCache) {
        std::mt19937 rng(1);
        std::uniform_real_distribution<float> dist(-0.1f, 0.1f);
        std::vector<float> w(std::size_t(rows * cols));
        for (float& v : w)
            v = dist(rng);
        for (StepPath p : vector)
            c.timings.push_back({p, timePath(p, w, rows, cols)});
        std::sort(c.timings.begin(), c.timings.end(),
                  [](const PathTiming& a, const PathTiming& b) { return a.milliseconds < b.milliseconds; });
        c.path = c.timings.front().path;
        if (!cacheFile.empty()) writeCache(cacheFile, key, c);
    }
    c.why = describe(c, rows, cols);
    return known[memo] = c;
}

} // namespace continuo::model
