#!/usr/bin/python3
# gst-omni example: a Python (PyGObject) application reading the gst-omni
# metas, as examples/omni-appsink.c does in C.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: omni-appsink.py [--max-windows N] FILE
#
# Plays FILE (video and audio) through gst-omni's analysis pipeline and
# reads the metas through GObject-Introspection (namespace Omni, the
# Omni-1.0 typelib of libgstomni-1.0, docs/metas.md):
#  - a pad probe after omnivisionenc reads each analysed frame's
#    OmniClassMeta (labels, scores) and OmniTensorMeta (the embedding) and
#    its OmniSampleMeta (from omnisampler);
#  - a pad probe after omniaudioenc reads OmniRhythmMeta (tempo, beats) and
#    the log-mel OmniTensorMeta windows;
#  - the appsink after omnifusion reads OmniFusionMeta: window, caption,
#    verdict (state, label, risk) and evidence (a Gst.Structure).
# For every window it prints the window line (as the C example does) and a
# "  metas:" line with what the probes gathered inside that window of
# running time: the top class (mean score over the window's frames, as
# omnifusion's caption computes it), the embedding's dims, the audio tempo
# and beats. The bus carries the element messages (omnifusion-segment,
# omnisampler, omnirhythm).
#
# Finding the typelib: installed gst-omni puts it where PyGObject looks; a
# build tree needs GI_TYPELIB_PATH and LD_LIBRARY_PATH set to
# BUILD/gst-libs/omni (the test suite does), or GST_PLUGIN_PATH pointing at
# BUILD/plugins/omni, from which this script finds BUILD/gst-libs/omni.
# Without the typelib (gst-omni built with -Dintrospection=disabled), or
# with OMNI_EXAMPLE_JSON=1 in the environment, it prints a note and reads
# omnifusion's application/x-omni-events output instead: one JSON object per
# window with the same fields as OmniFusionMeta (no per-frame metas then).
# Needs python3-gi and python3-gst-1.0 (Debian).

import json
import os
import sys
import threading

import gi
gi.require_version('Gst', '1.0')
gi.require_version('GstApp', '1.0')
from gi.repository import GLib, Gst, GstApp  # noqa: E402,F401


_out_lock = threading.Lock()


def out(line):
    """One line to stdout: the appsink and the bus print from two threads."""
    with _out_lock:
        sys.stdout.write(line + '\n')
        sys.stdout.flush()


def import_omni():
    """The Omni namespace, or (None, why) when its typelib is missing."""
    if os.environ.get('OMNI_EXAMPLE_JSON'):
        return None, 'OMNI_EXAMPLE_JSON is set'
    try:
        gi.require_version('Omni', '1.0')
    except ValueError:
        # A build tree on GST_PLUGIN_PATH: BUILD/plugins/omni -> BUILD/gst-libs/omni
        gi.require_version('GIRepository', '2.0')
        from gi.repository import GIRepository
        paths = (os.environ.get('GST_PLUGIN_PATH_1_0', '') + ':' +
                 os.environ.get('GST_PLUGIN_PATH', '')).split(':')
        for p in paths:
            d = os.path.abspath(os.path.join(p, '..', '..', 'gst-libs', 'omni'))
            if p and os.path.exists(os.path.join(d, 'Omni-1.0.typelib')):
                GIRepository.Repository.prepend_search_path(d)
                GIRepository.Repository.prepend_library_path(d)
                break
        try:
            gi.require_version('Omni', '1.0')
        except ValueError as e:
            return None, str(e)
    from gi.repository import Omni
    return Omni, None


class Gathered:
    """Per-buffer results of the probes, by running time, until the window
    that holds them is out (probes run in streaming threads)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.frames = []  # (rt, {label: score}, sampled, embedding dims, n floats)
        self.audio = []   # (rt, tempo, confidence, beat, log-mel dims)

    def take(self, start, end):
        with self.lock:
            f = [x for x in self.frames if start <= x[0] < end]
            a = [x for x in self.audio if start <= x[0] < end]
            self.frames = [x for x in self.frames if x[0] >= end]
            self.audio = [x for x in self.audio if x[0] >= end]
        return f, a


def running_time(pad, buf):
    ev = pad.get_sticky_event(Gst.EventType.SEGMENT, 0)
    if ev is None or buf.pts == Gst.CLOCK_TIME_NONE:
        return None
    return ev.parse_segment().to_running_time(Gst.Format.TIME, buf.pts)


def video_probe(Omni, gathered):
    def probe(pad, info):
        buf = info.get_buffer()
        cm = Omni.buffer_get_class_meta(buf)
        rt = running_time(pad, buf)
        if cm is None or rt is None:
            return Gst.PadProbeReturn.OK
        scores = dict(zip(cm.get_labels(), cm.get_scores()))
        sampled = Omni.buffer_get_sample_meta(buf) is not None
        tm = Omni.buffer_get_tensor_meta(buf, 'embedding')
        dims, n = (list(tm.get_dims()), len(tm.get_f32())) if tm else (None, 0)
        with gathered.lock:
            gathered.frames.append((rt, scores, sampled, dims, n))
        return Gst.PadProbeReturn.OK
    return probe


def audio_probe(Omni, gathered):
    def probe(pad, info):
        buf = info.get_buffer()
        rm = Omni.buffer_get_rhythm_meta(buf)
        rt = running_time(pad, buf)
        if rm is None or rt is None:
            return Gst.PadProbeReturn.OK
        tm = Omni.buffer_get_tensor_meta(buf, None)
        with gathered.lock:
            gathered.audio.append((rt, rm.tempo, rm.tempo_confidence, rm.beat,
                                   list(tm.get_dims()) if tm else None))
        return Gst.PadProbeReturn.OK
    return probe


def metas_line(frames, audio):
    """What the probes read inside one window."""
    parts = []
    if frames:
        sums = {}
        for _, scores, _, _, _ in frames:
            for label, score in scores.items():
                sums[label] = sums.get(label, 0.0) + score
        top = max(sums, key=lambda label: sums[label])
        parts.append('class top %s %.4f over %d frames (%d sampled)' % (
            top, sums[top] / len(frames), len(frames), sum(f[2] for f in frames)))
        dims = [f[3] for f in frames if f[3]]
        if dims:
            parts.append('embedding dims %s (%d floats)' % (
                'x'.join(str(d) for d in dims[-1]), frames[-1][4]))
    if audio:
        conf = sum(a[2] for a in audio)
        tempo = sum(a[1] * a[2] for a in audio) / conf if conf > 0 else 0.0
        mels = [a[4] for a in audio if a[4]]
        parts.append('rhythm %d buffers tempo %.1f beats %d' % (
            len(audio), tempo, sum(bool(a[3]) for a in audio)))
        if mels:
            parts.append('log-mel windows %d dims %s' % (
                len(mels), 'x'.join(str(d) for d in mels[-1])))
    return '  metas: ' + ('; '.join(parts) if parts else 'none')


class App:
    def __init__(self, max_windows, Omni):
        self.windows = self.segments = self.cuts = 0
        self.status = 0
        self.max_windows = max_windows
        self.Omni = Omni
        self.gathered = Gathered()
        self.loop = GLib.MainLoop()

    def print_window(self, start, end, state, risk, label, tempo, caption):
        out('window %.3f - %.3f s: %s risk %.2f%s tempo %.1f | %s' % (
            start / 1e9, end / 1e9, state, risk, ' label ' + label if label else '',
            tempo, caption))
        self.windows += 1

    def on_buffer_metas(self, buf):
        fm = self.Omni.buffer_get_fusion_meta(buf)
        if fm is None:
            return
        tempo = 0.0
        if fm.evidence is not None:
            ok, t = fm.evidence.get_double('tempo')
            tempo = t if ok else 0.0
        state = fm.state.value_nick
        self.print_window(fm.window_start, fm.window_end, state, fm.risk, fm.label,
                          tempo, fm.caption or '')
        out(metas_line(*self.gathered.take(fm.window_start, fm.window_end)))

    def on_buffer_json(self, buf):
        ok, info = buf.map(Gst.MapFlags.READ)
        if not ok:
            return
        for line in bytes(info.data).decode('utf-8').splitlines():
            ev = json.loads(line)
            if ev['type'] == 'window':
                self.print_window(ev['window-start'], ev['window-end'], ev['state'],
                                  ev['risk'], ev['label'], ev['evidence'].get('tempo', 0.0),
                                  ev['caption'])
            elif ev['type'] == 'segment':
                out('segment %s: %s' % (ev['event'], ev['label']))
                self.segments += 1
        buf.unmap(info)

    def on_sample(self, sink):
        sample = sink.emit('pull-sample')
        if sample is None:
            return Gst.FlowReturn.EOS
        if self.Omni:
            self.on_buffer_metas(sample.get_buffer())
        else:
            self.on_buffer_json(sample.get_buffer())
        if self.max_windows and self.windows >= self.max_windows:
            GLib.idle_add(self.loop.quit)
        return Gst.FlowReturn.OK

    def on_message(self, bus, msg):
        if msg.type == Gst.MessageType.EOS:
            self.loop.quit()
        elif msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            print('error from %s: %s\n%s' % (msg.src.get_name(), err.message, dbg or ''),
                  file=sys.stderr)
            self.status = 1
            self.loop.quit()
        elif msg.type == Gst.MessageType.ELEMENT:
            s = msg.get_structure()
            if s.get_name() == 'omnifusion-segment' and self.Omni:
                # (the JSON events carry the segment changes themselves)
                out('segment %s: %s' % (s.get_string('event'), s.get_string('label')))
                self.segments += 1
            elif s.get_name() == 'omnisampler':
                ok, t = s.get_uint64('running-time')
                out('shot cut at %.3f s' % (t / 1e9 if ok else -1))
                self.cuts += 1
            elif s.get_name() == 'omnirhythm':
                ok, tempo = s.get_double('tempo')
                if ok and tempo > 0:
                    out('tempo %.1f BPM' % tempo)
        return True


def main():
    Gst.init(None)
    args = sys.argv[1:]
    max_windows = 0
    if len(args) > 2 and args[0] == '--max-windows':
        max_windows = int(args[1])
        args = args[2:]
    if len(args) != 1:
        print('usage: omni-appsink.py [--max-windows N] FILE', file=sys.stderr)
        return 2

    Omni, why = import_omni()
    if Omni is None:
        out('note: reading omnifusion\'s JSON events, not the metas (no Omni-1.0 '
              'typelib: %s)' % why)
    app = App(max_windows, Omni)

    pipeline = Gst.parse_launch(
        'filesrc name=src ! decodebin name=d '
        'd. ! queue ! videoconvert ! omnisampler interval=500000000 ! '
        'omnivisionenc name=venc ! queue max-size-time=5000000000 ! f.video '
        'd. ! queue ! audioconvert ! audioresample ! omnirhythm ! omniaudioenc name=aenc ! '
        'queue max-size-time=5000000000 ! f.audio '
        'omnifusion name=f ! application/x-omni-events ! appsink name=sink')
    pipeline.get_by_name('src').set_property('location', args[0])
    # the classic caption (top class with its percentage, audio, verdict):
    # the check below compares its class with the metas
    pipeline.get_by_name('f').set_property(
        'caption-format', '[{visual}; ][{audio}; ]{verdict}[ ({missing})]')
    if Omni:
        for name, probe in (('venc', video_probe), ('aenc', audio_probe)):
            pad = pipeline.get_by_name(name).get_static_pad('src')
            pad.add_probe(Gst.PadProbeType.BUFFER, probe(Omni, app.gathered))

    sink = pipeline.get_by_name('sink')
    sink.set_property('emit-signals', True)
    sink.set_property('sync', False)
    sink.connect('new-sample', app.on_sample)

    bus = pipeline.get_bus()
    bus.add_signal_watch()
    bus.connect('message', app.on_message)
    pipeline.set_state(Gst.State.PLAYING)
    app.loop.run()
    pipeline.set_state(Gst.State.NULL)
    bus.remove_signal_watch()
    out('%d windows, %d segment changes, %d shot cuts (read from %s)' % (
        app.windows, app.segments, app.cuts, 'the metas' if Omni else 'JSON events'))
    return app.status


if __name__ == '__main__':
    sys.exit(main())
