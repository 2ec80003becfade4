#!/usr/bin/python3
# gst-omni: writes generated audio with exact truth for omnifusion's audio
# calibration test (gst-tests/pipelines/audio_calibration.py).
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Usage: audiokind_media.py OUTDIR
#
# Writes OUTDIR/NAME.wav and one line per file in OUTDIR/manifest.tsv:
#   NAME.wav  KIND  SPANS  EVENTS
# KIND is "speech", "music" or "silence" (the content outside the spans is
# digital silence); SPANS lists the content's "start-end" spans in seconds
# (comma-separated, "-" for the whole file); EVENTS lists planted events as
# "label@start-end" ("-" for none). Every time follows from the samples
# written, so the truth is exact:
#  - speech: espeak-ng sentences (several voices, 16 and 22.05 kHz, -30 to
#    -13 dBFS) with pauses of digital silence between them;
#  - music: fluidsynth renders of gst-tests/data/rhythm_corpus.py pieces
#    (piano, waltz, jazz, ballad; GM soundfont), and a synthesised
#    instrumental theme without drums (plucked melody over held chords);
#  - silence: digital silence and a -75 dBFS noise floor;
#  - events: speech at -26 dBFS with a bang (noise burst reaching 0 dBFS),
#    a scream (a 6 dB RMS harmonic tone with vibrato) and a burst of
#    gunfire (10 shots a second) planted at known times; and speech with
#    a level change (a quiet then a normal talker) that is not an event.
# Needs espeak-ng, fluidsynth, fluid-soundfont-gm, sox and python3-numpy
# (scripts/setup installs them).

import os
import subprocess
import sys
import wave

import numpy as np

SOUNDFONT = '/usr/share/sounds/sf2/FluidR3_GM.sf2'
HERE = os.path.dirname(os.path.abspath(__file__))

SENTENCES = [
    'The committee met on Tuesday to discuss the budget for the coming year.',
    'Please remember to bring your identity card and a pen to the exam.',
    'After the rain stopped, we walked along the river to the old mill.',
    'Temperatures will fall sharply overnight, with frost in the valleys.',
    'She said the results would be published early next month.',
    'Turn left at the second junction and follow the signs to the station.',
    'Our guest today has written three books about the history of maps.',
    'If you have any questions, the staff at the desk will be glad to help.',
]
VOICES = [('en-gb', 16000), ('en-us', 22050), ('en-gb-scotland', 16000),
          ('en+f3', 22050), ('en-029', 16000), ('en+m3', 22050)]


def write_wav(path, x, rate):
    pcm = np.clip(np.round(x * 32767.0), -32768, 32767).astype('<i2')
    with wave.open(path, 'wb') as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())


def read_wav(path):
    with wave.open(path, 'rb') as w:
        rate, n, ch = w.getframerate(), w.getnframes(), w.getnchannels()
        x = np.frombuffer(w.readframes(n), dtype='<i2').astype(np.float64)
    return x.reshape(-1, ch).mean(axis=1) / 32768.0, rate


def espeak(text, voice, rate, tmp):
    raw = tmp + '.espeak.wav'
    subprocess.run(['espeak-ng', '-v', voice, '-s', '160', '-w', raw, text], check=True)
    subprocess.run(['sox', raw, '-r', str(rate), tmp], check=True)
    x, r = read_wav(tmp)
    os.unlink(raw)
    os.unlink(tmp)
    # trim espeak's own lead-in and tail so the spans are the voice
    nz = np.nonzero(np.abs(x) > 1e-3)[0]
    return x[nz[0]:nz[-1] + 1], r


def rms_db(x):
    return 10 * np.log10(np.mean(x ** 2) + 1e-20)


def at_level(x, db):
    return x * 10 ** ((db - rms_db(x)) / 20)


def speech_file(out, name, voice, rate, sentences, pauses, level_db=-24.0):
    """sentences separated by pauses (seconds) of digital silence"""
    parts, spans, t = [np.zeros(int(pauses[0] * rate))], [], pauses[0]
    for i, s in enumerate(sentences):
        x, _ = espeak(s, voice, rate, os.path.join(out, name + '.tmp.wav'))
        x = at_level(x, level_db)
        parts.append(x)
        spans.append((t, t + len(x) / rate))
        t += len(x) / rate
        gap = pauses[(i + 1) % len(pauses)]
        parts.append(np.zeros(int(gap * rate)))
        t += int(gap * rate) / rate
    write_wav(os.path.join(out, name + '.wav'), np.concatenate(parts), rate)
    return spans


def synth_theme(rate, seconds, seed):
    """a plucked melody over held triads, no percussion"""
    rng = np.random.default_rng(seed)
    n = int(seconds * rate)
    y = np.zeros(n + rate)
    t = np.arange(rate * 2) / rate
    prog = [(57, False), (53, False), (48, False), (55, False)]  # Am F C G
    scale = [0, 2, 3, 5, 7, 8, 10, 12]
    beat = 0.3
    for bar in range(int(seconds / (8 * beat)) + 1):
        root, _ = prog[bar % 4]
        start = int(bar * 8 * beat * rate)
        for k in (0, 4, 7):  # held chord, soft attack
            f = 440 * 2 ** ((root + k - 69) / 12)
            env = np.minimum(1, t[:int(8 * beat * rate)] / 0.08) * 0.12
            seg = env * (np.sin(2 * np.pi * f * t[:len(env)]) + 0.3 * np.sin(4 * np.pi * f * t[:len(env)]))
            y[start:start + len(seg)] += seg[:max(0, len(y) - start)]
        for q in range(8):  # melody: eighth notes
            key = 69 + scale[rng.integers(0, len(scale))]
            f = 440 * 2 ** ((key - 69) / 12)
            s = start + int(q * beat * rate)
            m = int(beat * 1.5 * rate)
            env = np.exp(-t[:m] / 0.25) * np.minimum(1, t[:m] / 0.005) * 0.35
            seg = env * sum(np.sin(2 * np.pi * f * h * t[:m]) / h for h in (1, 2, 3, 4))
            y[s:s + m] += seg[:max(0, len(y) - s)]
    return y[:n]


def bang(rate, rng):
    t = np.arange(int(0.4 * rate)) / rate
    b = rng.standard_normal(len(t)) * np.exp(-t / 0.05)
    return b * (0.99 / np.abs(b).max())


def scream(rate, seconds=1.5):
    t = np.arange(int(seconds * rate)) / rate
    f0 = 900 + 80 * np.sin(2 * np.pi * 6 * t)
    ph = 2 * np.pi * np.cumsum(f0) / rate
    x = sum(np.sin(k * ph) / k for k in range(1, 6)) * np.minimum(1, t / 0.05)
    return at_level(x, -6.0)


def gunfire(rate, rng, shots=15, per_s=10.0):
    out = np.zeros(int((shots / per_s + 0.4) * rate))
    t = np.arange(int(0.3 * rate)) / rate
    for k in range(shots):
        b = rng.standard_normal(len(t)) * np.exp(-t / 0.04)
        b *= 0.9 / np.abs(b).max()
        i = int(k * rate / per_s)
        out[i:i + len(b)] += b
    return out


def music(out, manifest):
    corpus = os.path.join(out, 'corpus')
    subprocess.run([sys.executable, os.path.join(HERE, 'rhythm_corpus.py'), corpus], check=True)
    rates = {}
    for line in open(os.path.join(corpus, 'manifest.tsv')):
        f = line.rstrip('\n').split('\t')
        if len(f) >= 2:
            rates[f[0]] = f[1]
    for piece in ('piano072', 'waltz090_34', 'jazz140_swing', 'ballad066'):
        wav = os.path.join(out, 'music_' + piece + '.wav')
        subprocess.run(['fluidsynth', '-ni', '-q', '-g', '0.5', '-r', rates[piece], '-F', wav,
                        SOUNDFONT, os.path.join(corpus, piece + '.mid')],
                       check=True, stdout=subprocess.DEVNULL)
        manifest.append((os.path.basename(wav), 'music', '-', '-'))
    for seed, rate in ((1, 22050), (2, 44100)):
        name = 'music_theme%d.wav' % seed
        write_wav(os.path.join(out, name), at_level(synth_theme(rate, 20.0, seed), -18.0), rate)
        manifest.append((name, 'music', '-', '-'))


def spans_str(spans):
    return ','.join('%.3f-%.3f' % s for s in spans)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    manifest = []
    rng = np.random.default_rng(12)

    for i, (voice, rate) in enumerate(VOICES):
        name = 'speech_%d' % i
        sents = [SENTENCES[(2 * i + k) % len(SENTENCES)] for k in range(3)]
        spans = speech_file(out, name, voice, rate, sents, [0.5, 2.2, 0.4], level_db=-30.0 + 3 * (i % 4))
        manifest.append((name + '.wav', 'speech', spans_str(spans), '-'))

    # a talking head at a steady -13 dBFS (peaks clipped at full scale)
    spans = speech_file(out, 'speech_loud', 'en-us', 22050, SENTENCES[1:4], [0.3, 0.6, 0.3], level_db=-13.0)
    manifest.append(('speech_loud.wav', 'speech', spans_str(spans), '-'))

    music(out, manifest)

    write_wav(os.path.join(out, 'silence_digital.wav'), np.zeros(6 * 16000), 16000)
    manifest.append(('silence_digital.wav', 'silence', '-', '-'))
    write_wav(os.path.join(out, 'silence_floor.wav'), at_level(rng.standard_normal(6 * 22050), -75.0), 22050)
    manifest.append(('silence_floor.wav', 'silence', '-', '-'))

    # planted loud events in speech at -26 dBFS, 16 kHz
    rate = 16000
    x, _ = espeak(' '.join(SENTENCES[:4]), 'en-us', rate, os.path.join(out, 'ev.tmp.wav'))
    x = at_level(x, -26.0)
    x = np.concatenate([x, x])[:int(16 * rate)]
    events = []
    for label, t0, sig in (('loud-audio', 4.3, bang(rate, rng)), ('loud-audio', 9.2, scream(rate)),
                           ('impact-burst', 12.1, gunfire(rate, rng))):
        i = int(t0 * rate)
        x[i:i + len(sig)] += sig[:len(x) - i]
        events.append('%s@%.3f-%.3f' % (label, t0, t0 + len(sig) / rate))
    write_wav(os.path.join(out, 'events_speech.wav'), np.clip(x, -1, 1), rate)
    manifest.append(('events_speech.wav', 'speech', '0.000-%.3f' % (len(x) / rate), ','.join(events)))

    # a quiet talker, then a normal one: a level change, not an event
    a, _ = espeak(SENTENCES[5] + ' ' + SENTENCES[6], 'en-gb', rate, os.path.join(out, 'lv.tmp.wav'))
    b, _ = espeak(SENTENCES[7] + ' ' + SENTENCES[0], 'en+f3', rate, os.path.join(out, 'lv2.tmp.wav'))
    y = np.concatenate([at_level(a, -38.0), at_level(b, -20.0)])
    write_wav(os.path.join(out, 'speech_levelchange.wav'), y, rate)
    manifest.append(('speech_levelchange.wav', 'speech', '0.000-%.3f' % (len(y) / rate), '-'))

    with open(os.path.join(out, 'manifest.tsv'), 'w') as m:
        for row in manifest:
            m.write('\t'.join(row) + '\n')


if __name__ == '__main__':
    main()
