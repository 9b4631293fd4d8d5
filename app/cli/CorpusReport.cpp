#include "cli/CorpusReport.h"

#include "music/CorpusFiles.h"
#include "music/Tokenizer.h"

#include <algorithm>
#include <cstdio>
#include <unistd.h>

namespace continuo::cli {
namespace {

namespace fs = std::filesystem;

nlohmann::json splitJson(const music::DatasetSplit& s) {
    return {{"files", s.files.size()},    {"notes", s.notes},
            {"tokens", s.tokens.size()},  {"tokensUntransposed", s.untransposedTokens},
            {"streams", s.streamCount()}, {"windows", s.windowCount()}};
}

/// The bar encoding's structure in the untransposed streams of both splits: bars, and the bars that are
/// COPY moves (untransposed, by scale steps, by semitones). Empty for other encodings.
struct CopyFigures {
    std::uint64_t bars = 0, untransposed = 0, scaleSteps = 0, semitones = 0;
    std::uint64_t copies() const { return untransposed + scaleSteps + semitones; }
};

CopyFigures copyFigures(const music::Dataset& ds) {
    CopyFigures f;
    if (ds.tokenizer.encoding != music::Encoding::Bar) return f;
    const auto tok = music::Tokenizer::create(ds.tokenizer);
    for (const music::DatasetSplit* split : {&ds.train, &ds.validation})
        for (std::size_t i = 0; i < split->streamCount(); ++i) {
            if (split->streamTranspose[i] != 0) continue;
            for (auto t = split->streamStarts[i]; t < split->streamStarts[i + 1]; ++t) {
                const std::int32_t id = split->tokens[std::size_t(t)];
                if (tok->kind(id) == music::TokenKind::Bar) ++f.bars;
                if (const auto move = tok->copyMove(id))
                    ++(move->transpose == 0 ? f.untransposed : move->scaleSteps ? f.scaleSteps : f.semitones);
            }
        }
    return f;
}

std::string thousands(std::uint64_t n) {
    std::string s = std::to_string(n);
    for (int i = int(s.size()) - 3; i > 0; i -= 3)
        s.insert(std::size_t(i), ",");
    return s;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0 : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

} // namespace

nlohmann::json corpusJson(const std::vector<fs::path>& dirs, const music::Dataset& ds) {
    const music::DatasetStats& st = ds.stats;
    nlohmann::json j;
    auto& d = j["dirs"] = nlohmann::json::array();
    for (const fs::path& p : dirs)
        d.push_back(p.string());
    j["tokenizer"] = ds.tokenizer.toString();
    j["encoding"] = music::encodingName(ds.tokenizer.encoding);
    j["policy"] = music::policyName(ds.tokenizer.policy);
    j["vocabSize"] = ds.vocabSize;
    j["window"] = ds.window;
    j["filesFound"] = st.filesFound;
    j["usable"] = st.filesUsable;
    auto& skipped = j["skipped"] = nlohmann::json::array();
    for (const music::SkippedFile& s : ds.skipped) {
        skipped.push_back(
            {{"file", s.file.string()}, {"reason", music::skipReasonName(s.reason)}, {"detail", s.detail}});
    }
    j["notes"] = st.notes;
    j["tokens"] = st.tokens;
    j["clampedTokens"] = st.clampedTokens;
    j["clampedShare"] = st.clampedShare();
    j["train"] = splitJson(ds.train);
    j["validation"] = splitJson(ds.validation);
    if (ds.tokenizer.encoding == music::Encoding::Bar) {
        const CopyFigures c = copyFigures(ds);
        j["bars"] = {{"bars", c.bars},
                     {"copies", c.copies()},
                     {"untransposed", c.untransposed},
                     {"scaleSteps", c.scaleSteps},
                     {"semitones", c.semitones}};
    }
    j["seconds"] = st.seconds;
    j["cached"] = st.filesParsed == 0;
    j["cache"] = {{"file", st.cacheFile.string()},
                  {"filesFromCache", st.filesFromCache},
                  {"filesParsed", st.filesParsed},
                  {"written", st.cacheWritten}};
    j["threads"] = st.threads;
    return j;
}

std::string corpusText(const std::vector<fs::path>& dirs, const music::Dataset& ds) {
    const music::DatasetStats& st = ds.stats;
    std::string out;
    char buf[512];
    std::string where;
    for (const fs::path& p : dirs)
        where += (where.empty() ? "" : ", ") + p.string();
    std::snprintf(buf, sizeof buf, "%s: %zu MIDI files, %zu usable, %zu skipped\n", where.c_str(),
                  st.filesFound, st.filesUsable, ds.skipped.size());
    out += buf;
    for (const music::SkippedFile& s : ds.skipped) {
        out += "  skipped (" + std::string(music::skipReasonName(s.reason)) + "): " + s.file.string() + ": " +
               s.detail + "\n";
    }
    std::snprintf(buf, sizeof buf, "notes: %s melodic notes encoded\n", thousands(st.notes).c_str());
    out += buf;
    std::snprintf(buf, sizeof buf, "tokens: %s (%s encoding, %s policy, vocabulary %d), %.3f %% clamped\n",
                  thousands(st.tokens).c_str(), music::encodingName(ds.tokenizer.encoding),
                  music::policyName(ds.tokenizer.policy), ds.vocabSize, 100.0 * st.clampedShare());
    out += buf;
    auto split = [&](const char* name, const music::DatasetSplit& s) {
        std::snprintf(buf, sizeof buf, "%s: %zu files, %s tokens (%s untransposed), %s windows of %d\n", name,
                      s.files.size(), thousands(s.tokens.size()).c_str(),
                      thousands(s.untransposedTokens).c_str(), thousands(s.windowCount()).c_str(), ds.window);
        out += buf;
    };
    split("train", ds.train);
    split("validation", ds.validation);
    if (ds.tokenizer.encoding == music::Encoding::Bar) {
        const CopyFigures c = copyFigures(ds);
        std::snprintf(
            buf, sizeof buf,
            "bars: %s untransposed, %s of them COPY moves (%s as they were, %s by scale steps, %s by "
            "semitones)\n",
            thousands(c.bars).c_str(), thousands(c.copies()).c_str(), thousands(c.untransposed).c_str(),
            thousands(c.scaleSteps).c_str(), thousands(c.semitones).c_str());
        out += buf;
    }
    if (st.filesParsed == 0) {
        std::snprintf(buf, sizeof buf, "time: %.3f s (cached: all %zu files from %s)\n", st.seconds,
                      st.filesFromCache, st.cacheFile.string().c_str());
    } else {
        std::snprintf(buf, sizeof buf,
                      "time: %.3f s (cold: %zu files read and encoded on %d thread%s, %zu from the cache)\n",
                      st.seconds, st.filesParsed, st.threads, st.threads == 1 ? "" : "s", st.filesFromCache);
    }
    out += buf;
    return out;
}

nlohmann::json runCorpusBench(const CorpusBenchOptions& o) {
    std::vector<fs::path> dirs = o.dirs;
    std::error_code ec;
    if (dirs.empty() && !music::findMidiFiles({"corpus"}).empty())
        dirs.emplace_back(fs::absolute("corpus", ec));
    if (dirs.empty()) dirs = music::debianMidiFolders();
    if (dirs.empty()) {
        std::fprintf(
            stderr, "corpus: no corpus (run scripts/build-corpus.sh) and no Debian MIDI packages: skipped\n");
        return {{"skipped", "no corpus"}};
    }
    const fs::path cacheDir =
        fs::temp_directory_path() / ("continuo-bench-corpus-" + std::to_string(::getpid()));
    music::DatasetOptions options;
    options.cacheDir = cacheDir;
    std::vector<double> cold, cached;
    music::Dataset last;
    for (int r = 0; r < std::max(1, o.repetitions); ++r) {
        fs::remove_all(cacheDir, ec);
        last = music::buildDataset(dirs, options);
        cold.push_back(last.stats.seconds);
        last = music::buildDataset(dirs, options);
        cached.push_back(last.stats.seconds);
    }
    fs::remove_all(cacheDir, ec);
    const double coldS = median(cold), cachedS = median(cached);
    nlohmann::json j = corpusJson(dirs, last);
    j.erase("skipped");
    j["skippedFiles"] = last.skipped.size();
    j["cold_s"] = coldS;
    j["cached_s"] = cachedS;
    j["threads"] = last.stats.threads;
    j["goal_cold_s"] = 10.0;
    j["goal_cached_s"] = 1.0;
    j["goals_met"] = coldS < 10.0 && cachedS < 1.0;
    std::fprintf(stderr,
                 "corpus: %zu files (%zu usable), %s notes, %s tokens (%s train with transposition): cold "
                 "%.3f s on %d "
                 "threads, cached %.3f s (goals: < 10 s, < 1 s: %s)\n",
                 last.stats.filesFound, last.stats.filesUsable, thousands(last.stats.notes).c_str(),
                 thousands(last.stats.tokens).c_str(), thousands(last.train.tokens.size()).c_str(), coldS,
                 last.stats.threads, cachedS, j["goals_met"].get<bool>() ? "met" : "NOT met");
    return j;
}

} // namespace continuo::cli
