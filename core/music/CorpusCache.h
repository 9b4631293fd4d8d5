#pragma once
// The corpus cache: what each file gave the tokenizer, keyed by the file's content, so that building a
// dataset again over the same folder reads no MIDI at all. One cache file per (folders, tokenizer
// settings); a cache written by another version or for other settings is ignored, never trusted.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace continuo::music {

/// A fast 64-bit hash of a file's bytes: the cache key of its content (not cryptographic).
std::uint64_t contentHash(std::span<const std::uint8_t> bytes);

/// What one file gave, before the dataset's own checks (too short, duplicate) that depend on its options.
struct CachedFile {
    enum class Status : std::uint8_t { Usable = 0, Unreadable = 1, NoMelodicNotes = 2 };
    std::uint64_t hash = 0; ///< contentHash of the file's bytes
    std::uint64_t size = 0; ///< bytes
    Status status = Status::Usable;
    std::string detail;      ///< why it is not usable (the reader's message), or empty
    std::uint64_t notes = 0; ///< melodic notes encoded, all streams
    struct Stream {
        std::vector<std::int32_t> tokens;
        std::uint64_t notes = 0;
        std::uint64_t clamped = 0;
    };
    std::vector<Stream> streams; ///< untransposed, BOS … EOS
};

/// Reads the cache at `file` made for `key` (the tokenizer settings' toString). Returns nothing when the
/// file is missing, unreadable, truncated, of another format version or for another key.
std::vector<CachedFile> readCorpusCache(const std::filesystem::path& file, const std::string& key);

/// Writes the cache with io::writeFileAtomically, creating the folder. Returns false (and leaves any
/// old cache in place) when it cannot be written: the cache is an optimisation, never an error.
bool writeCorpusCache(const std::filesystem::path& file, const std::string& key,
                      const std::vector<CachedFile>& entries);

} // namespace continuo::music
