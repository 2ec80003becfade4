#!/usr/bin/env node
// gst-omni test helper: the reference DB post-processing of PaddleOCR's text
// detector, as @gutenye/ocr-common implements it (OpenCV's findContours and
// minAreaRect through @techstark/opencv-js, the unclip through js-clipper),
// run on a probability map given as raw float32.
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// usage: ocrdb-reference.mjs MAP.f32 WIDTH HEIGHT THRESH SRC_WIDTH SRC_HEIGHT
// output: {"boxes": [[[x,y],[x,y],[x,y],[x,y]], ...]} in the source's pixels
//
// The map is binarised at THRESH (> THRESH is text) as @gutenye/ocr-common's
// Detection does, then handed to its splitIntoLineImages, unchanged.
import fs from 'fs';
import path from 'path';
import { createRequire } from 'module';
import { fileURLToPath, pathToFileURL } from 'url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = process.env.OMNI_NODE_MODULES ||
  path.join(here, '..', '..', 'tools', 'node', 'node_modules');
const load = (p) => import(pathToFileURL(path.join(modules, p)).href);

async function main () {
  const [mapPath, w, h, thresh, sw, sh] = process.argv.slice(2);
  if (!sh) {
    process.stderr.write('usage: ocrdb-reference.mjs MAP.f32 W H THRESH SRC_W SRC_H\n');
    process.exit(2);
  }
  const require = createRequire(path.join(modules, 'x.js'));
  let cv = require('@techstark/opencv-js');
  if (cv instanceof Promise) cv = await cv;
  else if (!cv.Mat) await new Promise((resolve) => { cv.onRuntimeInitialized = resolve; });
  const common = await load('@gutenye/ocr-common/build/index.js');
  const split = await load('@gutenye/ocr-common/build/backend/splitIntoLineImages.js');
  class ImageRaw extends common.ImageRawBase {}
  common.registerBackend({ ImageRaw });

  const width = Number(w), height = Number(h), t = Number(thresh);
  const buf = fs.readFileSync(mapPath);
  const map = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
  if (map.length !== width * height) throw new Error(`map has ${map.length} values, not ${width}x${height}`);
  const data = new Uint8Array(width * height * 4);
  for (let i = 0; i < map.length; i++) {
    const v = map[i] > t ? 255 : 0;
    data[i * 4] = v; data[i * 4 + 1] = v; data[i * 4 + 2] = v; data[i * 4 + 3] = 255;
  }
  const image = new ImageRaw({ data, width, height });
  const srcW = Number(sw), srcH = Number(sh);
  const source = new ImageRaw({ data: new Uint8Array(srcW * srcH * 4).fill(128), width: srcW, height: srcH });
  const lines = await split.splitIntoLineImages(image, source);
  process.stdout.write(JSON.stringify({ boxes: lines.map((l) => l.box) }) + '\n');
}

main().catch((e) => { process.stderr.write(String(e.stack || e) + '\n'); process.exit(1); });
