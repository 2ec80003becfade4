#!/usr/bin/env node
// gst-omni test helper: runs a TF.js graph model (model.json + shards) on
// @tensorflow/tfjs's CPU backend on a float32 input tensor and prints the
// raw outputs as JSON on stdout, for the parity tests of the graph-model
// loader (gst-tests/libs/nngraphmodel.c).
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// usage: tfjs-graph-reference.js MODEL.json INPUT.f32 H W C OUTPUT...
//   INPUT.f32: H * W * C little-endian float32 values, NHWC, batch 1
//   (transposed to NCHW for a model whose input is [1, C, H, W]).
//   OUTPUT: node names (a ":0" suffix is dropped).
// output: {"OUTPUT": {"shape": [...], "values": [...]}, ...}
'use strict';

const fs = require('fs');
const path = require('path');

console.log = console.info = console.warn = (...a) => process.stderr.write(a.join(' ') + '\n');

const modules = process.env.OMNI_NODE_MODULES ||
  path.join(__dirname, '..', '..', 'tools', 'node', 'node_modules');
const tf = require(path.join(modules, '@tensorflow', 'tfjs'));

async function main () {
  const [modelJson, inputFile, h, w, c, ...outputs] = process.argv.slice(2);
  if (!outputs.length) {
    process.stderr.write('usage: tfjs-graph-reference.js MODEL.json INPUT.f32 H W C OUTPUT...\n');
    process.exit(2);
  }
  await tf.setBackend('cpu');
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
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.length);
  const model = await tf.loadGraphModel(tf.io.fromMemory({
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData,
    format: json.format,
    signature: json.signature,
  }));
  const raw = fs.readFileSync(inputFile);
  const shape = [1, Number(h), Number(w), Number(c)];
  const values = new Float32Array(raw.buffer, raw.byteOffset, raw.length / 4);
  // an int32 input (MoveNet's) gets the same, integral, values
  const dtype = model.inputs[0].dtype === 'int32' ? 'int32' : 'float32';
  let input = tf.tensor4d(dtype === 'int32' ? Int32Array.from(values) : values, shape, dtype);
  // an NCHW model (an ONNX conversion: NanoDet) gets the same values
  // transposed; the runtime folds its transposes and takes NHWC
  const want = model.inputs[0].shape;
  if (want && want.length === 4 && want[1] === shape[3] && want[3] !== shape[3]) {
    input = tf.transpose(input, [0, 3, 1, 2]);
  }
  const names = outputs.map((o) => o.replace(/:0$/, ''));
  let results = model.execute({ [model.inputs[0].name]: input }, names);
  if (!Array.isArray(results)) results = [results];
  const out = {};
  for (let i = 0; i < names.length; i++) {
    out[outputs[i]] = { shape: results[i].shape, values: Array.from(await results[i].data()) };
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write(`tfjs-graph-reference: ${e.stack || e}\n`);
  process.exit(1);
});
