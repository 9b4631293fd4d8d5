#include "music/PitchNames.h"

#include <array>
#include <cctype>

namespace continuo::music {
namespace {

constexpr std::string_view kSharpSign = "\u266F";
constexpr std::string_view kFlatSign = "\u266D";

/// The letter of each pitch class spelt with sharps ("C" for 0 and 1) and with flats ("D" for 1 and 2),
/// and whether that spelling takes an accidental.
struct Spelling {
    char sharpLetter;
    char flatLetter;
    bool black;
};
constexpr std::array<Spelling, 12> kSpellings{{{'C', 'C', false},
                                               {'C', 'D', true},
                                               {'D', 'D', false},
                                               {'D', 'E', true},
                                               {'E', 'E', false},
                                               {'F', 'F', false},
                                               {'F', 'G', true},
                                               {'G', 'G', false},
                                               {'G', 'A', true},
                                               {'A', 'A', false},
                                               {'A', 'B', true},
                                               {'B', 'B', false}}};

int mod12(int v) {
    return ((v % 12) + 12) % 12;
}

/// Which black-key tonics a key signature spells with a flat. Major: Db (5 flats, not C# 7 sharps), Eb,
/// Ab, Bb; F# (6 sharps) ties with Gb (6 flats) and keeps the sharp. Minor: Eb (6 flats ties D# 6 sharps;
/// the flat, as usual) and Bb (5 flats, not A# 7 sharps); C#, F#, G# keep the sharp.
constexpr std::array<bool, 12> kMajorFlat{false, true,  false, true,  false, false,
                                          false, false, true,  false, true,  false};
constexpr std::array<bool, 12> kMinorFlat{false, false, false, true,  false, false,
                                          false, false, false, false, true,  false};

} // namespace

std::string pitchClassName(int pitchClass, Accidental accidental, Signs signs) {
    const Spelling& s = kSpellings[std::size_t(mod12(pitchClass))];
    const bool flat = accidental == Accidental::Flat;
    std::string out(1, flat ? s.flatLetter : s.sharpLetter);
    if (s.black) {
        if (signs == Signs::Music)
            out += flat ? kFlatSign : kSharpSign;
        else
            out += flat ? 'b' : '#';
    }
    return out;
}

std::string keyTonicName(int tonic, bool minor, Signs signs) {
    const std::size_t pc = std::size_t(mod12(tonic));
    const bool flat = minor ? kMinorFlat[pc] : kMajorFlat[pc];
    return pitchClassName(int(pc), flat ? Accidental::Flat : Accidental::Sharp, signs);
}

std::string keyName(int tonic, bool minor, Signs signs) {
    return keyTonicName(tonic, minor, signs) + (minor ? " minor" : " major");
}

std::string pitchName(int pitch) {
    if (pitch < 0 || pitch > 127) return "";
    return pitchClassName(pitch % 12) + std::to_string(pitch / 12 - 1);
}

std::optional<int> pitchClassFromName(std::string_view name) {
    if (name.empty()) return std::nullopt;
    static constexpr int kLetters[7] = {9, 11, 0, 2, 4, 5, 7}; // A B C D E F G
    const char letter = char(std::toupper(static_cast<unsigned char>(name[0])));
    if (letter < 'A' || letter > 'G') return std::nullopt;
    const int natural = kLetters[letter - 'A'];
    const std::string_view accidental = name.substr(1);
    if (accidental.empty()) return natural;
    if (accidental == "#" || accidental == kSharpSign) return mod12(natural + 1);
    if (accidental == "b" || accidental == kFlatSign) return mod12(natural - 1);
    return std::nullopt;
}

} // namespace continuo::music
