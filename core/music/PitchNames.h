#pragma once
// Names of pitch classes, pitches and keys: one table of letters and accidentals, spelt with sharps or
// flats as the context asks, in ASCII ("C#", "Eb": files, the CLI, JSON) or with the music signs ("C♯",
// "E♭", UTF-8: what the studio shows). Also the parser the CLI's --key uses.

#include <optional>
#include <string>
#include <string_view>

namespace continuo::music {

enum class Accidental { Sharp, Flat };
enum class Signs {
    Ascii, ///< '#' and 'b'
    Music  ///< U+266F ♯ and U+266D ♭ (UTF-8)
};

/// The name of pitch class `pitchClass` (any integer; taken mod 12, so −1 is B): the white keys by their
/// letter, the black keys as the sharp above the letter below ("C#") or the flat below the letter above
/// ("Db").
std::string pitchClassName(int pitchClass, Accidental accidental = Accidental::Sharp,
                           Signs signs = Signs::Ascii);

/// The tonic of a key as its key signature spells it: of the two enharmonic spellings, the one with fewer
/// accidentals in its signature (F# over Gb at 6 each, Eb over D# minor at 6 each). Major: C Db D Eb E F
/// F# G Ab A Bb B. Minor: C C# D Eb E F F# G G# A Bb B. `tonic` any integer, taken mod 12.
std::string keyTonicName(int tonic, bool minor, Signs signs = Signs::Ascii);
/// "C major", "C# minor", "Db major": keyTonicName and the mode.
std::string keyName(int tonic, bool minor, Signs signs = Signs::Ascii);

/// Scientific pitch name, sharps, middle C (60) as C4: 60 → "C4", 61 → "C#4", 21 → "A0", 0 → "C-1";
/// "" outside 0–127.
std::string pitchName(int pitch);

/// The pitch class a name gives: a letter A–G (either case) and at most one accidental, '#' or "♯" (up),
/// 'b' or "♭" (down): "C" → 0, "c#" → 1, "Db" → 1, "B#" → 0, "Cb" → 11, "E♭" → 3. nullopt for anything else
/// ("", "H", "C##", "C4").
std::optional<int> pitchClassFromName(std::string_view name);

} // namespace continuo::music
