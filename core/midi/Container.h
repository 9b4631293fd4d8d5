#pragma once
// Containers a MIDI file can come in: plain SMF, RIFF "RMID" (Windows .rmi), and gzip (.mid.gz).

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace continuo::midi {

/// The largest MIDI data Continuo reads or inflates: far above any real song (the largest General MIDI
/// files are a few MB) and small enough that a hostile file cannot make us allocate without bound.
inline constexpr std::size_t kMaxMidiBytes = 64u << 20;

enum class ContainerKind { PlainSmf, Rmid, Gzip };

/// Where the SMF bytes are once the container is taken off.
struct Unwrapped {
    ContainerKind kind = ContainerKind::PlainSmf;
    /// The SMF bytes: a view into the input (plain, RMID) or into `inflated` (gzip).
    std::span<const std::uint8_t> smf;
    /// Offset of `smf` within the input, for error positions (0 for gzip: positions are then in the
    /// decompressed stream).
    std::size_t baseOffset = 0;
    std::vector<std::uint8_t> inflated;
};

/// Detects the container by its magic bytes and returns the SMF inside. Input that is neither RIFF nor
/// gzip is returned as is (the SMF reader then says whether it is MIDI).
/// Throws MidiError: a RIFF file that is not RMID or has no 'data' chunk, a corrupt or truncated gzip
/// stream, or one that inflates past kMaxMidiBytes. A gzip wrapping another container is unwrapped once more.
Unwrapped unwrapContainer(std::span<const std::uint8_t> bytes);

} // namespace continuo::midi
