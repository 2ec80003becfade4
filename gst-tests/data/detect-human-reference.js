#!/usr/bin/env node
// gst-omni test helper: the detections @vladmandic/human 3.3.6 makes of one
// frame, in TF.js (@tensorflow/tfjs 4.22.0, CPU backend), for the parity
// tests of omnidetect's C decoders (gst-tests/elements/omnidetectparity.c).
// Human's pre-processing and decoding are re-written here from its sources
// (src/object/centernet.ts, src/face/blazeface.ts, src/config.ts), not
// copied.
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// usage: detect-human-reference.js centernet|blazeface|nanodet MODEL.json FRAME.rgb W H
//          OUTDIR MAX_DETECTED IOU_THRESHOLD MIN_CONFIDENCE
//   FRAME.rgb: W * H * 3 bytes, RGB.
// writes OUTDIR/raw0.f32, raw1.f32 (the raw outputs the C decoder takes:
//   centernet: tower_0/keypoints, tower_0/wh; blazeface: the 896 x 17
//   batch, logit then 16 regressors per anchor; nanodet: scoresS.f32 and
//   distsS.f32 for each stride S) and prints on stdout
//   {"boxes": [{"label": i, "score": s, "x1":, "y1":, "x2":, "y2":}, ...]}
//   with the edges normalised to the model input, in human's order.
'use strict';

const fs = require('fs');
const path = require('path');

console.log = console.info = console.warn = (...a) => process.stderr.write(a.join(' ') + '\n');

const modules = process.env.OMNI_NODE_MODULES ||
  path.join(__dirname, '..', '..', 'tools', 'node', 'node_modules');
const tf = require(path.join(modules, '@tensorflow', 'tfjs'));

async function loadModel (modelJson) {
  const json = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const dir = path.dirname(modelJson);
  const specs = [];
  const buffers = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
  }
  const all = Buffer.concat(buffers);
  return tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.length),
    format: json.format,
    signature: json.signature,
  }));
}

function writeRaw (file, values) {
  const f = Float32Array.from(values);
  fs.writeFileSync(file, Buffer.from(f.buffer));
}

// centernet.ts predict() + process(): resize, the graph's own decode tail
// (tower_0/detections: x1, y1, x2, y2, score, class in input pixels), then
// class-agnostic non-max suppression
async function centernet (model, image, outdir, maxDetected, iou, minConf) {
  const inputSize = model.inputs[0].shape[2];
  const resize = tf.image.resizeBilinear(image, [inputSize, inputSize]);
  const [keypoints, wh, res] = model.execute(resize,
    ['tower_0/keypoints', 'tower_0/wh', 'tower_0/detections']);
  writeRaw(path.join(outdir, 'raw0.f32'), await keypoints.data());
  writeRaw(path.join(outdir, 'raw1.f32'), await wh.data());
  const detections = await res.array();
  const squeeze = tf.squeeze(res);
  const arr = tf.split(squeeze, 6, 1);
  const boxes = tf.squeeze(tf.stack([arr[1], arr[0], arr[3], arr[2]], 1));
  const scores = tf.squeeze(arr[4]);
  const nms = await (await tf.image.nonMaxSuppressionAsync(boxes, scores,
    maxDetected, iou, minConf)).data();
  const out = [];
  for (const id of Array.from(nms)) {
    const d = detections[0][id];
    if (Number.isNaN(d[5])) continue;
    out.push({ label: d[5], score: d[4], x1: d[0] / inputSize, y1: d[1] / inputSize,
      x2: d[2] / inputSize, y2: d[3] / inputSize });
  }
  return out;
}

// blazeface.ts getBoxes() (config.face.detector.square unset: no padding)
async function blazeface (model, image, outdir, maxDetected, iou, minConf) {
  const inputSize = model.inputs[0].shape[2];
  const resized = tf.image.resizeBilinear(image, [inputSize, inputSize]);
  const normalized = tf.sub(tf.div(resized, tf.scalar(127.5)), tf.scalar(1));
  const res = model.execute(normalized);
  const sorted = res.sort((a, b) => a.size - b.size);
  const concat384 = tf.concat([sorted[0], sorted[2]], 2);
  const concat512 = tf.concat([sorted[1], sorted[3]], 2);
  const batch = tf.squeeze(tf.concat([concat512, concat384], 1), [0]);
  writeRaw(path.join(outdir, 'raw0.f32'), await batch.data());
  // generateAnchors() of src/face/facemeshutil.ts
  const anchors = [];
  const strides = [inputSize / 16, inputSize / 8];
  const perCell = [2, 6];
  for (let i = 0; i < 2; i++) {
    const grid = Math.floor((inputSize + strides[i] - 1) / strides[i]);
    for (let y = 0; y < grid; y++) {
      for (let x = 0; x < grid; x++) {
        for (let n = 0; n < perCell[i]; n++) anchors.push([strides[i] * (x + 0.5), strides[i] * (y + 0.5)]);
      }
    }
  }
  // decodeBoxes()
  const size = tf.scalar(inputSize, 'int32');
  const centers = tf.add(tf.slice(batch, [0, 1], [-1, 2]), tf.tensor2d(anchors));
  const half = tf.div(tf.div(tf.slice(batch, [0, 3], [-1, 2]), size), tf.scalar(2));
  const cn = tf.div(centers, size);
  const boxes = tf.concat2d([tf.mul(tf.sub(cn, half), size), tf.mul(tf.add(cn, half), size)], 1);
  const scores = tf.squeeze(tf.sigmoid(tf.slice(batch, [0, 0], [-1, 1])));
  const nms = await (await tf.image.nonMaxSuppressionAsync(boxes, scores,
    maxDetected, iou, minConf)).array();
  const s = await scores.data();
  const b = await boxes.data();
  const out = [];
  for (const i of nms) {
    if (!(s[i] > minConf)) continue;
    out.push({ label: 0, score: s[i], x1: b[4 * i] / inputSize, y1: b[4 * i + 1] / inputSize,
      x2: b[4 * i + 2] / inputSize, y2: b[4 * i + 3] / inputSize });
  }
  return out;
}

// NanoDet (upstream RangiLyu/nanodet's GFL post-processing, which the
// outputs documented in docs/models.md mean; human's own nanodet.ts reads
// them with an arg-max approximation that is not followed): the frame
// stretched to the input, normalised as the model-info sidecar says (BGR,
// one scale and offset), NCHW; per level the [cells, 80] sigmoid scores and
// [cells, 4 x 11] distance logits; each side's distance the expectation of
// the softmax over its bins times the stride, from the cell centre
// ((x + 0.5) stride, (y + 0.5) stride); boxes clipped to the input; boxes
// scoring > MIN_CONFIDENCE, per-class non-max suppression, the best
// MAX_DETECTED by score.
async function nanodet (model, image, outdir, maxDetected, iou, minConf, info) {
  const size = info.input.width;
  const out = tf.tidy(() => {
    let x = tf.image.resizeBilinear(image, [size, size]);
    if (info.input.color === 'BGR') x = tf.reverse(x, 3);
    x = tf.add(tf.mul(x, tf.scalar(info.input.scale)), tf.scalar(info.input.offset));
    return model.execute(tf.transpose(x, [0, 3, 1, 2]));
  });
  const levels = [];
  for (const t of out) {
    const [, cells, cols] = t.shape;
    const stride = size / Math.sqrt(cells);
    let lv = levels.find((l) => l.stride === stride);
    if (!lv) levels.push(lv = { stride, grid: Math.sqrt(cells) });
    if (cols === 80) lv.scores = await t.data(); else lv.dists = await t.data();
  }
  levels.sort((a, b) => a.stride - b.stride);
  const cand = [];
  for (const lv of levels) {
    writeRaw(path.join(outdir, `scores${lv.stride}.f32`), lv.scores);
    writeRaw(path.join(outdir, `dists${lv.stride}.f32`), lv.dists);
    const bins = lv.dists.length / (lv.grid * lv.grid) / 4;
    for (let i = 0; i < lv.grid * lv.grid; i++) {
      const cx = (i % lv.grid + 0.5) * lv.stride;
      const cy = (Math.floor(i / lv.grid) + 0.5) * lv.stride;
      const d = [0, 1, 2, 3].map((side) => {
        const l = lv.dists.subarray((i * 4 + side) * bins, (i * 4 + side + 1) * bins);
        const m = Math.max(...l);
        let sum = 0;
        let e = 0;
        for (let b = 0; b < bins; b++) { const v = Math.exp(l[b] - m); sum += v; e += b * v; }
        return (e / sum) * lv.stride;
      });
      const clip = (v) => Math.min(Math.max(v / size, 0), 1);
      for (let c = 0; c < 80; c++) {
        const score = lv.scores[i * 80 + c];
        if (!(score > minConf)) continue;
        cand.push({ label: c, score, x1: clip(cx - d[0]), y1: clip(cy - d[1]), x2: clip(cx + d[2]), y2: clip(cy + d[3]) });
      }
    }
  }
  let kept = [];
  for (let c = 0; c < 80; c++) {
    const mine = cand.filter((b) => b.label === c);
    if (!mine.length) continue;
    const ids = await (await tf.image.nonMaxSuppressionAsync(
      tf.tensor2d(mine.map((b) => [b.y1, b.x1, b.y2, b.x2])), tf.tensor1d(mine.map((b) => b.score)),
      maxDetected, iou, minConf)).data();
    kept.push(...Array.from(ids).map((k) => mine[k]));
  }
  kept = kept.map((b) => ({ b, i: cand.indexOf(b) }))
    .sort((p, q) => (q.b.score - p.b.score) || (p.i - q.i)).map((p) => p.b);
  return kept.slice(0, maxDetected);
}

async function main () {
  const [kind, modelJson, frame, w, h, outdir, maxDetected, iou, minConf] = process.argv.slice(2);
  if (!minConf) {
    process.stderr.write('usage: detect-human-reference.js KIND MODEL.json FRAME.rgb W H OUTDIR MAX IOU MINCONF\n');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  const model = await loadModel(modelJson);
  const raw = fs.readFileSync(frame);
  const image = tf.tensor4d(Float32Array.from(raw), [1, Number(h), Number(w), 3], 'float32');
  const fn = { centernet, blazeface, nanodet }[kind];
  const info = JSON.parse(fs.readFileSync(path.join(path.dirname(modelJson), 'model-info.json'), 'utf8'));
  const boxes = await fn(model, image, outdir, Number(maxDetected), Number(iou), Number(minConf), info);
  process.stdout.write(JSON.stringify({ boxes }) + '\n');
}

main().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
