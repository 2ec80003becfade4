#!/usr/bin/python3
# gst-omni end-to-end test of omni-analyze on the short built-in sample,
# whose ground truth (shot cuts, speech and music spans) is known by
# construction (tools/omni-make-sample --short writes it).
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: analyze.py OMNI_ANALYZE OMNI_MAKE_SAMPLE POLICY [SCHEMA_MD]
#
# Checks:
#  - error cases: exit status 2 and a message naming the cause (no such
#    file, a directory, not a media file, no decoder for the codec, a bad
#    option, a missing gst-omni element, no model, no Vulkan device);
#  - one full run (policy flagging the sample's drawing shot, --vtt --json
#    --report --overlay --fail-on-flag): exit status 1; WebVTT cue times in
#    media time on the window grid, speech/music captions at the known
#    times; JSON lines well formed, against docs/events-schema.md where it
#    has a JSON Schema; one flagged segment over the drawing shot; scene
#    cuts at the known cut times; one "drawings" category segment (the
#    policy's [rule drawing-frames]) over it, in the summary and the report; the report renders in headless Chromium
#    (non-blank screenshot, one segment mark in the DOM); the overlay copy
#    has VP8 video and Vorbis audio of the sample's length; no GstObject
#    leaked (leaks tracer).
# Prints "N passed, N failed" and exits non-zero on any failure.

import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time


sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from omnicheck import check, crashed, finish  # noqa: E402

ANALYZE, MAKE_SAMPLE, POLICY = sys.argv[1:4]
SCHEMA_MD = sys.argv[4] if len(sys.argv) > 4 else None
BUILD = os.environ.get('OMNI_BUILD_ROOT', os.path.dirname(os.path.dirname(ANALYZE)))
OMNI_ELEMENTS = ['omnisampler', 'omnivisionenc', 'omnirhythm', 'omniaudioenc', 'omnifusion']



def run(args, env=None, timeout=300):
    e = dict(os.environ)
    e.update(env or {})
    r = subprocess.run([ANALYZE] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=e, timeout=timeout)
    return r.returncode, r.stdout.decode(errors='replace'), r.stderr.decode(errors='replace')


LEAKED_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'leaked.sh')


def leaks(err):
    # the suite's one leak matcher (leaked.sh, proven by leakcheck.py)
    with tempfile.NamedTemporaryFile('w', suffix='.err') as f:
        f.write(err)
        f.flush()
        if subprocess.run([LEAKED_SH, f.name]).returncode != 0:
            return []
    return [l for l in err.splitlines() if 'object-alive, type-name=(string)' in l and '%s' not in l or 'Leaks detected' in l]


def vtt_cues(text):
    lines = text.split('\n')
    cues = []
    if not lines or lines[0].strip() != 'WEBVTT':
        return None
    t = r'(\d\d):(\d\d):(\d\d)\.(\d\d\d)'
    i = 0
    while i < len(lines):
        m = re.match(t + r' --> ' + t + r'\s*$', lines[i])
        if m:
            g = [int(x) for x in m.groups()]
            a = g[0] * 3600 + g[1] * 60 + g[2] + g[3] / 1000
            b = g[4] * 3600 + g[5] * 60 + g[6] + g[7] / 1000
            body = []
            i += 1
            while i < len(lines) and lines[i].strip():
                body.append(lines[i])
                i += 1
            cues.append((a, b, '\n'.join(body)))
        i += 1
    return cues


def schema_from_md(path):
    """The key tables of docs/events-schema.md, in the order they appear:
    window, evidence, segment, trigger, provenance; each {key: type}."""
    if not path or not os.path.exists(path):
        return None
    tables, cur = [], None
    for line in open(path):
        m = re.match(r'\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|', line)
        if m:
            if cur is None:
                cur = {}
                tables.append(cur)
            cur[m.group(1)] = m.group(2)
        elif not line.startswith('|'):
            cur = None
    if len(tables) < 5:
        return None
    return dict(zip(['window', 'evidence', 'segment', 'trigger', 'provenance',
                     'category-segment'], tables))


def type_ok(value, typ):
    """Does a JSON value have the type a docs table names?"""
    if value is None:
        return typ.endswith('or null')
    typ = typ.replace(' or null', '')
    if typ.startswith('integer'):
        return isinstance(value, int) and not isinstance(value, bool)
    if typ == 'number':
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if typ == 'string':
        return isinstance(value, str)
    if typ == 'boolean':
        return isinstance(value, bool)
    if typ == 'object':
        return isinstance(value, dict)
    if typ == 'array of strings':
        return isinstance(value, list) and all(isinstance(x, str) for x in value)
    if typ == 'array of objects':
        return isinstance(value, list) and all(isinstance(x, dict) for x in value)
    if typ == 'array of numbers':
        return isinstance(value, list) and all(isinstance(x, (int, float)) for x in value)
    return False


def schema_errors(obj, table, where):
    """Keys of @obj missing from or of another type than in @table; keys
    named with LABEL in the docs match any class label."""
    errors = []
    for k, v in obj.items():
        typ = table.get(k)
        if typ is None:
            for pat, t in table.items():
                if 'LABEL' in pat and re.fullmatch(re.escape(pat).replace('LABEL', '.+'), k):
                    typ = t
        if typ is None:
            errors.append('%s: undocumented key %s' % (where, k))
        elif not type_ok(v, typ):
            errors.append('%s: %s = %r is not %s' % (where, k, v, typ))
    return errors


def registry_has(element, env):
    r = subprocess.run(['gst-inspect-1.0', element], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return r.returncode == 0


def main():
    tmp = tempfile.mkdtemp(prefix='omni-analyze-test-')
    sample_dir = os.path.join(BUILD, 'sample')
    r = subprocess.run([MAKE_SAMPLE, '--short', '--quiet', '--output-dir', sample_dir],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if not check(r.returncode == 0, 'omni-make-sample --short', r.stderr.decode()[-2000:]):
        return
    sample = r.stdout.decode().strip()
    truth = json.load(open(sample[:-4] + '.json'))
    env = dict(os.environ)

    # ---------------------------------------------------------- errors
    rc, out, err = run([os.path.join(tmp, 'nope.mkv')])
    check(rc == 2 and 'no such file' in err and 'nope.mkv' in err,
          'missing file: exit 2, "no such file" naming it', (rc, err))
    rc, out, err = run(['file:///nonexistent/dir/clip.webm'])
    check(rc == 2 and 'no such file' in err and 'clip.webm' in err,
          'missing file:// URI: exit 2, "no such file"', (rc, err))
    rc, out, err = run([tmp])
    check(rc == 2 and 'directory' in err, 'a directory: exit 2', (rc, err))
    rc, out, err = run(['--window', 'soon', sample])
    check(rc == 2 and '--window' in err, 'bad option value: exit 2 naming the option', (rc, err))
    rc, out, err = run(['a', 'b'])
    check(rc == 2, 'two inputs: exit 2', (rc, err))

    # A copy of the program outside the build tree does not add the build's
    # plugins by itself: with an empty plugin path the gst-omni elements are
    # missing, and it says so and what to do.
    lone = os.path.join(tmp, 'omni-analyze')
    shutil.copy(ANALYZE, lone)
    lib = os.path.join(BUILD, 'gst-libs', 'omni')
    r = subprocess.run([lone, sample], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=dict(env, GST_PLUGIN_PATH_1_0='', GST_PLUGIN_PATH='',
                                GST_REGISTRY_1_0=os.path.join(tmp, 'empty.bin'),
                                LD_LIBRARY_PATH=lib + ':' + env.get('LD_LIBRARY_PATH', '')))
    err = r.stderr.decode()
    check(r.returncode == 2 and "'omnifusion'" in err and 'GST_PLUGIN_PATH' in err and
          'build/plugins/omni' in err,
          'missing gst-omni element: exit 2 naming it and GST_PLUGIN_PATH', (r.returncode, err))

    missing = [e for e in OMNI_ELEMENTS if not registry_has(e, env)]
    if missing:
        # The tree does not have every element yet: the correct behaviour is
        # a clear error naming each missing one; the analysis checks below
        # need them all.
        rc, out, err = run([sample])
        check(rc == 2 and all("'%s'" % e in err for e in missing),
              'elements missing from this build (%s): exit 2 naming each' % ', '.join(missing),
              (rc, err))
        print('NOTE: %s not built: the analysis checks were not run' % ', '.join(missing))
        return

    # not a media file
    junk = os.path.join(tmp, 'notes.txt')
    with open(junk, 'w') as f:
        f.write('these are not moving pictures\n' * 20)
    rc, out, err = run([junk])
    check(rc == 2 and 'omni-analyze:' in err, 'not a media file: exit 2 with a message', (rc, err))

    # no decoder for VP8: the decoders ranked out of autoplugging
    rc, out, err = run([sample], env={'GST_PLUGIN_FEATURE_RANK': 'vp8dec:NONE,avdec_vp8:NONE'})
    check(rc == 2 and 'no decoder for this codec' in err and 'VP8' in err,
          'no decoder: exit 2, "no decoder for this codec" naming VP8', (rc, err))

    # no model
    rc, out, err = run(['--model', os.path.join(tmp, 'no-such-model', 'model.json'), sample])
    check(rc == 2 and 'model' in err.lower(), 'no model: exit 2, message names the model',
          (rc, err))

    # fail closed: a model whose weights changed after SHA256SUMS was written
    models = os.environ.get('OMNI_MODEL_PATH', os.path.join(BUILD, 'models'))
    bad = os.path.join(tmp, 'nsfw-changed')
    shutil.copytree(os.path.join(models, 'nsfw'), bad)
    shard = os.path.join(bad, 'group1-shard1of1.bin')
    with open(shard, 'r+b') as f:
        f.seek(64)
        f.write(b'\x00\x00\x80\x7f' * 4)        # four weights set to +inf
    rc, out, err = run(['--model', bad, sample])
    check(rc == 2 and 'does not match its recorded sha256' in err
          and 'group1-shard1of1.bin' in err,
          'changed weights: exit 2 naming the file and SHA256SUMS', (rc, err[-800:]))

    # fail closed: a verified model whose scores are not finite (the last
    # layer's quantisation scale set to 1e38; its owner re-signed it):
    # windows read "error", risk null, exit 2 with the cause
    shutil.rmtree(bad)
    shutil.copytree(os.path.join(models, 'nsfw'), bad)
    with open(os.path.join(bad, 'model.json')) as f:
        mj = json.load(f)
    for w in mj['weightsManifest'][0]['weights']:
        if w['name'] == 'dense_3/kernel':
            w['quantization']['scale'] = 1e38
    with open(os.path.join(bad, 'model.json'), 'w') as f:
        json.dump(mj, f)
    subprocess.run('sha256sum model.json group1-shard1of1.bin labels.txt > SHA256SUMS',
                   shell=True, cwd=bad, check=True)
    nan_json = os.path.join(tmp, 'nan.jsonl')
    rc, out, err = run(['--model', bad, '--json', nan_json, '--window', '1s', sample])
    check(rc == 2 and 'NaN or infinite' in err,
          'non-finite scores: exit 2 naming the cause', (rc, err[-800:]))
    with open(nan_json) as f:
        nan_windows = [json.loads(l) for l in f if '"window"' in l]
    video = [w for w in nan_windows if w.get('evidence', {}).get('visual-risk') is not None
             or w.get('state') == 'error']
    check(nan_windows and all(w['state'] != 'ok' for w in video) and
          any(w['state'] == 'error' and w['risk'] is None for w in nan_windows),
          'non-finite scores: no window with video reads "ok"; error windows have risk null',
          [(w.get('state'), w.get('risk'), w.get('label')) for w in nan_windows][:8])

    # no Vulkan device; the outputs asked for are not left behind empty
    evtt, ejson = os.path.join(tmp, 'err.vtt'), os.path.join(tmp, 'err.jsonl')
    rc, out, err = run(['--vtt', evtt, '--json', ejson, sample],
                       env={'VK_DRIVER_FILES': os.path.join(tmp, 'none.json'),
                            'VK_ICD_FILENAMES': os.path.join(tmp, 'none.json')})
    check(rc == 2 and 'vulkan' in err.lower(), 'no Vulkan device: exit 2, message says Vulkan',
          (rc, err))
    check(not os.path.exists(evtt) and not os.path.exists(ejson),
          'error exit: no empty or header-only --vtt/--json file left behind')

    # a --device that matches nothing: the hint is about --device, not about
    # installing a driver
    rc, out, err = run(['--device', 'no-such-gpu', sample])
    check(rc == 2 and 'no Vulkan device matches --device' in err,
          '--device no-such-gpu: exit 2, the hint names --device', (rc, err[-600:]))

    # a truncated file (the first 45 % of the sample): what was there is
    # analysed and written, then exit 2 naming the cause
    cut = os.path.join(tmp, 'cut.mkv')
    with open(sample, 'rb') as f, open(cut, 'wb') as g:
        data = f.read()
        g.write(data[:len(data) * 45 // 100])
    cvtt = os.path.join(tmp, 'cut.vtt')
    rc, out, err = run(['--vtt', cvtt, cut])
    cues = vtt_cues(open(cvtt).read()) if os.path.exists(cvtt) else None
    check(rc == 2 and 'truncated or damaged' in err and cues,
          'truncated input: exit 2 naming the cause, the cues up to the cut written',
          (rc, err[-600:], cues))

    # camera on a machine without one (CI): the error, not pages of ALSA and
    # JACK probing noise before it
    if registry_has('portaudiosrc', env):
        rc, out, err = run(['camera'], timeout=60)
        noise = [l for l in err.splitlines()
                 if l.startswith('ALSA lib') or 'jack' in l.lower()
                 or 'Cannot connect to server' in l]
        check(rc == 2 and 'could not be opened' in err and not noise,
              'camera without devices: exit 2, no ALSA/JACK noise on stderr',
              (rc, noise[:5], err[-400:]))

    # a window longer than the media: the duration analysed and the cues
    # stop where the media does
    lvtt = os.path.join(tmp, 'long.vtt')
    rc, out, err = run(['--window', '3600s', '--vtt', lvtt, sample])
    m = re.search(r'duration analysed ([\d.]+) s', out)
    cues = vtt_cues(open(lvtt).read()) if os.path.exists(lvtt) else None
    check(rc == 0 and m and abs(float(m.group(1)) - truth['duration']) < 0.1
          and cues and cues[-1][1] <= truth['duration'] + 0.05,
          '--window 3600s: duration analysed and last cue end at the media end (%s s)'
          % (m.group(1) if m else None), (rc, out[-600:], cues))

    # ---------------------------------------------------------- full run
    vtt = os.path.join(tmp, 'out.vtt')
    jsonl = os.path.join(tmp, 'out.jsonl')
    report = os.path.join(tmp, 'report')
    overlay = os.path.join(tmp, 'overlay.mkv')
    censored = os.path.join(tmp, 'censored.mkv')
    rc, out, err = run(['--policy', POLICY, '--sample-rate', '2', '--window', '1s',
                        '--vtt', vtt, '--json', jsonl, '--report', report,
                        '--overlay', overlay, '--censor', censored, '--fail-on-flag',
                        sample])
    print(out)
    if not check(rc == 1, 'flagged run with --fail-on-flag: exit 1', (rc, err[-3000:])):
        return
    check(not leaks(err), 'no leaked GstObject (leaks tracer)', leaks(err)[:5])
    duration = truth['duration']

    # JSON lines
    events = []
    with open(jsonl) as f:
        for n, line in enumerate(f):
            try:
                events.append(json.loads(line))
            except ValueError as e:
                check(False, 'JSON line %d parses' % (n + 1), e)
    windows = [e for e in events if e.get('type') == 'window']
    segs = [e for e in events if e.get('type') == 'segment']
    csegs = [e for e in events if e.get('type') == 'category-segment']
    check(len(windows) == int(duration) and
          len(events) == len(windows) + len(segs) + len(csegs),
          'one window event per second of media, and segment events', (len(windows), len(events)))
    check([w['index'] for w in windows] == list(range(len(windows))) and
          all(w['window-start'] == w['index'] * 10**9 and
              w['window-end'] == w['window-start'] + 10**9 for w in windows),
          'windows consecutive on the 1 s grid')
    check(all(w['state'] in ('ok', 'review', 'flagged') and isinstance(w['caption'], str) and
              0 <= w['risk'] <= 1 for w in windows), 'window state, caption and risk well formed')
    schema = schema_from_md(SCHEMA_MD)
    if check(schema, 'docs/events-schema.md has the key tables', SCHEMA_MD):
        bad = []
        for e in events:
            kind = e.get('type')
            if kind not in ('window', 'segment', 'category-segment') or kind not in schema:
                bad.append('unknown type %r' % kind)
                continue
            bad += schema_errors(e, schema[kind], kind)
            if kind == 'category-segment':
                continue
            bad += ['%s: missing key %s' % (kind, k) for k in schema[kind] if k not in e]
            if kind == 'window':
                bad += schema_errors(e['evidence'], schema['evidence'], 'evidence')
            else:
                bad += schema_errors(e['trigger'], schema['trigger'], 'trigger')
                bad += schema_errors(e['provenance'], schema['provenance'], 'provenance')
        check(not bad, 'events match docs/events-schema.md (%d events)' % len(events), bad[:5])

    # scene cuts: the windows whose evidence counts a cut hold the known cuts
    cut_windows = sorted(w['index'] for w in windows if w['evidence'].get('scene-cuts', 0) > 0)
    want = sorted(int(c) for c in truth['cuts'])
    check(cut_windows == want, 'scene cuts in the windows of the known cuts %s' % want,
          cut_windows)

    # one flagged segment over the drawing shot
    drawing = [s for s in truth['shots'] if s['kind'] == 'drawing'][0]
    opened = [s for s in segs if s['event'] == 'opened']
    closed = [s for s in segs if s['event'] == 'closed']
    ok = len(opened) == 1 and len(closed) == 1
    if check(ok, 'exactly one segment opened and closed', segs):
        s = closed[0]
        a, b = s['stream-start'] / 1e9, s['stream-end'] / 1e9
        check(s['label'] == 'drawing' and drawing['start'] - 0.05 <= a <= drawing['start'] + 1.05
              and drawing['end'] - 0.05 <= b <= drawing['end'] + 1.55,
              'segment "drawing" over the drawing shot %.1f-%.1f s' % (drawing['start'],
                                                                       drawing['end']),
              (s['label'], a, b))
        check(re.search(r'segments flagged\s+1', out) and 'drawing' in out,
              'summary lists the flagged segment')

    # the policy's "drawings" category: one segment over the drawing shot,
    # in the events, the summary and the report
    if check(len(csegs) == 1 and csegs[0]['category'] == 'drawings',
             'one "drawings" category segment', csegs):
        c = csegs[0]
        a, b = c['start'] / 1e9, c['end'] / 1e9
        check(drawing['start'] - 0.05 <= a <= drawing['start'] + 1.05 and
              drawing['end'] - 1.05 <= b <= drawing['end'] + 0.05 and
              abs(c['duration'] / 1e9 - (b - a)) < 1e-6 and
              0.25 <= c['mean-confidence'] <= c['max-confidence'] <= 1,
              'the category segment spans the drawing shot %.1f-%.1f s' %
              (drawing['start'], drawing['end']), (a, b, c))
        check(re.search(r'category segments\s+1', out) and
              re.search(r'drawings\s+%.3f' % (c['start'] / 1e9), out),
              'summary lists the category segment')

    # WebVTT in media time
    cues = vtt_cues(open(vtt).read())
    if check(cues, 'WebVTT header and cues', open(vtt).read()[:300]):
        check(all(a < b for a, b, _ in cues) and
              all(cues[i][1] <= cues[i + 1][0] + 1e-9 for i in range(len(cues) - 1)),
              'cues ordered and not overlapping')
        check(all(abs(a - round(a)) < 1e-6 and abs(b - round(b)) < 1e-6 for a, b, _ in cues),
              'cue times on the 1 s window grid (media time)', cues[:3])
        check(cues[0][0] == 0 and abs(cues[-1][1] - duration) < 1e-6,
              'cues span the media from 0 to %.0f s' % duration, (cues[0], cues[-1]))

        def text_at(t):
            return ' '.join(c for a, b, c in cues if a <= t < b).lower()

        sp = truth['speech'][0]
        mu = truth['music'][0]
        check('speech' in text_at(sp['start'] + 0.8),
              'speech caption during the speech (%.1f-%.1f s)' % (sp['start'], sp['end']),
              text_at(sp['start'] + 0.8))
        # omnirhythm needs a few seconds of music to lock on the tempo (the
        # analysis window of its tempo estimator) before omnifusion calls the
        # audio music: from then on every window inside the music must say
        # music at the true tempo (within 4 %, mir_eval's Acc1 tolerance).
        lock = 4.5
        music_windows = [t + 0.5 for t in range(int(math.ceil(mu['start'] + lock)),
                                                 int(mu['end']))]
        bad = []
        for t in music_windows:
            m = re.search(r'music, ([0-9.]+) bpm', text_at(t))
            if not m or abs(float(m.group(1)) - mu['tempo']) > 0.04 * mu['tempo']:
                bad.append((t, text_at(t)))
        check(music_windows and not bad,
              'music at %g BPM in the captions %.1f s after the music starts (%d windows)' %
              (mu['tempo'], lock, len(music_windows)), bad)
        check(not any('music' in text_at(t + 0.5) for t in range(int(mu['start']))),
              'no music caption before the music starts')
        quiet = truth['silence'][0]
        check('music' not in text_at(quiet['start'] + 0.2) and
              'speech' not in text_at((quiet['start'] + quiet['end']) / 2 + 0.3),
              'no speech or music caption in the silence (%.1f-%.1f s)' %
              (quiet['start'], quiet['end']))
        drawing_mid = (drawing['start'] + drawing['end']) / 2
        check('drawing' in text_at(drawing_mid), 'verdict in the caption during the segment',
              text_at(drawing_mid))

    # the report
    html = open(os.path.join(report, 'index.html')).read()
    check(html.count('class="category-segment"') == 1,
          'report lists the category segment')
    check('<script' not in html and 'http://' not in html.replace(
        'http://www.w3.org/2000/svg', '') and 'https://' not in html,
        'report is self-contained (no script, nothing fetched)')
    check('enter 0.25' in html and 'exit 0.15' in html,
          "report draws the policy's enter/exit thresholds (0.25, 0.15)")
    thumbs = sorted(os.listdir(os.path.join(report, 'thumbs')))
    times = [float(t[len('frame-'):-len('.jpg')]) for t in thumbs]
    if check(len(thumbs) >= 3, 'thumbnails of sampled frames in the segment', thumbs):
        check(all(drawing['start'] - 0.05 <= t <= drawing['end'] + 1.55 for t in times),
              'thumbnails lie in the segment', times)
        with open(os.path.join(report, 'thumbs', thumbs[0]), 'rb') as f:
            check(f.read(3) == b'\xff\xd8\xff', 'thumbnails are JPEG')
    cut_marks = [float(x) for x in re.findall(r'class="cut" data-time="([0-9.]+)"', html)]
    check(len(cut_marks) == len(truth['cuts']) and
          all(abs(a - b) <= 0.041 for a, b in zip(cut_marks, truth['cuts'])),
          'report marks the cuts at the known times (+-1 frame)', cut_marks)
    chromium = shutil.which('chromium') or shutil.which('chromium-browser')
    if check(chromium, 'chromium installed (scripts/setup)'):
        shot = os.path.join(tmp, 'shot.png')
        url = 'file://' + os.path.join(report, 'index.html')
        flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
                 '--user-data-dir=' + os.path.join(tmp, 'chromium')]
        r = subprocess.run([chromium] + flags + ['--screenshot=' + shot, '--window-size=1200,900',
                                                 url],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        if check(os.path.exists(shot), 'chromium screenshot', r.stderr.decode()[-500:]):
            raw = subprocess.run(['ffmpeg', '-v', 'error', '-i', shot, '-f', 'rawvideo',
                                  '-pix_fmt', 'gray', '-'], stdout=subprocess.PIPE).stdout
            n = len(raw)
            mean = sum(raw) / max(n, 1)
            var = sum((x - mean) ** 2 for x in raw[::7]) / max(len(raw[::7]), 1)
            dark = sum(1 for x in raw[::7] if x < 128) / max(len(raw[::7]), 1)
            check(n >= 1200 * 900 and var > 100 and dark > 0.005,
                  'screenshot not blank (variance %.0f, %.1f%% dark pixels)' % (var, 100 * dark))
        r = subprocess.run([chromium] + flags + ['--dump-dom', url], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=120)
        dom = r.stdout.decode(errors='replace')
        n_marks = len(re.findall(r'<rect[^>]*class="segment"', dom))
        check(n_marks == len(opened) == 1, 'DOM has one segment mark per segment (%d)' % n_marks)
        check(len(re.findall(r'class="thumb"', dom)) == len(thumbs),
              'DOM has every thumbnail')

    # the overlay copy
    r = subprocess.run(['gst-discoverer-1.0', overlay], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    d = r.stdout.decode()
    m = re.search(r'Duration: (\d+):(\d+):([\d.]+)', d)
    length = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3)) if m else 0
    check('VP8' in d and 'Vorbis' in d and abs(length - duration) < 0.2,
          'overlay copy: VP8 + Vorbis, %.2f s' % length, d[-800:])

    if closed:
        censor_copy(tmp, sample, censored, closed[0], duration)
    live_interrupt(tmp, sample, duration)
    shutil.rmtree(tmp, ignore_errors=True)


def gray_frames(path, out):
    """The frames of a file's video as 640x360 GRAY8 (numpy, frames x 360 x 640)."""
    import numpy as np
    subprocess.run(['gst-launch-1.0', '-q', 'filesrc', 'location=' + path, '!',
                    'decodebin', '!', 'videoconvert', '!', 'videoscale', '!',
                    'video/x-raw,format=GRAY8,width=640,height=360', '!',
                    'filesink', 'location=' + out], check=True)
    data = np.fromfile(out, dtype=np.uint8)
    return data[:len(data) // (640 * 360) * 640 * 360].reshape(-1, 360, 640)


def sharpness(frame):
    """Mean absolute horizontal difference of a GRAY8 frame (its detail)."""
    import numpy as np
    return float(np.abs(np.diff(frame.astype(np.int16), axis=1)).mean())


def censor_copy(tmp, sample, censored, segment, duration):
    """--censor: every frame there; the flagged segment's frames blurred,
    the others not. Measured against the input's frames: the mean absolute
    difference of every frame in the segment is at least 3 times the
    typical difference outside it (the VP8 re-encoding's), and those frames
    lost most of their detail (median ratio of horizontal differences)."""
    import numpy as np
    got = gray_frames(censored, os.path.join(tmp, 'censored.gray')).astype(np.float32)
    ref = gray_frames(sample, os.path.join(tmp, 'sample.gray')).astype(np.float32)
    if not check(len(got) == len(ref) == round(duration * 25),
                 'censored copy: every frame (%d of %d)' % (len(got), len(ref))):
        return
    a, b = segment['stream-start'] / 1e9, segment['stream-end'] / 1e9
    t = np.arange(len(got)) / 25.0
    inside = (t >= a + 0.04) & (t < b - 0.04)
    outside = (t < a - 0.04) | (t >= b + 0.04)
    mad = np.abs(got - ref).mean(axis=(1, 2))
    detail = np.array([sharpness(g) / max(sharpness(r), 1e-6) for g, r in zip(got, ref)])
    noise = float(np.median(mad[outside]))
    check(inside.any() and mad[inside].min() > 3 * noise,
          'censored copy: all %d frames of the segment changed (difference >= %.2f, '
          'outside median %.2f)' % (inside.sum(), mad[inside].min(), noise))
    check(np.median(detail[inside]) < 0.5,
          'censored copy: the segment blurred (median detail ratio %.2f)'
          % np.median(detail[inside]))
    check(noise < 1.5, 'censored copy: frames outside the segment kept (median '
          'difference %.2f, the re-encoding)' % noise)


def live_interrupt(tmp, sample, duration):
    """--live, Ctrl-C after 3 s: stops within a second or two (not at the
    end of the file, behind the branch queues), outputs finished."""
    vtt = os.path.join(tmp, 'live.vtt')
    p = subprocess.Popen([ANALYZE, '--live', '--window', '1s', '--vtt', vtt, sample],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(3)
    t0 = time.monotonic()
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    took = time.monotonic() - t0
    cues = vtt_cues(open(vtt).read()) if os.path.exists(vtt) else None
    last = cues[-1][1] if cues else 0
    check(p.returncode == 0 and took < 3 and took < duration - 3,
          '--live, Ctrl-C: exit 0 within 3 s (%.2f s; file %.1f s)' % (took, duration),
          (p.returncode, err.decode()[-500:]))
    check(cues and last <= 3 + 1 + took + 1,
          '--live, Ctrl-C: WebVTT finished, last cue ends at %.1f s' % last, cues)


if __name__ == '__main__':
    try:
        main()
    except Exception:  # a crash of the test itself is a failure
        crashed()
    finish()
