#pragma once
// One variation's decoding state beside the network (no LibTorch): the grammar, and for the bar encoding
// the bar tracker, whose inputs the network reads at the next step, the COPY moves that are possible
// here, the notes a chosen COPY stands for (fed to the network one step each, not sampled), and the
// Structure control's bias on COPY. LstmComposer keeps one per variation; each is used by one thread at a
// time.

#include "model/Sampling.h"
#include "music/BarTracker.h"

#include <cstdint>
#include <deque>
#include <span>
#include <vector>

namespace continuo::model {

/// What every row of one request shares.
struct RowRules {
    std::array<bool, 128> pitches{}; ///< which pitches may be generated (key lock, range)
    /// GenerateRequest::structure, 0–1: 0 = no COPY, 0.5 = the model's own odds, 1 = COPY logits + 3
    /// (about 20× likelier).
    double structure = 0.5;
    std::int64_t targetSteps = 1; ///< the row is done once its time reaches this
    std::size_t maxTokens = 1;    ///< a safety net per row
};

class DecodeRow {
public:
    /// `grammar` and `tracker` are the state after the seed; `tokenizer` outlives the row.
    DecodeRow(const music::Tokenizer& tokenizer, const TokenGrammar& grammar,
              const music::BarTracker& tracker, RowRules rules);

    /// A token that is not the network's to choose (the notes of a COPY, then the BAR that ends that bar),
    /// or −1 when the next one is sampled.
    std::int32_t forced() const { return queue_.empty() ? -1 : queue_.front(); }
    /// mask[id] = 1 for the ids that may be sampled next (grammar, plus COPY where the bar it names exists
    /// and its pitches are allowed; the first bar generated is not silent, nor one after a silent bar).
    void allowed(std::vector<std::uint8_t>& mask) const;
    /// The logits to sample from: `logits` itself, or with the Structure bias on COPY (into `scratch`).
    std::span<const float> biased(std::span<const float> logits, std::vector<float>& scratch) const;
    /// Takes the chosen or forced id.
    void feed(std::int32_t id);
    /// The network's inputs for the step that reads the last id fed: inputsPerStep ids.
    void inputs(std::int64_t* out) const;
    bool done() const { return done_; }
    const TokenGrammar& grammar() const { return grammar_; }
    const std::vector<std::int32_t>& tokens() const { return tokens_; }

private:
    const music::Tokenizer& tok_;
    TokenGrammar grammar_;
    music::BarTracker tracker_;
    RowRules rules_;
    std::deque<std::int32_t> queue_;
    std::vector<std::int32_t> tokens_;
    std::int32_t last_ = 0;
    bool bar_ = false;               ///< bar encoding
    std::int64_t barsGenerated_ = 0; ///< BARs fed to this row (the seed's are not)
    bool done_ = false;
};

} // namespace continuo::model
