#include "music/Tokenizer.h"

#include "music/BarTracker.h"
#include "music/TokenizerImpl.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <stdexcept>
#include <utility>

namespace continuo::music {

std::unique_ptr<Tokenizer> Tokenizer::create(const TokenizerSettings& settings) {
    settings.validate();
    if (settings.encoding == Encoding::Chord) return detail::makeChordTokenizer(settings);
    if (settings.encoding == Encoding::Bar) return detail::makeBarTokenizer(settings);
    return detail::makeEventTokenizer(settings);
}

Tokenizer::Tokenizer(const TokenizerSettings& settings, const std::array<TokenRange, kTokenKinds>& ranges)
    : settings_(settings)
    , ranges_(ranges) {
    for (const TokenRange& r : ranges_)
        vocabSize_ = std::max(vocabSize_, r.end());
    const int bins = settings_.velocityBins;
    binOfVelocity_.assign(128, 1);
    velocityOfBin_.assign(std::size_t(bins) + 1, 0);
    // Bin of v: equal shares of 1–127. Every bin is non-empty because bins ≤ 127.
    std::vector<int> lo(std::size_t(bins) + 1, 128), hi(std::size_t(bins) + 1, 0);
    for (int v = 1; v <= 127; ++v) {
        const int b = 1 + (v - 1) * bins / 127;
        binOfVelocity_[std::size_t(v)] = std::uint8_t(b);
        lo[std::size_t(b)] = std::min(lo[std::size_t(b)], v);
        hi[std::size_t(b)] = std::max(hi[std::size_t(b)], v);
    }
    for (int b = 1; b <= bins; ++b)
        velocityOfBin_[std::size_t(b)] = std::uint8_t((lo[std::size_t(b)] + hi[std::size_t(b)] + 1) / 2);
}

TokenRange Tokenizer::range(TokenKind kind) const {
    const int k = static_cast<int>(kind);
    return k >= 0 && k < kTokenKinds ? ranges_[std::size_t(k)] : TokenRange{};
}

TokenKind Tokenizer::kind(std::int32_t id) const {
    for (int k = 0; k < kTokenKinds; ++k) {
        if (ranges_[std::size_t(k)].contains(id)) return static_cast<TokenKind>(k);
    }
    return TokenKind::Invalid;
}

int Tokenizer::value(std::int32_t id) const {
    const TokenKind k = kind(id);
    const std::int32_t offset = id - range(k).first;
    switch (k) {
    case TokenKind::Shift:
    case TokenKind::Velocity:
    case TokenKind::Duration:
    case TokenKind::Chord:
    case TokenKind::Texture: // 1 = Melody, 2 = Piano, as music::Texture counts them
        return offset + 1;
    case TokenKind::Pitch:
    case TokenKind::Copy: // the move's index (copyMove decodes it)
        return offset;
    default:
        return 0;
    }
}

std::int32_t Tokenizer::token(TokenKind kind, int value) const {
    const TokenRange r = range(kind);
    int offset = 0;
    switch (kind) {
    case TokenKind::Shift:
    case TokenKind::Velocity:
    case TokenKind::Duration:
    case TokenKind::Chord:
    case TokenKind::Texture:
        offset = value - 1;
        break;
    case TokenKind::Pitch:
    case TokenKind::Copy:
        offset = value;
        break;
    default:
        offset = 0;
        break;
    }
    if (r.count == 0 || offset < 0 || offset >= r.count) {
        throw std::out_of_range("no token for value " + std::to_string(value) + " of that kind in the " +
                                encodingName(settings_.encoding) + " encoding");
    }
    return r.first + offset;
}

std::string Tokenizer::tokenName(std::int32_t id) const {
    const int v = value(id);
    switch (kind(id)) {
    case TokenKind::Pad:
        return "PAD";
    case TokenKind::Bos:
        return "BOS";
    case TokenKind::Eos:
        return "EOS";
    case TokenKind::Shift:
        return "SHIFT(" + std::to_string(v) + ")";
    case TokenKind::Velocity:
        return "VEL(" + std::to_string(v) + ")";
    case TokenKind::Pitch:
        return "PITCH(" + std::to_string(v) + ")";
    case TokenKind::Duration:
        return "DUR(" + std::to_string(v) + ")";
    case TokenKind::Chord: {
        std::string s = "CHORD(";
        for (int c = 0; c < 12; ++c) {
            if (v & (1 << c)) s += (s.back() == '(' ? "" : ",") + std::to_string(c);
        }
        return s + ")";
    }
    case TokenKind::Bar:
        return "BAR";
    case TokenKind::Texture:
        return std::string("TEXTURE(") + textureName(Texture(v)) + ")";
    case TokenKind::Copy: {
        const CopyMove m = *copyMove(id);
        return "COPY(" + std::to_string(m.distance) + "," + (m.transpose > 0 ? "+" : "") +
               std::to_string(m.transpose) + (m.scaleSteps ? " steps" : "") + ")";
    }
    case TokenKind::Invalid:
        break;
    }
    return "<invalid " + std::to_string(id) + ">";
}

std::int32_t Tokenizer::copyToken(CopyMove move) const {
    const auto d = std::find(kCopyDistances.begin(), kCopyDistances.end(), move.distance);
    const bool valid = move.scaleSteps ? move.transpose != 0 && std::abs(move.transpose) <= kCopyScaleSteps
                                       : std::abs(move.transpose) <= kCopyTranspose;
    if (d == kCopyDistances.end() || !valid)
        throw std::out_of_range("no COPY move " + std::to_string(move.distance) + " bars back, moved " +
                                std::to_string(move.transpose) + (move.scaleSteps ? " steps" : " semitones"));
    // Per distance: semitones −12…12, then steps −6…−1, 1…6.
    int index = move.transpose + kCopyTranspose;
    if (move.scaleSteps)
        index = 2 * kCopyTranspose + 1 + move.transpose + kCopyScaleSteps - (move.transpose > 0 ? 1 : 0);
    return token(TokenKind::Copy, int(d - kCopyDistances.begin()) * kCopyMovesPerDistance + index);
}

std::optional<CopyMove> Tokenizer::copyMove(std::int32_t id) const {
    if (kind(id) != TokenKind::Copy) return std::nullopt;
    const int value = this->value(id);
    const int distance = kCopyDistances[std::size_t(value / kCopyMovesPerDistance)];
    const int index = value % kCopyMovesPerDistance;
    if (index <= 2 * kCopyTranspose) return CopyMove{distance, index - kCopyTranspose, false};
    const int step = index - (2 * kCopyTranspose + 1) - kCopyScaleSteps; // −6…−1, then 0…5
    return CopyMove{distance, step < 0 ? step : step + 1, true};
}

std::int32_t Tokenizer::textureToken(Texture texture) const {
    return token(TokenKind::Texture, texture == Texture::Piano ? 2 : 1);
}

int Tokenizer::inputsPerStep() const {
    return settings_.encoding == Encoding::Bar ? 1 + BarTracker::kInputs : 1;
}

std::int32_t Tokenizer::inputVocab() const {
    if (inputsPerStep() == 1) return vocabSize_;
    return vocabSize_ + BarTracker::kPositions +
           std::int32_t(BarTracker::kLookbacks.size()) * (vocabSize_ + 1) + BarTracker::kKeys +
           BarTracker::kPhrase;
}

std::vector<std::int32_t> Tokenizer::stepInputs(std::span<const std::int32_t> tokens) const {
    const int k = inputsPerStep();
    if (k == 1) return {tokens.begin(), tokens.end()};
    std::vector<std::int32_t> out;
    out.reserve(tokens.size() * std::size_t(k));
    BarTracker tracker(*this);
    for (const std::int32_t id : tokens) {
        tracker.feed(id);
        out.push_back(id);
        for (const std::int32_t input : tracker.inputs())
            out.push_back(input);
    }
    return out;
}

int Tokenizer::velocityBin(int velocity) const {
    return binOfVelocity_[std::size_t(std::clamp(velocity, 1, 127))];
}

int Tokenizer::binVelocity(int bin) const {
    return velocityOfBin_[std::size_t(std::clamp(bin, 1, settings_.velocityBins))];
}

std::vector<GridNote> topVoice(std::span<const GridNote> notes) {
    std::vector<GridNote> out;
    for (const GridNote& n : notes) {
        if (!out.empty() && out.back().step == n.step) {
            if (n.pitch > out.back().pitch) out.back() = n;
        } else {
            out.push_back(n);
        }
    }
    std::sort(out.begin(), out.end(), [](const GridNote& a, const GridNote& b) { return a.step < b.step; });
    for (std::size_t i = 0; i + 1 < out.size(); ++i) {
        out[i].length = std::max<std::int64_t>(1, std::min(out[i].length, out[i + 1].step - out[i].step));
    }
    return out;
}

std::vector<MelodicPart> Tokenizer::melodicParts(const Song& song) const {
    const int spq = settings_.stepsPerQuarter;
    std::vector<MelodicPart> parts;
    if (settings_.policy == InstrumentPolicy::PerTrack) {
        for (const Track& track : song.tracks) {
            if (track.isDrum()) continue;
            std::map<std::uint8_t, std::vector<Note>> byChannel;
            for (const Note& n : track.notes) {
                if (n.channel != 9) byChannel[n.channel].push_back(n);
            }
            for (const auto& [channel, notes] : byChannel) {
                MelodicPart part;
                part.name = track.name.empty() ? "track" : track.name;
                if (byChannel.size() > 1) part.name += " (channel " + std::to_string(channel + 1) + ")";
                part.notes = quantizeNotes(notes, song.ppq, spq);
                parts.push_back(std::move(part));
            }
        }
        return parts;
    }
    std::vector<Note> all;
    for (const Track& track : song.tracks) {
        if (track.isDrum()) continue;
        for (const Note& n : track.notes) {
            if (n.channel != 9) all.push_back(n);
        }
    }
    if (all.empty()) return parts;
    MelodicPart part;
    part.notes = quantizeNotes(all, song.ppq, spq);
    if (settings_.policy == InstrumentPolicy::TopVoice) {
        part.name = "top voice";
        part.notes = topVoice(part.notes);
    } else {
        part.name = "all melodic tracks";
    }
    parts.push_back(std::move(part));
    if (settings_.policy == InstrumentPolicy::Textures) {
        // Each track (and channel) that plays a single line, as a melody of its own; a song of one such
        // part is already that line.
        std::vector<MelodicPart> lines;
        std::size_t melodic = 0;
        for (const Track& track : song.tracks) {
            if (track.isDrum()) continue;
            std::map<std::uint8_t, std::vector<Note>> byChannel;
            for (const Note& n : track.notes)
                if (n.channel != 9) byChannel[n.channel].push_back(n);
            for (const auto& [channel, notes] : byChannel) {
                ++melodic;
                std::vector<GridNote> grid = quantizeNotes(notes, song.ppq, spq);
                if (grid.size() < 8 || detectTexture(grid, spq) != Texture::Melody) continue;
                lines.push_back(
                    {(track.name.empty() ? std::string("track") : track.name) + " (line)", std::move(grid)});
            }
        }
        if (melodic > 1)
            for (MelodicPart& line : lines)
                parts.push_back(std::move(line));
    }
    return parts;
}

std::vector<TokenStream> Tokenizer::encode(const Song& song, const EncodeOptions& options) const {
    const std::int64_t until =
        options.untilTick >= 0 ? ticksToSteps(options.untilTick, song.ppq, settings_.stepsPerQuarter) : -1;
    std::vector<TokenStream> streams;
    GridContext context{BarGrid::of(song, settings_.stepsPerQuarter), 0, options.texture};
    for (MelodicPart& part : melodicParts(song)) {
        TokenStream s = encodeGrid(part.notes, options.bos, options.eos, until, context);
        s.part = std::move(part.name);
        streams.push_back(std::move(s));
    }
    return streams;
}

TokenStream Tokenizer::encodeNotes(std::span<const Note> notes, int ppq, const EncodeOptions& options) const {
    std::vector<GridNote> grid = quantizeNotes(notes, ppq, settings_.stepsPerQuarter);
    if (settings_.policy == InstrumentPolicy::TopVoice) grid = topVoice(grid);
    const std::int64_t until =
        options.untilTick >= 0 ? ticksToSteps(options.untilTick, ppq, settings_.stepsPerQuarter) : -1;
    const GridContext context{BarGrid(options.meters, ppq, settings_.stepsPerQuarter), 0, options.texture};
    TokenStream s = encodeGrid(grid, options.bos, options.eos, until, context);
    s.part = "notes";
    return s;
}

Decoded Tokenizer::decode(std::span<const std::int32_t> tokens, const DecodeOptions& options) const {
    Decoded out;
    std::int64_t endStep = 0;
    const int ppq = std::clamp(options.ppq, 1, 32767);
    const int spq = settings_.stepsPerQuarter;
    const GridContext context{
        BarGrid(options.meters, ppq, spq), ticksToSteps(options.startTick, ppq, spq), {}};
    const std::vector<GridNote> grid = decodeGrid(tokens, &endStep, &out.ignored, &out.sawEos, context);
    out.notes = notesFromGrid(grid, ppq, spq, std::uint8_t(options.channel & 15), options.startTick);
    out.endTick = options.startTick + stepsToTicks(endStep, ppq, spq);
    return out;
}

Song Tokenizer::decodeSong(std::span<const std::int32_t> tokens, int ppq) const {
    DecodeOptions options;
    options.ppq = std::clamp(ppq, 1, 32767);
    Song song;
    song.ppq = options.ppq;
    Track track;
    track.name = "Decoded";
    track.notes = decode(tokens, options).notes;
    song.tracks.push_back(std::move(track));
    return song;
}

} // namespace continuo::music
