#!/usr/bin/python3
# gst-omni: omni-analyze --detect and --detections (omnidetect on the
# analysed frames).
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: analyze_detect.py OMNI_ANALYZE
#
# The clip: scikit-image's astronaut photograph (one person, Eileen
# Collins, on the left half), 512x512, 2 s at 20 fps, VP8 in WebM. Ground truth by construction: the frames analysed at
# 2 fps are those at 0, 0.5, 1 and 1.5 s; each shows the one person.
# Checks:
#  - --detect centernet --detections FILE: exit status 0; one JSON line per
#    analysed frame, at exactly those frames' times ("stream-time" and
#    "timestamp" are frame PTS, 50 ms apart), in order; each with a
#    "person" box of confidence >= 0.3 whose centre is in the left half,
#    its normalised box equal to its pixel box / frame size; the summary
#    line counts the same frames and boxes; nothing leaked;
#  - a model that does not exist, and --detect with several inputs:
#    exit status 2 with the reason.
# Prints "N passed, N failed" and exits non-zero on any failure.

import json
import os
import re
import subprocess
import sys
import tempfile

import gi
gi.require_version('Gst', '1.0')
from gi.repository import Gst  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from omnicheck import check, crashed, finish  # noqa: E402

ANALYZE = sys.argv[1]
LEAKED_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'leaked.sh')
PHOTO = '/usr/lib/python3/dist-packages/skimage/data/astronaut.png'
W, H, FPS, FRAMES = 512, 512, 20, 40


def make_clip(path):
    desc = ('filesrc location=%s ! pngdec ! imagefreeze num-buffers=%d ! '
            'videoconvert ! videoscale ! '
            'video/x-raw,width=%d,height=%d,pixel-aspect-ratio=1/1,framerate=%d/1 ! '
            'videoconvert ! vp8enc deadline=1 ! webmmux ! filesink location=%s'
            % (PHOTO, FRAMES, W, H, FPS, path))
    p = Gst.parse_launch(desc)
    p.set_state(Gst.State.PLAYING)
    msg = p.get_bus().timed_pop_filtered(120 * Gst.SECOND,
                                         Gst.MessageType.EOS | Gst.MessageType.ERROR)
    p.set_state(Gst.State.NULL)
    return msg is not None and msg.type == Gst.MessageType.EOS


def run(args):
    r = subprocess.run([ANALYZE] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=300)
    return r.returncode, r.stdout.decode(errors='replace'), r.stderr.decode(errors='replace')


def leaked(err):
    with tempfile.NamedTemporaryFile('w', suffix='.err') as f:
        f.write(err)
        f.flush()
        return subprocess.run([LEAKED_SH, f.name]).returncode == 0


def check_line(i, d):
    """The problems of detection line @i, [] when it is right."""
    bad = []
    persons = [b for b in d.get('boxes', []) if b.get('label') == 'person']
    if d.get('type') != 'detection' or d.get('model') != 'centernet':
        bad.append('line %d: type/model %r/%r' % (i, d.get('type'), d.get('model')))
    if d.get('timestamp') != d.get('stream-time'):
        bad.append('line %d: timestamp %r != stream-time %r'
                   % (i, d.get('timestamp'), d.get('stream-time')))
    if not persons or persons[0]['confidence'] < 0.3:
        bad.append('line %d: no person: %r' % (i, d.get('boxes')))
        return bad
    b = persons[0]
    cx = b['x'] + b['w'] / 2
    if not (0 <= b['x'] and b['x'] + b['w'] <= W and 0 < cx < W / 2):
        bad.append('line %d: person box %r not on the left half' % (i, b))
    for k, size in (('x', W), ('y', H), ('w', W), ('h', H)):
        if abs(b[k + '-norm'] * size - b[k]) > 1.5:  # x, x + w rounded
            bad.append('line %d: %s-norm %r != %s %r / %d'
                       % (i, k, b[k + '-norm'], k, b[k], size))
    if b.get('track-id') != 0 or b.get('label-id') != 0:
        bad.append('line %d: track-id/label-id %r' % (i, b))
    return bad


def test_detect(tmp):
    clip = os.path.join(tmp, 'astronaut.webm')
    if not check(make_clip(clip), 'made the clip'):
        return
    out = os.path.join(tmp, 'det.jsonl')
    code, stdout, err = run(['--no-progress', '--detect', 'centernet',
                             '--detections', out, clip])
    check(code == 0, '--detect centernet --detections: exit status 0',
          'status %d: %s' % (code, err[-2000:]))
    lines = [json.loads(l) for l in open(out)] if os.path.exists(out) else []
    times = [d.get('stream-time') for d in lines]
    want = [int(t * Gst.SECOND) for t in (0, 0.5, 1.0, 1.5)]
    check(times == want, 'one line per analysed frame, at 0, 0.5, 1, 1.5 s',
          '%r' % times)
    bad = []
    for i, d in enumerate(lines):
        bad += check_line(i, d)
    check(lines and not bad, 'each frame: the person on the left, norm = px / size',
          bad[:4])
    n_boxes = sum(len(d['boxes']) for d in lines)
    m = re.search(r'detections\s+(\d+) frames, (\d+) boxes: person (\d+)', stdout)
    check(m is not None and int(m.group(1)) == len(lines) and int(m.group(2)) == n_boxes
          and int(m.group(3)) >= len(lines),
          'the summary counts the frames and boxes of the file',
          stdout[-600:])
    check(not leaked(err), 'nothing leaked (leaks tracer)')


def test_errors(tmp):
    clip = os.path.join(tmp, 'astronaut.webm')
    code, _, err = run(['--quiet', '--detect', 'no-such-model', clip])
    check(code == 2 and 'no-such-model' in err, '--detect no-such-model: exit 2, named',
          'status %d: %s' % (code, err[-800:]))
    code, _, err = run(['--quiet', '--detect', 'centernet', clip, clip])
    check(code == 2 and '--detect' in err, '--detect with several inputs: exit 2',
          'status %d: %s' % (code, err[-800:]))


def main():
    Gst.init(None)
    with tempfile.TemporaryDirectory() as tmp:
        for t in (test_detect, test_errors):
            try:
                t(tmp)
            except Exception:
                crashed()
    finish()


main()
