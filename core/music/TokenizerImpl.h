#pragma once
// The three encodings behind Tokenizer::create (private to core/music).

#include "music/Tokenizer.h"

#include <memory>

namespace continuo::music::detail {

std::unique_ptr<Tokenizer> makeEventTokenizer(const TokenizerSettings& settings);
std::unique_ptr<Tokenizer> makeChordTokenizer(const TokenizerSettings& settings);
std::unique_ptr<Tokenizer> makeBarTokenizer(const TokenizerSettings& settings);

/// The event grammar's decoder, shared by the event and bar encodings: SHIFT/VEL/PITCH/DUR as in
/// Tokenizer.h; BAR moves time to context.bars' next bar line after context.origin + time; TEXTURE and COPY
/// are markers (a COPY's notes follow it). Arguments as Tokenizer::decodeGrid.
std::vector<GridNote> decodeEventGrid(const Tokenizer& tokenizer, std::span<const std::int32_t> tokens,
                                      std::int64_t* endStep, std::size_t* ignored, bool* sawEos,
                                      const GridContext& context);
/// Moves the PITCH ids by `semitones`, or returns false and changes nothing when one would leave 0–127.
bool transposePitchTokens(const Tokenizer& tokenizer, std::span<std::int32_t> tokens, int semitones);

/// The event and bar encodings: one decoder and one transposition (COPY moves are relative and stay).
class EventFamilyTokenizer : public Tokenizer {
public:
    using Tokenizer::Tokenizer;
    std::vector<GridNote> decodeGrid(std::span<const std::int32_t> tokens, std::int64_t* endStep,
                                     std::size_t* ignored, bool* sawEos,
                                     const GridContext& context) const override {
        return decodeEventGrid(*this, tokens, endStep, ignored, sawEos, context);
    }
    bool transpose(std::span<std::int32_t> tokens, int semitones) const override {
        return transposePitchTokens(*this, tokens, semitones);
    }
};

} // namespace continuo::music::detail
