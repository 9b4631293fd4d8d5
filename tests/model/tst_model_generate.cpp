// Generation through the Composer interface: the grammar mask (1,000 sampled tokens decode with nothing
// ignored, in both encodings), the key lock and pitch range (1,000 tokens), seed reproducibility,
// variations as a batch, the three modes' placement, origin and channel, and cancel. An untrained tiny
// model samples almost uniformly, which is the hardest case for the masks.

#include "ModelTestUtil.h"
#include "model/DecodeRow.h"
#include "model/LstmComposer.h"
#include "model/Sampling.h"
#include "music/BarTracker.h"
#include "music/StructureMetrics.h"

#include <QTest>

#include <cmath>
#include <optional>

using namespace continuo;
using namespace continuo::model;

namespace {

music::Song seedSong() {
    music::Song s;
    music::Track t;
    t.name = "lead";
    t.channel = 3;
    for (int i = 0; i < 16; ++i)
        t.notes.push_back({i * 240LL, 240, std::uint8_t(60 + (i * 2) % 12), 90});
    s.tracks.push_back(t);
    return s;
}

music::TokenizerSettings barSettings() {
    music::TokenizerSettings s;
    s.encoding = music::Encoding::Bar;
    s.policy = music::InstrumentPolicy::Textures;
    return s;
}

GenerateRequest request(std::uint64_t seed, int bars = 8) {
    GenerateRequest rq;
    rq.song = seedSong();
    rq.bars = bars;
    rq.randomSeed = seed;
    rq.topP = 1.0;
    return rq;
}

/// The precisions this machine runs: fp32 everywhere, bf16x3 where the CPU has AMX (an AMX-less
/// machine skips those rows and says so).
void precisionRows() {
    QTest::addColumn<int>("precision_");
    QTest::newRow("fp32") << int(DecodePrecision::Float32);
    QTest::newRow("bf16x3") << int(DecodePrecision::Bf16x3);
}
bool runsHere(DecodePrecision p) {
    return p != DecodePrecision::Bf16x3 || resolvePrecision(DecodePrecision::Auto) == p;
}

} // namespace

class TestModelGenerate : public QObject {
    Q_OBJECT
    std::atomic<bool> noCancel_{false};

    /// Generates until at least `count` tokens were sampled; checks each stream decodes with 0 ignored.
    void sampleTokens(LstmComposer& c, GenerateRequest rq, std::size_t count,
                      std::vector<std::int32_t>& all) {
        auto tok = music::Tokenizer::create(c.model().metadata().tokenizer);
        for (std::uint64_t s = 1; all.size() < count; ++s) {
            rq.randomSeed = s;
            const GenerateResult r = c.generate(rq, {}, noCancel_);
            for (const auto& row : c.lastTokens()) {
                std::size_t ignored = 99;
                tok->decodeGrid(row, nullptr, &ignored);
                QCOMPARE(ignored, std::size_t(0));
                int lastPitch = -1; // within an onset pitches rise
                for (std::size_t i = 0; i < row.size(); ++i) {
                    const std::int32_t id = row[i];
                    const music::TokenKind k = tok->kind(id);
                    if (k == music::TokenKind::Shift || k == music::TokenKind::Bar) lastPitch = -1;
                    if (k == music::TokenKind::Pitch && tok->settings().encoding != music::Encoding::Chord) {
                        QVERIFY(tok->value(id) > lastPitch);
                        lastPitch = tok->value(id);
                        if (i + 1 < row.size()) QCOMPARE(tok->kind(row[i + 1]), music::TokenKind::Duration);
                    }
                    QVERIFY(k != music::TokenKind::Eos && k != music::TokenKind::Pad &&
                            k != music::TokenKind::Bos && k != music::TokenKind::Invalid);
                }
                all.insert(all.end(), row.begin(), row.end());
            }
        }
    }

private Q_SLOTS:
    // The pitch nucleus drops the unlikely pitches only: with pitch shares 0.4 0.3 0.2 0.1 and
    // pitchTopP 0.7 the last two pitches never come, and the other tokens keep their odds.
    void pitchNucleusTrimsPitchesOnly() {
        // ids 0–3 pitches, 4–5 other tokens; probabilities 0.2 0.15 0.1 0.05 | 0.3 0.2
        const std::vector<float> logits{std::log(0.2f),  std::log(0.15f), std::log(0.1f),
                                        std::log(0.05f), std::log(0.3f),  std::log(0.2f)};
        const std::vector<std::uint8_t> mask(6, 1), pitch{1, 1, 1, 1, 0, 0};
        std::vector<std::pair<float, std::int32_t>> scratch;
        for (double pitchTopP : {0.7, 1.0}) {
            SamplingOptions o;
            o.pitchTopP = pitchTopP;
            SplitMix64 rng(3);
            std::vector<int> count(6, 0);
            for (int i = 0; i < 20000; ++i)
                ++count[std::size_t(sampleToken(logits, mask, o, rng, scratch, pitch))];
            if (pitchTopP < 1) {
                QCOMPARE(count[2] + count[3], 0);
                // kept mass 0.85: other tokens 0.3/0.85 and 0.2/0.85 of the draws
                QVERIFY(std::abs(count[4] / 20000.0 - 0.3 / 0.85) < 0.02);
                QVERIFY(std::abs(count[5] / 20000.0 - 0.2 / 0.85) < 0.02);
            } else {
                QVERIFY(count[3] > 0); // off: every pitch can come
                QVERIFY(std::abs(count[4] / 20000.0 - 0.3) < 0.02);
            }
        }
    }

    void grammarAlwaysDecodes() {
        LstmComposer c(test::tinyModel(11));
        GenerateRequest rq = request(1, 16);
        rq.temperature = 3.0; // flatter than the model: every grammar edge gets exercised
        rq.variations = 4;
        std::vector<std::int32_t> all;
        sampleTokens(c, rq, 1000, all);
        QVERIFY(all.size() >= 1000);
    }

    /// The bar encoding: every stream decodes with nothing ignored, SHIFTs stay inside their bar, and a
    /// COPY is followed by exactly the notes of the bar it names.
    void barEncodingGrammar() {
        LstmComposer c(test::tinyModel(13, barSettings()));
        GenerateRequest rq = request(1, 16);
        rq.temperature = 3.0;
        rq.variations = 4;
        rq.structure = 1.0; // COPY as likely as it gets: exercised often
        std::vector<std::int32_t> all;
        sampleTokens(c, rq, 1500, all);
        auto tok = music::Tokenizer::create(barSettings());
        std::size_t copies = 0;
        for (std::uint64_t seed = 1; seed <= 4; ++seed) {
            rq.randomSeed = seed;
            c.generate(rq, {}, noCancel_);
            for (const auto& row : c.lastTokens()) {
                // Replay from the seed's state: the tracker says what each COPY stands for.
                music::BarTracker tracker(*tok);
                for (std::int32_t id : tok->encodeNotes(rq.song.tracks[0].notes, rq.song.ppq,
                                                        {true, false, 16 * 240, music::Texture::Melody, {}})
                                           .tokens)
                    tracker.feed(id);
                std::int64_t position = tracker.position();
                for (std::size_t i = 0; i < row.size(); ++i) {
                    const auto kind = tok->kind(row[i]);
                    if (kind == music::TokenKind::Shift) {
                        position += tok->value(row[i]);
                        QVERIFY2(position < 48, "a SHIFT crossed the bar line");
                    }
                    if (kind == music::TokenKind::Bar) {
                        position = 0;
                        const auto* previous = tracker.barBack(1);
                        QVERIFY2(!(previous && previous->empty() && tracker.currentBar().empty()),
                                 "two silent bars in a row");
                    }
                    if (const auto move = tok->copyMove(row[i])) {
                        ++copies;
                        const auto body = tracker.copyContent(*move);
                        QVERIFY(body);
                        for (std::size_t j = 0; j < body->size() && i + 1 + j < row.size(); ++j)
                            QCOMPARE(row[i + 1 + j], (*body)[j]);
                    }
                    tracker.feed(row[i]);
                }
            }
        }
        QVERIFY(copies > 0);
    }

    /// After a silent bar the next one must play, and so must the first bar generated: BAR is not offered
    /// at its start, nor after a SHIFT in it, until a note has come (a model of this corpus answered 1
    /// variation in 8 with silence).
    void noSecondSilentBar() {
        auto tok = music::Tokenizer::create(barSettings());
        // Seed: one bar of quarters, then a silent bar (the request starts two bars in).
        std::vector<music::Note> notes;
        for (int i = 0; i < 4; ++i)
            notes.push_back({std::int64_t(i) * 480, 480, std::uint8_t(60 + 2 * i), 90});
        const std::array<bool, 128> all = allowedPitches(std::nullopt, 0, 127);
        // The row that continues the seed from `startTick` (a bar line), and whether the seed's last bar
        // held notes.
        auto rowFrom = [&](std::int64_t startTick, bool& lastBarPlayed) {
            TokenGrammar grammar(*tok, all);
            music::BarTracker tracker(*tok);
            for (std::int32_t id :
                 tok->encodeNotes(notes, 480, {true, false, startTick, music::Texture::Melody, {}}).tokens) {
                grammar.feed(id);
                tracker.feed(id);
            }
            grammar.resetTime();
            grammar.setBars(music::BarGrid(12), startTick / 40);
            lastBarPlayed = tracker.barBack(1) && !tracker.barBack(1)->empty();
            return DecodeRow(*tok, grammar, tracker, RowRules{all, 0.5, 4 * 48, 1000});
        };
        bool played = true;
        DecodeRow row = rowFrom(2 * 1920, played);
        QVERIFY(!played);
        const std::int32_t bar = tok->range(music::TokenKind::Bar).first;
        std::vector<std::uint8_t> mask;
        row.allowed(mask);
        QCOMPARE(int(mask[std::size_t(bar)]), 0);
        row.feed(tok->token(music::TokenKind::Shift, 12));
        row.allowed(mask);
        QCOMPARE(int(mask[std::size_t(bar)]), 0);
        row.feed(tok->token(music::TokenKind::Pitch, 64));
        row.feed(tok->token(music::TokenKind::Duration, 12));
        row.allowed(mask);
        QCOMPARE(int(mask[std::size_t(bar)]), 1); // a bar with a note may end
        row.feed(bar);
        row.allowed(mask);
        QCOMPARE(int(mask[std::size_t(bar)]), 1); // one silent bar after a played one is fine

        // Right after a seed that played to its end, the first bar generated plays too.
        DecodeRow first = rowFrom(1920, played);
        QVERIFY(played);
        first.allowed(mask);
        QCOMPARE(int(mask[std::size_t(bar)]), 0);
    }

    /// A single line is answered with a single line: one note per onset, none overlapping the next.
    void singleLineSeedGetsSingleLine() {
        LstmComposer c(test::tinyModel(14, barSettings()));
        GenerateRequest rq = request(3, 8);
        rq.temperature = 2.0; // a random model at a high temperature would write chords if it could
        rq.variations = 8;
        const GenerateResult r = c.generate(rq, {}, noCancel_);
        std::size_t notes = 0;
        for (const auto& v : r.variations) {
            for (std::size_t i = 0; i + 1 < v.size(); ++i) {
                QVERIFY(v[i + 1].start > v[i].start);
                QVERIFY(v[i].end() <= v[i + 1].start);
            }
            notes += v.size();
            const std::int64_t end = 16 * 240 + 8 * 1920;
            for (const auto& n : v)
                QVERIFY(n.end() <= end); // exactly the bars asked for
        }
        QVERIFY(notes > 0);
        // Asked for piano, the same seed may get chords.
        rq.texture = music::Texture::Piano;
        std::size_t chords = 0;
        for (const auto& v : c.generate(rq, {}, noCancel_).variations)
            for (std::size_t i = 0; i + 1 < v.size(); ++i)
                chords += v[i + 1].start == v[i].start;
        QVERIFY(chords > 0);
    }

    /// Structure at its strongest brings bars back more often than at its weakest (same seed, same
    /// random seeds), measured as motif repeat on the generated part.
    void structureRaisesMotifRepeat() {
        LstmComposer c(test::tinyModel(15, barSettings()));
        auto motifRepeat = [&](double structure) {
            double sum = 0;
            int n = 0;
            for (std::uint64_t seed = 1; seed <= 3; ++seed) {
                GenerateRequest rq = request(seed, 8);
                rq.variations = 8;
                rq.structure = structure;
                const GenerateResult r = c.generate(rq, {}, noCancel_);
                for (const auto& v : r.variations) {
                    music::StructureInput in;
                    in.seed = rq.song.tracks[0].notes;
                    in.generated = v;
                    in.startTick = 16 * 240;
                    in.endTick = 16 * 240 + 8 * 1920;
                    const auto m = music::measureStructure(in);
                    if (m.motifRepeat >= 0) sum += m.motifRepeat, ++n;
                }
            }
            return n ? sum / n : 0.0;
        };
        const double free = motifRepeat(0.0), repetitive = motifRepeat(1.0);
        qInfo("motif repeat: structure 0 %.2f, structure 1 %.2f", free, repetitive);
        QVERIFY(repetitive > free + 0.2);
    }

    void chordEncodingGrammar() {
        music::TokenizerSettings chord;
        chord.encoding = music::Encoding::Chord;
        LstmComposer c(test::tinyModel(12, chord));
        GenerateRequest rq = request(1, 32);
        rq.key = KeyLock{2, Scale::Dorian};
        std::vector<std::int32_t> all;
        sampleTokens(c, rq, 1000, all);
        const GenerateResult r = c.generate(rq, {}, noCancel_);
        for (const auto& n : r.variations[0])
            QVERIFY(music::scalePitchClasses(Scale::Dorian)[(n.pitch + 12 - 2) % 12]);
    }

    void keyLockAndRange() {
        LstmComposer c(test::tinyModel(13));
        GenerateRequest rq = request(1, 16);
        rq.temperature = 2.0;
        rq.variations = 8;
        rq.key = KeyLock{7, Scale::MinorPentatonic};
        rq.minPitch = 50;
        rq.maxPitch = 80;
        std::vector<std::int32_t> all;
        sampleTokens(c, rq, 1000, all);
        auto tok = music::Tokenizer::create({});
        const auto in = music::scalePitchClasses(Scale::MinorPentatonic);
        std::size_t pitches = 0;
        for (std::int32_t id : all)
            if (tok->kind(id) == music::TokenKind::Pitch) {
                const int p = tok->value(id);
                QVERIFY2(in[(p - 7 + 12) % 12] && p >= 50 && p <= 80, std::to_string(p).c_str());
                ++pitches;
            }
        QVERIFY(pitches > 100);
        for (std::uint64_t s = 0; s < 3; ++s) {
            rq.randomSeed = s;
            const GenerateResult r = c.generate(rq, {}, noCancel_);
            for (const auto& v : r.variations)
                for (const auto& n : v)
                    QVERIFY(in[(n.pitch - 7 + 12) % 12] && n.pitch >= 50 && n.pitch <= 80);
        }
    }

    void seedReproducibility_data() { precisionRows(); }
    void seedReproducibility() {
        QFETCH(int, precision_);
        const auto precision = DecodePrecision(precision_);
        if (!runsHere(precision)) QSKIP("no AMX-BF16 on this CPU: the bf16x3 path cannot run here");
        LstmComposer c(test::tinyModel(14));
        c.decodePrecision = precision;
        GenerateRequest rq = request(42);
        rq.variations = 3;
        const GenerateResult a = c.generate(rq, {}, noCancel_);
        const GenerateResult b = c.generate(rq, {}, noCancel_);
        QCOMPARE(a.variations, b.variations);
        QVERIFY(!a.variations[0].empty());
        QVERIFY(a.variations[0] != a.variations[1]); // variations are independent draws
        // Variation i does not depend on how many were asked for.
        rq.variations = 1;
        QCOMPARE(c.generate(rq, {}, noCancel_).variations[0], a.variations[0]);
        rq.randomSeed = 43;
        QVERIFY(c.generate(rq, {}, noCancel_).variations[0] != a.variations[0]);
        // Another composer loaded from the same weights gives the same notes.
        LstmComposer c2(test::tinyModel(14));
        c2.decodePrecision = precision;
        rq.randomSeed = 42;
        QCOMPARE(c2.generate(rq, {}, noCancel_).variations[0], a.variations[0]);
    }

    void continuePlacesNotesAfterTheSeed() {
        LstmComposer c(test::tinyModel(15));
        GenerateRequest rq = request(3, 4);
        const std::int64_t seedEnd = rq.song.endTick();
        const std::int64_t barTicks = rq.song.timeSignatureAt(0).ticksPerBar(rq.song.ppq);
        const GenerateResult r = c.generate(rq, {}, noCancel_);
        QCOMPARE(r.variations.size(), std::size_t(1));
        QVERIFY(!r.variations[0].empty());
        for (const auto& n : r.variations[0]) {
            QVERIFY(n.start >= seedEnd && n.start < seedEnd + 4 * barTicks);
            QCOMPARE(n.origin, music::NoteOrigin::Generated);
            QCOMPARE(n.channel, std::uint8_t(3));
        }
        QVERIFY(std::is_sorted(r.variations[0].begin(), r.variations[0].end(), music::noteLess));
    }

    void regenerateStaysInRange() {
        LstmComposer c(test::tinyModel(16));
        GenerateRequest rq = request(4);
        rq.mode = GenerateMode::Regenerate;
        rq.rangeStart = 960;
        rq.rangeEnd = 2880;
        for (std::uint64_t s = 0; s < 4; ++s) {
            rq.randomSeed = s;
            const GenerateResult r = c.generate(rq, {}, noCancel_);
            for (const auto& n : r.variations[0])
                QVERIFY(n.start >= 960 && n.end() <= 2880);
        }
        rq.rangeEnd = 960;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, c.generate(rq, {}, noCancel_));
    }

    void fromScratchAndEmptySong() {
        LstmComposer c(test::tinyModel(17));
        GenerateRequest rq;
        rq.mode = GenerateMode::FromScratch;
        rq.bars = 2;
        const GenerateResult r = c.generate(rq, {}, noCancel_);
        for (const auto& n : r.variations[0])
            QVERIFY(n.start >= 0 && n.start < 2 * 1920);
        // With nothing before it (from scratch, or continuing an empty track, as the studio's first
        // Generate does), the first note sounds at the start, never after a rest, in every variation of
        // every seed (an untrained model offers SHIFT as often as anything: without the rule most rows
        // began late).
        rq.variations = 8;
        for (GenerateMode mode : {GenerateMode::FromScratch, GenerateMode::Continue}) {
            rq.mode = mode;
            rq.song.tracks.assign(mode == GenerateMode::Continue ? 1 : 0, music::Track{});
            rq.track = 0;
            for (std::uint64_t seed = 1; seed <= 4; ++seed) {
                rq.randomSeed = seed;
                for (const auto& v : c.generate(rq, {}, noCancel_).variations) {
                    QVERIFY(!v.empty());
                    QCOMPARE(v.front().start, std::int64_t(0));
                }
            }
        }
    }

    void badRequestsThrow() {
        LstmComposer c(test::tinyModel(18));
        GenerateRequest rq = request(1);
        rq.variations = 9;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, c.generate(rq, {}, noCancel_));
        rq = request(1);
        rq.track = 5;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, c.generate(rq, {}, noCancel_));
        rq = request(1);
        rq.temperature = 0;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, c.generate(rq, {}, noCancel_));
        // A start no one can mean is refused, not wrapped around to the song's first bars.
        rq = request(1);
        rq.fromTick = std::int64_t(1) << 62;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, c.generate(rq, {}, noCancel_));
        rq.fromTick = kMaxGenerateTick;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, c.generate(rq, {}, noCancel_));
        rq.fromTick = kMaxGenerateTick / 2;
        QVERIFY(!c.generate(rq, {}, noCancel_).variations.empty());
    }

    void cancelAndProgress() {
        LstmComposer c(test::tinyModel(19));
        GenerateRequest rq = request(1, 64);
        std::atomic<bool> cancel{false};
        int calls = 0;
        double lastFraction = -1;
        const GenerateResult r = c.generate(
            rq,
            [&](double f, const std::string&) {
                ++calls;
                QVERIFY(f >= lastFraction - 1e-9 || f == 0);
                lastFraction = f;
                if (calls == 3) cancel = true;
            },
            cancel);
        QVERIFY(calls >= 3);
        QCOMPARE(r.variations.size(), std::size_t(1));
        QVERIFY(c.lastTokens()[0].size() < 64); // stopped early, returned what it had
    }

    /// The decoder's hand-written step (fused gate weights, embedding table) against torch::nn::LSTM run
    /// over the whole sequence: equal within float rounding, in every row of a batch, in both precisions.
    void decoderStepMatchesModule_data() { precisionRows(); }
    void decoderStepMatchesModule() {
        QFETCH(int, precision_);
        const auto precision = DecodePrecision(precision_);
        if (!runsHere(precision)) QSKIP("no AMX-BF16 on this CPU: the bf16x3 path cannot run here");
        const LstmModel model = test::tinyModel(20);
        const int V = model.metadata().model.vocab;
        std::vector<std::int32_t> tokens;
        for (int i = 0; i < 40; ++i)
            tokens.push_back(std::int32_t((i * 37 + 5) % V));
        const std::vector<float> full = model.logits(tokens);
        for (int batch : {1, 3}) {
            const std::vector<float> fast = decoderStepLogits(model, tokens, batch, precision);
            QCOMPARE(fast.size(), full.size() * std::size_t(batch));
            float worst = 0;
            for (std::size_t t = 0; t < tokens.size(); ++t)
                for (int b = 0; b < batch; ++b)
                    for (int v = 0; v < V; ++v)
                        worst = std::max(
                            worst, std::abs(fast[(t * std::size_t(batch) + std::size_t(b)) * std::size_t(V) +
                                                 std::size_t(v)] -
                                            full[t * std::size_t(V) + std::size_t(v)]));
            QVERIFY2(worst < 1e-4f, std::to_string(worst).c_str());
            qInfo("%s batch %d: largest logit difference %.3g", precisionName(precision), batch, worst);
        }
    }

    /// With the bar encoding's four inputs a step, the decoder's table rows add up to what the module's
    /// summed embeddings give.
    void decoderStepMatchesModuleWithBarInputs() {
        const LstmModel model = test::tinyModel(21, barSettings());
        auto tok = music::Tokenizer::create(barSettings());
        const int V = model.metadata().model.vocab;
        std::vector<music::Note> notes;
        for (int i = 0; i < 24; ++i)
            notes.push_back({i * 240LL, 240, std::uint8_t(60 + (i * 5) % 12), 90});
        const auto stream = tok->encodeNotes(notes, 480).tokens;
        const std::vector<std::int32_t> inputs = tok->stepInputs(stream);
        const std::vector<float> full = model.logits(inputs);
        QCOMPARE(full.size(), stream.size() * std::size_t(V));
        const std::vector<float> fast = decoderStepLogits(model, inputs, 2, DecodePrecision::Float32);
        float worst = 0;
        for (std::size_t t = 0; t < stream.size(); ++t)
            for (std::size_t b = 0; b < 2; ++b)
                for (std::size_t v = 0; v < std::size_t(V); ++v)
                    worst = std::max(worst, std::abs(fast[(t * 2 + b) * std::size_t(V) + v] -
                                                     full[t * std::size_t(V) + v]));
        QVERIFY2(worst < 1e-4f, std::to_string(worst).c_str());
    }

    /// The names the CLI takes, and what Auto becomes: bf16x3 exactly where the AMX kernel can run.
    void precisionNamesAndAuto() {
        for (DecodePrecision p : {DecodePrecision::Auto, DecodePrecision::Float32, DecodePrecision::Bf16x3})
            QCOMPARE(parsePrecision(precisionName(p)), std::optional(p));
        QCOMPARE(parsePrecision("fp16"), std::nullopt);
        const DecodePrecision here = resolvePrecision(DecodePrecision::Auto);
        QVERIFY(here != DecodePrecision::Auto);
        QCOMPARE(resolvePrecision(DecodePrecision::Float32), DecodePrecision::Float32);
        if (here == DecodePrecision::Float32)
            QVERIFY_THROWS_EXCEPTION(std::runtime_error, resolvePrecision(DecodePrecision::Bf16x3));
        qInfo("auto decodes with %s here", decodeKernelName(DecodePrecision::Auto).c_str());
    }

    void describeSaysWhatItIs() {
        LstmComposer c(test::tinyModel());
        const ModelDescription d = c.describe();
        QVERIFY(d.summary.find("LSTM 2 x 32") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestModelGenerate)
#include "tst_model_generate.moc"
