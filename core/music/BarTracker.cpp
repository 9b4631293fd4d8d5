#include "music/BarTracker.h"

#include "music/Key.h"
#include "music/Scales.h"

#include <algorithm>

namespace continuo::music {

BarTracker::BarTracker(const Tokenizer& tokenizer)
    : tok_(&tokenizer) {}

void BarTracker::feed(std::int32_t id) {
    switch (tok_->kind(id)) {
    case TokenKind::Bos:
        *this = BarTracker(*tok_);
        break;
    case TokenKind::Bar:
        history_.push_front(std::move(current_));
        if (history_.size() > std::size_t(kCopyDistances.back())) history_.pop_back();
        current_.clear();
        position_ = 0;
        onsetNotes_ = 0;
        pendingPitch_ = -1;
        atBarStart_ = true;
        ++bars_;
        break;
    case TokenKind::Shift:
        position_ += tok_->value(id);
        onsetNotes_ = 0;
        pendingPitch_ = -1;
        atBarStart_ = false;
        break;
    case TokenKind::Velocity:
        velocityBin_ = tok_->value(id);
        break;
    case TokenKind::Pitch:
        pendingPitch_ = tok_->value(id);
        atBarStart_ = false;
        break;
    case TokenKind::Duration:
        if (pendingPitch_ >= 0) {
            current_.push_back({position_, pendingPitch_, tok_->value(id), std::max(1, velocityBin_)});
            ++onsetNotes_;
            ++pitchClasses_[std::size_t(pendingPitch_ % 12)];
            key_ = keyOfPitchClasses(pitchClasses_);
        }
        pendingPitch_ = -1;
        break;
    case TokenKind::Copy:
        atBarStart_ = false;
        break;
    default:
        break;
    }
}

const std::vector<BarNote>* BarTracker::barBack(int distance) const {
    if (distance < 1 || std::size_t(distance) > history_.size()) return nullptr;
    return &history_[std::size_t(distance - 1)];
}

std::int32_t BarTracker::lookback(int distance) const {
    const std::vector<BarNote>* bar = barBack(distance);
    if (!bar) return -1;
    // The notes of that bar at the current position, in pitch order.
    auto first = std::lower_bound(bar->begin(), bar->end(), position_,
                                  [](const BarNote& n, std::int64_t p) { return n.position < p; });
    auto last = first;
    while (last != bar->end() && last->position == position_)
        ++last;
    const std::ptrdiff_t here = last - first;
    if (pendingPitch_ >= 0) {
        // After a PITCH: the DUR of the note of the same rank there, if it had one.
        if (onsetNotes_ < here) {
            const int length = std::min(first[onsetNotes_].length, tok_->settings().maxDuration);
            return tok_->token(TokenKind::Duration, std::max(1, length));
        }
        return -1;
    }
    if (onsetNotes_ < here) return tok_->token(TokenKind::Pitch, first[onsetNotes_].pitch);
    if (last != bar->end()) {
        const std::int64_t gap = last->position - position_;
        return tok_->token(TokenKind::Shift, int(std::min<std::int64_t>(gap, tok_->settings().maxShift)));
    }
    return tok_->range(TokenKind::Bar).first;
}

std::array<std::int32_t, BarTracker::kInputs> BarTracker::inputs() const {
    const std::int32_t V = tok_->vocabSize();
    std::array<std::int32_t, kInputs> out{};
    out[0] = V + std::int32_t(std::clamp<std::int64_t>(position_, 0, kPositions - 1));
    std::int32_t base = V + kPositions;
    for (std::size_t i = 0; i < kLookbacks.size(); ++i, base += V + 1) {
        const std::int32_t id = lookback(kLookbacks[i]);
        out[i + 1] = base + (id < 0 ? V : id);
    }
    out[kLookbacks.size() + 1] = base + key_;
    out[kLookbacks.size() + 2] = base + kKeys + std::int32_t(bars_ % kPhrase);
    return out;
}

std::optional<std::vector<int>> BarTracker::copyPitches(CopyMove move) const {
    const std::vector<BarNote>* bar = barBack(move.distance);
    if (!bar || bar->empty() || (move.scaleSteps && key_ >= 12)) return std::nullopt;
    std::vector<int> pitches;
    pitches.reserve(bar->size());
    for (const BarNote& n : *bar) {
        const int p =
            move.scaleSteps ? moveByScaleSteps(n.pitch, key_, move.transpose) : n.pitch + move.transpose;
        if (p < 0 || p > 127) return std::nullopt;
        pitches.push_back(p);
    }
    return pitches;
}

std::optional<std::vector<std::int32_t>> BarTracker::copyContent(CopyMove move) const {
    const auto pitches = copyPitches(move);
    if (!pitches) return std::nullopt;
    std::vector<BarNote> moved = *barBack(move.distance);
    for (std::size_t i = 0; i < moved.size(); ++i)
        moved[i].pitch = (*pitches)[i];
    int bin = velocityBin_;
    return barTokens(*tok_, moved, bin);
}

int keyOfPitchClasses(const std::array<std::size_t, 12>& pitchClasses) {
    bool any = false;
    for (const std::size_t c : pitchClasses)
        any = any || c > 0;
    if (!any) return 12;
    const ScaleFit fit = bestScale(pitchClasses);
    return fit.minor ? (fit.tonic + 3) % 12 : fit.tonic;
}

std::vector<std::int32_t> barTokens(const Tokenizer& tokenizer, std::span<const BarNote> notes,
                                    int& velocityBin, int transpose) {
    const TokenizerSettings& s = tokenizer.settings();
    std::vector<std::int32_t> out;
    std::int64_t position = 0;
    for (const BarNote& n : notes) {
        for (std::int64_t gap = n.position - position; gap > 0; gap -= s.maxShift)
            out.push_back(tokenizer.token(TokenKind::Shift, int(std::min<std::int64_t>(gap, s.maxShift))));
        position = std::max(position, n.position);
        if (n.velocityBin != velocityBin) {
            out.push_back(tokenizer.token(TokenKind::Velocity, n.velocityBin));
            velocityBin = n.velocityBin;
        }
        out.push_back(tokenizer.token(TokenKind::Pitch, n.pitch + transpose));
        out.push_back(tokenizer.token(TokenKind::Duration, n.length));
    }
    return out;
}

} // namespace continuo::music
