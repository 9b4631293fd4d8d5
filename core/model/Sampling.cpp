#include "model/Sampling.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace continuo::model {

using music::TokenKind;

std::array<bool, 128> allowedPitches(const std::optional<KeyLock>& key, int minPitch, int maxPitch) {
    std::array<bool, 128> a{};
    const std::array<bool, 12> in = music::scalePitchClasses(key ? key->scale : Scale::Chromatic);
    const int tonic = key ? ((key->tonic % 12) + 12) % 12 : 0;
    for (int p = std::max(0, minPitch); p <= std::min(127, maxPitch); ++p)
        a[p] = in[(p - tonic + 12) % 12];
    return a;
}

TokenGrammar::TokenGrammar(const music::Tokenizer& tokenizer, const std::array<bool, 128>& pitches)
    : tok_(tokenizer)
    , pitches_(pitches) {
    const music::TokenRange chords = tok_.range(TokenKind::Chord);
    chordOk_.assign(std::size_t(chords.count), 0);
    for (std::int32_t i = 0; i < chords.count; ++i) {
        const int mask = tok_.value(chords.first + i);
        bool ok = true;
        // Chords decode in the octave above middle C (Tokenizer.h).
        for (int pc = 0; pc < 12; ++pc)
            if ((mask >> pc & 1) && !pitches_[60 + pc]) ok = false;
        chordOk_[std::size_t(i)] = ok;
    }
}

void TokenGrammar::feed(std::int32_t id) {
    const TokenKind k = tok_.kind(id);
    const int v = tok_.value(id);
    switch (k) {
    case TokenKind::Shift:
        steps_ += v;
        lastPitchInOnset_ = -1;
        break;
    case TokenKind::Velocity:
        velocityBin_ = v;
        break;
    case TokenKind::Pitch:
        noteFirst_ = false;
        if (tok_.settings().encoding == music::Encoding::Chord)
            steps_ += tok_.settings().chordStep;
        else
            lastPitchInOnset_ = v;
        break;
    case TokenKind::Chord:
        steps_ += tok_.settings().chordStep;
        break;
    case TokenKind::Bos:
        lastPitchInOnset_ = -1;
        break;
    case TokenKind::Bar:
        if (bars_) steps_ = bars_->nextBarLine(origin_ + steps_) - origin_;
        lastPitchInOnset_ = -1;
        break;
    default:
        break;
    }
    last_ = k;
}

void TokenGrammar::allowed(std::vector<std::uint8_t>& mask) const {
    mask.assign(std::size_t(tok_.vocabSize()), 0);
    auto allow = [&](TokenKind kind) {
        const music::TokenRange r = tok_.range(kind);
        std::fill(mask.begin() + r.first, mask.begin() + r.end(), 1);
    };
    const music::TokenRange pitch = tok_.range(TokenKind::Pitch);
    if (tok_.settings().encoding == music::Encoding::Chord) {
        bool any = false;
        for (int p = 0; p < pitch.count && p < 128; ++p)
            if (pitches_[p]) mask[pitch.first + p] = 1, any = true;
        const music::TokenRange chords = tok_.range(TokenKind::Chord);
        for (std::int32_t i = 0; i < chords.count; ++i)
            if (chordOk_[std::size_t(i)]) mask[chords.first + i] = 1, any = true;
        if (!any)
            std::fill(mask.begin() + pitch.first, mask.begin() + pitch.end(),
                      1); // nothing allowed: ignore the lock
        return;
    }
    if (last_ == TokenKind::Pitch) {
        allow(TokenKind::Duration);
        return;
    }
    bool pitchPossible = false;
    if (!(melody_ && lastPitchInOnset_ >= 0))
        for (int p = lastPitchInOnset_ + 1; p < 128; ++p)
            if (pitches_[p]) {
                mask[pitch.first + p] = 1;
                pitchPossible = true;
            }
    if (last_ == TokenKind::Velocity) {
        if (!pitchPossible)
            allow(TokenKind::Shift); // cannot happen: VEL is offered only when a pitch can follow
        return;
    }
    if (!noteFirst_ || !pitchPossible) {
        allow(TokenKind::Shift);
        allow(TokenKind::Bar);
        if (bars_) {
            // A SHIFT stays inside the bar: the bar line is BAR's to reach.
            const std::int64_t now = origin_ + steps_;
            const std::int64_t left = bars_->nextBarLine(now) - now;
            const music::TokenRange shift = tok_.range(TokenKind::Shift);
            for (std::int32_t k = 1; k <= shift.count; ++k)
                if (k >= left) mask[shift.first + k - 1] = 0;
        }
    }
    if (pitchPossible) {
        allow(TokenKind::Velocity);
        if (velocityBin_ > 0) mask[tok_.token(TokenKind::Velocity, velocityBin_)] = 0;
    }
}

std::uint64_t SplitMix64::next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::vector<std::uint8_t> pitchTokenMask(const music::Tokenizer& tokenizer) {
    std::vector<std::uint8_t> pitch(std::size_t(tokenizer.vocabSize()), 0);
    for (std::int32_t id = 0; id < tokenizer.vocabSize(); ++id) {
        const music::TokenKind k = tokenizer.kind(id);
        pitch[std::size_t(id)] = k == music::TokenKind::Pitch || k == music::TokenKind::Chord;
    }
    return pitch;
}

std::int32_t sampleToken(std::span<const float> logits, std::span<const std::uint8_t> mask,
                         const SamplingOptions& o, SplitMix64& rng,
                         std::vector<std::pair<float, std::int32_t>>& cand,
                         std::span<const std::uint8_t> pitchTokens) {
    cand.clear();
    float top = -INFINITY;
    for (std::size_t i = 0; i < logits.size(); ++i)
        if (mask[i] && std::isfinite(logits[i])) {
            cand.emplace_back(logits[i], std::int32_t(i));
            top = std::max(top, logits[i]);
        }
    if (cand.empty()) {
        for (std::size_t i = 0; i < mask.size(); ++i)
            if (mask[i]) return std::int32_t(i);
        return 0;
    }
    // Most likely first; ties by id so the order never depends on the sort's stability.
    std::sort(cand.begin(), cand.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    const double invT = 1.0 / std::max(o.temperature, 1e-6);
    double total = 0;
    for (auto& c : cand) {
        c.first = float(std::exp((double(c.first) - top) * invT));
        total += c.first;
    }
    if (o.pitchTopP < 1.0 && !pitchTokens.empty()) {
        // Most likely pitches first (cand is sorted): once they hold pitchTopP of the pitch mass, the
        // pitches after them go; every other kind of token stays.
        double pitchMass = 0;
        for (const auto& c : cand)
            if (pitchTokens[std::size_t(c.second)]) pitchMass += c.first;
        double seen = 0;
        bool full = false;
        std::size_t out = 0;
        for (std::size_t i = 0; i < cand.size(); ++i) {
            const bool pitch = pitchTokens[std::size_t(cand[i].second)] != 0;
            if (pitch && full) {
                total -= cand[i].first;
                continue;
            }
            if (pitch) full = (seen += cand[i].first) >= o.pitchTopP * pitchMass;
            cand[out++] = cand[i];
        }
        cand.resize(out);
    }
    std::size_t keep = cand.size();
    if (o.topK > 0) keep = std::min<std::size_t>(keep, std::size_t(o.topK));
    if (o.topP < 1.0) {
        double mass = 0;
        for (std::size_t i = 0; i < keep; ++i) {
            mass += cand[i].first / total;
            if (mass >= o.topP) {
                keep = i + 1;
                break;
            }
        }
    }
    double kept = 0;
    for (std::size_t i = 0; i < keep; ++i)
        kept += cand[i].first;
    double u = rng.uniform() * kept;
    for (std::size_t i = 0; i < keep; ++i) {
        u -= cand[i].first;
        if (u < 0) return cand[i].second;
    }
    return cand[keep - 1].second;
}

} // namespace continuo::model
