#include "music/TokenizerSettings.h"

#include "music/Quantize.h"

#include <charconv>
#include <sstream>
#include <stdexcept>

namespace continuo::music {

const char* encodingName(Encoding e) {
    return e == Encoding::Chord ? "chord" : e == Encoding::Bar ? "bar" : "event";
}

std::optional<Encoding> encodingFromName(std::string_view name) {
    if (name == "event") return Encoding::Event;
    if (name == "chord") return Encoding::Chord;
    if (name == "bar") return Encoding::Bar;
    return std::nullopt;
}

const char* policyName(InstrumentPolicy p) {
    switch (p) {
    case InstrumentPolicy::PerTrack:
        return "per-track";
    case InstrumentPolicy::TopVoice:
        return "top-voice";
    case InstrumentPolicy::Textures:
        return "textures";
    case InstrumentPolicy::Merge:
        break;
    }
    return "merge";
}

std::optional<InstrumentPolicy> policyFromName(std::string_view name) {
    if (name == "merge") return InstrumentPolicy::Merge;
    if (name == "per-track") return InstrumentPolicy::PerTrack;
    if (name == "top-voice") return InstrumentPolicy::TopVoice;
    if (name == "textures") return InstrumentPolicy::Textures;
    return std::nullopt;
}

std::string TokenizerSettings::toString() const {
    std::ostringstream s;
    s << "encoding=" << encodingName(encoding) << " policy=" << policyName(policy)
      << " spq=" << stepsPerQuarter << " shift=" << maxShift << " vel=" << velocityBins
      << " dur=" << maxDuration << " rest=" << maxRest << " chordstep=" << chordStep;
    return s.str();
}

TokenizerSettings TokenizerSettings::parse(std::string_view text) {
    TokenizerSettings s;
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && text[pos] == ' ')
            ++pos;
        if (pos >= text.size()) break;
        std::size_t end = text.find(' ', pos);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view item = text.substr(pos, end - pos);
        pos = end;
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos) {
            throw std::invalid_argument("tokenizer settings: \"" + std::string(item) + "\" is not key=value");
        }
        const std::string_view key = item.substr(0, eq);
        const std::string_view value = item.substr(eq + 1);
        auto number = [&](int& out) {
            const auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
            if (ec != std::errc() || p != value.data() + value.size()) {
                throw std::invalid_argument("tokenizer settings: " + std::string(key) +
                                            " is not a number: \"" + std::string(value) + "\"");
            }
        };
        if (key == "encoding") {
            const auto e = encodingFromName(value);
            if (!e)
                throw std::invalid_argument("tokenizer settings: unknown encoding \"" + std::string(value) +
                                            "\"");
            s.encoding = *e;
        } else if (key == "policy") {
            const auto p = policyFromName(value);
            if (!p)
                throw std::invalid_argument("tokenizer settings: unknown policy \"" + std::string(value) +
                                            "\"");
            s.policy = *p;
        } else if (key == "spq") {
            number(s.stepsPerQuarter);
        } else if (key == "shift") {
            number(s.maxShift);
        } else if (key == "vel") {
            number(s.velocityBins);
        } else if (key == "dur") {
            number(s.maxDuration);
        } else if (key == "rest") {
            number(s.maxRest);
        } else if (key == "chordstep") {
            number(s.chordStep);
        } else {
            throw std::invalid_argument("tokenizer settings: unknown key \"" + std::string(key) + "\"");
        }
    }
    s.validate();
    return s;
}

void TokenizerSettings::validate() const {
    auto check = [](const char* name, int v, int lo, int hi) {
        if (v < lo || v > hi) {
            throw std::invalid_argument(std::string("tokenizer settings: ") + name + " must be " +
                                        std::to_string(lo) + "–" + std::to_string(hi) + ", not " +
                                        std::to_string(v));
        }
    };
    check("steps per quarter", stepsPerQuarter, 1, kMaxStepsPerQuarter);
    check("max shift", maxShift, 1, 1024);
    check("velocity bins", velocityBins, 1, 127);
    check("max duration", maxDuration, 1, 4096);
    check("max rest", maxRest, 0, 1 << 20);
    check("chord step", chordStep, 1, 4096);
}

} // namespace continuo::music
