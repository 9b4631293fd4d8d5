#!/usr/bin/python3
"""Reads MIDI files with mido (the independent reader) and prints, per file, one JSON line with its notes
paired by the rules Continuo documents (core/music/SmfToSong.h):

- per track and per (channel, pitch), a note_off or a note_on with velocity 0 ends the oldest sounding note;
- a note still sounding at the end of its track ends at the track's last message;
- a note that would last 0 ticks lasts 1.

Also prints the tempo map (tick, microseconds per quarter; the last tempo at a tick wins; tempo 0 skipped).
Usage: mido_notes.py FILE...
"""
import collections
import gzip
import json
import sys

import mido
import mido.midifiles.midifiles as _midifiles

# mido 1.2 raises on a meta event it cannot decode (e.g. a key signature with mode 255, found in
# simutrans-data). Such a meta says nothing about notes or tempo; keep it as an unknown meta and go on, as
# Continuo does, so the note comparison still covers the file.
_build_meta = _midifiles.build_meta_message


def _tolerant_build_meta(meta_type, data, delta):
    try:
        return _build_meta(meta_type, data, delta)
    except Exception:
        return mido.UnknownMetaMessage(type_byte=meta_type, data=data, time=delta)


_midifiles.build_meta_message = _tolerant_build_meta


def load(path):
    # clip=True: data bytes above 127 (real files write velocities as 0xCC) read as 127, the policy
    # Continuo's reader follows (core/midi/SmfReader.h); without it mido refuses such files.
    if path.endswith(".gz"):
        with gzip.open(path) as f:
            return mido.MidiFile(file=f, clip=True)
    return mido.MidiFile(path, clip=True)


def describe(path):
    mid = load(path)
    tracks = []
    tempos = []
    for track in mid.tracks:
        tick = 0
        sounding = collections.defaultdict(collections.deque)
        notes = []
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                sounding[(msg.channel, msg.note)].append(len(notes))
                notes.append([msg.channel, msg.note, tick, None, msg.velocity])
            elif msg.type == "note_off" or (msg.type == "note_on" and msg.velocity == 0):
                queue = sounding[(msg.channel, msg.note)]
                if queue:
                    n = notes[queue.popleft()]
                    n[3] = max(tick, n[2] + 1)
            elif msg.type == "set_tempo" and msg.tempo > 0:
                tempos.append([tick, msg.tempo])
        for n in notes:
            if n[3] is None:
                n[3] = max(tick, n[2] + 1)
        tracks.append(sorted(notes))
    tempos.sort(key=lambda t: t[0])  # stable: file order among equal ticks
    unique = []
    for t in tempos:
        if unique and unique[-1][0] == t[0]:
            unique[-1] = t
        else:
            unique.append(t)
    return {"format": mid.type, "ticks_per_beat": mid.ticks_per_beat, "tracks": tracks, "tempos": unique}


for path in sys.argv[1:]:
    try:
        out = {"file": path, "ok": True, **describe(path)}
    except Exception as e:  # mido's own errors are many types; the caller only needs to know it failed
        out = {"file": path, "ok": False, "error": f"{type(e).__name__}: {e}"}
    print(json.dumps(out), flush=True)
