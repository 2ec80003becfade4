#!/usr/bin/python3
# gst-omni example: a Python (PyGObject) application reading omnifusion's
# results, as examples/omni-appsink.c does in C.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: omni-appsink.py [--max-windows N] FILE
#
# libgstomni-1.0 has no GObject-Introspection data, so Python reads the
# metas in their JSON form: omnifusion's application/x-omni-events output
# is one JSON object per window (the OmniFusionMeta's fields: window,
# caption, state, label, risk, evidence, present/missing modalities) and
# per flagged-segment change. The bus carries the same element messages a C
# application gets (omnifusion-segment, omnisampler, omnirhythm).
# Needs python3-gi and python3-gst-1.0 (Debian).

import json
import sys

import gi
gi.require_version('Gst', '1.0')
gi.require_version('GstApp', '1.0')
from gi.repository import GLib, Gst, GstApp  # noqa: E402

windows = 0
segments = 0
cuts = 0
status = 0


def main():
    global status
    Gst.init(None)
    args = sys.argv[1:]
    max_windows = 0
    if len(args) > 2 and args[0] == '--max-windows':
        max_windows = int(args[1])
        args = args[2:]
    if len(args) != 1:
        print('usage: omni-appsink.py [--max-windows N] FILE', file=sys.stderr)
        return 2

    pipeline = Gst.parse_launch(
        'filesrc name=src ! decodebin name=d '
        'd. ! queue ! videoconvert ! omnisampler interval=500000000 ! '
        'omnivisionenc ! queue max-size-time=5000000000 ! f.video '
        'd. ! queue ! audioconvert ! audioresample ! omnirhythm ! omniaudioenc ! '
        'queue max-size-time=5000000000 ! f.audio '
        'omnifusion name=f ! application/x-omni-events ! appsink name=sink')
    pipeline.get_by_name('src').set_property('location', args[0])
    loop = GLib.MainLoop()

    def on_sample(sink):
        global windows, segments
        sample = sink.emit('pull-sample')
        if sample is None:
            return Gst.FlowReturn.EOS
        buf = sample.get_buffer()
        ok, info = buf.map(Gst.MapFlags.READ)
        if ok:
            for line in bytes(info.data).decode('utf-8').splitlines():
                ev = json.loads(line)
                if ev['type'] == 'window':
                    ev_t = ev['evidence']
                    print('window %.3f - %.3f s: %s risk %.2f%s tempo %.1f | %s' % (
                        ev['window-start'] / 1e9, ev['window-end'] / 1e9, ev['state'],
                        ev['risk'], ' label ' + ev['label'] if ev['label'] else '',
                        ev_t.get('tempo', 0.0), ev['caption']))
                    windows += 1
                elif ev['type'] == 'segment':
                    print('segment %s: %s' % (ev['event'], ev['label']))
                    segments += 1
            buf.unmap(info)
        if max_windows and windows >= max_windows:
            GLib.idle_add(loop.quit)
        return Gst.FlowReturn.OK

    sink = pipeline.get_by_name('sink')
    sink.set_property('emit-signals', True)
    sink.set_property('sync', False)
    sink.connect('new-sample', on_sample)

    def on_message(bus, msg):
        global cuts, status
        if msg.type == Gst.MessageType.EOS:
            loop.quit()
        elif msg.type == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            print('error from %s: %s\n%s' % (msg.src.get_name(), err.message, dbg or ''),
                  file=sys.stderr)
            status = 1
            loop.quit()
        elif msg.type == Gst.MessageType.ELEMENT:
            s = msg.get_structure()
            if s.get_name() == 'omnisampler':
                ok, t = s.get_uint64('running-time')
                print('shot cut at %.3f s' % (t / 1e9 if ok else -1))
                cuts += 1
            elif s.get_name() == 'omnirhythm':
                ok, tempo = s.get_double('tempo')
                if ok and tempo > 0:
                    print('tempo %.1f BPM' % tempo)
        return True

    bus = pipeline.get_bus()
    bus.add_signal_watch()
    bus.connect('message', on_message)
    pipeline.set_state(Gst.State.PLAYING)
    loop.run()
    pipeline.set_state(Gst.State.NULL)
    bus.remove_signal_watch()
    print('%d windows, %d segment changes, %d shot cuts' % (windows, segments, cuts))
    return status


if __name__ == '__main__':
    sys.exit(main())
