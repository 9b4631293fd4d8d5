#!/usr/bin/python3
# Writes the evaluation set of issue 15 from its typed-in source: one MIDI file per block of
# resources/eval/melodies.txt into resources/eval/melodies/, one per block of resources/eval/piano.txt
# into resources/eval/piano/, and an index.tsv beside each (file, title, meter, key, seed bars, bars).
# Debian's python3-mido (hence /usr/bin/python3). Every bar is checked to fill its meter; a short first
# bar is an upbeat (rests are put before it so bar 1 is whole), only the last bar may be short too.
#
# Source format (one block per tune, blocks separated by blank lines, a line starting with '#' is a comment):
#   title: Twinkle, Twinkle, Little Star
#   meter: 4/4            time signature
#   key: C major          tonic (C, F#, Bb, …) and major|minor: the key signature
#   tempo: 100            quarter notes per minute
#   seed: 2               bars the model is given (the rest of the tune is the human answer)
#   transpose: 0          optional: semitones applied to every pitch and to the key
#   notes: C4:q C4:q G4:q G4:q | A4:q A4:q G4:h | ...    (may continue on following lines)
#   voice: ...            piano blocks: one line per voice/hand instead of notes:, all in one track
# A note is PITCH:LENGTH: PITCH = C4 (middle C, MIDI 60) with # or b, r for a rest, or a chord
# C3+E3+G3; LENGTH = w h q e s (whole … sixteenth), a trailing '.' dots it, a trailing 't' makes it a
# triplet (two thirds). '|' ends a bar.
#
# Usage: scripts/make-eval-melodies.py [--check]   (--check: parse and verify only, write nothing)

import os
import sys
from fractions import Fraction

import mido

PPQ = 480
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "eval")
STEPS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}
LENGTHS = {"w": Fraction(4), "h": Fraction(2), "q": Fraction(1), "e": Fraction(1, 2), "s": Fraction(1, 4)}


class SourceError(Exception):
    pass


def pitch_class(name):
    if not name or name[0] not in STEPS:
        raise SourceError(f"bad note name '{name}'")
    pc = STEPS[name[0]]
    for c in name[1:]:
        pc += 1 if c == "#" else -1 if c == "b" else 0
    return pc % 12


def parse_pitch(text):
    i = 1
    while i < len(text) and text[i] in "#b":
        i += 1
    name, octave = text[:i], text[i:]
    try:
        octave = int(octave)
    except ValueError:
        raise SourceError(f"bad pitch '{text}'")
    p = (octave + 1) * 12 + STEPS.get(name[0], -100) + name.count("#") - name[1:].count("b")
    if name[0] not in STEPS or not 0 <= p <= 127:
        raise SourceError(f"bad pitch '{text}'")
    return p


def parse_length(text):
    if not text or text[0] not in LENGTHS:
        raise SourceError(f"bad length '{text}'")
    value = LENGTHS[text[0]]
    for c in text[1:]:
        if c == ".":
            value = value * Fraction(3, 2)
        elif c == "t":
            value = value * Fraction(2, 3)
        else:
            raise SourceError(f"bad length '{text}'")
    return value


def parse_voice(text, bar_quarters):
    """Bars of (pitches, quarters) events; checks that every bar but the first and last is whole."""
    bars = [b.split() for b in text.split("|")]
    bars = [b for b in bars if b]
    out = []
    for bar in bars:
        events = []
        for token in bar:
            if ":" not in token:
                raise SourceError(f"'{token}' has no length")
            pitch, length = token.split(":", 1)
            pitches = [] if pitch == "r" else [parse_pitch(p) for p in pitch.split("+")]
            events.append((pitches, parse_length(length)))
        out.append(events)
    for i, bar in enumerate(out):
        total = sum(q for _, q in bar)
        if total > bar_quarters or (total < bar_quarters and 0 < i < len(out) - 1):
            raise SourceError(f"bar {i + 1} holds {total} quarters, the meter {bar_quarters}")
    return out


def parse_blocks(path):
    blocks, current, last_key = [], {}, None
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = "" if raw.lstrip().startswith("#") else raw.rstrip()
            if not line.strip():
                if current:
                    blocks.append(current)
                    current, last_key = {}, None
                continue
            if ":" in line.split()[0] and line.split(":", 1)[0].strip() in (
                    "title", "meter", "key", "tempo", "seed", "transpose", "notes", "voice"):
                key, value = line.split(":", 1)
                key = key.strip()
                if key == "voice":
                    current.setdefault("voices", []).append(value.strip())
                    last_key = "voice"
                else:
                    current[key] = value.strip()
                    last_key = key
            elif last_key == "notes":
                current["notes"] += " " + line.strip()
            elif last_key == "voice":
                current["voices"][-1] += " " + line.strip()
            else:
                raise SourceError(f"{path}: cannot read '{line.strip()}'")
    if current:
        blocks.append(current)
    return blocks


def slug(title):
    s = "".join(c.lower() if c.isalnum() else "-" for c in title)
    while "--" in s:
        s = s.replace("--", "-")
    return s.strip("-")


def build(block):
    title = block["title"]
    num, den = (int(x) for x in block["meter"].split("/"))
    bar_quarters = Fraction(4 * num, den)
    tonic_name, mode = block["key"].split()
    transpose = int(block.get("transpose", "0"))
    tonic = (pitch_class(tonic_name) + transpose) % 12
    minor = mode == "minor"
    voices = block.get("voices") or [block["notes"]]
    parsed = [parse_voice(v, bar_quarters) for v in voices]
    n_bars = max(len(v) for v in parsed)
    upbeat = bar_quarters - sum(q for _, q in parsed[0][0])
    events = []  # (start, end, pitch) in ticks
    for voice in parsed:
        if len(voice) != n_bars:
            raise SourceError(f"{title}: voices have {len(voice)} and {n_bars} bars")
        if bar_quarters - sum(q for _, q in voice[0]) != upbeat:
            raise SourceError(f"{title}: voices start at different upbeats")
        t = upbeat
        for bar in voice:
            for pitches, q in bar:
                for p in pitches:
                    events.append((int(t * PPQ), int((t + q) * PPQ), p + transpose))
                t += q
    seed = int(block.get("seed", "2"))
    if not 1 <= seed < n_bars:
        raise SourceError(f"{title}: seed of {seed} bars in a tune of {n_bars}")
    track = mido.MidiTrack()
    track.append(mido.MetaMessage("track_name", name=title, time=0))
    track.append(mido.MetaMessage("time_signature", numerator=num, denominator=den, time=0))
    key_name = ["C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"][tonic] + ("m" if minor else "")
    key_name = {"Dbm": "C#m", "Gbm": "F#m"}.get(key_name, key_name)
    track.append(mido.MetaMessage("key_signature", key=key_name, time=0))
    track.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(int(block.get("tempo", "100"))), time=0))
    track.append(mido.Message("program_change", program=0, channel=0, time=0))
    messages = []
    for start, end, pitch in events:
        messages.append((end, 0, pitch))  # offs before ons at the same tick
        messages.append((start, 1, pitch))
    messages.sort()
    now = 0
    for tick, on, pitch in messages:
        track.append(mido.Message("note_on" if on else "note_off", note=pitch, velocity=80 if on else 0,
                                  channel=0, time=tick - now))
        now = tick
    track.append(mido.MetaMessage("end_of_track", time=0))
    midi = mido.MidiFile(type=0, ticks_per_beat=PPQ)
    midi.tracks.append(track)
    meter = f"{num}/{den}"
    return slug(title), midi, (title, meter, key_name, seed, n_bars, len(events))


def main():
    check = "--check" in sys.argv[1:]
    status = 0
    for source, folder in (("melodies.txt", "melodies"), ("piano.txt", "piano")):
        path = os.path.join(ROOT, source)
        try:
            blocks = parse_blocks(path)
        except (OSError, SourceError) as e:
            print(f"{source}: {e}", file=sys.stderr)
            return 1
        rows = []
        out_dir = os.path.join(ROOT, folder)
        for block in blocks:
            try:
                name, midi, info = build(block)
            except (KeyError, ValueError, SourceError) as e:
                print(f"{source}: {block.get('title', '?')}: {e}", file=sys.stderr)
                status = 1
                continue
            title, meter, key, seed, bars, notes = info
            rows.append(f"{name}.mid\t{title}\t{meter}\t{key}\t{seed}\t{bars}")
            print(f"{folder}/{name}.mid: {title}, {meter}, {key}, {bars} bars ({seed} seed), {notes} notes")
            if not check:
                os.makedirs(out_dir, exist_ok=True)
                midi.save(os.path.join(out_dir, name + ".mid"))
        if not check and status == 0:
            with open(os.path.join(out_dir, "index.tsv"), "w", encoding="utf-8") as f:
                f.write("# file\ttitle\tmeter\tkey\tseed_bars\tbars  (written by scripts/make-eval-melodies.py)\n")
                f.write("\n".join(rows) + "\n")
    return status


if __name__ == "__main__":
    sys.exit(main())
