#!/usr/bin/python3
# gst-omni: writes the rhythm accuracy corpus as Standard MIDI Files plus the
# ground truth that follows from them by construction.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Usage: rhythm_corpus.py OUTDIR [--long SECONDS | --variant N]
#
# For every piece NAME it writes OUTDIR/NAME.mid, OUTDIR/NAME.beats (one beat
# time in seconds per line: the quarter notes, or the dotted quarters for
# compound metres), OUTDIR/NAME.onsets (every distinct note-on time, notes
# closer than 30 ms merged) and one line in OUTDIR/manifest.tsv:
#   name  sample-rate  tempo-bpm (0 when the tempo changes)  description
# With --long it writes only OUTDIR/long.mid: SECONDS of varied music for the
# benchmark. With --variant N (N >= 1) the same styles come out at other
# tempi (scaled by a factor between 0.9 and 1.1 that depends on N, clamped to
# 60-190 BPM), with other random seeds and the sample rates swapped: a
# held-out set for checking that nothing was tuned to the default corpus.  Pure Python 3, no modules beyond the standard library; the
# material is deterministic (fixed seeds) so every run renders the same files.

import os
import random
import struct
import sys

PPQ = 480

# General MIDI drum keys (channel 10)
KICK, SIDE, SNARE, CLAP, HAT, PEDAL, OHAT, CRASH, RIDE = 36, 37, 38, 39, 42, 44, 46, 49, 51
TOM_L, TOM_M, TOM_H, WOOD_H, WOOD_L, SHAKER, COWBELL = 45, 47, 50, 76, 77, 82, 56


def vlq(n):
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


class Song:
    """Notes placed on a beat grid; beat times come from a tempo map."""

    def __init__(self, name, rate, beat_times, desc, tempo=0.0, num=4):
        self.name, self.rate, self.desc, self.tempo = name, rate, desc, tempo
        self.beats = beat_times  # seconds, one per beat, plus one past the end
        self.num = num
        self.notes = []  # (beat position float, channel, key, velocity, length beats)
        self.programs = {}

    def program(self, ch, prog):
        self.programs[ch] = prog

    def note(self, pos, ch, key, vel, length=0.25):
        if pos < 0 or pos + 1e-9 >= len(self.beats) - 1:
            return
        self.notes.append((pos, ch, key, max(1, min(127, int(vel))), length))

    def drum(self, pos, key, vel):
        self.note(pos, 9, key, vel, 0.1)

    def time_of(self, pos):
        i = int(pos)
        f = pos - i
        return self.beats[i] + f * (self.beats[i + 1] - self.beats[i])

    def write(self, outdir):
        nbeats = len(self.beats) - 1
        # One tempo event per beat, so beat k sits exactly on tick
        # (k+1)*PPQ at self.beats[k]; the first quarter of ticks is the
        # silent lead-in of self.beats[0] seconds.
        ev = []
        ev.append((0, 0, bytes([0xFF, 0x58, 0x04, self.num, 2, 24, 8])))
        periods = [self.beats[0]] + [self.beats[k + 1] - self.beats[k] for k in range(nbeats)]
        for k, period in enumerate(periods):
            us = int(round(period * 1e6))
            ev.append((k * PPQ, 1, bytes([0xFF, 0x51, 0x03]) + us.to_bytes(3, 'big')))
        for ch, prog in self.programs.items():
            ev.append((0, 2, bytes([0xC0 | ch, prog])))
        for pos, ch, key, vel, length in self.notes:
            on = int(round((pos + 1) * PPQ))
            off = int(round((pos + 1 + length) * PPQ))
            off = min(max(off, on + 1), (nbeats + 1) * PPQ)
            ev.append((on, 4, bytes([0x90 | ch, key, vel])))
            ev.append((off, 3, bytes([0x80 | ch, key, 0])))
        ev.sort(key=lambda e: (e[0], e[1]))
        data = bytearray()
        last = 0
        for tick, _, msg in ev:
            data += vlq(tick - last) + msg
            last = tick
        data += vlq(PPQ) + bytes([0xFF, 0x2F, 0x00])
        with open(os.path.join(outdir, self.name + '.mid'), 'wb') as f:
            f.write(b'MThd' + struct.pack('>IHHH', 6, 0, 1, PPQ))
            f.write(b'MTrk' + struct.pack('>I', len(data)) + data)
        # Ground truth, reconstructed from the written ticks.
        onsets = sorted(set(self.time_of(round(p * PPQ) / PPQ) for p, *_ in self.notes))
        merged = []
        for t in onsets:
            if not merged or t - merged[-1] > 0.03:
                merged.append(t)
        with open(os.path.join(outdir, self.name + '.onsets'), 'w') as f:
            f.writelines('%.6f\n' % t for t in merged)
        with open(os.path.join(outdir, self.name + '.beats'), 'w') as f:
            f.writelines('%.6f\n' % t for t in self.beats[:nbeats])
        with open(os.path.join(outdir, 'manifest.tsv'), 'a') as f:
            f.write('%s\t%d\t%.3f\t%s\n' % (self.name, self.rate, self.tempo, self.desc))


def const_beats(bpm, seconds, lead=0.5):
    n = int((seconds - lead) * bpm / 60.0) + 1
    return [lead + k * 60.0 / bpm for k in range(n + 1)]


def ramp_beats(bpm0, bpm1, seconds, lead=0.5):
    # tempo linear in time: bpm(t) = bpm0 + (bpm1-bpm0) t / T
    beats, t = [lead], lead
    T = seconds - lead
    while t < seconds:
        # beat phase advances by bpm(t)/60 per second: integrate in 1 ms steps
        phase = 0.0
        while phase < 1.0:
            phase += (bpm0 + (bpm1 - bpm0) * min(1.0, (t - lead) / T)) / 60.0 * 0.001
            t += 0.001
        beats.append(t)
    return beats


def human(rng, amount):
    return rng.uniform(-amount, amount)


def chord_tones(root, minor=False):
    return [root, root + (3 if minor else 4), root + 7]


PROG_C = [(48, False), (45, True), (41, False), (43, False)]  # C Am F G
PROG_D = [(50, True), (46, False), (41, False), (48, False)]  # Dm Bb F C


def clicks(name, rate, bpm, num, seconds=24.0):
    s = Song(name, rate, const_beats(bpm, seconds), 'click track %g BPM %d/4' % (bpm, num), bpm, num)
    for b in range(len(s.beats) - 1):
        s.drum(b, WOOD_H if b % num == 0 else WOOD_L, 115 if b % num == 0 else 90)
    return s


def band(name, rate, beats, desc, tempo, seed, num=4, kick=None, snare=None, hats=None,
         hat_key=HAT, swing=0.0, bass='roots', keys='block', jitter=0.006, fills=False,
         bass_prog=33, keys_prog=0, bass_div=1):
    """A drum pattern plus bass and chords.  kick/snare/hats are lists of
    positions within one bar (in beats); swing delays the off-beat 8ths to
    1/2 + swing/2 of the beat (swing=1/3 is triplet swing)."""
    rng = random.Random(seed)
    s = Song(name, rate, beats, desc, tempo, num)
    s.program(0, bass_prog)
    s.program(1, keys_prog)
    nb = len(beats) - 1
    bars = nb // num

    def sw(p):
        frac = p - int(p)
        if swing and abs(frac - 0.5) < 1e-6:
            return int(p) + 0.5 + swing / 2.0
        return p

    prog = PROG_C if seed % 2 == 0 else PROG_D
    for bar in range(bars):
        b0 = bar * num
        root, minor = prog[bar % 4]
        fill = fills and bar % 4 == 3
        for p in kick or []:
            s.drum(b0 + sw(p) + human(rng, jitter / 2), KICK, 112 + human(rng, 10))
        for p in snare or []:
            if fill and p >= num - 2:
                continue
            s.drum(b0 + sw(p) + human(rng, jitter / 2), SNARE, 105 + human(rng, 12))
        for p in hats or []:
            acc = 1.0 if abs(p - round(p)) < 1e-6 else 0.75
            s.drum(b0 + sw(p) + human(rng, jitter), hat_key, (90 + human(rng, 12)) * acc)
        if fill:
            for i in range(8):
                s.drum(b0 + num - 2 + i * 0.25, [TOM_H, TOM_H, TOM_M, TOM_M, TOM_L, TOM_L, SNARE, SNARE][i],
                       100 + human(rng, 10))
        if bar % 8 == 0:
            s.drum(b0, CRASH, 100)
        # bass
        if bass == 'roots':
            for i in range(num * bass_div):
                p = i / bass_div
                s.note(b0 + sw(p), 0, root - 12 + (7 if i % 4 == 2 else 0), 95 + human(rng, 10), 0.9 / bass_div)
        elif bass == 'walk':
            scale = [0, 2, 4, 5, 7, 9, 10, 12]
            for i in range(num):
                s.note(b0 + i, 0, root - 12 + scale[rng.randrange(5)] if i else root - 12, 95 + human(rng, 8), 0.95)
        elif bass == 'whole':
            s.note(b0, 0, root - 12, 100, num - 0.1)
        # keys
        tones = chord_tones(root + 12, minor)
        if keys == 'block':
            for p in (0, 2) if num == 4 else (0,):
                for k in tones:
                    s.note(b0 + p, 1, k, 70 + human(rng, 8), 1.9)
        elif keys == 'waltz':
            for p in (1, 2):
                for k in tones:
                    s.note(b0 + p, 1, k, 62 + human(rng, 6), 0.8)
        elif keys == 'comp':
            for p in (1.5 + swing / 2.0, 3.0) if rng.random() < 0.5 else (0.5 + swing / 2.0, 2.5 + swing / 2.0):
                for k in tones:
                    s.note(b0 + p, 1, k, 68 + human(rng, 8), 0.4)
        elif keys == 'arp':
            for i in range(num * 2):
                s.note(b0 + sw(i / 2.0), 1, tones[i % 3] + (12 if i % 6 >= 3 else 0), 58 + human(rng, 6), 0.45)
        elif keys == 'power':
            for i in range(num * 2):
                for k in (root, root + 7):
                    s.note(b0 + i / 2.0, 1, k, 85 + human(rng, 6), 0.45)
    return s


def piano(name, rate, bpm, seed, seconds=24.0):
    """Solo piano: bass note on every beat, chord on 2 and 4, a melody in 8ths."""
    rng = random.Random(seed)
    s = Song(name, rate, const_beats(bpm, seconds), 'solo piano %g BPM' % bpm, bpm, 4)
    s.program(1, 0)
    nb = len(s.beats) - 1
    scale = [0, 2, 4, 5, 7, 9, 11, 12, 14, 16]
    for bar in range(nb // 4):
        root, minor = PROG_C[bar % 4]
        for i in range(4):
            s.note(bar * 4 + i, 1, root - 12 + (0 if i % 2 == 0 else 7), 92 + human(rng, 6), 0.9)
            if i % 2 == 1:
                for k in chord_tones(root + 12, minor):
                    s.note(bar * 4 + i, 1, k, 64 + human(rng, 6), 0.9)
        m = 7
        for i in range(8):
            if rng.random() < 0.7:
                m = max(0, min(len(scale) - 1, m + rng.choice([-2, -1, 1, 2])))
                s.note(bar * 4 + i / 2.0 + human(rng, 0.01), 1, 72 + scale[m], (82 if i % 2 == 0 else 66) + human(rng, 6), 0.45)
    return s


VARIANT = 0


def T(bpm):
    # tempo of a piece in the chosen variant
    if not VARIANT:
        return bpm
    f = random.Random(1000 * VARIANT + int(bpm)).uniform(0.9, 1.1)
    return round(min(190.0, max(60.0, bpm * f)), 1)


def R(rate):
    if not VARIANT:
        return rate
    return 22050 if rate == 44100 else 44100


def S(seed):
    return seed + 100 * VARIANT


def pieces():
    out = []
    out.append(clicks('click060', R(44100), T(60), 4))
    out.append(clicks('click120', R(22050), T(120), 4))
    out.append(clicks('click150_34', R(22050), T(150), 3))
    out.append(clicks('click190', R(44100), T(190), 4))
    out.append(band('rock100', R(44100), const_beats(T(100), 24), 'rock 100 BPM, 8th hats', T(100), S(1),
                    kick=[0, 2, 2.5], snare=[1, 3], hats=[i / 2 for i in range(8)], fills=True))
    out.append(band('pop128', R(22050), const_beats(T(128), 24), 'four-on-the-floor 128 BPM, 16th hats', T(128), S(2),
                    kick=[0, 1, 2, 3], snare=[1, 3], hats=[i / 4 for i in range(16)], bass_prog=38,
                    keys_prog=81, bass_div=2))
    out.append(band('ballad066', R(44100), const_beats(T(66), 26), 'ballad 66 BPM, arpeggios', T(66), S(3),
                    kick=[0, 2], snare=[1, 3], hats=[0, 1, 2, 3], hat_key=PEDAL, keys='arp', bass='whole',
                    jitter=0.004))
    out.append(band('waltz090_34', R(44100), const_beats(T(90), 24), 'waltz 90 BPM 3/4', T(90), S(4), num=3,
                    kick=[0], snare=[], hats=[1, 2], hat_key=PEDAL, keys='waltz', bass='whole'))
    out.append(band('jazz140_swing', R(44100), const_beats(T(140), 24), 'jazz swing 140 BPM (ride, walking bass)', T(140), S(5),
                    kick=[0], snare=[], hats=[0, 1, 1.5, 2, 3, 3.5], hat_key=RIDE, swing=1 / 3.0, bass='walk',
                    keys='comp', bass_prog=32))
    out.append(band('shuffle096', R(22050), const_beats(T(96), 24), 'shuffle 96 BPM (triplet swing 8ths)', T(96), S(6),
                    kick=[0, 2, 2.5], snare=[1, 3], hats=[i / 2 for i in range(8)], swing=1 / 3.0, bass_div=2))
    out.append(band('ramp090_130', R(44100), ramp_beats(T(90), T(130), 28), 'rock, tempo ramp', 0, S(7),
                    kick=[0, 2], snare=[1, 3], hats=[i / 2 for i in range(8)]))
    out.append(band('sparse084', R(44100), const_beats(T(84), 24), 'sparse drums 84 BPM (kick, snare only)', T(84), S(8),
                    kick=[0, 2], snare=[1, 3], hats=[], bass='whole', keys='none'))
    out.append(band('dense160', R(44100), const_beats(T(160), 24), 'dense drums 160 BPM, 16th hats, tom fills', T(160), S(9),
                    kick=[0, 1.75, 2, 2.75], snare=[1, 3], hats=[i / 4 for i in range(16)], fills=True,
                    bass_div=2))
    out.append(band('funk112', R(22050), const_beats(T(112), 24), 'funk 112 BPM, syncopated kick', T(112), S(10),
                    kick=[0, 0.75, 2.5], snare=[1, 3, 3.75], hats=[i / 4 for i in range(16)], bass_div=2,
                    keys='comp'))
    out.append(band('punk186', R(44100), const_beats(T(186), 24), 'punk 186 BPM, power chords', T(186), S(11),
                    kick=[0, 2], snare=[1, 3], hats=[0, 1, 2, 3], hat_key=CRASH, keys='power', keys_prog=30,
                    bass_div=2))
    out.append(piano('piano072', R(44100), T(72), S(12)))
    return out


def long_piece(seconds):
    """Benchmark material: sections of the corpus styles one after another."""
    beats, t, k = [0.5], 0.5, 0
    sections = [(100, 1), (128, 2), (90, 4), (160, 9), (112, 10), (140, 5)]
    s = Song('long', 44100, None, 'benchmark', 0, 4)
    s.beats = []
    plan = []
    while t < seconds:
        bpm, seed = sections[k % len(sections)]
        for _ in range(32):
            plan.append((bpm, seed, k))
            beats.append(t + 60.0 / bpm)
            t += 60.0 / bpm
        k += 1
    s.beats = beats
    s.program(0, 33)
    s.program(1, 0)
    rng = random.Random(99)
    for i, (bpm, seed, sec) in enumerate(plan):
        bar_pos = i % 4
        s.drum(i, KICK if bar_pos % 2 == 0 else SNARE, 110 + human(rng, 10))
        s.drum(i, HAT, 85)
        s.drum(i + 0.5, HAT, 65)
        if sec % 2:
            s.drum(i + 0.25, HAT, 50)
            s.drum(i + 0.75, HAT, 50)
        root, minor = PROG_C[(i // 4) % 4]
        s.note(i, 0, root - 12, 95, 0.9)
        if bar_pos in (0, 2):
            for n in chord_tones(root + 12, minor):
                s.note(i, 1, n, 70, 1.9)
    return s


def main():
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    global VARIANT
    if len(sys.argv) >= 4 and sys.argv[2] == '--variant':
        VARIANT = int(sys.argv[3])
    if len(sys.argv) >= 4 and sys.argv[2] == '--long':
        s = long_piece(float(sys.argv[3]))
        s.write(outdir)
        return
    open(os.path.join(outdir, 'manifest.tsv'), 'w').close()
    for s in pieces():
        s.write(outdir)


if __name__ == '__main__':
    main()
