#pragma once
// FluidSynth, ALSA-lib and libjack write their own diagnostics to stderr ("ALSA lib confmisc.c:855 …",
// "Cannot connect to server socket …"), which would bury the one clear line the app prints. Their handlers
// are routed here: kept in memory for error messages, and echoed to stderr only when the environment
// variable CONTINUO_AUDIO_DEBUG is set.

#include <string>

namespace continuo::playback {

/// Installs the handlers and sets JACK_NO_START_SERVER=1 (unless the environment already sets it), so a
/// missing JACK server fails in milliseconds instead of libjack trying to start one for seconds. Once per
/// process; later calls do nothing; thread-safe, but call it before other threads read the environment.
/// Every entry point of core/playback that touches those libraries calls it first, so callers need not.
void initAudioLibraries();

/// The last error-level message those libraries logged since the previous call (any thread), then
/// forgets it; "" when none. Used to explain a failure right after it happened.
std::string takeLastLibraryError();

/// Forgets any remembered message, so that a following takeLastLibraryError() names only what comes next.
void clearLastLibraryError();

} // namespace continuo::playback
