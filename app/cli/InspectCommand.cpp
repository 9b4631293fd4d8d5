// continuo-cli inspect FILE [--json]: what a MIDI file holds, in the file's own ticks.

#include "cli/Commands.h"
#include "music/GeneralMidi.h"
#include "music/MidiFileNames.h"
#include "music/SongFile.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace continuo::cli {
namespace {

using music::Song;

nlohmann::json toJson(const std::string& path, const music::LoadedSong& loaded) {
    const Song& song = loaded.song;
    nlohmann::json j;
    j["file"] = path;
    j["format"] = song.format;
    if (song.smpte) {
        j["ppq"] = nullptr;
        j["smpte"] = {{"framesPerSecond", song.smpte->framesPerSecond},
                      {"ticksPerFrame", song.smpte->ticksPerFrame}};
    } else {
        j["ppq"] = song.ppq;
    }
    j["seconds"] = song.secondsAt(song.endTick());
    auto& tempos = j["tempos"] = nlohmann::json::array();
    for (const auto& t : song.tempos)
        tempos.push_back({{"tick", t.tick}, {"usPerQuarter", t.microsPerQuarter}, {"bpm", t.bpm()}});
    auto& sigs = j["timeSignatures"] = nlohmann::json::array();
    for (const auto& s : song.timeSignatures) {
        sigs.push_back({{"tick", s.tick}, {"numerator", s.numerator}, {"denominator", s.denominator}});
    }
    auto& keys = j["keySignatures"] = nlohmann::json::array();
    for (const auto& k : song.keySignatures)
        keys.push_back({{"tick", k.tick}, {"sharps", k.sharps}, {"minor", k.minor}});
    auto& tracks = j["tracks"] = nlohmann::json::array();
    for (const auto& t : song.tracks) {
        nlohmann::json jt{{"name", t.name},
                          {"instrument", t.instrument},
                          {"channel", t.channel},
                          {"program", t.program},
                          {"drum", t.isDrum()}};
        auto& notes = jt["notes"] = nlohmann::json::array();
        for (const auto& n : t.notes) {
            notes.push_back({{"channel", n.channel},
                             {"pitch", n.pitch},
                             {"start", n.start},
                             {"end", n.end()},
                             {"velocity", n.velocity}});
        }
        tracks.push_back(std::move(jt));
    }
    j["warnings"] = loaded.warnings;
    return j;
}

void printText(const std::string& path, const music::LoadedSong& loaded, bool withNotes) {
    const Song& song = loaded.song;
    std::printf("%s\n  %s\n", path.c_str(), music::describeSong(song).c_str());
    if (song.smpte) {
        std::printf("  format %d, SMPTE %d fps × %d ticks per frame\n", song.format,
                    song.smpte->framesPerSecond, song.smpte->ticksPerFrame);
    } else {
        std::printf("  format %d, %d ticks per quarter note\n", song.format, song.ppq);
    }
    for (const auto& t : song.tempos) {
        std::printf("  tempo  at tick %-8lld %7.2f BPM (%u µs per quarter)\n", static_cast<long long>(t.tick),
                    t.bpm(), t.microsPerQuarter);
    }
    for (const auto& s : song.timeSignatures) {
        std::printf("  meter  at tick %-8lld %d/%d\n", static_cast<long long>(s.tick), s.numerator,
                    s.denominator);
    }
    for (const auto& k : song.keySignatures) {
        std::printf("  key    at tick %-8lld %+d %s, %s\n", static_cast<long long>(k.tick), k.sharps,
                    k.sharps < 0 ? "flats" : "sharps", k.minor ? "minor" : "major");
    }
    for (std::size_t i = 0; i < song.tracks.size(); ++i) {
        const auto& t = song.tracks[i];
        std::printf("  track %zu \"%s\": channel %d, %s, %zu notes\n", i, t.name.c_str(), t.channel + 1,
                    t.isDrum() ? "drums" : music::gmProgramName(t.program), t.notes.size());
        if (!withNotes) continue;
        for (const auto& n : t.notes) {
            std::printf("    %8lld–%-8lld %-4s vel %3d ch %2d\n", static_cast<long long>(n.start),
                        static_cast<long long>(n.end()), music::pitchName(n.pitch).c_str(), n.velocity,
                        n.channel + 1);
        }
    }
    for (const auto& w : loaded.warnings)
        std::printf("  warning: %s\n", w.c_str());
}

} // namespace

Run addInspectCommand(CLI::App& app) {
    struct Options {
        std::string file;
        bool json = false;
        bool summary = false;
    };
    auto opts = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand(
        "inspect", "Show the tracks, channels, programs, tempo map and notes of a MIDI file");
    cmd->add_option("FILE", opts->file, "a " + music::midiExtensionsText() + " file")->required();
    cmd->add_flag("--json", opts->json, "print JSON (ticks are the file's own)");
    cmd->add_flag("--summary", opts->summary, "text output without the note list");
    return [opts] {
        const music::LoadedSong loaded = music::loadSong(opts->file);
        if (opts->json) {
            std::cout << toJson(opts->file, loaded).dump() << '\n';
        } else {
            printText(opts->file, loaded, !opts->summary);
        }
        return 0;
    };
}

} // namespace continuo::cli
