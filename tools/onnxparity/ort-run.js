#!/usr/bin/env node
// gst-omni tool: runs an ONNX model on onnxruntime-node's CPU execution
// provider with float32 inputs from files and writes every output as raw
// float32 (tools/onnxparity/parity.py).
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// usage: ort-run.js MODEL.onnx OUTDIR [--opt disabled|basic|extended|all]
//            NAME=D0,D1,...:FILE.f32 ...
'use strict';

const fs = require('fs');
const path = require('path');

const modules = process.env.OMNI_NODE_MODULES ||
  path.join(__dirname, '..', 'node', 'node_modules');
const ort = require(path.join(modules, 'onnxruntime-node'));

async function main () {
  const args = process.argv.slice(2);
  const [model, outdir] = args;
  let opt = 'all';
  const feeds = {};
  for (let i = 2; i < args.length; i++) {
    if (args[i] === '--opt') { opt = args[++i]; continue; }
    const [name, rest] = args[i].split('=');
    const [dims, file] = rest.split(':');
    const buf = fs.readFileSync(file);
    const x = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
    feeds[name] = new ort.Tensor('float32', x, dims.split(',').map(Number));
  }
  const session = await ort.InferenceSession.create(model,
    { executionProviders: ['cpu'], graphOptimizationLevel: opt });
  const out = await session.run(feeds);
  for (const k of Object.keys(out)) {
    const d = out[k].data;
    fs.writeFileSync(path.join(outdir, k + '.f32'), Buffer.from(d.buffer, d.byteOffset, d.byteLength));
    fs.writeFileSync(path.join(outdir, k + '.dims'), out[k].dims.join(',') + '\n');
  }
}

main().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
