// libFuzzer target for the model-file reader (issue 17): a model file comes from anywhere (a download, an
// import, a damaged disk), and every byte of it is checked before LibTorch sees any.
//
// Random bytes almost never get past the section checksums, so the input is read two ways (its first byte
// chooses):
//  - as a whole file, as it is: the container's header, section table and checksums;
//  - as the parts of a file (META text, then other sections), wrapped in a valid container with correct
//    checksums: what the metadata parser and the checks after the checksums see.
// Properties: parsing returns or throws ModelFileError, nothing else (no crash, no other exception,
// bounded memory and time); a file that parses has a META and a WGHT section, and its metadata survives
// metadataToJson → metadataFromJson → metadataToJson unchanged; and a file built from parsed contents parses
// to the same sections.

#include "FuzzCheck.h"
#include "modelfile/ModelFile.h"
#include "modelfile/Sha256.h"

#include <cstdio>
#include <cstdlib>
#include <string>

using namespace continuo;
using namespace continuo::model;

namespace {

using fuzz::check;

void putLE(std::string& out, std::uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i)
        out += char((v >> (8 * i)) & 0xFF);
}

/// "CONTMODL", version, count, then each section with its real checksum: META = the text up to the first
/// 0x00 byte, then sections cut at further 0x00 bytes, tagged WGHT, TRST, OPTM, XTRA in turn.
std::string wrap(const std::string& parts) {
    static const char* tags[] = {"META", "WGHT", "TRST", "OPTM", "XTRA"};
    std::vector<std::string> sections;
    std::size_t at = 0;
    while (sections.size() < 5) {
        const std::size_t end = parts.find('\0', at);
        sections.push_back(parts.substr(at, end == std::string::npos ? std::string::npos : end - at));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    if (sections.size() < 2) sections.push_back("weights");
    std::string out = "CONTMODL";
    putLE(out, kModelFormatVersion, 4);
    putLE(out, sections.size(), 4);
    for (std::size_t i = 0; i < sections.size(); ++i) {
        out += tags[i];
        putLE(out, sections[i].size(), 8);
        const Sha256Digest d = sha256(sections[i]);
        out.append(reinterpret_cast<const char*>(d.data()), d.size());
        out += sections[i];
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string bytes = (data[0] & 1) ? wrap(rest) : rest;
    ModelFileContents contents;
    try {
        contents = parseModelFile(bytes, "fuzz.cmodel");
    } catch (const ModelFileError&) {
        return 0;
    }
    check(contents.sections.count("META") && contents.sections.count("WGHT"), "META and WGHT present");
    const std::string json = metadataToJson(contents.metadata);
    std::string again;
    try {
        again = metadataToJson(metadataFromJson(json, "fuzz.cmodel"));
    } catch (const ModelFileError& e) {
        std::fprintf(stderr, "metadata written by metadataToJson does not read back: %s\n", e.what());
        std::abort();
    }
    check(again == json, "metadata round trip");
    std::map<std::string, std::string> others = contents.sections;
    others.erase("META");
    const ModelFileContents rebuilt = parseModelFile(buildModelFile(contents.metadata, others), "rebuilt");
    others["META"] = json;
    check(rebuilt.sections == others, "build → parse keeps the sections");
    return 0;
}
