#pragma once
// Copy and paste of notes through the system clipboard, as a Standard MIDI File ("audio/midi"), so notes
// copied in Continuo paste into another Continuo window or any program that takes MIDI from the
// clipboard, and MIDI copied elsewhere pastes into the roll. A plain-text line names the notes for
// programs that take only text.

#include "music/Song.h"

#include <optional>
#include <vector>

namespace continuo::ui {

/// The MIME type the notes travel as (the one shared-mime-info gives .mid files).
inline constexpr const char* kMidiMimeType = "audio/midi";

/// Puts `notes` (ticks at `ppq`, starts relative to the first copied note, ≥ 0) on the system clipboard
/// as a one-track SMF at `ppq` with `tempo` µs per quarter. Thread contract: GUI thread (QClipboard).
void copyNotesToClipboard(const std::vector<music::Note>& notes, int ppq, std::uint32_t microsPerQuarter);

/// The notes of the MIDI data on the clipboard, every track merged, ticks rescaled to `ppq` and shifted so
/// the earliest starts at 0, origin User; nullopt when the clipboard holds no MIDI, or MIDI that does not
/// parse or holds no notes (`problem`, if given, then says why in one sentence; "" when there is simply
/// no MIDI). Clipboard MIDI over 4 MiB is refused rather than parsed on the GUI thread.
/// Thread contract: GUI thread.
std::optional<std::vector<music::Note>> notesFromClipboard(int ppq, std::string* problem = nullptr);

} // namespace continuo::ui
