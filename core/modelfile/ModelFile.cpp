#include "modelfile/ModelFile.h"

#include "modelfile/Sha256.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <system_error>
#include <unistd.h>
#include <utility>

namespace continuo::model {
namespace {

constexpr char kMagic[8] = {'C', 'O', 'N', 'T', 'M', 'O', 'D', 'L'};
constexpr std::size_t kMaxSections = 16;
/// META is a few kB of JSON; a section header declaring more is not a model's.
constexpr std::uint64_t kMaxMetaBytes = 16u << 20;

using Kind = ModelFileError::Kind;

void putU32(std::string& s, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        s += char((v >> (8 * i)) & 0xff);
}
void putU64(std::string& s, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        s += char((v >> (8 * i)) & 0xff);
}
/// An integer field of the metadata, range-checked: nlohmann's own conversion casts a float such as 4e83 to
/// int (undefined behaviour, found by fuzz_model_file) and wraps an integer past the type's range.
template <class T> T integer(const nlohmann::json& v, const char* name) {
    auto fits = [](auto x) { return std::in_range<T>(x); };
    if (v.is_number_unsigned() && fits(v.get<std::uint64_t>())) return T(v.get<std::uint64_t>());
    if (v.is_number_integer() && fits(v.get<std::int64_t>())) return T(v.get<std::int64_t>());
    if (v.is_number_float()) {
        const double d = v.get<double>();
        // Whole values within ±2^53 only: anything else is not an integer a writer of this format made.
        if (std::isfinite(d) && d == std::floor(d) && std::abs(d) <= 9007199254740992.0 &&
            fits(std::int64_t(d)))
            return T(std::int64_t(d));
    }
    throw std::out_of_range(std::string("\"") + name + "\" is " + v.dump() + ", not an integer in range");
}

std::uint64_t getLE(const std::string& s, std::size_t at, int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i)
        v |= std::uint64_t(std::uint8_t(s[at + i])) << (8 * i);
    return v;
}

Sha256Digest digestOf(const std::string& bytes) {
    return sha256(std::string_view(bytes));
}

} // namespace

const char* modelFileErrorName(ModelFileError::Kind kind) {
    switch (kind) {
    case Kind::Unreadable:
        return "unreadable";
    case Kind::NotAModel:
        return "not a model";
    case Kind::Truncated:
        return "truncated";
    case Kind::Corrupt:
        return "corrupt";
    case Kind::UnsupportedVersion:
        return "unsupported version";
    case Kind::TokenizerMismatch:
        return "tokenizer mismatch";
    }
    return "?";
}

std::string metadataToJson(const ModelMetadata& m) {
    const TrainingSummary& t = m.training;
    nlohmann::json j = {{"format", "continuo-model"},
                        {"formatVersion", m.formatVersion},
                        {"tokenizer", m.tokenizer.toString()},
                        {"parameters", m.parameters},
                        {"model",
                         {{"vocab", m.model.vocab},
                          {"embedding", m.model.embedding},
                          {"hidden", m.model.hidden},
                          {"layers", m.model.layers},
                          {"dense", m.model.dense},
                          {"dropout", m.model.dropout},
                          {"window", m.model.window},
                          {"inputsPerStep", m.model.inputsPerStep},
                          {"inputVocab", m.model.inputVocab}}},
                        {"train",
                         {{"batch", m.train.batch},
                          {"epochs", m.train.epochs},
                          {"optimizer", m.train.optimizer},
                          {"learningRate", m.train.learningRate},
                          {"weightDecay", m.train.weightDecay},
                          {"clipNorm", m.train.clipNorm},
                          {"warmupSteps", m.train.warmupSteps},
                          {"minLrFactor", m.train.minLrFactor},
                          {"patience", m.train.patience},
                          {"stride", m.train.stride},
                          {"transposeLow", m.train.transposeLow},
                          {"transposeHigh", m.train.transposeHigh},
                          {"validationShare", m.train.validationShare},
                          {"seed", m.train.seed}}},
                        {"training",
                         {{"preset", t.preset},
                          {"corpusHash", t.corpusHash},
                          {"corpusPath", t.corpusPath},
                          {"trainFiles", t.trainFiles},
                          {"validationFiles", t.validationFiles},
                          {"trainTokens", t.trainTokens},
                          {"validationTokens", t.validationTokens},
                          {"epochs", t.epochs},
                          {"steps", t.steps},
                          {"trainLoss", t.trainLoss},
                          {"validationLoss", t.validationLoss},
                          {"bestValidationLoss", t.bestValidationLoss},
                          {"trainLosses", t.trainLosses},
                          {"validationLosses", t.validationLosses},
                          {"stoppedBy", t.stoppedBy},
                          {"device", t.device},
                          {"seconds", t.seconds},
                          {"targetsPerSecond", t.targetsPerSecond},
                          {"date", t.date}}}};
    return j.dump(1);
}

ModelMetadata metadataFromJson(const std::string& text, const std::string& file) {
    try {
        const nlohmann::json j = nlohmann::json::parse(text);
        ModelMetadata m;
        m.formatVersion = integer<std::uint32_t>(j.at("formatVersion"), "formatVersion");
        try {
            m.tokenizer = music::TokenizerSettings::parse(j.at("tokenizer").get<std::string>());
        } catch (const std::invalid_argument& e) {
            throw ModelFileError(Kind::Corrupt,
                                 file + ": tokenizer settings in the model are invalid: " + e.what());
        }
        m.parameters = j.contains("parameters") ? integer<std::int64_t>(j["parameters"], "parameters") : 0;
        const auto& mo = j.at("model");
        auto modelInt = [&](const char* name, std::optional<int> otherwise = std::nullopt) {
            if (otherwise && !mo.contains(name)) return *otherwise;
            return integer<int>(mo.at(name), name);
        };
        m.model = {modelInt("vocab"),        modelInt("embedding"),
                   modelInt("hidden"),       modelInt("layers"),
                   modelInt("dense"),        mo.at("dropout").get<double>(),
                   modelInt("window"),       modelInt("inputsPerStep", 1),
                   modelInt("inputVocab", 0)};
        const auto& tr = j.at("train");
        TrainConfig& c = m.train;
        c.batch = integer<int>(tr.at("batch"), "batch");
        c.epochs = integer<int>(tr.at("epochs"), "epochs");
        c.optimizer = tr.at("optimizer");
        c.learningRate = tr.at("learningRate");
        c.weightDecay = tr.at("weightDecay");
        c.clipNorm = tr.at("clipNorm");
        c.warmupSteps = integer<int>(tr.at("warmupSteps"), "warmupSteps");
        c.minLrFactor = tr.at("minLrFactor");
        c.patience = integer<int>(tr.at("patience"), "patience");
        c.stride = integer<int>(tr.at("stride"), "stride");
        c.transposeLow = integer<int>(tr.at("transposeLow"), "transposeLow");
        c.transposeHigh = integer<int>(tr.at("transposeHigh"), "transposeHigh");
        c.validationShare = tr.at("validationShare");
        c.seed = integer<std::uint64_t>(tr.at("seed"), "seed");
        const auto& s = j.at("training");
        TrainingSummary& t = m.training;
        t.preset = s.value("preset", "");
        t.corpusHash = s.value("corpusHash", "");
        t.corpusPath = s.value("corpusPath", "");
        t.trainFiles = s.contains("trainFiles") ? integer<std::uint64_t>(s["trainFiles"], "trainFiles") : 0;
        t.validationFiles = s.contains("validationFiles")
                                ? integer<std::uint64_t>(s["validationFiles"], "validationFiles")
                                : 0;
        t.trainTokens =
            s.contains("trainTokens") ? integer<std::uint64_t>(s["trainTokens"], "trainTokens") : 0;
        t.validationTokens = s.contains("validationTokens")
                                 ? integer<std::uint64_t>(s["validationTokens"], "validationTokens")
                                 : 0;
        t.epochs = s.contains("epochs") ? integer<int>(s["epochs"], "epochs") : 0;
        t.steps = s.contains("steps") ? integer<std::int64_t>(s["steps"], "steps") : 0;
        t.trainLoss = s.value("trainLoss", 0.0);
        t.validationLoss = s.value("validationLoss", 0.0);
        t.bestValidationLoss = s.value("bestValidationLoss", 0.0);
        t.trainLosses = s.value("trainLosses", std::vector<double>{});
        t.validationLosses = s.value("validationLosses", std::vector<double>{});
        t.stoppedBy = s.value("stoppedBy", "");
        t.device = s.value("device", "");
        t.seconds = s.value("seconds", 0.0);
        t.targetsPerSecond = s.value("targetsPerSecond", 0.0);
        t.date = s.value("date", "");
        try {
            m.model.validate();
            m.train.validate();
        } catch (const std::invalid_argument& e) {
            throw ModelFileError(Kind::Corrupt, file + ": " + e.what());
        }
        return m;
    } catch (const nlohmann::json::exception& e) {
        throw ModelFileError(Kind::Corrupt, file + ": the model's metadata is malformed (" + e.what() + ")");
    } catch (const std::out_of_range& e) {
        throw ModelFileError(Kind::Corrupt, file + ": the model's metadata is malformed (" + e.what() + ")");
    }
}

std::string buildModelFile(const ModelMetadata& metadata,
                           const std::map<std::string, std::string>& sections) {
    std::map<std::string, std::string> all = sections;
    all["META"] = metadataToJson(metadata);
    std::string out(kMagic, sizeof kMagic);
    putU32(out, kModelFormatVersion);
    putU32(out, std::uint32_t(all.size()));
    // META first so a reader (or a person with `head`) sees what the file is before the weights.
    auto put = [&](const std::string& tag, const std::string& bytes) {
        out += tag.substr(0, 4);
        putU64(out, bytes.size());
        const Sha256Digest d = digestOf(bytes);
        out.append(reinterpret_cast<const char*>(d.data()), d.size());
        out += bytes;
    };
    put("META", all.at("META"));
    for (const auto& [tag, bytes] : all)
        if (tag != "META") put(tag, bytes);
    return out;
}

ModelFileContents parseModelFile(const std::string& bytes, const std::string& name,
                                 const std::optional<music::TokenizerSettings>& expectTokenizer) {
    if (bytes.empty())
        throw ModelFileError(Kind::NotAModel, name + ": the file is empty, not a Continuo model");
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) {
        if (bytes.size() < sizeof kMagic && std::memcmp(bytes.data(), kMagic, bytes.size()) == 0)
            throw ModelFileError(Kind::Truncated, name + ": the model file is truncated (header incomplete)");
        throw ModelFileError(Kind::NotAModel, name + ": not a Continuo model file (no CONTMODL header)");
    }
    if (bytes.size() < 16)
        throw ModelFileError(Kind::Truncated, name + ": the model file is truncated (header incomplete)");
    const auto version = std::uint32_t(getLE(bytes, 8, 4));
    if (version != kModelFormatVersion)
        throw ModelFileError(Kind::UnsupportedVersion, name + ": model format version " +
                                                           std::to_string(version) +
                                                           " is not supported (this build reads version " +
                                                           std::to_string(kModelFormatVersion) + ")");
    const auto count = std::uint32_t(getLE(bytes, 12, 4));
    if (count == 0 || count > kMaxSections)
        throw ModelFileError(Kind::Corrupt, name + ": the model file is corrupt (section count " +
                                                std::to_string(count) + ")");
    ModelFileContents out;
    std::size_t at = 16;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (bytes.size() - at < 44)
            throw ModelFileError(Kind::Truncated, name + ": the model file is truncated (inside section " +
                                                      std::to_string(i + 1) + ")");
        std::string tag = bytes.substr(at, 4);
        for (char c : tag)
            if (c < 'A' || c > 'Z')
                throw ModelFileError(Kind::Corrupt, name + ": the model file is corrupt (bad section tag)");
        const std::uint64_t length = getLE(bytes, at + 4, 8);
        Sha256Digest expected;
        std::memcpy(expected.data(), bytes.data() + at + 12, 32);
        at += 44;
        if (length > bytes.size() - at)
            throw ModelFileError(Kind::Truncated,
                                 name + ": the model file is truncated (section " + tag + " incomplete)");
        std::string payload = bytes.substr(at, length);
        at += length;
        if (digestOf(payload) != expected)
            throw ModelFileError(Kind::Corrupt, name + ": the model file is corrupt (checksum of section " +
                                                    tag + " does not match)");
        out.sections[tag] = std::move(payload);
    }
    if (at != bytes.size())
        throw ModelFileError(Kind::Corrupt,
                             name + ": the model file is corrupt (bytes after the last section)");
    if (!out.sections.count("META") || !out.sections.count("WGHT"))
        throw ModelFileError(Kind::Corrupt, name + ": the model file is corrupt (no metadata or weights)");
    out.metadata = metadataFromJson(out.sections.at("META"), name);
    if (out.metadata.formatVersion != version)
        throw ModelFileError(Kind::Corrupt, name + ": the model file is corrupt (versions disagree)");
    if (expectTokenizer && out.metadata.tokenizer != *expectTokenizer)
        throw ModelFileError(Kind::TokenizerMismatch,
                             name + ": the model was trained for other tokenizer settings (" +
                                 out.metadata.tokenizer.toString() + ") than needed (" +
                                 expectTokenizer->toString() + ")");
    return out;
}

namespace {

/// The header and the section headers, checked against the file's size before any payload is read: a
/// foreign or damaged file is refused after reading at most 16 + 16 × 44 bytes, never after reading (and
/// holding) gigabytes (issue 17: a 4 GB sparse file took 40 s and 8.5 GB before "no CONTMODL header").
void checkLayout(std::ifstream& in, std::uint64_t size, const std::string& name) {
    std::string head(16, '\0');
    in.read(head.data(), std::streamsize(std::min<std::uint64_t>(16, size)));
    head.resize(std::size_t(in.gcount()));
    const std::size_t magic = std::min(head.size(), sizeof kMagic);
    if (std::memcmp(head.data(), kMagic, magic) != 0)
        throw ModelFileError(Kind::NotAModel, name + ": not a Continuo model file (no CONTMODL header)");
    if (head.size() < 16)
        throw ModelFileError(Kind::Truncated, name + ": the model file is truncated (header incomplete)");
    const auto count = std::uint32_t(getLE(head, 12, 4));
    if (count == 0 || count > kMaxSections) return; // parseModelFile says what is wrong
    std::uint64_t at = 16;
    for (std::uint32_t i = 0; i < count; ++i) {
        std::string section(44, '\0');
        in.seekg(std::streamoff(at));
        in.read(section.data(), 44);
        if (in.gcount() < 44) return; // truncated: parseModelFile's message
        const std::uint64_t length = getLE(section, 4, 8);
        at += 44;
        if (length > size - at)
            throw ModelFileError(Kind::Truncated, name + ": the model file is truncated (section " +
                                                      section.substr(0, 4) + " declares " +
                                                      std::to_string(length) + " bytes, the file holds " +
                                                      std::to_string(size - at) + " more)");
        if (section.substr(0, 4) == "META" && length > kMaxMetaBytes)
            throw ModelFileError(Kind::Corrupt, name + ": the model file is corrupt (its metadata declares " +
                                                    std::to_string(length) + " bytes; at most " +
                                                    std::to_string(kMaxMetaBytes) + " are read)");
        at += length;
    }
}

} // namespace

ModelFileContents readModelFile(const std::filesystem::path& file,
                                const std::optional<music::TokenizerSettings>& expectTokenizer) {
    std::error_code ec;
    if (std::filesystem::is_directory(file, ec))
        throw ModelFileError(Kind::Unreadable, file.string() + ": is a folder, not a model file");
    if (!std::filesystem::is_regular_file(file, ec))
        throw ModelFileError(Kind::Unreadable, file.string() + ": no such model file");
    const std::uintmax_t size = std::filesystem::file_size(file, ec);
    std::ifstream in(file, std::ios::binary);
    if (ec || !in) throw ModelFileError(Kind::Unreadable, file.string() + ": cannot read the model file");
    if (size == 0) return parseModelFile({}, file.string(), expectTokenizer);
    checkLayout(in, size, file.string());
    in.clear(); // the layout check may have read to the end: read the whole file from its start
    in.seekg(0);
    std::ostringstream ss;
    ss << in.rdbuf();
    if (!in && !in.eof())
        throw ModelFileError(Kind::Unreadable, file.string() + ": cannot read the model file");
    return parseModelFile(ss.str(), file.string(), expectTokenizer);
}

std::string utcNow() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace continuo::model
