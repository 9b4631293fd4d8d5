#pragma once
// The three encodings behind Tokenizer::create (private to core/music).

#include "music/Tokenizer.h"

#include <memory>

namespace continuo::music::detail {

std::unique_ptr<Tokenizer> makeEventTokenizer(const TokenizerSettings& settings);
std::unique_ptr<Tokenizer> makeChordTokenizer(const TokenizerSettings& settings);
std::unique_ptr<Tokenizer> makeBarTokenizer(const TokenizerSettings& settings);

} // namespace continuo::music::detail
