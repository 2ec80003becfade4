#!/usr/bin/python3
# gst-omni: makes the speech and music clips the omniaudioenc tests and
# benchmark use, as raw mono float32 at a given rate.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: audioenc_media.py OUTDIR [RATE] [SECONDS]
#   OUTDIR/speech.f32  espeak-ng reading a sentence (repeated to SECONDS)
#   OUTDIR/music.f32   fluidsynth playing OUTDIR/music.mid (written here: a
#                      piano melody over string chords, bass and drums) with
#                      Debian's FluidR3 General MIDI sound font
# Both are converted with sox.
import os
import struct
import subprocess
import sys

SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2'
TEXT = ('The quick brown fox jumps over the lazy dog. '
        'Audio features are computed on the graphics processor, '
        'one window after another.')


def vlq(n):
    # MIDI variable-length quantity
    out = [n & 0x7f]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7f))
        n >>= 7
    return bytes(reversed(out))


def write_midi(path, seconds):
    # Standard MIDI File format 0, 480 ticks per quarter note, 120 bpm.
    tpq = 480
    events = []  # (tick, bytes)

    def note(tick, dur, ch, key, vel):
        events.append((tick, bytes([0x90 | ch, key, vel])))
        events.append((tick + dur, bytes([0x80 | ch, key, 0])))

    events.append((0, bytes([0xc0, 0])))   # ch 0: acoustic grand piano
    events.append((0, bytes([0xc1, 48])))  # ch 1: string ensemble
    events.append((0, bytes([0xc2, 33])))  # ch 2: electric bass (finger)
    melody = [60, 62, 64, 67, 69, 67, 64, 62, 60, 64, 67, 72, 71, 67, 62, 59]
    chords = [[48, 52, 55], [45, 48, 52], [41, 45, 48], [43, 47, 50]]
    bars = max(1, int(seconds * 2 / 4) + 1)  # 4 beats a bar at 2 beats/s
    for bar in range(bars):
        t0 = bar * 4 * tpq
        chord = chords[bar % 4]
        for k in chord:
            note(t0, 4 * tpq - 10, 1, k, 70)
        note(t0, 2 * tpq, 2, chord[0] - 12, 90)
        note(t0 + 2 * tpq, 2 * tpq, 2, chord[2] - 12, 90)
        for i in range(8):
            key = melody[(bar * 8 + i) % len(melody)]
            note(t0 + i * tpq // 2, tpq // 2 - 20, 0, key + 12, 96)
        for beat in range(4):  # ch 9: GM percussion
            note(t0 + beat * tpq, 60, 9, 36 if beat % 2 == 0 else 38, 100)
            note(t0 + beat * tpq + tpq // 2, 60, 9, 42, 70)
    events.sort(key=lambda e: (e[0], e[1][0] & 0xf0 != 0x80))
    track = bytearray()
    track += vlq(0) + bytes([0xff, 0x51, 3]) + (500000).to_bytes(3, 'big')
    last = 0
    for tick, data in events:
        track += vlq(tick - last) + data
        last = tick
    track += vlq(tpq) + bytes([0xff, 0x2f, 0])
    with open(path, 'wb') as f:
        f.write(b'MThd' + struct.pack('>IHHH', 6, 0, 1, tpq))
        f.write(b'MTrk' + struct.pack('>I', len(track)) + track)


def to_f32(src, dst, rate, seconds):
    subprocess.run(['sox', '-q', src, '-t', 'raw', '-e', 'floating-point',
                    '-b', '32', '-c', '1', '-r', str(rate), dst,
                    'trim', '0', str(seconds)], check=True)


def main():
    out = sys.argv[1]
    rate = int(sys.argv[2]) if len(sys.argv) > 2 else 16000
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    os.makedirs(out, exist_ok=True)

    wav = os.path.join(out, 'speech.wav')
    text = ' '.join([TEXT] * max(1, int(seconds / 8) + 1))
    subprocess.run(['espeak-ng', '-w', wav, text], check=True)
    to_f32(wav, os.path.join(out, 'speech.f32'), rate, seconds)

    mid = os.path.join(out, 'music.mid')
    write_midi(mid, seconds)
    wav = os.path.join(out, 'music.wav')
    subprocess.run(['fluidsynth', '-q', '-n', '-i', '-g', '0.6', '-r',
                    str(rate), '-F', wav, SOUNDFONT, mid], check=True,
                   stdout=subprocess.DEVNULL)
    to_f32(wav, os.path.join(out, 'music.f32'), rate, seconds)


if __name__ == '__main__':
    main()
