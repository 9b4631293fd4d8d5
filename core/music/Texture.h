#pragma once
// The texture of a passage: a single line (one note per onset) or piano writing (chords, several voices).
// The engine continues a seed in the seed's texture unless the user says otherwise (Generate ▸ Texture,
// `generate --texture`). One definition for the engine, the studio, the CLI and project files.

#include "music/Quantize.h"
#include "music/Song.h"

#include <optional>
#include <span>
#include <string_view>

namespace continuo::music {

enum class Texture {
    Auto,   ///< decided from the seed (detectTexture); Melody when there is no seed
    Melody, ///< one note per onset, a singable line
    Piano   ///< chords and several voices at once
};

const char* textureName(Texture t);                            ///< "auto", "melody", "piano"
std::optional<Texture> textureFromName(std::string_view name); ///< nullopt for an unknown name

/// Melody or Piano (never Auto) for a seed's notes (ticks at `ppq`, any order; channel 9 notes are
/// ignored): Melody when, on the tokenizer's grid, at most 10 % of its onsets start more than one note
/// and at most 10 % of the notes overlap a later onset by more than a sixteenth; Piano otherwise. An
/// empty seed is a Melody (what a user drawing a first line expects).
Texture detectTexture(std::span<const Note> notes, int ppq);
/// The same rule on grid notes (a sixteenth = stepsPerQuarter / 4 steps).
Texture detectTexture(std::span<const GridNote> notes, int stepsPerQuarter);

/// `requested` itself, or for Auto the seed's texture (detectTexture).
Texture resolveTexture(Texture requested, std::span<const Note> seed, int ppq);

} // namespace continuo::music
