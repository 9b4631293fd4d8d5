#include "music/Dataset.h"

#include "midi/Container.h"
#include "midi/SmfReader.h"
#include "music/CorpusCache.h"
#include "music/CorpusFiles.h"
#include "music/MidiFileNames.h"
#include "music/SmfToSong.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>
#include <unordered_map>

namespace continuo::music {
namespace {

namespace fs = std::filesystem;

struct Input {
    fs::path path;
    std::string relative; ///< below its root, '/'-separated: the split's key
};

struct Work {
    CachedFile result;
    bool fromCache = false;
};

std::string hex(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

std::uint64_t hashString(const std::string& s) {
    return contentHash({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
}

bool readBytes(const fs::path& path, std::vector<std::uint8_t>& bytes, std::string& error) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(path, ec);
    if (ec) {
        error = "cannot read the file: " + ec.message();
        return false;
    }
    if (size > midi::kMaxMidiBytes) {
        error = "the file is larger than any MIDI file Continuo reads (" + std::to_string(size) + " bytes)";
        return false;
    }
    std::ifstream in(path, std::ios::binary);
    bytes.resize(std::size_t(size));
    if (!in || !in.read(reinterpret_cast<char*>(bytes.data()), std::streamsize(size))) {
        error = "cannot read the file";
        return false;
    }
    return true;
}

CachedFile encodeFile(std::span<const std::uint8_t> bytes, const Tokenizer& tokenizer) {
    CachedFile out;
    Song song;
    try {
        song = songFromSmf(midi::parseMidiBytes(bytes));
    } catch (const std::exception& e) {
        out.status = CachedFile::Status::Unreadable;
        out.detail = e.what();
        return out;
    }
    const std::vector<TokenStream> streams = tokenizer.encode(song);
    if (streams.empty()) {
        out.status = CachedFile::Status::NoMelodicNotes;
        std::size_t drums = 0;
        for (const Track& t : song.tracks)
            drums += t.notes.size();
        out.detail = drums ? std::to_string(drums) + " notes, all on the drum channel" : "no notes";
        return out;
    }
    for (const TokenStream& s : streams) {
        out.notes += s.notes;
        out.streams.push_back({s.tokens, s.notes, s.clamped});
    }
    return out;
}

void addWindows(DatasetSplit& split, std::int64_t begin, std::int64_t end, int window, int stride) {
    const std::int64_t last = end - window - 1;
    if (last < begin) return;
    for (std::int64_t s = begin; s <= last; s += stride)
        split.windowStarts.push_back(s);
    if (split.windowStarts.back() != last) split.windowStarts.push_back(last);
}

void appendStream(DatasetSplit& split, const Tokenizer& tokenizer, std::vector<std::int32_t>&& tokens,
                  std::int32_t file, int transpose, int window, int stride) {
    const std::int64_t begin = std::int64_t(split.tokens.size());
    if (split.inputsPerStep > 1) {
        // Computed here rather than cached: they follow from the (transposed) tokens alone.
        const std::vector<std::int32_t> inputs = tokenizer.stepInputs(tokens);
        split.inputs.insert(split.inputs.end(), inputs.begin(), inputs.end());
    }
    split.tokens.insert(split.tokens.end(), tokens.begin(), tokens.end());
    split.streamStarts.push_back(begin);
    split.streamFile.push_back(file);
    split.streamTranspose.push_back(transpose);
    addWindows(split, begin, std::int64_t(split.tokens.size()), window, stride);
}

void checkOptions(const DatasetOptions& o) {
    if (o.window < 1 || o.window > 1'000'000) throw DatasetError("window must be 1–1000000 tokens");
    if (o.stride < 0) throw DatasetError("stride must be ≥ 0");
    if (!(o.validationShare >= 0 && o.validationShare <= 0.9))
        throw DatasetError("validation share must be 0–0.9");
    if (o.transposeLow > 0 || o.transposeHigh < 0 || o.transposeLow < -127 || o.transposeHigh > 127) {
        throw DatasetError("transposition range must include 0 and stay within ±127 semitones");
    }
    try {
        o.tokenizer.validate();
    } catch (const std::invalid_argument& e) {
        throw DatasetError(e.what());
    }
}

} // namespace

const char* skipReasonName(SkipReason reason) {
    switch (reason) {
    case SkipReason::NoMelodicNotes:
        return "no melodic notes";
    case SkipReason::TooShort:
        return "too short";
    case SkipReason::Duplicate:
        return "duplicate";
    case SkipReason::Unreadable:
        break;
    }
    return "unreadable";
}

fs::path defaultCacheDir() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
        return fs::path(xdg) / "continuo" / "corpus";
    if (const char* home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".cache" / "continuo" / "corpus";
    return fs::temp_directory_path() / "continuo-corpus-cache";
}

Dataset buildDataset(const fs::path& root, const DatasetOptions& options) {
    return buildDataset(std::vector<fs::path>{root}, options);
}

Dataset buildDataset(const std::vector<fs::path>& roots, const DatasetOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    checkOptions(options);
    const std::unique_ptr<Tokenizer> tokenizer = Tokenizer::create(options.tokenizer);
    const int window = options.window;
    const int stride = options.stride > 0 ? options.stride : std::max(1, window / 2);

    // Files, each with its path below its root (the split's key, stable wherever the folder is).
    std::vector<Input> inputs;
    std::string rootsKey;
    for (const fs::path& root : roots) {
        std::error_code ec;
        if (!fs::exists(root, ec)) throw DatasetError("no such folder: " + root.string());
        const fs::path canonical = fs::weakly_canonical(root, ec);
        rootsKey += canonical.string() + '\n';
        for (const fs::path& f : findMidiFiles({root})) {
            std::string rel = fs::is_directory(root, ec) ? f.lexically_relative(root).generic_string()
                                                         : f.filename().string();
            inputs.push_back({f, std::move(rel)});
        }
    }
    std::sort(inputs.begin(), inputs.end(), [](const Input& a, const Input& b) { return a.path < b.path; });
    inputs.erase(std::unique(inputs.begin(), inputs.end(),
                             [](const Input& a, const Input& b) { return a.path == b.path; }),
                 inputs.end());
    std::string where;
    for (const fs::path& r : roots)
        where += (where.empty() ? "" : ", ") + r.string();
    if (inputs.empty()) throw DatasetError("no MIDI files (" + midiExtensionsText() + ") in " + where);

    Dataset ds;
    ds.tokenizer = options.tokenizer;
    ds.vocabSize = tokenizer->vocabSize();
    ds.inputVocab = tokenizer->inputVocab();
    ds.inputsPerStep = tokenizer->inputsPerStep();
    ds.window = window;
    DatasetStats& stats = ds.stats;
    stats.filesFound = inputs.size();

    // The cache: one file per (folders, settings); entries found by content hash and size.
    const std::string key = options.tokenizer.toString();
    std::vector<CachedFile> cache;
    std::unordered_map<std::uint64_t, std::size_t> cacheIndex;
    if (options.useCache) {
        const fs::path dir = options.cacheDir.empty() ? defaultCacheDir() : options.cacheDir;
        stats.cacheFile = dir / ("corpus-" + hex(hashString(key + '\n' + rootsKey)) + ".bin");
        cache = readCorpusCache(stats.cacheFile, key);
        for (std::size_t i = 0; i < cache.size(); ++i)
            cacheIndex.emplace(cache[i].hash, i);
    }

    // Read, hash and (on a cache miss) parse and encode every file, on all cores: files are independent.
    std::vector<Work> work(inputs.size());
    std::atomic<std::size_t> next{0};
    auto worker = [&] {
        std::vector<std::uint8_t> bytes;
        for (std::size_t i = next++; i < inputs.size(); i = next++) {
            Work& w = work[i];
            std::string error;
            if (!readBytes(inputs[i].path, bytes, error)) {
                w.result.status = CachedFile::Status::Unreadable;
                w.result.detail = error;
                continue;
            }
            const std::uint64_t hash = contentHash(bytes);
            if (const auto it = cacheIndex.find(hash);
                it != cacheIndex.end() && cache[it->second].size == bytes.size()) {
                w.result = cache[it->second];
                w.fromCache = true;
                continue;
            }
            try {
                w.result = encodeFile(bytes, *tokenizer);
            } catch (const std::exception& e) { // e.g. bad_alloc: still one file, never the whole build
                w.result = CachedFile{};
                w.result.status = CachedFile::Status::Unreadable;
                w.result.detail = std::string("cannot encode the file: ") + e.what();
            }
            w.result.hash = hash;
            w.result.size = bytes.size();
        }
    };
    const int hardware = int(std::max(1u, std::thread::hardware_concurrency()));
    stats.threads =
        std::clamp(options.threads > 0 ? options.threads : std::min(hardware, 8), 1, int(inputs.size()));
    {
        std::vector<std::jthread> pool;
        for (int t = 1; t < stats.threads; ++t)
            pool.emplace_back(worker);
        worker();
    }

    // Refresh the cache with this run's files (entries of files no longer there are dropped).
    std::vector<CachedFile> fresh;
    std::unordered_map<std::uint64_t, std::size_t> firstWithHash;
    for (std::size_t i = 0; i < work.size(); ++i) {
        const Work& w = work[i];
        (w.fromCache ? stats.filesFromCache : stats.filesParsed) += 1;
        if (w.result.size == 0 && w.result.hash == 0) continue; // not readable: nothing to remember
        if (firstWithHash.emplace(w.result.hash, i).second) fresh.push_back(w.result);
    }
    if (options.useCache && (stats.filesParsed > 0 || fresh.size() != cache.size())) {
        stats.cacheWritten = writeCorpusCache(stats.cacheFile, key, fresh);
    }
    cache.clear();

    // The dataset's own checks, then the split by file.
    struct Usable {
        std::size_t input;
        std::uint64_t splitKey;
    };
    std::vector<Usable> usable;
    const std::uint64_t seedMix = hashString("seed " + std::to_string(options.seed));
    for (std::size_t i = 0; i < work.size(); ++i) {
        CachedFile& r = work[i].result;
        auto skip = [&](SkipReason reason, std::string detail) {
            ds.skipped.push_back({inputs[i].path, reason, std::move(detail)});
        };
        if (r.status == CachedFile::Status::Unreadable) {
            skip(SkipReason::Unreadable, r.detail);
            continue;
        }
        if (const auto first = firstWithHash.find(r.hash);
            r.size > 0 && first != firstWithHash.end() && first->second != i) {
            skip(SkipReason::Duplicate, "the same bytes as " + inputs[first->second].path.string());
            continue;
        }
        if (r.status == CachedFile::Status::NoMelodicNotes) {
            skip(SkipReason::NoMelodicNotes, r.detail);
            continue;
        }
        std::size_t longest = 0;
        std::erase_if(r.streams, [&](const CachedFile::Stream& s) {
            longest = std::max(longest, s.tokens.size());
            return s.tokens.size() < std::size_t(window) + 1;
        });
        if (r.streams.empty()) {
            skip(SkipReason::TooShort, std::to_string(longest) + " tokens; a window of " +
                                           std::to_string(window) + " needs " + std::to_string(window + 1));
            continue;
        }
        usable.push_back({i, hashString(inputs[i].relative) ^ seedMix});
    }
    stats.filesUsable = usable.size();
    if (usable.empty()) {
        std::map<std::string, int> reasons;
        for (const SkippedFile& s : ds.skipped)
            ++reasons[skipReasonName(s.reason)];
        std::string counts;
        for (const auto& [reason, n] : reasons)
            counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + reason;
        throw DatasetError("no usable MIDI file in " + where + ": " + std::to_string(inputs.size()) +
                               " found (" + counts + ")",
                           std::move(ds.skipped));
    }

    std::sort(usable.begin(), usable.end(),
              [](const Usable& a, const Usable& b) { return a.splitKey < b.splitKey; });
    std::size_t validationCount = 0;
    if (usable.size() >= 2 && options.validationShare > 0) {
        validationCount = std::clamp<std::size_t>(
            std::size_t(std::llround(double(usable.size()) * options.validationShare)), 1, usable.size() - 1);
    }
    std::vector<std::size_t> trainFiles, validationFiles;
    for (std::size_t k = 0; k < usable.size(); ++k)
        (k < validationCount ? validationFiles : trainFiles).push_back(usable[k].input);
    std::sort(trainFiles.begin(), trainFiles.end());
    std::sort(validationFiles.begin(), validationFiles.end());

    auto fill = [&](DatasetSplit& split, const std::vector<std::size_t>& files, int low, int high) {
        std::size_t total = 0;
        for (std::size_t i : files) {
            for (const auto& s : work[i].result.streams)
                total += s.tokens.size();
        }
        split.tokens.reserve(total * std::size_t(high - low + 1));
        split.inputsPerStep = tokenizer->inputsPerStep();
        if (split.inputsPerStep > 1)
            split.inputs.reserve(total * std::size_t(high - low + 1) * std::size_t(split.inputsPerStep));
        for (std::size_t f = 0; f < files.size(); ++f) {
            CachedFile& r = work[files[f]].result;
            split.files.push_back(inputs[files[f]].path);
            for (const CachedFile::Stream& s : r.streams) {
                split.notes += s.notes;
                split.untransposedTokens += s.tokens.size();
                stats.notes += s.notes;
                stats.tokens += s.tokens.size();
                stats.clampedTokens += s.clamped;
                for (int t = low; t <= high; ++t) {
                    std::vector<std::int32_t> tokens = s.tokens;
                    if (t != 0 && !tokenizer->transpose(tokens, t)) continue;
                    appendStream(split, *tokenizer, std::move(tokens), std::int32_t(f), t, window, stride);
                }
            }
        }
        split.streamStarts.push_back(std::int64_t(split.tokens.size()));
    };
    fill(ds.train, trainFiles, options.transposeLow, options.transposeHigh);
    fill(ds.validation, validationFiles, 0, 0);

    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return ds;
}

} // namespace continuo::music
