#!/usr/bin/env node
// gst-omni bench/graphmodels peer: a TF.js graph model (model.json + shards)
// on TensorFlow.js, timed per inference on a float32 NHWC input, the same
// outputs as ours (a cut before the decode tail).
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// usage: graph-tfjs.js BACKEND MODEL.json INPUT.f32 H W C OUTPUT...
//   BACKEND: wasm (@tensorflow/tfjs-backend-wasm, XNNPACK) or cpu
// After loading it prints {"ready": BACKEND}; then for each line N read on
// stdin it runs N timed inferences and prints {"times": [...], "first":
// [first values of each output]}; it exits at end of input.
'use strict';

const fs = require('fs');
const path = require('path');

console.log = console.info = console.warn = (...a) => process.stderr.write(a.join(' ') + '\n');

const modules = process.env.OMNI_NODE_MODULES ||
  path.join(__dirname, '..', 'tools', 'node', 'node_modules');
const tf = require(path.join(modules, '@tensorflow', 'tfjs'));

async function main () {
  const [backend, modelJson, inputFile, h, w, c, ...outputs] = process.argv.slice(2);
  if (!outputs.length) {
    process.stderr.write('usage: graph-tfjs.js wasm|cpu MODEL.json INPUT.f32 H W C OUTPUT...\n');
    process.exit(2);
  }
  if (backend === 'wasm') {
    const wasm = require(path.join(modules, '@tensorflow', 'tfjs-backend-wasm'));
    wasm.setWasmPaths(path.join(modules, '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
  await tf.ready();
  const json = JSON.parse(fs.readFileSync(modelJson, 'utf8'));
  const dir = path.dirname(modelJson);
  const specs = [];
  const buffers = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) buffers.push(fs.readFileSync(path.join(dir, p)));
  }
  const all = Buffer.concat(buffers);
  const model = await tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.length),
    format: json.format,
    signature: json.signature,
  }));
  const raw = fs.readFileSync(inputFile);
  const values = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
  const dtype = model.inputs[0].dtype === 'int32' ? 'int32' : 'float32';
  let input = tf.tensor4d(dtype === 'int32' ? Int32Array.from(values) : values,
    [1, Number(h), Number(w), Number(c)], dtype);
  // an NCHW model (NanoDet, an ONNX conversion) gets the same values
  // transposed, once, outside the timed runs
  const want = model.inputs[0].shape;
  if (want && want.length === 4 && want[1] === Number(c) && want[3] !== Number(c)) {
    input = tf.transpose(input, [0, 3, 1, 2]);
  }
  const names = outputs.map((o) => o.replace(/:0$/, ''));
  const feed = { [model.inputs[0].name]: input };
  let first = [];

  async function round (n) {
    const times = [];
    for (let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      let res = model.execute(feed, names);
      if (!Array.isArray(res)) res = [res];
      const data = await Promise.all(res.map((t) => t.data()));
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      first = data.map((d) => d[0]);
      res.forEach((t) => t.dispose());
    }
    return times;
  }

  await round(2); // warm-up
  process.stdout.write(JSON.stringify({ ready: tf.getBackend() }) + '\n');
  const rl = require('readline').createInterface({ input: process.stdin });
  for await (const line of rl) {
    const times = await round(parseInt(line, 10) || 1);
    process.stdout.write(JSON.stringify({ times, first }) + '\n');
  }
  input.dispose();
}

main().catch((e) => {
  process.stderr.write(`graph-tfjs: ${e.stack || e}\n`);
  process.exit(1);
});
