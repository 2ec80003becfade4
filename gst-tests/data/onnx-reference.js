#!/usr/bin/env node
// gst-omni test helper: runs an ONNX model with one float32 input on
// onnxruntime-node's CPU execution provider and prints its outputs as JSON.
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// usage: onnx-reference.js MODEL.onnx INPUT_NAME INPUT.f32 D0,D1,...
// output: {"OUTPUT": {"dims": [...], "values": [...]}, ...}
'use strict';

const fs = require('fs');
const path = require('path');

const modules = process.env.OMNI_NODE_MODULES ||
  path.join(__dirname, '..', '..', 'tools', 'node', 'node_modules');
const ort = require(path.join(modules, 'onnxruntime-node'));

async function main () {
  const [model, name, input, dims] = process.argv.slice(2);
  if (!dims) {
    process.stderr.write('usage: onnx-reference.js MODEL.onnx INPUT_NAME INPUT.f32 D0,D1,...\n');
    process.exit(2);
  }
  const buf = fs.readFileSync(input);
  const x = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  const session = await ort.InferenceSession.create(model, { executionProviders: ['cpu'] });
  const out = await session.run({ [name]: new ort.Tensor('float32', x, dims.split(',').map(Number)) });
  const json = {};
  for (const k of Object.keys(out)) json[k] = { dims: out[k].dims, values: Array.from(out[k].data) };
  process.stdout.write(JSON.stringify(json) + '\n');
}

main().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
