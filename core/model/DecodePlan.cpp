#include "model/DecodePlan.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace continuo::model {

using music::TokenKind;

DecodePlan planDecode(const music::Tokenizer& tokenizer, const GenerateRequest& rq, int contextTokens) {
    auto fail = [](const std::string& why) { throw std::runtime_error("generate: " + why); };
    if (rq.bars < 1 || rq.bars > 256) fail("bars must be 1-256");
    if (!(rq.structure >= 0 && rq.structure <= 1)) fail("structure must be in [0, 1]");
    const music::Song& song = rq.song;
    const bool haveTrack = rq.track >= 0 && std::size_t(rq.track) < song.tracks.size();
    if (!haveTrack && (rq.mode != GenerateMode::FromScratch || !song.tracks.empty()))
        fail("track " + std::to_string(rq.track) + " does not exist");
    const music::Track* track = haveTrack ? &song.tracks[std::size_t(rq.track)] : nullptr;
    std::int64_t lastEnd = 0;
    if (track)
        for (const auto& n : track->notes)
            lastEnd = std::max(lastEnd, n.end());

    const music::TokenizerSettings& ts = tokenizer.settings();
    const int ppq = song.ppq;
    DecodePlan plan;
    if (rq.mode == GenerateMode::Regenerate) {
        if (rq.rangeStart < 0 || rq.rangeEnd <= rq.rangeStart) fail("the range to regenerate is empty");
        plan.start = rq.rangeStart;
        plan.end = rq.rangeEnd;
    } else {
        plan.start = rq.fromTick >= 0 ? rq.fromTick : lastEnd;
        plan.end = plan.start + std::int64_t(rq.bars) * song.timeSignatureAt(plan.start).ticksPerBar(ppq);
    }
    if (plan.start > kMaxGenerateTick || plan.end > kMaxGenerateTick || plan.end < plan.start)
        fail("the passage would end at tick " + std::to_string(plan.end) + ", past the last tick " +
             std::to_string(kMaxGenerateTick) +
             " that can be meant (a start tick this late, or a note that long, is a damaged file or a typo)");
    plan.startStep = music::ticksToSteps(plan.start, ppq, ts.stepsPerQuarter);
    plan.bars = music::BarGrid::of(song, ts.stepsPerQuarter);
    plan.targetSteps =
        std::max<std::int64_t>(1, music::ticksToSteps(plan.end, ppq, ts.stepsPerQuarter) - plan.startStep);

    std::vector<music::Note> before;
    if (rq.mode != GenerateMode::FromScratch && track)
        for (const auto& n : track->notes)
            if (n.start < plan.start) before.push_back(n);
    plan.texture = music::resolveTexture(rq.texture, before, ppq);
    const bool bar = ts.encoding == music::Encoding::Bar;
    std::vector<std::int32_t> seed{music::Tokenizer::bos()};
    if (bar) seed.push_back(tokenizer.textureToken(plan.texture));
    if (!before.empty()) {
        music::EncodeOptions eo;
        eo.eos = false;
        eo.untilTick = plan.start;
        eo.texture = plan.texture;
        eo.meters = song.timeSignatures;
        seed = tokenizer.encodeNotes(before, ppq, eo).tokens;
        std::array<double, 128> sum{};
        std::array<int, 128> count{};
        for (const music::Note& n : before) {
            const std::size_t b = std::size_t(tokenizer.velocityBin(n.velocity));
            sum[b] += n.velocity;
            ++count[b];
        }
        for (std::size_t b = 0; b < 128; ++b)
            plan.seedVelocity[b] = count[b] ? int(std::lround(sum[b] / count[b])) : 0;
    }

    RowRules rules;
    rules.pitches = allowedPitches(rq.key, rq.minPitch, rq.maxPitch);
    rules.structure = rq.structure;
    rules.targetSteps = plan.targetSteps;
    rules.maxTokens = std::size_t(plan.targetSteps) * 16 + 1024;
    TokenGrammar grammar(tokenizer, rules.pitches);
    music::BarTracker tracker(tokenizer);
    for (std::int32_t id : seed) {
        grammar.feed(id);
        tracker.feed(id);
    }
    grammar.resetTime();
    if (bar) grammar.setBars(plan.bars, plan.startStep);
    grammar.setMelody(bar && plan.texture == music::Texture::Melody);
    if (before.empty()) grammar.noteFirst(); // nothing before: from scratch, or an empty track
    plan.velocityBin = grammar.velocityBin();

    // The network sees at most contextTokens of the seed, cut where a bar (or, without bars, an onset)
    // begins, like the training windows (which start anywhere, without BOS). Its inputs are computed on
    // the whole seed, so the position and lookbacks of the kept part are right.
    const std::vector<std::int32_t> inputs = tokenizer.stepInputs(seed);
    std::size_t cut = 0;
    if (seed.size() > std::size_t(std::max(1, contextTokens))) {
        cut = seed.size() - std::size_t(contextTokens);
        const music::TokenRange boundary = tokenizer.range(bar ? TokenKind::Bar : TokenKind::Shift);
        for (std::size_t i = cut; i < seed.size(); ++i)
            if (boundary.count == 0 || boundary.contains(seed[i])) {
                cut = i;
                break;
            }
    }
    const std::size_t K = std::size_t(tokenizer.inputsPerStep());
    plan.context.assign(inputs.begin() + std::ptrdiff_t(cut * K), inputs.end());
    plan.row = std::make_unique<DecodeRow>(tokenizer, grammar, tracker, rules);
    return plan;
}

std::vector<music::Note> notesOfRow(const music::Tokenizer& tokenizer, const GenerateRequest& rq,
                                    const DecodePlan& plan, const std::vector<std::int32_t>& row,
                                    std::uint8_t channel) {
    const music::TokenizerSettings& ts = tokenizer.settings();
    const int ppq = rq.song.ppq;
    std::vector<std::int32_t> stream;
    // The seed's velocity carries over into the generated notes that do not set their own.
    if (ts.encoding != music::Encoding::Chord && plan.velocityBin > 0)
        stream.push_back(tokenizer.token(TokenKind::Velocity, plan.velocityBin));
    stream.insert(stream.end(), row.begin(), row.end());
    const music::GridContext context{plan.bars, plan.startStep, {}};
    const std::vector<music::GridNote> grid =
        tokenizer.decodeGrid(stream, nullptr, nullptr, nullptr, context);
    const std::int64_t startTick = music::stepsToTicks(plan.startStep, ppq, ts.stepsPerQuarter);
    std::vector<music::Note> notes;
    for (music::Note n : music::notesFromGrid(grid, ppq, ts.stepsPerQuarter, channel, startTick)) {
        if (n.start >= plan.end) continue;
        // The passage fills exactly the bars asked for: nothing sounds past its end.
        if (n.end() > plan.end) n.duration = std::max<std::int64_t>(1, plan.end - n.start);
        // The seed's own dynamics: a bin the seed used decodes to the seed's mean velocity in it.
        const int seedVelocity = plan.seedVelocity[std::size_t(tokenizer.velocityBin(n.velocity))];
        if (seedVelocity > 0) n.velocity = std::uint8_t(seedVelocity);
        n.origin = music::NoteOrigin::Generated;
        notes.push_back(n);
    }
    std::sort(notes.begin(), notes.end(), music::noteLess);
    if (plan.texture == music::Texture::Melody && ts.encoding == music::Encoding::Bar) {
        // A line: each note ends where the next begins (at the latest).
        for (std::size_t i = 0; i + 1 < notes.size(); ++i)
            if (notes[i + 1].start > notes[i].start)
                notes[i].duration =
                    std::clamp<std::int64_t>(notes[i + 1].start - notes[i].start, 1, notes[i].duration);
    }
    return notes;
}

} // namespace continuo::model
