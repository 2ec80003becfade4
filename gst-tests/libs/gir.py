#!/usr/bin/python3
# gst-omni: the metas of libgstomni-1.0 read from Python through
# GObject-Introspection (the Omni-1.0 typelib of the build, found through
# GI_TYPELIB_PATH and LD_LIBRARY_PATH in the test env).
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Every meta kind is added with its C adder called through GI, on buffers
# made here, and every field is read back through the getters, the struct
# fields and the accessor functions, against the values put in; the copies
# (meta transform), the JSON round trip, and the metas that two elements
# (omnisampler, omnirhythm) attach to generated media are checked too.
# Prints one line per failed check and "N checks, N failed".

import json
import struct
import sys

import gi
gi.require_version('Gst', '1.0')
gi.require_version('Json', '1.0')
gi.require_version('Omni', '1.0')
from gi.repository import GLib, Gst, Json, Omni  # noqa: E402

checks = 0
failed = 0


def check(what, cond):
    global checks, failed
    checks += 1
    if not cond:
        failed += 1
        print('FAILED: ' + what)


def f32(x):
    """x rounded to a float, as a gfloat field or array stores it."""
    return struct.unpack('f', struct.pack('f', x))[0]


def test_sample():
    buf = Gst.Buffer.new()
    check('no sample meta on a bare buffer', Omni.buffer_get_sample_meta(buf) is None)
    reasons = Omni.SampleReason.FIRST | Omni.SampleReason.SCENE
    Omni.buffer_add_sample_meta(buf, reasons, 0.75, 42)
    m = Omni.buffer_get_sample_meta(buf)
    check('sample meta found', m is not None)
    check('sample reasons', m.reasons == reasons)
    check('sample reasons has SCENE, not FORCED',
          bool(m.reasons & Omni.SampleReason.SCENE) and not m.reasons & Omni.SampleReason.FORCED)
    check('sample scene_score', m.scene_score == 0.75)
    check('sample index', m.index == 42)


def test_rhythm():
    buf = Gst.Buffer.new()
    check('no rhythm meta on a bare buffer', Omni.buffer_get_rhythm_meta(buf) is None)
    m = Omni.buffer_add_rhythm_meta(buf)
    check('fresh rhythm meta: rms/peak at the dB floor',
          m.rms_db == -200.0 and m.peak_db == -200.0)
    check('fresh rhythm meta: no onset, no beat', not m.onset and not m.beat)
    check('fresh rhythm meta: offsets GST_CLOCK_TIME_NONE',
          m.onset_offset == Gst.CLOCK_TIME_NONE and m.beat_offset == Gst.CLOCK_TIME_NONE)
    values = dict(onset_strength=3.5, onset=True, onset_offset=1250000, tempo=128.0,
                  tempo_confidence=0.875, beat=True, beat_offset=2500000, beat_phase=0.25,
                  rms_db=-18.5, peak_db=-6.0, centroid=1500.0, flux=0.125, rolloff=4000.0)
    for k, v in values.items():
        setattr(m, k, v)
    # read back from a copy: the transform copies every field
    copy = buf.copy()
    r = Omni.buffer_get_rhythm_meta(copy)
    check('rhythm meta on the buffer copy', r is not None)
    for k, v in values.items():
        check('rhythm %s' % k, getattr(r, k) == v)


def test_class():
    buf = Gst.Buffer.new()
    check('no class meta on a bare buffer', Omni.buffer_get_class_meta(buf) is None)
    labels = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy']
    scores = [0.0625, 0.125, 0.5, 0.25, 0.0625]  # exact in float
    Omni.buffer_add_class_meta(buf, 'nsfw', labels, scores)
    Omni.buffer_add_class_meta(buf, 'other', ['a', 'b'], [0.3, 0.7])
    m = Omni.buffer_get_class_meta(buf)
    check('class meta: the first one', m is not None and m.model_id == 'nsfw')
    check('class n_classes', m.n_classes == 5)
    check('class get_labels', m.get_labels() == labels)
    check('class get_scores', m.get_scores() == scores)
    check('class labels field', list(m.labels) == labels)
    check('class scores field', list(m.scores) == scores)
    check('class get_label(i)', [m.get_label(i) for i in range(5)] == labels)
    check('class get_label out of range is None', m.get_label(5) is None)
    idx, score = m.get_top()
    check('class get_top', idx == 2 and score == 0.5)
    check('class get_score(label)', m.get_score('Porn') == 0.25)
    check('class get_score(unknown) is -1', m.get_score('Cat') == -1)
    o = Omni.buffer_get_class_meta_for_model(buf, 'other')
    check('class meta for model "other"', o is not None and o.model_id == 'other')
    check('class "other" scores as floats', o.get_scores() == [f32(0.3), f32(0.7)])
    check('class "other" top', o.get_top()[0] == 1)
    check('class meta for an absent model is None',
          Omni.buffer_get_class_meta_for_model(buf, 'nope') is None)
    e = Gst.Buffer.new()
    Omni.buffer_add_class_meta(e, 'empty', [], [])
    em = Omni.buffer_get_class_meta(e)
    check('class meta without classes', em.n_classes == 0 and em.get_labels() == []
          and em.get_top()[0] == -1)


def test_tensor():
    buf = Gst.Buffer.new()
    check('no tensor meta on a bare buffer', Omni.buffer_get_tensor_meta(buf, None) is None)
    values = [0.5, -1.0, 2.25, 3.0, -4.5, 1e-3]
    raw = struct.pack('=6f', *values)
    t = Omni.buffer_add_tensor_meta(buf, 'embedding', Omni.TensorDType.F32, [2, 3],
                                    GLib.Bytes.new(raw))
    check('tensor meta added', t is not None)
    t.start = 1000000000
    t.end = 1040000000
    u = Omni.buffer_add_tensor_meta(buf, 'mask', Omni.TensorDType.U8, [4],
                                    GLib.Bytes.new(bytes([1, 2, 3, 255])))
    check('second tensor meta added', u is not None)
    bad = Omni.buffer_add_tensor_meta(buf, 'bad', Omni.TensorDType.F32, [3],
                                      GLib.Bytes.new(raw))
    check('tensor with a wrong data size refused (None)', bad is None)

    m = Omni.buffer_get_tensor_meta(buf, 'embedding')
    check('tensor by name', m is not None and m.name == 'embedding')
    check('tensor first (name None)', Omni.buffer_get_tensor_meta(buf, None).name == 'embedding')
    check('tensor dtype', m.dtype == Omni.TensorDType.F32)
    check('tensor dtype nick', m.dtype.value_nick == 'f32')
    check('tensor n_dims', m.n_dims == 2)
    check('tensor get_dims', list(m.get_dims()) == [2, 3])
    check('tensor dims field (fixed size 8)', list(m.dims) == [2, 3, 0, 0, 0, 0, 0, 0])
    check('tensor get_n_elements', m.get_n_elements() == 6)
    check('tensor get_f32', m.get_f32() == [f32(v) for v in values])
    check('tensor get_data', m.get_data().get_data() == raw)
    check('tensor data field', m.data.get_data() == raw)
    check('tensor start/end', m.start == 1000000000 and m.end == 1040000000)
    check('tensor dtype size', Omni.tensor_dtype_size(Omni.TensorDType.F16) == 2)
    k = Omni.buffer_get_tensor_meta(buf, 'mask')
    check('u8 tensor data', k.get_data().get_data() == bytes([1, 2, 3, 255]))
    check('u8 tensor: get_f32 gives nothing', not k.get_f32())
    check('u8 tensor: start/end unset',
          k.start == Gst.CLOCK_TIME_NONE and k.end == Gst.CLOCK_TIME_NONE)


def test_fusion():
    buf = Gst.Buffer.new()
    check('no fusion meta on a bare buffer', Omni.buffer_get_fusion_meta(buf) is None)
    ev = Gst.Structure.new_from_string(
        'evidence, tempo=(double)120.5, video-frames=(uint)25, model-id=(string)nsfw, '
        'loud=(boolean)true')
    check('evidence is valid', Omni.fusion_evidence_is_valid(ev))
    m = Omni.buffer_add_fusion_meta(buf, 2000000000, 3000000000, 'drawing (80%); ok',
                                    Omni.VerdictState.REVIEW, 'Sexy', 0.64, ev)
    m.present = Omni.Modality.VIDEO | Omni.Modality.AUDIO
    m.missing = Omni.Modality.TEXT
    f = Omni.buffer_get_fusion_meta(buf.copy())
    check('fusion meta on the buffer copy', f is not None)
    check('fusion window', f.window_start == 2000000000 and f.window_end == 3000000000)
    check('fusion caption', f.caption == 'drawing (80%); ok')
    check('fusion state', f.state == Omni.VerdictState.REVIEW and f.state.value_nick == 'review')
    check('fusion label', f.label == 'Sexy')
    check('fusion risk', f.risk == 0.64)
    check('fusion present', f.present == Omni.Modality.VIDEO | Omni.Modality.AUDIO)
    check('fusion missing', f.missing == Omni.Modality.TEXT)
    e = f.evidence
    check('fusion evidence name', e is not None and e.get_name() == 'evidence')
    check('fusion evidence tempo', e.get_double('tempo') == (True, 120.5))
    check('fusion evidence video-frames', e.get_uint('video-frames') == (True, 25))
    check('fusion evidence model-id', e.get_string('model-id') == 'nsfw')
    check('fusion evidence loud', e.get_boolean('loud') == (True, True))
    n = Gst.Buffer.new()
    Omni.buffer_add_fusion_meta(n, 0, 1000000000, None, Omni.VerdictState.OK, None, 0.0, None)
    nm = Omni.buffer_get_fusion_meta(n)
    check('fusion nullable caption/label/evidence',
          nm.caption is None and nm.label is None and nm.evidence is None)


def test_json():
    buf = Gst.Buffer.new()
    Omni.buffer_add_sample_meta(buf, Omni.SampleReason.INTERVAL, 0.5, 3)
    Omni.buffer_add_class_meta(buf, 'nsfw', ['a', 'b'], [0.25, 0.75])
    Omni.buffer_add_tensor_meta(buf, 'embedding', Omni.TensorDType.F32, [2],
                                GLib.Bytes.new(struct.pack('=2f', 1.0, -2.0)))
    Omni.buffer_add_rhythm_meta(buf).tempo = 90.0
    Omni.buffer_add_fusion_meta(buf, 0, 1000000000, 'c', Omni.VerdictState.FLAGGED, 'b',
                                0.9, None)
    text = Omni.json_node_to_string(Omni.buffer_metas_to_json(buf), False)
    arr = json.loads(text)
    check('JSON: five metas', sorted(o['type'] for o in arr)
          == ['class', 'fusion', 'rhythm', 'sample', 'tensor'])
    back = Gst.Buffer.new()
    for o in arr:
        node = Json.from_string(json.dumps(o))
        check('JSON: %s read back' % o['type'],
              Omni.buffer_add_meta_from_json(back, node) is not None)
    check('JSON round trip: sample',
          Omni.buffer_get_sample_meta(back).index == 3)
    check('JSON round trip: class',
          Omni.buffer_get_class_meta(back).get_scores() == [0.25, 0.75])
    check('JSON round trip: tensor',
          Omni.buffer_get_tensor_meta(back, 'embedding').get_f32() == [1.0, -2.0])
    check('JSON round trip: rhythm', Omni.buffer_get_rhythm_meta(back).tempo == 90.0)
    check('JSON round trip: fusion',
          Omni.buffer_get_fusion_meta(back).state == Omni.VerdictState.FLAGGED)
    try:
        Omni.buffer_add_meta_from_json(back, Json.from_string('{"type": "nope"}'))
        check('JSON: unknown type raises GLib.Error', False)
    except GLib.Error as err:
        check('JSON: unknown type raises GLib.Error', err.domain == 'omni-meta-error-quark')


def buffers_of(desc, n):
    """The first n buffers that reach the appsink of a pipeline."""
    pipeline = Gst.parse_launch(desc + ' ! appsink name=sink sync=false')
    sink = pipeline.get_by_name('sink')
    pipeline.set_state(Gst.State.PLAYING)
    bufs = []
    for _ in range(n):
        s = sink.emit('try-pull-sample', 10 * Gst.SECOND)
        if s is None:
            break
        bufs.append(s.get_buffer())
    pipeline.set_state(Gst.State.NULL)
    return bufs


def test_elements():
    if not Gst.ElementFactory.find('omnisampler'):
        check('omnisampler element available', False)
        return
    # 10 frames at 10 fps, one sample per 0.5 s: frames 0 and 5
    bufs = buffers_of('videotestsrc num-buffers=10 pattern=solid-color ! '
                      'video/x-raw,width=64,height=48,framerate=10/1 ! '
                      'omnisampler interval=500000000', 10)
    check('omnisampler: 10 frames', len(bufs) == 10)
    metas = [Omni.buffer_get_sample_meta(b) for b in bufs]
    sampled = [i for i, m in enumerate(metas) if m is not None]
    check('omnisampler: frames 0 and 5 sampled (%s)' % sampled, sampled == [0, 5])
    if sampled == [0, 5]:
        check('omnisampler: first frame FIRST, index 0',
              bool(metas[0].reasons & Omni.SampleReason.FIRST) and metas[0].index == 0)
        check('omnisampler: frame 5 INTERVAL, index 1',
              bool(metas[5].reasons & Omni.SampleReason.INTERVAL) and metas[5].index == 1)
    # a full-scale square wave: peak 0 dBFS, RMS 0 dBFS
    bufs = buffers_of('audiotestsrc num-buffers=4 wave=square volume=1.0 '
                      'samplesperbuffer=4800 ! audio/x-raw,format=F32LE,rate=48000,channels=1 ! '
                      'omnirhythm', 4)
    rms = [Omni.buffer_get_rhythm_meta(b) for b in bufs]
    check('omnirhythm: a meta on every buffer', len(rms) == 4 and all(rms))
    if len(rms) == 4 and all(rms):
        check('omnirhythm: square wave peak 0 dBFS (%.3f)' % rms[-1].peak_db,
              abs(rms[-1].peak_db) < 0.01)
        check('omnirhythm: square wave RMS 0 dBFS (%.3f)' % rms[-1].rms_db,
              abs(rms[-1].rms_db) < 0.1)


def test_results():
    buf = Gst.Buffer.new()
    check('no results meta on a bare buffer', Omni.buffer_get_results_meta(buf) is None)
    r = Omni.buffer_add_results_meta(buf)
    check('add returns the one results meta', Omni.buffer_add_results_meta(buf) is not None
          and Omni.buffer_get_results_meta(buf) is not None)
    box = r.add_box('person', 10, 20, 30, 40, 0.5, 7)
    labels = ['happy', 'sad']
    cls = r.add_class('emotion', 'happy', 0.75, labels, [0.75, 0.25])
    kp = r.add_keypoints('movenet', ['nose', 'left_eye'], [0.5, 0.25], [0.125, 0.5], [1.0, 0.5])
    txt = r.add_text('EXIT', 0.25)
    check('ids 0..3', [box, cls, kp, txt] == [0, 1, 2, 3])
    check('relate', r.relate(box, cls, Omni.Relation.CONTAINS))
    check('relation read back', r.get_relation(box, cls) == Omni.Relation.CONTAINS)
    b = r.get_box(box)
    check('box fields', (b.label, b.x, b.y, b.w, b.h, b.track_id, b.roi_id)
          == ('person', 10, 20, 30, 40, 7, -1))
    check('box confidence', b.result.confidence == 0.5 and b.result.type == Omni.ResultType.BOX)
    c = r.get_class(cls)
    check('class fields', c.model == 'emotion' and c.label == 'happy' and c.n_classes == 2)
    k = r.get_keypoints(kp)
    check('keypoints n_points', k.n_points == 2)
    check('text', r.get_text(txt).text == 'EXIT')
    check('typed getter refuses another type', r.get_box(cls) is None)
    state, seen = 0, []
    while True:
        e, state = r.iterate(state, Omni.ResultType.ANY)
        if e is None:
            break
        seen.append(e.id)
    check('iterate all (%s)' % seen, seen == [0, 1, 2, 3])
    e, state = r.iterate_related(box, Omni.Relation.CONTAINS, Omni.ResultType.ANY, 0)
    check('iterate related: the class', e is not None and e.id == cls)
    copy = buf.copy()
    rc = Omni.buffer_get_results_meta(copy)
    check('results meta copied', rc is not None and rc.equal(r))
    text = Omni.json_node_to_string(Omni.meta_to_json(r.meta), False)
    obj = json.loads(text)
    check('results JSON type and kinds', obj['type'] == 'results'
          and [e['kind'] for e in obj['results']] == ['box', 'class', 'keypoints', 'text'])
    check('results JSON relation', obj['relations'] == [
        {'from': 0, 'to': 1, 'relation': ['contains']}])


def main():
    Gst.init(None)
    for t in (test_sample, test_rhythm, test_class, test_tensor, test_fusion, test_json,
              test_results, test_elements):
        t()
    print('%d checks, %d failed' % (checks, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
