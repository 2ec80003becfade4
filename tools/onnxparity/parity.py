#!/usr/bin/python3
# gst-omni tool: where do our backends' outputs differ from
# onnxruntime-node's on PaddleOCR v4 det? Cuts the ONNX model at tensors
# (onnx.utils.extract_model, in a temp dir: no model file is committed),
# feeds both runtimes the same (onnxruntime's) values at the cut's inputs
# and compares the cut's outputs.
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# usage: parity.py BUILD_DIR full|cut IN1,IN2..:OUT [...] [--backends ref,xnn,vulkan]
import os, subprocess, sys, tempfile
import numpy as np
import onnx
import onnx.utils

S = 640
PHOTO = '/usr/share/backgrounds/mate/nature/Storm.jpg'
HERE = os.path.dirname(os.path.abspath(__file__))
BIND = ['-b', 'p2o.DynamicDimension.1=640', '-b', 'p2o.DynamicDimension.2=640']


def make_input(tmp):
    """The test's tensor (gst-tests/libs/onnxocrdet.c's make_input)."""
    rgb = os.path.join(tmp, 'x.rgb')
    subprocess.run(['gst-launch-1.0', '-q', 'filesrc', 'location=' + PHOTO, '!', 'decodebin', '!',
                    'videoconvert', '!', 'videoscale', '!', 'video/x-raw,width=640,height=640', '!',
                    'textoverlay', 'text=Storm warning: stay indoors', 'font-desc=Sans Bold 36',
                    'valignment=center', 'halignment=center', '!', 'videoconvert', '!',
                    'video/x-raw,format=RGB', '!', 'filesink', 'location=' + rgb], check=True)
    b = np.fromfile(rgb, np.uint8).reshape(S * S, 3)
    mean = np.array([0.485, 0.456, 0.406], np.float32)
    std = np.array([0.229, 0.224, 0.225], np.float32)
    x = ((b.astype(np.float32) / np.float32(255.0) - mean) / std).T.copy()
    return x.reshape(1, 3, S, S)


def ort(model, outdir, feeds, opt='all'):
    os.makedirs(outdir, exist_ok=True)
    args = ['node', os.path.join(HERE, 'ort-run.js'), model, outdir, '--opt', opt]
    subprocess.run(args + feeds, check=True)


def ours(build, backend, model, outdir, feeds):
    os.makedirs(outdir, exist_ok=True)
    args = [os.path.join(build, 'bench', 'onnx-run'), backend, model, outdir] + BIND
    r = subprocess.run(args + feeds, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        print(r.stderr)
        return False
    return True


def feed(name, arr, tmp):
    f = os.path.join(tmp, 'in-' + name.replace('/', '_') + '.f32')
    arr.astype(np.float32).tofile(f)
    return '%s=%s:%s' % (name, ','.join(str(d) for d in arr.shape), f)


def metric(got, want):
    """max |ours - ort| / max(|ort|, 1e-2) (the test's), and the error
    relative to the tensor's range."""
    rel = np.abs(got - want) / np.maximum(np.abs(want), 1e-2)
    rng = np.abs(want).max()
    return rel.max(), np.abs(got - want).max() / max(rng, 1e-30), int(rel.argmax())


def with_outputs(model, names, path):
    m = onnx.load(model)
    have = {o.name for o in m.graph.output}
    for n in names:
        if n not in have:
            m.graph.output.append(onnx.helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, None))
    onnx.save(m, path)


def load(outdir, name, shape=None):
    a = np.fromfile(os.path.join(outdir, name + '.f32'), np.float32)
    return a.reshape(shape) if shape is not None else a


def report(tag, build, backends, model, feeds, outs, tmp, want_dir):
    for b in backends:
        d = os.path.join(tmp, tag + '-' + b)
        if not ours(build, b, model, d, feeds):
            continue
        for o in outs:
            got, want = load(d, o), load(want_dir, o)
            m, r, i = metric(got, want)
            rel = np.abs(got - want) / np.maximum(np.abs(want), 1e-2)
            print('%-28s %-7s %-22s rel %.2e  range-rel %.2e  at %d (ours %.7g ort %.7g)  rel p99 %.2e p99.99 %.2e'
                  % (tag, b, o, m, r, i, got[i], want[i], np.percentile(rel, 99), np.percentile(rel, 99.99)), flush=True)


def main():
    build = sys.argv[1]
    backends = ['ref', 'xnn', 'vulkan']
    args = sys.argv[2:]
    if '--backends' in args:
        i = args.index('--backends')
        backends = args[i + 1].split(',')
        del args[i:i + 2]
    model = os.path.join(build, 'models', 'paddleocr-det', 'model.onnx')
    tmp = tempfile.mkdtemp(prefix='onnxparity-')
    x = make_input(tmp)
    fx = feed('x', x, tmp)
    cuts = [a for a in args if ':' in a]
    need = sorted({t for c in cuts for t in c.split(':')[0].split(',')} | {'sigmoid_0.tmp_0'})
    inst = os.path.join(tmp, 'inst.onnx')
    with_outputs(model, need, inst)
    ortd = os.path.join(tmp, 'ort')
    ort(inst, ortd, [fx])
    if 'full' in args:
        ort(model, os.path.join(tmp, 'ort-all'), [fx])
        ort(model, os.path.join(tmp, 'ort-off'), [fx], 'disabled')
        a = load(os.path.join(tmp, 'ort-all'), 'sigmoid_0.tmp_0')
        for other in ('ort-off', 'ort'):
            m, r, i = metric(load(os.path.join(tmp, other), 'sigmoid_0.tmp_0'), a)
            print('full: onnxruntime %s vs all: rel %.2e at %d' % (other, m, i))
        report('full', build, backends, model, [fx], ['sigmoid_0.tmp_0'], tmp,
               os.path.join(tmp, 'ort-all'))
    for k, c in enumerate(cuts):
        ins, out = c.split(':')
        ins = ins.split(',')
        outs = out.split(',')
        cut = os.path.join(tmp, 'cut%d.onnx' % k)
        onnx.utils.extract_model(model, cut, ins, outs)
        feeds = []
        for n in ins:
            dims = [int(d) for d in open(os.path.join(ortd, n + '.dims')).read().split(',')]
            feeds.append(feed(n, load(ortd, n).reshape(dims), tmp))
        cd = os.path.join(tmp, 'ortcut%d' % k)
        ort(cut, cd, feeds)
        report('cut ' + c[:40], build, backends, cut, feeds, outs, tmp, cd)
    print('tmp:', tmp)


if __name__ == '__main__':
    main()
