#!/usr/bin/env node
// gst-omni test helper: runs nsfwjs itself (its own bundled MobileNetV2 and
// its own pre-processing code, on @tensorflow/tfjs's CPU backend) on raw
// 224x224 RGB images and prints, as JSON on stdout, the class probabilities
// and the 1280-d embedding (the output of the model's global average pool).
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// usage: nsfwjs-reference.js [--embedding] FILE.rgb...
//   each FILE holds 224 * 224 * 3 bytes, row-major RGB.
// output: [{"file": ..., "probabilities": [5], "classes": [{className,
//   probability}...] (nsfwjs.classify's ranking), "embedding": [1280]}]
//
// The Node.js packages come from tools/node (tools/omni-fetch-models
// installs them from its package-lock.json); OMNI_NODE_MODULES overrides.
'use strict';

const fs = require('fs');
const path = require('path');

// TF.js greets on console.log; keep stdout for the JSON.
console.log = console.info = console.warn = (...a) => process.stderr.write(a.join(' ') + '\n');

const modules = process.env.OMNI_NODE_MODULES ||
  path.join(__dirname, '..', '..', 'tools', 'node', 'node_modules');
const tf = require(path.join(modules, '@tensorflow', 'tfjs'));
const nsfwjs = require(path.join(modules, 'nsfwjs'));

const SIZE = 224;

async function main () {
  const args = process.argv.slice(2);
  const withEmbedding = args.includes('--embedding');
  const files = args.filter((a) => a !== '--embedding');
  if (files.length === 0) {
    process.stderr.write('usage: nsfwjs-reference.js [--embedding] FILE.rgb...\n');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  await tf.ready();
  const model = await nsfwjs.load('MobileNetV2', { size: SIZE });
  // nsfwjs' infer() takes an endpoint (layer name) for intermediate outputs;
  // the embedding is the global average pool's.
  const pool = model.model.layers.filter((l) => /AveragePooling2D$/.test(l.getClassName())).pop();

  const results = [];
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    if (bytes.length !== SIZE * SIZE * 3) {
      throw new Error(`${file}: ${bytes.length} bytes, expected ${SIZE * SIZE * 3}`);
    }
    const img = tf.tensor3d(new Int32Array(bytes), [SIZE, SIZE, 3], 'int32');
    const probs = model.infer(img);
    const r = {
      file,
      probabilities: Array.from(await probs.data()),
      classes: await model.classify(img, 5),
    };
    probs.dispose();
    if (withEmbedding) {
      const e = model.infer(img, pool.name);
      r.embedding = Array.from(await e.data());
      e.dispose();
    }
    img.dispose();
    results.push(r);
  }
  process.stdout.write(JSON.stringify(results) + '\n');
}

main().catch((e) => {
  process.stderr.write(`nsfwjs-reference: ${e.stack || e}\n`);
  process.exit(1);
});
