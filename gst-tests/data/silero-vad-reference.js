#!/usr/bin/env node
// gst-omni test helper: runs Silero VAD (ONNX) on onnxruntime-node's CPU
// execution provider over a 16 kHz float32 signal, the way @ricky0123/vad-web
// drives it (dist/models/silero.js): 512 new samples per call after the
// previous call's last 64 (zeros at first), the [2, 1, 128] state carried
// from stateN to state, sr = 16000. Prints the raw outputs as JSON on
// stdout, for the parity test of the ONNX loader (gst-tests/libs/onnxvad.c)
// and the speed comparison (bench/vad.c).
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// usage: silero-vad-reference.js MODEL.onnx INPUT.f32 [--time]
//   INPUT.f32: little-endian float32 samples, 16 kHz mono (frames past the
//   last whole 512 are ignored).
// output: {"frames": N, "probabilities": [...], "state": [...final 256...],
//          "seconds": wall time of the calls}
'use strict';

const fs = require('fs');
const path = require('path');

const modules = process.env.OMNI_NODE_MODULES ||
  path.join(__dirname, '..', '..', 'tools', 'node', 'node_modules');
const ort = require(path.join(modules, 'onnxruntime-node'));

const FRAME = 512;
const CONTEXT = 64;

async function main () {
  const [model, input] = process.argv.slice(2);
  if (!input) {
    process.stderr.write('usage: silero-vad-reference.js MODEL.onnx INPUT.f32 [--time]\n');
    process.exit(2);
  }
  const buf = fs.readFileSync(input);
  const x = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  const session = await ort.InferenceSession.create(model, {
    executionProviders: ['cpu'], intraOpNumThreads: 1, interOpNumThreads: 1
  });
  const sr = new ort.Tensor('int64', [16000n]);
  let state = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  let context = new Float32Array(CONTEXT);
  const n = Math.floor(x.length / FRAME);
  const probabilities = [];
  const t0 = process.hrtime.bigint();
  for (let f = 0; f < n; f++) {
    const frame = x.subarray(f * FRAME, (f + 1) * FRAME);
    const withContext = new Float32Array(CONTEXT + FRAME);
    withContext.set(context, 0);
    withContext.set(frame, CONTEXT);
    context = frame.slice(-CONTEXT);
    const out = await session.run({
      input: new ort.Tensor('float32', withContext, [1, CONTEXT + FRAME]),
      state,
      sr
    });
    state = out.stateN;
    probabilities.push(out.output.data[0]);
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({
    frames: n, probabilities, state: Array.from(state.data), seconds
  }) + '\n');
}

main().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
