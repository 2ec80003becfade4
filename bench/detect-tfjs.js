#!/usr/bin/env node
// gst-omni bench/detect peer: one video frame in, boxes out, with
// @vladmandic/human's detection path on TensorFlow.js (tfjs-backend-wasm,
// XNNPACK): the frame's bytes to a tensor, resized to the model input,
// the model, human's decoding (CenterNet: the graph's own decode tail and
// non-max suppression; BlazeFace: anchors, sigmoid, NMS), boxes as arrays.
// Re-written from human's src/object/centernet.ts and src/face/blazeface.ts.
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// usage: detect-tfjs.js BACKEND centernet|blazeface MODEL.json FRAME.rgb W H
//   FRAME.rgb: W * H * 3 bytes, RGB.
// Prints {"ready": BACKEND}; then for each line N read on stdin it runs N
// timed frames and prints {"times": [...], "boxes": n}.
'use strict';

const fs = require('fs');
const path = require('path');

console.log = console.info = console.warn = (...a) => process.stderr.write(a.join(' ') + '\n');

const modules = process.env.OMNI_NODE_MODULES ||
  path.join(__dirname, '..', 'tools', 'node', 'node_modules');
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

// human's config.ts defaults: object 10 / 0.4 / 0.2, face 0.1 / 0.2
async function centernet (model, frame) {
  const size = model.inputs[0].shape[2];
  const res = tf.tidy(() => model.execute(tf.image.resizeBilinear(tf.cast(frame, 'float32'), [size, size]), ['tower_0/detections']));
  const det = await res.array();
  const t = tf.tidy(() => {
    const arr = tf.split(tf.squeeze(res), 6, 1);
    return [tf.squeeze(tf.stack([arr[1], arr[0], arr[3], arr[2]], 1)), tf.squeeze(arr[4])];
  });
  const nms = await tf.image.nonMaxSuppressionAsync(t[0], t[1], 10, 0.4, 0.2);
  const ids = await nms.data();
  const boxes = Array.from(ids).map((id) => [det[0][id][5], det[0][id][4],
    det[0][id][0] / size, det[0][id][1] / size, det[0][id][2] / size, det[0][id][3] / size]);
  tf.dispose([res, ...t, nms]);
  return boxes;
}

function anchorsOf (size) {
  const anchors = [];
  const strides = [size / 16, size / 8];
  const perCell = [2, 6];
  for (let i = 0; i < 2; i++) {
    const grid = Math.floor((size + strides[i] - 1) / strides[i]);
    for (let y = 0; y < grid; y++) {
      for (let x = 0; x < grid; x++) {
        for (let n = 0; n < perCell[i]; n++) anchors.push([strides[i] * (x + 0.5), strides[i] * (y + 0.5)]);
      }
    }
  }
  return tf.tensor2d(anchors);
}

let anchors = null;
async function blazeface (model, frame) {
  const size = model.inputs[0].shape[2];
  if (!anchors) anchors = anchorsOf(size);
  const [boxes, scores] = tf.tidy(() => {
    const resized = tf.image.resizeBilinear(tf.cast(frame, 'float32'), [size, size]);
    const res = model.execute(tf.sub(tf.div(resized, tf.scalar(127.5)), tf.scalar(1)));
    const sorted = res.sort((a, b) => a.size - b.size);
    const batch = tf.squeeze(tf.concat([tf.concat([sorted[1], sorted[3]], 2),
      tf.concat([sorted[0], sorted[2]], 2)], 1), [0]);
    const centers = tf.add(tf.slice(batch, [0, 1], [-1, 2]), anchors);
    const half = tf.div(tf.slice(batch, [0, 3], [-1, 2]), tf.scalar(2));
    return [tf.div(tf.concat2d([tf.sub(centers, half), tf.add(centers, half)], 1), tf.scalar(size)),
      tf.squeeze(tf.sigmoid(tf.slice(batch, [0, 0], [-1, 1])))];
  });
  const nms = await tf.image.nonMaxSuppressionAsync(boxes, scores, 10, 0.1, 0.2);
  const ids = await nms.data();
  const s = await scores.data();
  const b = await boxes.data();
  const out = Array.from(ids).map((i) => [0, s[i], b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]]);
  tf.dispose([boxes, scores, nms]);
  return out;
}

async function main () {
  const [backend, kind, modelJson, frameFile, w, h] = process.argv.slice(2);
  if (!h) {
    process.stderr.write('usage: detect-tfjs.js wasm|cpu centernet|blazeface MODEL.json FRAME.rgb W H\n');
    process.exit(2);
  }
  if (backend === 'wasm') {
    const wasm = require(path.join(modules, '@tensorflow', 'tfjs-backend-wasm'));
    wasm.setWasmPaths(path.join(modules, '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
  await tf.ready();
  const model = await loadModel(modelJson);
  const bytes = new Uint8Array(fs.readFileSync(frameFile));
  const fn = kind === 'centernet' ? centernet : blazeface;
  let n = 0;

  async function round (count) {
    const times = [];
    for (let i = 0; i < count; i++) {
      const t0 = process.hrtime.bigint();
      const frame = tf.tensor4d(bytes, [1, Number(h), Number(w), 3], 'int32');
      n = (await fn(model, frame)).length;
      frame.dispose();
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    return times;
  }

  await round(2); // warm-up
  process.stdout.write(JSON.stringify({ ready: tf.getBackend() }) + '\n');
  const rl = require('readline').createInterface({ input: process.stdin });
  for await (const line of rl) {
    const times = await round(parseInt(line, 10) || 1);
    process.stdout.write(JSON.stringify({ times, boxes: n }) + '\n');
  }
}

main().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
