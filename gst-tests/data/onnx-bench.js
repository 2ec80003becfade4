#!/usr/bin/env node
// gst-omni benchmark helper: times an ONNX model with one float32 input on
// onnxruntime-node's CPU execution provider (one intra-op thread): one
// warm-up run, then RUNS timed runs; prints {"ms": [...]} on stdout.
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// usage: onnx-bench.js MODEL.onnx INPUT_NAME INPUT.f32 D0,D1,... RUNS
'use strict';

const fs = require('fs');
const path = require('path');

const modules = process.env.OMNI_NODE_MODULES ||
  path.join(__dirname, '..', '..', 'tools', 'node', 'node_modules');
const ort = require(path.join(modules, 'onnxruntime-node'));

async function main () {
  const [model, name, input, dims, runs] = process.argv.slice(2);
  if (!runs) {
    process.stderr.write('usage: onnx-bench.js MODEL.onnx INPUT_NAME INPUT.f32 D0,D1,... RUNS\n');
    process.exit(2);
  }
  const buf = fs.readFileSync(input);
  const x = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1
  });
  const feeds = { [name]: new ort.Tensor('float32', x, dims.split(',').map(Number)) };
  await session.run(feeds);
  const ms = [];
  for (let i = 0; i < Number(runs); i++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  process.stdout.write(JSON.stringify({ ms }) + '\n');
}

main().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
