#pragma once
// SHA-256 (FIPS 180-4), written here so the model file can be checked before its payload reaches LibTorch
// (whose loader does not verify checksums and can crash on a corrupt archive).

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace continuo::model {

using Sha256Digest = std::array<std::uint8_t, 32>;

/// Incremental hasher. Not thread-safe; cheap to copy.
class Sha256 {
public:
    Sha256();
    void update(std::span<const std::uint8_t> bytes);
    void update(std::string_view text);
    /// The digest of everything updated so far. The hasher must not be updated afterwards.
    Sha256Digest finish();

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t length_ = 0; ///< bytes hashed
};

Sha256Digest sha256(std::span<const std::uint8_t> bytes);
Sha256Digest sha256(std::string_view text);
/// 64 lower-case hex digits.
std::string toHex(const Sha256Digest& digest);

} // namespace continuo::model
