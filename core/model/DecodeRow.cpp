#include "model/DecodeRow.h"

#include <algorithm>
#include <utility>

namespace continuo::model {

using music::TokenKind;

DecodeRow::DecodeRow(const music::Tokenizer& tokenizer, const TokenGrammar& grammar,
                     const music::BarTracker& tracker, RowRules rules)
    : tok_(tokenizer)
    , grammar_(grammar)
    , tracker_(tracker)
    , rules_(std::move(rules))
    , bar_(tokenizer.settings().encoding == music::Encoding::Bar) {}

void DecodeRow::allowed(std::vector<std::uint8_t>& mask) const {
    grammar_.allowed(mask);
    if (bar_) {
        // The first bar generated plays, and never two silent bars in a row: after a bar without an
        // onset, this bar plays before it ends. The corpus's accompaniment tracks rest for bars on end;
        // without this 1 variation in 8 of a melody's continuation came back silent, and others opened
        // with a bar of rest. A note held over a bar line still leaves one bar free later on.
        const std::vector<music::BarNote>* previous = tracker_.barBack(1);
        const bool mustPlay = barsGenerated_ == 0 || (previous && previous->empty());
        const std::int32_t bar = tok_.range(TokenKind::Bar).first;
        if (mustPlay && tracker_.currentBar().empty() && mask[std::size_t(bar)]) {
            mask[std::size_t(bar)] = 0;
            if (std::none_of(mask.begin(), mask.end(), [](std::uint8_t m) { return m != 0; }))
                mask[std::size_t(bar)] = 1; // nothing else may come (a lock that allows no pitch)
        }
    }
    if (!bar_ || !tracker_.atBarStart() || rules_.structure <= 0 || grammar_.steps() >= rules_.targetSteps)
        return;
    // COPY where the bar it names exists, holds notes, and every moved pitch may be generated.
    auto offer = [&](music::CopyMove move) {
        const auto pitches = tracker_.copyPitches(move);
        if (pitches && std::all_of(pitches->begin(), pitches->end(),
                                   [&](int p) { return rules_.pitches[std::size_t(p)]; }))
            mask[std::size_t(tok_.copyToken(move))] = 1;
    };
    for (const int distance : music::kCopyDistances) {
        const std::vector<music::BarNote>* bar = tracker_.barBack(distance);
        if (!bar || bar->empty()) continue;
        for (int t = -music::kCopyTranspose; t <= music::kCopyTranspose; ++t)
            offer({distance, t, false});
        for (int s = -music::kCopyScaleSteps; s <= music::kCopyScaleSteps; ++s)
            if (s != 0) offer({distance, s, true});
    }
}

std::span<const float> DecodeRow::biased(std::span<const float> logits, std::vector<float>& scratch) const {
    if (!bar_ || rules_.structure == 0.5 || !tracker_.atBarStart()) return logits;
    scratch.assign(logits.begin(), logits.end());
    const music::TokenRange copy = tok_.range(TokenKind::Copy);
    const float bias = float((std::clamp(rules_.structure, 0.0, 1.0) - 0.5) * 6.0);
    for (std::int32_t id = copy.first; id < copy.end(); ++id)
        scratch[std::size_t(id)] += bias;
    return scratch;
}

void DecodeRow::feed(std::int32_t id) {
    if (!queue_.empty() && queue_.front() == id) queue_.pop_front();
    tokens_.push_back(id);
    last_ = id;
    if (const auto move = tok_.copyMove(id)) {
        // The bar's notes follow as tokens, then the BAR that closes it: the copied bar is whole.
        if (const auto body = tracker_.copyContent(*move)) queue_.assign(body->begin(), body->end());
        queue_.push_back(tok_.range(TokenKind::Bar).first);
    }
    grammar_.feed(id);
    tracker_.feed(id);
    if (tok_.kind(id) == TokenKind::Bar) ++barsGenerated_;
    if (grammar_.steps() >= rules_.targetSteps || tokens_.size() >= rules_.maxTokens) {
        done_ = true;
        queue_.clear();
    }
}

void DecodeRow::inputs(std::int64_t* out) const {
    out[0] = last_;
    if (!bar_) return;
    const auto extra = tracker_.inputs();
    for (std::size_t i = 0; i < extra.size(); ++i)
        out[i + 1] = extra[i];
}

} // namespace continuo::model
