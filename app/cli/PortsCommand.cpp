// continuo-cli ports [--json]: the MIDI outputs and inputs of every MIDI system there is.

#include "cli/Commands.h"
#include "playback/MidiSystem.h"
#include "playback/PlaybackError.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <memory>

namespace continuo::cli {

Run addPortsCommand(CLI::App& app) {
    struct Options {
        bool json = false;
        std::string api = "all";
    };
    auto o = std::make_shared<Options>();
    CLI::App* cmd = app.add_subcommand("ports", "List MIDI output and input ports (ALSA and JACK)");
    cmd->add_flag("--json", o->json,
                  "print JSON: {\"apis\":[…],\"outputs\":[{\"api\",\"name\"}],\"inputs\":[…]}");
    cmd->add_option("--api", o->api, "only this MIDI system")->check(CLI::IsMember({"all", "alsa", "jack"}));
    return [o] {
        using playback::MidiApi;
        std::vector<MidiApi> apis;
        if (o->api == "all" || o->api == "alsa") apis.push_back(MidiApi::Alsa);
        if (o->api == "all" || o->api == "jack") apis.push_back(MidiApi::Jack);

        nlohmann::json j{{"apis", nlohmann::json::array()},
                         {"outputs", nlohmann::json::array()},
                         {"inputs", nlohmann::json::array()}};
        for (MidiApi api : apis) {
            const char* name = playback::midiApiName(api);
            const playback::MidiApiStatus st = playback::probeMidiApi(api);
            nlohmann::json ja{{"api", name}, {"available", st.available}};
            if (!st.available) {
                ja["reason"] = st.reason;
                j["apis"].push_back(ja);
                continue;
            }
            try {
                const playback::MidiPortLists lists = playback::listMidiPorts(api);
                for (const auto& p : lists.outputs)
                    j["outputs"].push_back({{"api", name}, {"name", p}});
                for (const auto& p : lists.inputs)
                    j["inputs"].push_back({{"api", name}, {"name", p}});
            } catch (const playback::PlaybackError& e) { // it went away between the probe and the listing
                ja["available"] = false;
                ja["reason"] = e.what();
            }
            j["apis"].push_back(ja);
        }
        if (o->json) {
            std::cout << j.dump() << '\n';
            return 0;
        }
        for (const auto& a : j["apis"]) {
            const std::string api = a["api"];
            if (!a["available"].get<bool>()) {
                std::printf("%s: not available (%s)\n", api.c_str(), a["reason"].get<std::string>().c_str());
                continue;
            }
            std::printf("%s:\n", api.c_str());
            int shown = 0;
            for (const char* dir : {"outputs", "inputs"}) {
                for (const auto& p : j[dir]) {
                    if (p["api"] != api) continue;
                    std::printf("  %-3s %s\n", dir[0] == 'o' ? "out" : "in",
                                p["name"].get<std::string>().c_str());
                    ++shown;
                }
            }
            if (shown == 0) std::printf("  no ports\n");
        }
        return 0;
    };
}

} // namespace continuo::cli
