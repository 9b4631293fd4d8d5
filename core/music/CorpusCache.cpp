#include "music/CorpusCache.h"

#include "io/AtomicFile.h"

#include <cstring>
#include <fstream>
#include <system_error>

namespace continuo::music {
namespace {

constexpr char kMagic[8] = {'C', 'N', 'T', 'C', 'O', 'R', 'P', 'S'};
// Bump when the layout or what the tokenizer makes of a file changes, so old caches are ignored.
// 2: the bar encoding's COPY gained scale-step moves (issue 15).
constexpr std::uint32_t kVersion = 2;
// A cache claims sizes; refuse absurd ones before allocating (a corrupt file must not cost memory).
constexpr std::uint64_t kMaxCount = 1ull << 32;

std::uint64_t mix(std::uint64_t x) {
    // splitmix64's finaliser: every input bit reaches every output bit.
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ull;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

class Writer {
public:
    // resize + memcpy rather than vector::insert: GCC 12 warns falsely (-Wstringop-overflow) on the latter.
    void raw(const void* p, std::size_t n) {
        const std::size_t at = bytes.size();
        bytes.resize(at + n);
        if (n) std::memcpy(bytes.data() + at, p, n);
    }
    template <typename T> void put(T v) { raw(&v, sizeof v); }
    void put(const std::string& s) {
        put<std::uint64_t>(s.size());
        raw(s.data(), s.size());
    }
    std::vector<std::uint8_t> bytes;
};

class Reader {
public:
    explicit Reader(const std::vector<std::uint8_t>& b)
        : bytes(b) {}
    template <typename T> bool get(T& v) {
        if (bytes.size() - pos < sizeof v) return false;
        std::memcpy(&v, bytes.data() + pos, sizeof v);
        pos += sizeof v;
        return true;
    }
    bool get(std::string& s) {
        std::uint64_t n = 0;
        if (!get(n) || n > bytes.size() - pos) return false;
        s.assign(reinterpret_cast<const char*>(bytes.data() + pos), n);
        pos += n;
        return true;
    }
    bool getTokens(std::vector<std::int32_t>& t) {
        std::uint64_t n = 0;
        if (!get(n) || n > (bytes.size() - pos) / sizeof(std::int32_t)) return false;
        t.resize(n);
        std::memcpy(t.data(), bytes.data() + pos, n * sizeof(std::int32_t));
        pos += n * sizeof(std::int32_t);
        return true;
    }
    bool atEnd() const { return pos == bytes.size(); }

private:
    const std::vector<std::uint8_t>& bytes;
    std::size_t pos = 0;
};

} // namespace

std::uint64_t contentHash(std::span<const std::uint8_t> bytes) {
    std::uint64_t h = mix(bytes.size() ^ 0x436f6e74696e756full);
    std::size_t i = 0;
    for (; i + 8 <= bytes.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, bytes.data() + i, 8);
        h = (h ^ w) * 0x9e3779b97f4a7c15ull;
        h ^= h >> 29;
    }
    std::uint64_t tail = 0;
    for (std::size_t k = 0; i + k < bytes.size(); ++k)
        tail |= std::uint64_t(bytes[i + k]) << (8 * k);
    return mix(h ^ tail);
}

std::vector<CachedFile> readCorpusCache(const std::filesystem::path& file, const std::string& key) {
    std::vector<std::uint8_t> bytes;
    {
        std::ifstream in(file, std::ios::binary);
        if (!in) return {};
        in.seekg(0, std::ios::end);
        const std::streamoff size = in.tellg();
        if (size <= 0) return {};
        in.seekg(0);
        bytes.resize(std::size_t(size));
        if (!in.read(reinterpret_cast<char*>(bytes.data()), size)) return {};
    }
    Reader r(bytes);
    char magic[8];
    std::uint32_t version = 0;
    std::string storedKey;
    std::uint64_t count = 0;
    if (!r.get(magic) || std::memcmp(magic, kMagic, 8) != 0 || !r.get(version) || version != kVersion ||
        !r.get(storedKey) || storedKey != key || !r.get(count) || count > kMaxCount) {
        return {};
    }
    std::vector<CachedFile> entries;
    for (std::uint64_t i = 0; i < count; ++i) {
        CachedFile e;
        std::uint8_t status = 0;
        std::uint64_t streams = 0;
        if (!r.get(e.hash) || !r.get(e.size) || !r.get(status) || status > 2 || !r.get(e.detail) ||
            !r.get(e.notes) || !r.get(streams) || streams > kMaxCount) {
            return {};
        }
        e.status = CachedFile::Status(status);
        for (std::uint64_t s = 0; s < streams; ++s) {
            CachedFile::Stream st;
            if (!r.get(st.notes) || !r.get(st.clamped) || !r.getTokens(st.tokens)) return {};
            e.streams.push_back(std::move(st));
        }
        entries.push_back(std::move(e));
    }
    if (!r.atEnd()) return {};
    return entries;
}

bool writeCorpusCache(const std::filesystem::path& file, const std::string& key,
                      const std::vector<CachedFile>& entries) {
    Writer w;
    w.raw(kMagic, sizeof kMagic);
    w.put(kVersion);
    w.put(key);
    w.put<std::uint64_t>(entries.size());
    for (const CachedFile& e : entries) {
        w.put(e.hash);
        w.put(e.size);
        w.put(std::uint8_t(e.status));
        w.put(e.detail);
        w.put(e.notes);
        w.put<std::uint64_t>(e.streams.size());
        for (const CachedFile::Stream& st : e.streams) {
            w.put(st.notes);
            w.put(st.clamped);
            w.put<std::uint64_t>(st.tokens.size());
            w.raw(st.tokens.data(), st.tokens.size() * sizeof(std::int32_t));
        }
    }
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    try {
        io::writeFileAtomically(
            file, std::string_view(reinterpret_cast<const char*>(w.bytes.data()), w.bytes.size()));
    } catch (const std::system_error&) {
        return false;
    }
    return true;
}

} // namespace continuo::music
