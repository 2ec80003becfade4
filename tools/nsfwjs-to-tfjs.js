#!/usr/bin/env node
// gst-omni: converts a model bundled in the nsfwjs npm package into a plain
// TF.js layers model (model.json + binary weight shards).
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// nsfwjs 4.x ships each model as UMD JavaScript modules so that bundlers can
// inline them: dist/models/<name>/model.min.js exports the model.json object
// ({modelTopology, weightsManifest}) and group1-shardXofN.min.js exports the
// shard's bytes as one base64 string (see nsfwjs dist/cjs/core.js,
// JSONHandler.arrayBufferFromBase64). This script loads those modules,
// decodes the shards to <path>.bin, points the manifest at them and checks
// that the shard bytes add up to what the manifest describes.
//
// usage: nsfwjs-to-tfjs.js SRC_DIR OUT_DIR
'use strict';

const fs = require('fs');
const path = require('path');

const BYTES = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2, bool: 1 };

function die (msg) {
  process.stderr.write(`nsfwjs-to-tfjs: ${msg}\n`);
  process.exit(1);
}

function main () {
  if (process.argv.length !== 4) die('usage: nsfwjs-to-tfjs.js SRC_DIR OUT_DIR');
  const src = path.resolve(process.argv[2]);
  const out = path.resolve(process.argv[3]);

  const model = require(path.join(src, 'model.min.js'));
  if (!model || typeof model !== 'object' || !model.modelTopology || !Array.isArray(model.weightsManifest)) {
    die(`${src}/model.min.js does not export a TF.js model.json object`);
  }
  fs.mkdirSync(out, { recursive: true });

  let expected = 0;
  let written = 0;
  const manifest = model.weightsManifest.map((group) => {
    for (const w of group.weights) {
      const dtype = w.quantization ? w.quantization.dtype : w.dtype;
      if (!(dtype in BYTES)) die(`weight ${w.name}: unknown dtype ${dtype}`);
      expected += w.shape.reduce((a, b) => a * b, 1) * BYTES[dtype];
    }
    const paths = group.paths.map((p) => {
      const b64 = require(path.join(src, `${p}.min.js`));
      if (typeof b64 !== 'string') die(`${p}.min.js does not export a base64 string`);
      const bytes = Buffer.from(b64, 'base64');
      const name = `${p}.bin`;
      fs.writeFileSync(path.join(out, name), bytes);
      written += bytes.length;
      return name;
    });
    return { paths, weights: group.weights };
  });
  if (written !== expected) {
    die(`shards hold ${written} bytes but the manifest describes ${expected}`);
  }

  const json = {
    format: 'layers-model',
    generatedBy: model.generatedBy || `keras v${model.modelTopology.keras_version || '?'}`,
    convertedBy: 'gst-omni tools/nsfwjs-to-tfjs.js',
    modelTopology: model.modelTopology,
    weightsManifest: manifest,
    // Pre-processing nsfwjs applies before the model (dist/cjs/core.js,
    // NSFWJS.prototype.infer): RGB / 255, then tf.image.resizeBilinear with
    // alignCorners = true when the image is not already 224x224.
    userDefinedMetadata: {
      omni: { inputScale: 1 / 255, inputOffset: 0, alignCorners: true },
    },
  };
  fs.writeFileSync(path.join(out, 'model.json'), JSON.stringify(json));
}

main();
