import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeRunner } from '../../../cli/nodeRunner.ts';
import { codeOf } from '../testing/codeOf.ts';
import { decodeImage } from '../image/decode.ts';
import type { ModelSpec } from '../manifest/types.ts';
import { validateBundleIndex, validateManifest } from '../manifest/validate.ts';
import { analyzeImage, type AnalyzeStage } from './analyze.ts';
import { cxr256 } from '../../../cli/testing/shared.ts';

const models = resolve(import.meta.dirname, '../../../public/models');
const image = cxr256('shenzhen_tb_lungseg/images/CHNCXR_0304_0.png');
const bundle = existsSync(join(models, 'index.json')) ? join(models, validateBundleIndex(JSON.parse(readFileSync(join(models, 'index.json'), 'utf8')))[0]) : '';
const ready = existsSync(join(bundle, 'manifest.json')) && existsSync(image);

describe.skipIf(!ready)(`analyzeImage with real models ${ready ? '' : '(skipped: staged bundle or shared data absent)'}`, () => {
  it('runs stages in order on a non-square image and maps the mask back to its frame', async () => {
    const manifest = validateManifest(JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')));
    const spec = manifest.models.segmenter!;
    const runner = await createNodeRunner(join(bundle, spec.variants.fp32.file));
    const full = await decodeImage(readFileSync(image));
    // Crop 40 columns off each side: a portrait image that must be padded, then cropped back.
    const width = full.width - 80;
    const values = new Float32Array(width * full.height);
    for (let y = 0; y < full.height; y++) values.set(full.values.subarray(y * full.width + 40, y * full.width + 40 + width), y * width);
    const stages: AnalyzeStage[] = [];
    const result = await analyzeImage({ ...full, width, values }, { segmenter: { spec, runner } }, { onStage: (s) => stages.push(s) });
    expect(stages).toEqual(['preprocess', 'segment', 'done']);
    const channel = result.segmentation!.channels[0];
    expect(channel.mask.length).toBe(width * full.height);
    expect(channel.area.fraction).toBeGreaterThan(0.15);
    await runner.release();
  });

  it('fails before running when the manifest disagrees with the model, and stops when aborted', async () => {
    const manifest = validateManifest(JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8')));
    const spec = manifest.models.segmenter!;
    const runner = await createNodeRunner(join(bundle, spec.variants.fp32.file));
    const img = await decodeImage(readFileSync(image));
    const count = spec.channels!.length;
    const wrongChannels: ModelSpec = { ...spec, channels: [...spec.channels!, { name: 'extra' }], outputs: [{ ...spec.outputs[0], shape: ['batch', count + 1, 'h', 'w'] }] };
    expect(await codeOf(analyzeImage(img, { segmenter: { spec: wrongChannels, runner } }))).toMatch(/^model-io-mismatch: segmenter output "\w+": expected shape \[batch, \d+, h, w\], received \[1, \d+, \d+, \d+\]$/);
    const wrongSize: ModelSpec = { ...spec, preprocess: { ...spec.preprocess!, size: 128 } };
    expect(await codeOf(analyzeImage(img, { segmenter: { spec: wrongSize, runner } }))).toMatch(/^manifest-invalid: segmenter input "\w+": expected float32, float16 or uint8 \[batch, 1, 128, 128\] from preprocess/);
    const controller = new AbortController();
    controller.abort();
    expect(await codeOf(analyzeImage(img, { segmenter: { spec, runner } }, { signal: controller.signal }))).toBe('aborted: analysis was cancelled');
    await runner.release();
  });
});
