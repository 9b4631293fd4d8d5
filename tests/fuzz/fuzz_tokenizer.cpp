// libFuzzer target for the tokenizers (issue 17): what the network writes is decoded without checks of its
// own, and what a user's file holds is encoded, so both directions must hold for any input.
//
// The first bytes choose the tokenizer (encoding, policy, grid, ranges: always valid settings) and a meter
// map; the rest is read twice:
//  - as token ids (two bytes each, some past the vocabulary), decoded with and without a bar grid: never
//    throws; every note decoded is in range (pitch 0–127, velocity 1–127, start ≥ 0, length ≥ 1), sorted
//    and without overlaps of one pitch; stepInputs gives inputsPerStep() ids per token, each in
//    [0, inputVocab()); transposing is all-or-nothing;
//  - as notes (five bytes each), encoded then decoded: every id is in the vocabulary, the stream starts
//    with BOS and ends with EOS, and (event and bar encodings) it decodes to as many notes as it says it
//    encoded, with the same pitches.

#include "FuzzCheck.h"
#include "music/Quantize.h"
#include "music/Song.h"
#include "music/Tokenizer.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <vector>

using namespace continuo;
using namespace continuo::music;

namespace {

using fuzz::check;

/// Reads the input front to back; past the end it gives zeros, so every input is a complete case.
struct Bytes {
    const std::uint8_t* data;
    std::size_t size;
    std::size_t at = 0;
    std::uint8_t byte() { return at < size ? data[at++] : 0; }
    std::uint16_t word() { return std::uint16_t(byte() | (byte() << 8)); }
    std::size_t left() const { return size - std::min(at, size); }
};

TokenizerSettings settingsFrom(Bytes& in) {
    TokenizerSettings s;
    const std::uint8_t a = in.byte();
    s.encoding = std::array{Encoding::Event, Encoding::Chord, Encoding::Bar}[a % 3];
    s.policy = std::array{InstrumentPolicy::Merge, InstrumentPolicy::PerTrack, InstrumentPolicy::TopVoice,
                          InstrumentPolicy::Textures}[(a / 3) % 4];
    // Small grids and ranges reach the clamping paths; the defaults are what models use.
    const std::uint8_t b = in.byte();
    if (b & 1) {
        s.stepsPerQuarter = 1 + in.byte() % 24;
        s.maxShift = 1 + in.byte() % 96;
        s.velocityBins = 1 + in.byte() % 16;
        s.maxDuration = 1 + in.byte() % 192;
        s.maxRest = in.byte() % 400;
        s.chordStep = 1 + in.byte() % 24;
    }
    s.validate();
    return s;
}

std::vector<TimeSignature> metersFrom(Bytes& in) {
    std::vector<TimeSignature> meters;
    const int count = in.byte() % 4;
    std::int64_t tick = 0;
    for (int i = 0; i < count; ++i) {
        TimeSignature t;
        t.tick = tick;
        t.numerator = std::uint8_t(1 + in.byte() % 15);
        t.denominator = std::uint8_t(1u << (in.byte() % 5));
        meters.push_back(t);
        tick += std::int64_t(in.word()) * 8;
    }
    return meters;
}

void checkNotes(const std::vector<Note>& notes) {
    std::map<int, std::int64_t> endOfPitch;
    for (std::size_t i = 0; i < notes.size(); ++i) {
        const Note& n = notes[i];
        check(n.pitch < 128 && n.velocity >= 1 && n.velocity < 128 && n.channel < 16, "decoded note ranges");
        check(n.start >= 0 && n.duration >= 1, "decoded note start/length");
        check(i == 0 || !noteLess(n, notes[i - 1]), "decoded notes sorted");
        auto [it, fresh] = endOfPitch.try_emplace(n.pitch, n.start + n.duration);
        check(fresh || it->second <= n.start, "decoded notes of one pitch overlap");
        it->second = n.start + n.duration;
    }
}

void decodeIds(const Tokenizer& tok, const std::vector<std::int32_t>& ids,
               const std::vector<TimeSignature>& meters) {
    DecodeOptions options;
    options.ppq = 480;
    options.meters = meters;
    const Decoded d = tok.decode(ids, options);
    checkNotes(d.notes);
    check(d.endTick >= 0, "decoded end tick");

    // Without BOS the inputs are defined from a bar line: give them BOS first as the engine does.
    std::vector<std::int32_t> stream{Tokenizer::bos()};
    for (std::int32_t id : ids)
        if (id >= 0 && id < tok.vocabSize()) stream.push_back(id);
    const std::vector<std::int32_t> inputs = tok.stepInputs(stream);
    check(inputs.size() == stream.size() * std::size_t(tok.inputsPerStep()), "stepInputs size");
    for (std::int32_t v : inputs)
        check(v >= 0 && v < tok.inputVocab(), "stepInputs range");

    std::vector<std::int32_t> moved = stream;
    const int semitones = int(ids.size() % 25) - 12;
    if (!tok.transpose(moved, semitones)) check(moved == stream, "failed transpose leaves the stream alone");
    for (std::int32_t id : moved)
        check(id >= 0 && id < tok.vocabSize(), "transposed ids in the vocabulary");
}

void encodeNotes(const Tokenizer& tok, Bytes& in, const std::vector<TimeSignature>& meters) {
    std::vector<Note> notes;
    std::int64_t start = 0;
    while (in.left() >= 5 && notes.size() < 512) {
        Note n;
        start += in.byte() * 20; // several notes at one onset, gaps up to a few bars
        n.start = start;
        n.duration = 1 + std::int64_t(in.word()) % 4000;
        n.pitch = std::uint8_t(in.byte() % 128);
        n.velocity = std::uint8_t(1 + in.byte() % 127);
        notes.push_back(n);
    }
    std::sort(notes.begin(), notes.end(), noteLess);
    EncodeOptions options;
    options.meters = meters;
    const TokenStream s = tok.encodeNotes(notes, 480, options);
    for (std::int32_t id : s.tokens)
        check(id >= 0 && id < tok.vocabSize(), "encoded ids in the vocabulary");
    check(!s.tokens.empty() && s.tokens.front() == Tokenizer::bos() && s.tokens.back() == Tokenizer::eos(),
          "encoded stream is BOS … EOS");
    check(s.notes <= notes.size(), "no more notes encoded than given");

    DecodeOptions back;
    back.meters = meters;
    const Decoded d = tok.decode(s.tokens, back);
    checkNotes(d.notes);
    check(d.ignored == 0 && d.sawEos, "an encoded stream decodes without ignored tokens");
    if (tok.settings().encoding != Encoding::Chord) {
        check(d.notes.size() == s.notes, "decode(encode) keeps every encoded note");
        std::vector<int> given, got;
        for (const GridNote& g : quantizeNotes(notes, 480, tok.settings().stepsPerQuarter))
            given.push_back(g.pitch);
        for (const Note& n : d.notes)
            got.push_back(n.pitch);
        for (int p : got)
            check(std::find(given.begin(), given.end(), p) != given.end(), "decoded pitch was given");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Bytes in{data, size};
    const TokenizerSettings settings = settingsFrom(in);
    const auto tok = Tokenizer::create(settings);
    const std::vector<TimeSignature> meters = metersFrom(in);

    const std::size_t body = in.at;
    std::vector<std::int32_t> ids;
    while (in.left() >= 2 && ids.size() < 4096) {
        // Mostly valid ids, some just past the vocabulary, a few far outside it.
        const std::uint16_t w = in.word();
        ids.push_back(w >= 0xFF00 ? std::int32_t(std::int64_t(w - 0xFF00) * 16'000'000 - 0x7FFFFFFF)
                                  : std::int32_t(w % (tok->vocabSize() + 8)));
    }
    decodeIds(*tok, ids, meters);

    in.at = body;
    encodeNotes(*tok, in, meters);
    return 0;
}
