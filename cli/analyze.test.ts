import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeFiles } from './analyze.ts';
import { defaultBundleDir } from './bundle.ts';
import { cxr256 } from './testing/shared.ts';

const data = cxr256('shenzhen_tb_lungseg');
const stems = ['CHNCXR_0304_0', 'CHNCXR_0580_1', 'CHNCXR_0043_0']; // test split
const bundlePresent = (() => {
  try {
    return existsSync(join(defaultBundleDir(), 'manifest.json'));
  } catch {
    return false;
  }
})();
const skipReason = !existsSync(data) ? `skipped: ${data} is absent` : !bundlePresent ? 'skipped: no staged bundle (run node scripts/stage-reference.mjs)' : '';

describe('cli analyze on onnxruntime-node', () => {
  it.skipIf(Boolean(skipReason))(`segments and classifies real Shenzhen test images ${skipReason}`, async () => {
    const files = [...stems.map((s) => join(data, 'images', `${s}.png`)), resolve(import.meta.dirname, '../package.json')];
    const report = await analyzeFiles(files, { masks: join(data, 'masks') });
    expect(report.images).toHaveLength(4);
    for (const image of report.images.slice(0, 3)) {
      expect(image.error).toBeUndefined();
      const probabilities = Object.values(image.probabilities ?? {});
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const lung = Object.values(image.mask_area ?? {})[0];
      // adult lungs cover roughly 15-40% of these square-padded frames
      expect(lung.fraction).toBeGreaterThan(0.15);
      expect(lung.fraction).toBeLessThan(0.45);
      expect(image.dice).toBeGreaterThan(0.85);
    }
    expect(report.mean_dice).toBeGreaterThan(0.9);
    expect(report.images[3].error?.code).toBe('image-unsupported');
  });
});
