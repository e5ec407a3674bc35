import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateFiles } from '../../cli/generate.ts';
import { defaultBundleDir } from '../../cli/bundle.ts';
import { SHARED } from '../../cli/testing/shared.ts';
import { datasetZip, type ExportItem } from '../../src/core/curation/datasetExport.ts';
import { DEFAULT_VARIANT_RANGES, randomVariants } from '../../src/core/mask/variants.ts';
import { transformMask } from '../../src/core/mask/transform.ts';

/**
 * training/experiments/synthetic_gain.py (issue 22): its mask variants against the app's, and its
 * --smoke preset end to end (pack from ../shared, pool from the real bundle and judges,
 * every grid cell trained and scored, report), with a Curate dataset export as --reviews.
 */
const ROOT = resolve(import.meta.dirname, '../..');
// The smoke needs torch and onnx (bundle_weights.py), PIL and scipy: Debian's packages, which
// .ci/run installs. The judges run on Python's onnxruntime where there is one (the README's venv,
// /work/venv-ort, comes first), else on onnxruntime-node (training/export/onnx_node.py), so a fresh
// CI machine runs this test instead of skipping it.
const CANDIDATES = [process.env.CXR_TRAINING_PYTHON, '/work/venv-ort/bin/python', '/usr/bin/python3'].filter((p): p is string => Boolean(p));
const imports = (python: string, modules: string) => existsSync(python) && spawnSync(python, ['-c', `import ${modules}`]).status === 0;
const TRAINING_PYTHON = CANDIDATES.find((p) => imports(p, 'torch, onnx, PIL, scipy'));
const NUMPY_PYTHON = CANDIDATES.find((p) => imports(p, 'numpy'));
const skipSmoke = !existsSync(join(SHARED, 'data/cxr256'))
  ? `skipped: ${join(SHARED, 'data/cxr256')} is absent`
  : !existsSync(join(SHARED, 'models/reference-v0/classifier.onnx'))
    ? `skipped: ${join(SHARED, 'models/reference-v0')} is absent`
    : !TRAINING_PYTHON
      ? `skipped: no python with torch, onnx, PIL and scipy among ${CANDIDATES.join(', ')} (set CXR_TRAINING_PYTHON; training/README.md "Set-up")`
      : '';
const work = mkdtempSync(join(tmpdir(), 'cxr-synthetic-gain-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('synthetic_variants.py mirrors the app mask variants', () => {
  it.skipIf(!NUMPY_PYTHON)(`same transforms and the same warped masks as variants.ts + transform.ts ${NUMPY_PYTHON ? '' : 'skipped: no python with numpy'}`, () => {
    const side = 256;
    const mask = new Uint8Array(side * side);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        const left = ((x - 90) / 40) ** 2 + ((y - 128) / 80) ** 2 < 1;
        const right = ((x - 170) / 35) ** 2 + ((y - 130) / 75) ** 2 < 1;
        mask[y * side + x] = left || right ? 1 : 0;
      }
    }
    const seeds = [1, 12345, 4000000000];
    const code = `
import json, sys
import numpy as np
sys.path.insert(0, ${JSON.stringify(ROOT)})
from training.experiments.synthetic_variants import random_variants, transform_mask
mask = np.frombuffer(open(sys.argv[1], 'rb').read(), np.uint8).reshape(256, 256)
out = []
for seed in ${JSON.stringify(seeds)}:
    for t in random_variants(3, seed):
        out.append({'t': t, 'mask': transform_mask(mask, t).tobytes().hex()})
print(json.dumps(out))`;
    writeFileSync(join(work, 'mask.u8'), mask);
    const python = JSON.parse(execFileSync(NUMPY_PYTHON!, ['-c', code, join(work, 'mask.u8')], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    const ts = seeds.flatMap((seed) => randomVariants(DEFAULT_VARIANT_RANGES, 3, seed));
    expect(python).toHaveLength(ts.length);
    ts.forEach((t, i) => {
      const p = python[i];
      for (const k of ['rotateDeg', 'scaleX', 'scaleY', 'translateX', 'translateY', 'shearX', 'shearY'] as const) expect(p.t[k]).toBeCloseTo(t[k], 12);
      expect(p.t.elastic?.seed ?? null).toBe(t.elastic?.seed ?? null);
      const warped = transformMask(mask, side, t);
      const theirs = Buffer.from(p.mask, 'hex');
      let differ = 0;
      for (let j = 0; j < warped.length; j++) differ += warped[j] !== theirs[j] ? 1 : 0;
      expect(differ, `variant ${i}: pixels that differ`).toBe(0);
    });
  });
});

interface Cell { key: string; task: 'cls' | 'seg'; size: string; arm: string; seed: number; n_real: number; n_synthetic: number; probs?: number[][]; dice?: number[] }
interface Row { metric: number; ci: [number, number]; gain?: number; gain_ci?: [number, number]; auc?: Record<string, number>; seeds: number }

describe('synthetic_gain.py --smoke', () => {
  // ~1 min on an idle 2-core machine; several times that when the cores are shared.
  it.skipIf(Boolean(skipSmoke))(`runs every arm x size x seed cell and reports finite numbers ${skipSmoke}`, { timeout: 20 * 60_000 }, async () => {
    // A Curate dataset export as the page writes it: 3 generated images without a mask and one
    // with a Shenzhen train mask; all but the third accepted.
    const job = { prompt: 'chest x-ray, tuberculosis, adult', steps: 2, modelDir: defaultBundleDir(), threads: 2 };
    const generated = [
      ...(await generateFiles({ ...job, out: join(work, 'generated'), masks: [], seeds: [1, 2, 3] })),
      ...(await generateFiles({ ...job, out: join(work, 'generated-mask'), masks: [join(SHARED, 'data/cxr256/shenzhen_tb_lungseg/masks/CHNCXR_0001_0.png')], maskConvention: 'shenzhen', seeds: [4] })),
    ];
    const items: ExportItem[] = generated.map((g, i) => ({
      id: `img-${i}`, png: readFileSync(g.png), side: 256, mask: g.mask, provenance: g.provenance,
      proxy: { findingClass: 'tuberculosis', findingProbability: 0.5, maskChannel: g.mask ? 'lung_shenzhen' : null, maskDice: g.mask ? 0.9 : null, probabilities: { tuberculosis: 0.5 } },
      reviews: [{ imageId: `img-${i}`, reviewer: 'R', realism: 3, findingPresent: 'yes', artefacts: [], comment: '', decision: i === 2 ? 'reject' : 'accept', reviewedAt: '2026-12-04T10:00:00.000Z' }],
    }));
    const zip = join(work, 'curated.zip');
    writeFileSync(zip, datasetZip(items));
    const out = join(work, 'smoke');
    execFileSync(TRAINING_PYTHON!, ['-m', 'training.experiments.synthetic_gain', '--smoke', '--out', out, '--reviews', zip], { cwd: ROOT, stdio: 'pipe', env: { ...process.env, CXR_SHARED: SHARED } });

    const result = JSON.parse(readFileSync(join(out, 'synthetic_gain.json'), 'utf8'));
    const { header, cells, summary } = result as { header: { config: { sizes: string[]; seeds: number }; test: { cls_labels: number[]; seg_n: number; sources: string[] } }; cells: Cell[]; summary: Record<string, Record<string, Record<string, Row>>> };
    expect(header.test.sources).toEqual(['hannover', 'jsrt', 'tbx11k']);
    const arms = {
      cls: ['real', 'real+synthetic', 'real+filtered', 'real+judge-filtered', 'pretrain-synthetic', 'real+reviewed'],
      seg: ['real', 'real+synthetic', 'real+filtered', 'real+judge-filtered', 'real+filtered+variants', 'pretrain-synthetic', 'real+reviewed'],
    };
    const sizes = { cls: header.config.sizes, seg: header.config.sizes.filter((s) => s !== 'rare') };
    const seeds = Array.from({ length: header.config.seeds }, (_, i) => i);
    expect(seeds.length).toBeGreaterThanOrEqual(3);
    const expected = (['cls', 'seg'] as const).flatMap((task) => sizes[task].flatMap((size) => arms[task].flatMap((arm) => seeds.map((seed) => `${task}/${size}/${arm}/seed${seed}`))));
    expect(cells.map((c) => c.key).sort()).toEqual([...expected].sort());
    const nTest = header.test.cls_labels.length;
    for (const c of cells) {
      if (c.task === 'cls') {
        expect(c.probs, c.key).toHaveLength(nTest);
        for (const p of c.probs!) {
          expect(p.every(Number.isFinite), c.key).toBe(true);
          expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
        }
      } else {
        expect(c.dice, c.key).toHaveLength(header.test.seg_n);
        expect(c.dice!.every((d) => d >= 0 && d <= 1), c.key).toBe(true);
      }
      // Filtered arms may keep none of the smoke's 2-step images; these two always add some.
      if (c.arm === 'real') expect(c.n_synthetic, c.key).toBe(0);
      if (c.arm === 'real+synthetic') expect(c.n_synthetic, c.key).toBeGreaterThan(0);
    }
    // The reviewed arm adds exactly the accepted images: 3 with a finding, 1 with a mask.
    expect(cells.find((c) => c.key === 'cls/10/real+reviewed/seed0')!.n_synthetic).toBe(3);
    expect(cells.find((c) => c.key === 'seg/10/real+reviewed/seed0')!.n_synthetic).toBe(1);
    for (const task of ['cls', 'seg'] as const) {
      for (const size of sizes[task]) {
        for (const arm of arms[task]) {
          const row = summary[task][size][arm];
          expect([row.metric, ...row.ci].every(Number.isFinite), `${task}/${size}/${arm}`).toBe(true);
          expect(row.seeds).toBe(seeds.length);
          if (arm !== 'real') expect([row.gain!, ...row.gain_ci!].every(Number.isFinite), `${task}/${size}/${arm} gain`).toBe(true);
          if (task === 'cls') expect(Object.keys(row.auc!).sort()).toEqual(['covid19', 'normal', 'tuberculosis']);
        }
      }
    }
    const table = readFileSync(join(out, 'synthetic_gain.md'), 'utf8');
    expect(table).toContain('| 10% | real+filtered |');
    expect(existsSync(join(out, 'synthetic_gain.png'))).toBe(true);
  });
});
