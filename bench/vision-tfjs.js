#!/usr/bin/env node
// gst-omni bench/vision peer: nsfwjs itself (its bundled MobileNetV2 and its
// own infer()) on TensorFlow.js, timed per inference on a 224x224 RGB input.
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// usage: vision-tfjs.js BACKEND ITERATIONS FILE.rgb
//   BACKEND: wasm (@tensorflow/tfjs-backend-wasm, XNNPACK) or cpu
// prints one JSON object: {backend, iterations, mean_ms, median_ms, min_ms,
//   probabilities, times}
// With ITERATIONS = 0 it serves rounds instead, so that a caller can
// interleave them with its own: after loading it prints {"ready": ...}, then
// for each line N read on stdin runs N timed inferences and prints
// {"times": [...], "probabilities": [...]}; it exits at end of input.
'use strict';

const fs = require('fs');
const path = require('path');

console.log = console.info = console.warn = (...a) => process.stderr.write(a.join(' ') + '\n');

const modules = process.env.OMNI_NODE_MODULES ||
  path.join(__dirname, '..', 'tools', 'node', 'node_modules');
const tf = require(path.join(modules, '@tensorflow', 'tfjs'));
const nsfwjs = require(path.join(modules, 'nsfwjs'));

async function main () {
  const [backend, iterArg, file] = process.argv.slice(2);
  const iterations = parseInt(iterArg, 10);
  if (!backend || !(iterations >= 0) || !file) {
    process.stderr.write('usage: vision-tfjs.js wasm|cpu ITERATIONS FILE.rgb\n');
    process.exit(2);
  }
  if (backend === 'wasm') {
    const wasm = require(path.join(modules, '@tensorflow', 'tfjs-backend-wasm'));
    wasm.setWasmPaths(path.join(modules, '@tensorflow', 'tfjs-backend-wasm', 'dist') + path.sep);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`backend ${backend} unavailable`);
  await tf.ready();

  const model = await nsfwjs.load('MobileNetV2', { size: 224 });
  const bytes = fs.readFileSync(file);
  const img = tf.tensor3d(new Int32Array(bytes), [224, 224, 3], 'int32');
  let probs;

  async function round (n) {
    const times = [];
    for (let i = 0; i < n; i++) {
      const t0 = process.hrtime.bigint();
      const p = model.infer(img);
      probs = Array.from(await p.data());
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
      p.dispose();
    }
    return times;
  }

  // warm-up (nsfwjs.load already ran one prediction on zeros)
  await round(2);
  if (iterations === 0) {
    process.stdout.write(JSON.stringify({ ready: tf.getBackend() }) + '\n');
    const rl = require('readline').createInterface({ input: process.stdin });
    for await (const line of rl) {
      const times = await round(parseInt(line, 10) || 1);
      process.stdout.write(JSON.stringify({ times, probabilities: probs }) + '\n');
    }
    img.dispose();
    return;
  }
  const times = await round(iterations);
  img.dispose();
  const sorted = times.slice().sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  process.stdout.write(JSON.stringify({
    backend: tf.getBackend(),
    iterations,
    mean_ms: mean,
    median_ms: sorted[Math.floor(sorted.length / 2)],
    min_ms: sorted[0],
    probabilities: probs,
    times,
  }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`vision-tfjs: ${e.stack || e}\n`);
  process.exit(1);
});
