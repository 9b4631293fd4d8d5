#!/usr/bin/python3
"""Writes a set of varied MIDI files with mido (an independent writer) for the codec cross-check:
formats 0/1/2, several resolutions, running status (mido writes it), note_on velocity 0 as note-off,
note_off with release velocity, overlapping and repeated notes of one pitch, zero-length notes, notes never
ended, sysex, meta events, program/control changes, pitch bend, aftertouch and long deltas.
Usage: mido_make_files.py OUTDIR [COUNT]
"""
import os
import random
import sys

import mido

out_dir = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 40
os.makedirs(out_dir, exist_ok=True)


def random_track(rng, name, channels, length):
    events = []  # (absolute tick, order, message)
    events.append((0, 0, mido.MetaMessage("track_name", name=name)))
    for ch in channels:
        events.append((0, 1, mido.Message("program_change", channel=ch, program=rng.randrange(128))))
    t = 0
    for _ in range(length):
        t += rng.choice([0, 0, 1, 10, 60, 120, 240, 480, 1000, 70000])
        ch = rng.choice(channels)
        pitch = rng.randrange(128) if rng.random() < 0.1 else rng.randrange(36, 90)
        vel = rng.randrange(1, 128)
        dur = rng.choice([0, 1, 30, 120, 480, 2000])
        events.append((t, 2, mido.Message("note_on", channel=ch, note=pitch, velocity=vel)))
        r = rng.random()
        if r < 0.05:
            pass  # never ended: lasts to the end of the track
        elif r < 0.5:
            events.append((t + dur, 2, mido.Message("note_on", channel=ch, note=pitch, velocity=0)))
        else:
            events.append((t + dur, 2, mido.Message("note_off", channel=ch, note=pitch, velocity=rng.randrange(128))))
        if rng.random() < 0.1:
            events.append((t, 2, mido.Message("control_change", channel=ch, control=rng.randrange(120), value=rng.randrange(128))))
        if rng.random() < 0.05:
            events.append((t, 2, mido.Message("pitchwheel", channel=ch, pitch=rng.randrange(-8192, 8192))))
        if rng.random() < 0.03:
            events.append((t, 2, mido.Message("aftertouch", channel=ch, value=rng.randrange(128))))
        if rng.random() < 0.03:
            events.append((t, 2, mido.Message("polytouch", channel=ch, note=pitch, value=rng.randrange(128))))
        if rng.random() < 0.02:
            events.append((t, 2, mido.Message("sysex", data=[rng.randrange(128) for _ in range(rng.randrange(1, 20))])))
        if rng.random() < 0.02:
            events.append((t, 2, mido.MetaMessage("marker", text="m%d" % t)))
        if rng.random() < 0.01:
            events.append((t, 2, mido.MetaMessage("set_tempo", tempo=rng.randrange(200000, 1500000))))
    events.sort(key=lambda e: (e[0], e[1]))  # stable: keeps generation order at equal ticks
    track = mido.MidiTrack()
    last = 0
    for tick, _, msg in events:
        track.append(msg.copy(time=tick - last))
        last = tick
    return track


for i in range(count):
    rng = random.Random(i)
    fmt = [0, 1, 1, 1, 2][i % 5]
    mid = mido.MidiFile(type=fmt, ticks_per_beat=rng.choice([1, 24, 96, 192, 384, 480, 960, 32767]))
    conductor = mido.MidiTrack()
    conductor.append(mido.MetaMessage("set_tempo", tempo=rng.randrange(200000, 1500000), time=0))
    conductor.append(mido.MetaMessage("time_signature", numerator=rng.choice([2, 3, 4, 5, 6, 7]), denominator=rng.choice([2, 4, 8, 16]), time=0))
    conductor.append(mido.MetaMessage("key_signature", key=rng.choice(["C", "Am", "Eb", "F#m", "Bb", "E"]), time=0))
    conductor.append(mido.MetaMessage("set_tempo", tempo=rng.randrange(200000, 1500000), time=rng.randrange(1, 5000)))
    if fmt == 0:
        body = random_track(rng, "all", list(range(16)), rng.randrange(1, 400))
        merged = mido.merge_tracks([conductor, body])
        mid.tracks.append(merged)
    else:
        mid.tracks.append(conductor)
        for k in range(rng.randrange(1, 6)):
            chans = [9] if k == 4 else rng.sample(range(16), rng.randrange(1, 3))
            mid.tracks.append(random_track(rng, "track %d" % k, chans, rng.randrange(0, 300)))
    mid.save(os.path.join(out_dir, "mido-%02d-format%d.mid" % (i, fmt)))
