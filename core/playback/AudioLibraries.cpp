#include "playback/AudioLibraries.h"

#include <alsa/asoundlib.h>
#include <fluidsynth.h>
#include <jack/jack.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace continuo::playback {
namespace {

// Not a real-time path: these libraries only log on set-up and failures, never per sample.
std::mutex lastMutex;
std::string lastError;
bool echo = false;

void remember(const char* origin, const char* message, bool isError) {
    std::string text = message ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    if (echo) std::fprintf(stderr, "[%s] %s\n", origin, text.c_str());
    if (!isError || text.empty()) return;
    std::lock_guard lock(lastMutex);
    lastError = std::move(text);
}

void fluidLog(int level, const char* message, void*) {
    remember("fluidsynth", message, level <= FLUID_ERR);
}

void alsaLog(const char* file, int line, const char* function, int err, const char* fmt, ...) {
    char buffer[512];
    va_list args;
    va_start(args, fmt);
    std::vsnprintf(buffer, sizeof buffer, fmt, args);
    va_end(args);
    (void)file;
    (void)line;
    (void)function;
    (void)err;
    remember("alsa-lib", buffer, true);
}

void jackError(const char* message) {
    remember("libjack", message, true);
}
void jackInfo(const char* message) {
    remember("libjack", message, false);
}

} // namespace

void initAudioLibraries() {
    static std::once_flag once;
    std::call_once(once, [] {
        echo = std::getenv("CONTINUO_AUDIO_DEBUG") != nullptr;
        ::setenv("JACK_NO_START_SERVER", "1", 0);
        for (int level = FLUID_PANIC; level < LAST_LOG_LEVEL; ++level)
            fluid_set_log_function(level, fluidLog, nullptr);
        snd_lib_error_set_handler(alsaLog);
        jack_set_error_function(jackError);
        jack_set_info_function(jackInfo);
    });
}

std::string takeLastLibraryError() {
    std::lock_guard lock(lastMutex);
    std::string out = std::move(lastError);
    lastError.clear();
    return out;
}

void clearLastLibraryError() {
    std::lock_guard lock(lastMutex);
    lastError.clear();
}

} // namespace continuo::playback
