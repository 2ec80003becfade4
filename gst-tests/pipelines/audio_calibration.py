#!/usr/bin/python3
# gst-omni: omnifusion's audio rules and speech/music discriminator, measured
# per window on real recordings and on generated media with exact truth.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Usage: audio_calibration.py [--fit] [--keep DIR]
#
# Runs `omnirhythm ! omnifusion` (1 s windows, built-in policy) on
#  - real speech and music: ../shared/data/speech-real and beats-real (see
#    the README there; speech truth from the word alignments and the
#    speech segments of chan3);
#  - generated media (gst-tests/data/audiokind_media.py): espeak-ng speech
#    with pauses, fluidsynth and synthesised instrumental music, silence,
#    and speech with a bang, a scream and a burst of gunfire planted at
#    known times;
# and checks:
#  1. false alarms: on ordinary content (everything but the planted events)
#     fewer than 1 % of the windows are "review" or "flagged", on the real
#     and on the generated files each, and on the real files again cut into
#     10 ms buffers as live sources deliver them (nothing may depend on the
#     buffer size);
#  2. every planted event makes a window overlapping it "review" with its
#     label (loud-audio for the bang and the scream, impact-burst for the
#     gunfire), so the rules are calibrated, not switched off;
#  3. speech/music/silence accuracy per window (audio-kind against the
#     truth) above the floors below, on the real and on the generated files;
#     and no more than 5 % of the real music windows called speech-like;
#  4. examples/podcast.sh on real instrumental music gives no speech-like
#     caption;
#  5. no pipeline run leaks a GstObject (leaks tracer, leaked.sh).
# Everything measured is printed. --fit refits the discriminator's logistic
# regression on the windows measured here (prints the coefficients that
# plugins/omni/omnifusioncaption.c holds).

import json
import math
import os
import re
import subprocess
import sys
import tempfile

SRC = os.environ.get('OMNI_SOURCE_ROOT', os.path.join(os.path.dirname(__file__), '..', '..'))
DATA = os.path.join(SRC, '..', 'shared', 'data')
GEN_SCRIPT = os.path.join(SRC, 'gst-tests', 'data', 'audiokind_media.py')
# the suite's one leak matcher (proven by pipelines/leakcheck)
LEAKED_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'leaked.sh')
leaky_runs = []

# Floors of the per-window accuracy (speech, music and silence windows
# together). Measured: real 97.5 % (n = 321), generated 98.6 % (n = 281)
# (docs/dsp.md); the discriminator was fitted on these windows, so the floor
# starts from the held-out figure instead: classified by fits that left each
# recording out, the real windows are 96.0 % right (308 of 321). The floors
# sit three binomial standard errors (1.1 %) under it, so a change that costs
# a few windows passes (the former low-energy/tempo rule scores 38 % and
# 79 %).
FLOOR_REAL = 0.93
FLOOR_GEN = 0.95
# Per class, so that no class can break unseen behind the others: music
# (held out 98 %, n = 287) at least 95 %; speech (held out 75 %, but only 32
# real windows: one standard error is 8 %) at least 70 % on the real files
# and 90 % on the generated ones (100 % measured, n = 109).
CLASS_FLOORS = {'real': {'speech': 0.70, 'music': 0.95},
                'generated': {'speech': 0.90, 'music': 0.95}}
MAX_REAL_MUSIC_AS_SPEECH = 0.05
MAX_FALSE_ALARM = 0.01

failures = []


def check(ok, what, detail=None):
    print('%s: %s' % ('ok' if ok else 'FAIL', what))
    if not ok:
        failures.append(what)
        if detail is not None:
            print('   ', detail)
    return ok


def run_events(path, out, split=False):
    if path.endswith('.raw'):
        src = ['filesrc', 'location=' + path, 'blocksize=3200', '!', 'rawaudioparse', 'format=pcm',
               'pcm-format=s16le', 'sample-rate=16000', 'num-channels=1']
    else:
        src = ['filesrc', 'location=' + path, '!', 'decodebin']
    # split: 10 ms buffers, as live sources deliver them
    split = ['!', 'audiobuffersplit', 'output-buffer-duration=1/100'] if split else []
    cmd = ['gst-launch-1.0', '-q'] + src + ['!', 'audioconvert', '!', 'audioresample'] + split + [
        '!', 'omnirhythm', 'post-messages=false', '!',
        'omnifusion', 'post-messages=false', '!', 'application/x-omni-events', '!',
        'filesink', 'location=' + out]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError('%s failed: %s' % (' '.join(cmd), r.stderr[-2000:]))
    with open(out + '.err', 'w') as e:
        e.write(r.stderr)
    if subprocess.run([LEAKED_SH, out + '.err']).returncode == 0:
        leaky_runs.append(os.path.basename(path))
    return [json.loads(l) for l in open(out) if l.strip()
            if json.loads(l).get('type') == 'window']


def overlap(spans, a, b):
    return sum(max(0.0, min(e, b) - max(s, a)) for s, e in spans)


def real_files():
    """(path, kind, speech spans or None, events)"""
    out = []
    music = os.path.join(DATA, 'beats-real')
    for f in sorted(os.listdir(music)):
        if f.endswith('.flac'):
            out.append((os.path.join(music, f), 'music', None, []))
    sp = os.path.join(DATA, 'speech-real')
    for f in sorted(os.listdir(sp)):
        if f.endswith('.wav') and f.startswith('sense'):
            words = json.load(open(os.path.join(sp, f[:-4] + '.json')))['w']
            spans = [(w['b'], w['b'] + w['d']) for w in words if not w['t'].startswith('<')]
            out.append((os.path.join(sp, f), 'speech', spans, []))
    segs = [tuple(map(float, l.split())) for l in open(os.path.join(sp, 'chan3.speech_segments'))
            if l.strip() and not l.startswith('#')]
    out.append((os.path.join(sp, 'chan3.wav'), 'speech', segs, []))
    out.append((os.path.join(sp, 'goforward.raw'), 'speech', None, []))
    return out


def generated_files(gen):
    subprocess.run([sys.executable, GEN_SCRIPT, gen], check=True, stderr=subprocess.DEVNULL)
    out = []
    for line in open(os.path.join(gen, 'manifest.tsv')):
        name, kind, spans, events = line.rstrip('\n').split('\t')
        spans = None if spans == '-' else [tuple(map(float, s.split('-'))) for s in spans.split(',')]
        evs = []
        if events != '-':
            for e in events.split(','):
                label, t = e.split('@')
                evs.append((label, tuple(map(float, t.split('-')))))
        out.append((os.path.join(gen, name), kind, spans, evs))
    return out


def truth_of(w, kind, spans):
    """speech, music, silence, or None (mixed: not scored)"""
    a, b = w['window-start'] / 1e9, w['window-end'] / 1e9
    ev = w.get('evidence', {})
    rms = ev.get('rms-db')
    if rms is None:
        return None
    if kind == 'silence':
        return 'silence'
    if kind == 'music':
        # a music recording's windows under -60 dBFS (before the first note)
        # are silence by the policy's definition of silence
        return 'silence' if rms < -60 else 'music'
    if spans is None:  # goforward: no alignment; loud windows are speech
        return 'speech' if rms >= -45 else None
    o = overlap(spans, a, b)
    if o >= 0.5 * (b - a):
        return 'speech'
    if o == 0:
        return 'silence' if rms < -60 else None
    return None


def measure(files, tmp, tag, split=False):
    rows, alarms, n_ordinary, missed = [], [], 0, []
    worst = {'audio-risk': (0.0, None), 'impulse-rate': (0.0, None)}
    for path, kind, spans, events in files:
        wins = run_events(path, os.path.join(tmp, tag.replace(' ', '_') + '-' + os.path.basename(path) + '.jsonl'),
                          split)
        for w in wins:
            a, b = w['window-start'] / 1e9, w['window-end'] / 1e9
            ev = w.get('evidence', {})
            hit = [e for e in events if overlap([e[1]], a, b) > 0]
            if not hit:
                n_ordinary += 1
                for key in worst:
                    if ev.get(key, 0.0) > worst[key][0]:
                        worst[key] = (ev[key], '%s %.0f s' % (os.path.basename(path), a))
                if w['state'] != 'ok':
                    alarms.append((os.path.basename(path), a, w['state'], w['label'], w['caption']))
            t = truth_of(w, kind, spans) if not hit else None  # mixtures: not scored
            rows.append(dict(file=os.path.basename(path), set=tag, t=a, truth=t,
                             kind=ev.get('audio-kind'), state=w['state'], label=w['label'],
                             fv=ev.get('flux-variance'), ls=ev.get('level-std-db'),
                             pe=ev.get('persistence')))
        for label, (s, e) in events:
            got = [w for w in wins if overlap([(s, e)], w['window-start'] / 1e9, w['window-end'] / 1e9) > 0
                   and w['state'] == 'review' and w['label'] == label]
            if not got:
                missed.append((os.path.basename(path), label, s, e,
                               [(w['window-start'] / 1e9, w['state'], w['label']) for w in wins
                                if overlap([(s, e)], w['window-start'] / 1e9, w['window-end'] / 1e9) > 0]))
            check(bool(got), '%s: planted %s at %.1f-%.1f s gives a review window' % (tag, label, s, e),
                  missed[-1] if missed and not got else None)
    for key, (v, where) in worst.items():
        print('%s: highest %s on ordinary content %.2f (%s)' % (tag, key, v, where))
    return rows, alarms, n_ordinary


def accuracy(rows, tag):
    scored = [r for r in rows if r['truth'] in ('speech', 'music', 'silence')]
    print('\n%s: audio-kind per 1 s window (rows: truth, columns: audio-kind)' % tag)
    kinds = ['speech-like', 'music', 'silence', 'sound']
    print('  %-8s' % '' + ''.join('%12s' % k for k in kinds) + '   accuracy')
    for t, want in (('speech', 'speech-like'), ('music', 'music'), ('silence', 'silence')):
        rs = [r for r in scored if r['truth'] == t]
        if not rs:
            continue
        good = sum(r['kind'] == want for r in rs)
        print('  %-8s' % t + ''.join('%12d' % sum(r['kind'] == k for r in rs) for k in kinds) +
              '   %d/%d = %.1f %%' % (good, len(rs), 100.0 * good / len(rs)))
    good = sum(r['kind'] == {'speech': 'speech-like'}.get(r['truth'], r['truth']) for r in scored)
    acc = good / len(scored) if scored else 0.0
    print('  all: %d/%d = %.1f %%' % (good, len(scored), 100 * acc))
    for t, floor in CLASS_FLOORS['generated' if tag == 'generated' else 'real'].items():
        want = {'speech': 'speech-like'}.get(t, t)
        rs = [r for r in scored if r['truth'] == t]
        a = sum(r['kind'] == want for r in rs) / len(rs) if rs else 0.0
        check(a >= floor, '%s: %s windows %.1f %% right >= %.0f %%' % (tag, t, 100 * a, 100 * floor))
    return acc, scored


def fit(rows):
    import numpy as np
    rs = [r for r in rows if r['truth'] in ('speech', 'music') and r['fv'] is not None]
    A = np.array([[math.log10(max(r['fv'], 1e-7)), r['ls'], r['pe']] for r in rs])
    y = np.array([r['truth'] == 'speech' for r in rs], float)
    mu, sd = A.mean(0), A.std(0)
    Z = np.c_[(A - mu) / sd, np.ones(len(A))]
    wt = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    w = np.zeros(4)
    for _ in range(5000):
        p = 1 / (1 + np.exp(-Z @ w))
        w -= 0.5 * (Z.T @ ((p - y) * wt) / len(y) + 1e-2 * np.r_[w[:3], 0])
    raw = w[:3] / sd
    print('\nrefit on %d windows: W_FLUX %.3f W_LEVEL %.3f W_PERSIST %.3f BIAS %.3f' %
          (len(rs), raw[0], raw[1], raw[2], w[3] - np.sum(w[:3] * mu / sd)))


def podcast(tmp):
    script = os.path.join(SRC, 'examples', 'podcast.sh')
    for piece in ('gtzan_disco.00000.flac', 'fmp_debussy_violin_sonata_smd189.flac'):
        vtt = os.path.join(tmp, piece + '.vtt')
        r = subprocess.run([script, os.path.join(DATA, 'beats-real', piece), vtt],
                           capture_output=True, text=True)
        text = open(vtt).read() if os.path.exists(vtt) else ''
        # the audio part of each caption: the classic form ("music, 120 BPM,
        # -14 dBFS", "silence") or the sentence form ("Music, 120 BPM.")
        cues = [l.lower() for l in text.splitlines()
                if re.search(r'dBFS|silence|music|sound|speech', l, re.I) and '-->' not in l]
        check(r.returncode == 0 and cues and not any('speech' in c for c in cues),
              'podcast.sh on %s: %d cues, none speech-like' % (piece, len(cues)),
              (r.returncode, r.stderr[-500:], cues))


def main():
    if not os.path.isdir(os.path.join(DATA, 'beats-real')):
        print('FAIL: real recordings not found in %s (CI keeps ../shared beside the clone)' % DATA)
        return 1
    keep = sys.argv[sys.argv.index('--keep') + 1] if '--keep' in sys.argv else None
    with tempfile.TemporaryDirectory() as tmp:
        work = keep or tmp
        os.makedirs(work, exist_ok=True)
        gen = os.path.join(work, 'gen')
        all_rows = []
        sets = (('real', real_files(), False), ('generated', generated_files(gen), False),
                ('real, 10 ms buffers', real_files(), True))
        for tag, files, split in sets:
            rows, alarms, n = measure(files, work, tag, split)
            all_rows += rows
            rate = len(alarms) / n if n else 1.0
            print('\n%s: %d of %d ordinary windows review/flagged = %.2f %% (goal < 1 %%)' %
                  (tag, len(alarms), n, 100 * rate))
            for a in alarms:
                print('   ', a)
            check(n > 0 and rate < MAX_FALSE_ALARM, '%s: false-alarm rate %.2f %% < 1 %%' % (tag, 100 * rate))
            acc, scored = accuracy(rows, tag)
            floor = FLOOR_GEN if tag == 'generated' else FLOOR_REAL
            check(acc >= floor, '%s: speech/music/silence accuracy %.1f %% >= %.0f %%' %
                  (tag, 100 * acc, 100 * floor))
            for r in scored:
                if r['kind'] != {'speech': 'speech-like'}.get(r['truth'], r['truth']):
                    print('    miss: %s %.0f s truth %s said %s' % (r['file'], r['t'], r['truth'], r['kind']))
            if tag != 'generated':
                mus = [r for r in scored if r['truth'] == 'music']
                bad = sum(r['kind'] == 'speech-like' for r in mus)
                check(mus and bad <= MAX_REAL_MUSIC_AS_SPEECH * len(mus),
                      '%s: %d of %d music windows called speech-like (<= 5 %%)' % (tag, bad, len(mus)))
        check(not leaky_runs, 'no leaked GstObject in the pipeline runs (leaks tracer)',
              leaky_runs)
        podcast(work)
        if '--fit' in sys.argv:
            fit(all_rows)
    print('\n%d failure(s)' % len(failures))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
