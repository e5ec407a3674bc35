// Runs one of the bundle's analysis models (onnxruntime-node, the CLI's runtime) over a
// list of 256x256 grayscale PNGs and writes one raw output per image, for
// pack_latents.py: the segmenter's lung mask avg-pooled to 32x32 (uint8, fraction x 255)
// or the classifier's 4 logits and 256-d features (float32).
//   node training/data/onnx_outputs.mjs seg-pooled|cls-features MODEL.onnx LIST.txt OUT.bin
import fs from 'node:fs';
import { decode } from 'fast-png';
import * as ort from 'onnxruntime-node';

const [mode, model, list, out] = process.argv.slice(2);
if (!['seg-pooled', 'cls-features'].includes(mode) || !out) {
  console.error('usage: node training/data/onnx_outputs.mjs seg-pooled|cls-features MODEL.onnx LIST.txt OUT.bin');
  process.exit(2);
}
const files = fs.readFileSync(list, 'utf8').split('\n').filter(Boolean);
const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 2 });
const fd = fs.openSync(out, 'w');
const BATCH = 8;
for (let i = 0; i < files.length; i += BATCH) {
  const chunk = files.slice(i, i + BATCH);
  const input = new Float32Array(chunk.length * 65536);
  chunk.forEach((f, j) => {
    const png = decode(fs.readFileSync(f));
    if (png.width !== 256 || png.height !== 256 || png.channels !== 1) throw new Error(`${f}: not a 256x256 grayscale PNG`);
    for (let p = 0; p < 65536; p++) input[j * 65536 + p] = png.data[p] / 255;
  });
  const res = await session.run({ image: new ort.Tensor('float32', input, [chunk.length, 1, 256, 256]) });
  if (mode === 'cls-features') {
    // per image: 4 logits then 256 features, float32
    const row = new Float32Array(chunk.length * 260);
    for (let j = 0; j < chunk.length; j++) {
      row.set(res.logits.data.subarray(j * 4, j * 4 + 4), j * 260);
      row.set(res.features.data.subarray(j * 256, j * 256 + 256), j * 260 + 4);
    }
    fs.writeSync(fd, Buffer.from(row.buffer));
  } else {
    const logits = res.logits.data; // [n, 2, 256, 256]; channel 0 = lung (V7 convention)
    const pooled = new Uint8Array(chunk.length * 1024);
    for (let j = 0; j < chunk.length; j++) {
      for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) {
        let on = 0;
        for (let dy = 0; dy < 8; dy++) for (let dx = 0; dx < 8; dx++) {
          if (logits[j * 131072 + (y * 8 + dy) * 256 + x * 8 + dx] > 0) on++;
        }
        pooled[j * 1024 + y * 32 + x] = Math.round((on / 64) * 255);
      }
    }
    fs.writeSync(fd, pooled);
  }
  if ((i / BATCH) % 25 === 0) console.error(`${mode}: ${i + chunk.length}/${files.length}`);
}
fs.closeSync(fd);
