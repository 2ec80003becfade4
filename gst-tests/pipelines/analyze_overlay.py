#!/usr/bin/python3
# gst-omni: omni-analyze --overlay and omnioverlay in encoded files.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: analyze_overlay.py OMNI_ANALYZE
#
# Checks:
#  - omni-analyze --overlay on a generated 50-frame clip: exit status 0,
#    omnioverlay negotiated in the overlay branch (its debug log), the copy
#    exists, decodes, and has the input's 50 frames; no GstObject leaked;
#  - omniocr ! omnioverlay ! vp8enc ! matroskamux on white frames showing
#    "EXIT 42" in black: the decoded file has the frames, and coloured
#    pixels (the box and label of the text line omniocr read) where the
#    same pipeline without omnioverlay has none;
#  - omniocr's OmniResultsMeta (through GObject-Introspection): a "text"
#    box containing a text entry "EXIT 42".
# Prints "N passed, N failed" and exits non-zero on any failure.

import os
import subprocess
import sys
import tempfile

import gi
gi.require_version('Gst', '1.0')
from gi.repository import Gst  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from omnicheck import check, finish  # noqa: E402

ANALYZE = sys.argv[1]
LEAKED_SH = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'leaked.sh')


def run_pipeline(desc):
    p = Gst.parse_launch(desc)
    p.set_state(Gst.State.PLAYING)
    msg = p.get_bus().timed_pop_filtered(120 * Gst.SECOND,
                                         Gst.MessageType.EOS | Gst.MessageType.ERROR)
    p.set_state(Gst.State.NULL)
    ok = msg is not None and msg.type == Gst.MessageType.EOS
    return ok, (msg.parse_error()[1] if msg and msg.type == Gst.MessageType.ERROR else '')


def decode(path):
    """The frames of a media file as RGB bytes (width, height, [bytes])."""
    p = Gst.parse_launch('filesrc location="%s" ! decodebin ! videoconvert ! '
                         'video/x-raw,format=RGB ! appsink name=s sync=false' % path)
    sink = p.get_by_name('s')
    p.set_state(Gst.State.PLAYING)
    frames, w, h = [], 0, 0
    while True:
        sample = sink.emit('pull-sample')
        if sample is None:
            break
        s = sample.get_caps().get_structure(0)
        w, h = s.get_value('width'), s.get_value('height')
        buf = sample.get_buffer()
        ok, m = buf.map(Gst.MapFlags.READ)
        frames.append(bytes(m.data))
        buf.unmap(m)
    p.set_state(Gst.State.NULL)
    return w, h, frames


def coloured_pixels(w, h, frame):
    """Pixels far from grey (max - min channel over 80)."""
    stride = (w * 3 + 3) & ~3
    n = 0
    for y in range(h):
        row = frame[y * stride:y * stride + w * 3]
        for x in range(0, w * 3, 3):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if max(r, g, b) - min(r, g, b) > 80:
                n += 1
    return n


def test_analyze(tmp):
    clip = os.path.join(tmp, 'in.mkv')
    out = os.path.join(tmp, 'overlay.mkv')
    ok, err = run_pipeline('videotestsrc num-buffers=50 pattern=ball ! '
                           'video/x-raw,width=320,height=240,framerate=25/1 ! '
                           'vp8enc deadline=1 ! matroskamux ! filesink location="%s"' % clip)
    check(ok, 'made the input clip ' + err)
    env = dict(os.environ)
    env['GST_DEBUG'] = env.get('GST_DEBUG', '*:1') + ',omnioverlay:5'
    r = subprocess.run([ANALYZE, '--overlay', out, clip], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, env=env, timeout=300)
    stderr = r.stderr.decode(errors='replace')
    check(r.returncode == 0, 'omni-analyze --overlay exits 0 (%d)' % r.returncode,
          stderr[-2000:])
    check('<draw>' in stderr and 'drawing on' in stderr,
          'omnioverlay negotiated in the overlay branch')
    errfile = os.path.join(tmp, 'analyze.err')
    with open(errfile, 'wb') as f:
        f.write(r.stderr)
    check(subprocess.run(['sh', LEAKED_SH, errfile]).returncode != 0, 'no GstObject leaked')
    check(os.path.exists(out) and os.path.getsize(out) > 0, 'the overlay copy exists')
    w, h, frames = decode(out)
    check((w, h) == (320, 240), 'overlay copy is 320x240 (%dx%d)' % (w, h))
    check(len(frames) == 50, 'overlay copy has the 50 frames (%d)' % len(frames))


def test_ocr_drawn(tmp):
    src = ('videotestsrc pattern=white num-buffers=6 ! '
           'video/x-raw,width=320,height=120,framerate=25/1 ! '
           'textoverlay text="EXIT 42" font-desc="Sans 36" valignment=center '
           'halignment=center ! videoconvert ! omnisampler interval=40000000 ! omniocr ! ')
    enc = ' ! videoconvert ! vp8enc deadline=1 target-bitrate=2000000 ! matroskamux ! '
    counts = {}
    for name, mid in (('plain', 'identity'), ('drawn', 'omnioverlay line-width-px=2')):
        path = os.path.join(tmp, name + '.mkv')
        ok, err = run_pipeline(src + mid + enc + 'filesink location="%s"' % path)
        check(ok, '%s pipeline ran %s' % (name, err))
        w, h, frames = decode(path)
        check(len(frames) == 6, '%s: 6 frames decoded (%d)' % (name, len(frames)))
        counts[name] = [coloured_pixels(w, h, f) for f in frames]
    check(max(counts['plain'] or [1]) == 0,
          'no coloured pixel without omnioverlay (%s)' % counts['plain'])
    check(len(counts['drawn']) == 6 and min(counts['drawn']) > 300,
          'the text line box and label drawn on every frame (%s)' % counts['drawn'])


def test_ocr_results_meta():
    """omniocr mirrors its lines in the OmniResultsMeta: a "text" box
    containing a text entry with what it read."""
    gi.require_version('Omni', '1.0')
    from gi.repository import Omni
    p = Gst.parse_launch(
        'videotestsrc pattern=white num-buffers=1 ! '
        'video/x-raw,width=320,height=120,framerate=25/1 ! '
        'textoverlay text="EXIT 42" font-desc="Sans 36" valignment=center '
        'halignment=center ! videoconvert ! omniocr ! appsink name=s sync=false')
    sink = p.get_by_name('s')
    p.set_state(Gst.State.PLAYING)
    sample = sink.emit('pull-sample')
    r = Omni.buffer_get_results_meta(sample.get_buffer()) if sample else None
    check(r is not None, 'omniocr attached a results meta')
    texts = []
    if r is not None:
        state = 0
        while True:
            box, state = r.iterate(state, Omni.ResultType.BOX)
            if box is None:
                break
            b = r.get_box(box.id)
            t, _ = r.iterate_related(box.id, Omni.Relation.CONTAINS, Omni.ResultType.TEXT, 0)
            if b.label == 'text' and t is not None:
                texts.append(r.get_text(t.id).text)
    check(texts == ['EXIT 42'], 'a "text" box containing the text read (%s)' % texts)
    p.set_state(Gst.State.NULL)


def main():
    Gst.init(None)
    with tempfile.TemporaryDirectory() as tmp:
        test_analyze(tmp)
        test_ocr_drawn(tmp)
    test_ocr_results_meta()
    return finish()


if __name__ == '__main__':
    sys.exit(main())
