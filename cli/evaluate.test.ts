import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { zipSync } from 'fflate';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { encodeDicom } from '../src/core/image/fixtures/encodeDicom.ts';
import { addCompressedCopies } from '../src/core/image/fixtures/compressDicom.ts';
import { defaultBundleDir } from './bundle.ts';
import { analyzeFiles } from './analyze.ts';
import { evaluateFiles, run, type EvaluateOptions } from './evaluate.ts';
import { IEEE_MULTI_LABEL_MAP } from './testing/labelMaps.ts';
import { cxr256 } from './testing/shared.ts';

const DATA = cxr256();
const PYTHON = '/usr/bin/python3';
const TOLERANCE = 1e-6;
const bundlePresent = (() => {
  try {
    return existsSync(join(defaultBundleDir(), 'manifest.json'));
  } catch {
    return false;
  }
})();
const skipReason = !existsSync(DATA)
  ? `skipped: ${DATA} is absent`
  : !bundlePresent
    ? 'skipped: no model bundle in public/models'
    : !existsSync(PYTHON)
      ? `skipped: ${PYTHON} (with scikit-learn) is absent`
      : '';
const work = mkdtempSync(join(tmpdir(), 'cxr-evaluate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Run the CLI's evaluation, save its per-image predictions, and recompute everything in Python. */
async function evaluateAndReference(name: string, opts: EvaluateOptions, truthMasks?: string) {
  const predictionsPath = join(work, `${name}.json`);
  const maskDir = join(work, `${name}-masks`);
  const { summary, cases } = await evaluateFiles({ ...opts, saveMasks: truthMasks ? maskDir : undefined, threads: 2 });
  writeFileSync(predictionsPath, JSON.stringify({ classes: summary.classification?.classes ?? summary.multiLabel?.classes ?? [], settings: summary.settings, cases }));
  const args = ['-m', 'training.evaluate.reference_evaluation', predictionsPath, ...(truthMasks ? [maskDir, truthMasks] : [])];
  const reference = JSON.parse(execFileSync(PYTHON, args, { cwd: resolve(import.meta.dirname, '..'), encoding: 'utf8', maxBuffer: 1 << 26 }));
  return { summary, reference };
}

function expectNear(actual: number | null | undefined, expected: number, what: string) {
  expect(typeof actual, what).toBe('number');
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(TOLERANCE);
}

function expectInterval(actual: { estimate: number; low: number; high: number } | null | undefined, expected: { estimate: number; low: number; high: number }, what: string) {
  expectNear(actual?.estimate, expected.estimate, `${what} estimate`);
  expectNear(actual?.low, expected.low, `${what} low`);
  expectNear(actual?.high, expected.high, `${what} high`);
}

const bootstrap = { iterations: 200, seed: 3, level: 0.95 };

describe('cli evaluate equals a scikit-learn reference on the same predictions (1e-6)', () => {
  it.skipIf(Boolean(skipReason))(`segmenter on the shenzhen test split, channel lung_shenzhen ${skipReason}`, async () => {
    const set = join(DATA, 'shenzhen_tb_lungseg');
    const { summary, reference } = await evaluateAndReference(
      'shenzhen',
      { images: join(set, 'images'), masks: join(set, 'masks'), labels: join(set, 'labels.csv'), split: 'test', channel: 'lung_shenzhen', task: 'segmentation', settings: { bootstrap, hd95: true } },
      join(set, 'masks'),
    );
    const s = summary.segmentation!;
    const r = reference.segmentation;
    expect(summary.dataset).toMatchObject({ name: 'shenzhen_tb_lungseg / test', images: 106, failed: 0, withMask: 94 });
    expect(s.n).toBe(r.n);
    expectNear(s.meanDice, r.mean_dice, 'mean Dice');
    expectNear(s.medianDice, r.median_dice, 'median Dice');
    expectNear(s.meanIou, r.mean_iou, 'mean IoU');
    expectInterval(s.ci.meanDice, r.ci.mean_dice, 'mean Dice CI');
    expect(s.hd95!.n).toBe(r.hd95.n);
    expectNear(s.hd95!.mean, r.hd95.mean, 'mean HD95');
    expectNear(s.hd95!.median, r.hd95.median, 'median HD95');
    expectInterval(s.ci.meanHd95, r.ci.mean_hd95, 'mean HD95 CI');
    expect(s.meanDice).toBeGreaterThan(0.9);
  });

  // the val split (190 images; test has 624): every metric is checked against scikit-learn the same way
  it.skipIf(Boolean(skipReason))(`classifier on the kermany val split ${skipReason}`, async () => {
    const set = join(DATA, 'kermany_pediatric_pneumonia');
    const { summary, reference } = await evaluateAndReference('kermany', { images: join(set, 'images'), labels: join(set, 'labels.csv'), split: 'val', settings: { bootstrap } });
    const c = summary.classification!;
    const r = reference.classification;
    expect(summary.dataset).toMatchObject({ images: 190, failed: 0, labelled: 190 });
    expect(c.confusion).toEqual(r.confusion);
    expectNear(c.accuracy, r.accuracy, 'accuracy');
    c.perClass.forEach((k, i) => {
      expectNear(k.precision, r.per_class.precision[i], `${k.class} precision`);
      expectNear(k.recall, r.per_class.recall[i], `${k.class} recall`);
      expectNear(k.f1, r.per_class.f1[i], `${k.class} F1`);
      expect(k.support).toBe(r.per_class.support[i]);
      if (r.auc[k.class]) {
        expectNear(k.auc, r.auc[k.class].auc, `${k.class} AUC`);
        expectNear(k.averagePrecision, r.auc[k.class].average_precision, `${k.class} AP`);
      }
    });
    for (const avg of ['macro', 'micro', 'weighted'] as const) {
      for (const m of ['precision', 'recall', 'f1'] as const) expectNear(c[avg][m], r[avg][m], `${avg} ${m}`);
    }
    expectNear(c.aucMacro, r.auc_macro, 'macro AUC');
    expectInterval(c.ci.accuracy, r.ci.accuracy, 'accuracy CI');
    expectInterval(c.ci.macroF1, r.ci.macro_f1, 'macro F1 CI');
    expectInterval(c.ci.aucMacro, r.ci.auc_macro, 'macro AUC CI');
    expect(c.averagedOver).toEqual(expect.arrayContaining(['normal', 'pneumonia']));
  }, 900_000);

  it.skipIf(Boolean(skipReason))(`multi-label: ieee8023 test split, "COVID-19, ARDS" cells, COVID-19 mapped to {covid19, pneumonia} ${skipReason}`, async () => {
    const set = join(DATA, 'ieee8023_covid_lungseg');
    const { summary, reference } = await evaluateAndReference('ieee-multi', {
      images: join(set, 'images'), labels: join(set, 'labels.csv'), split: 'test', task: 'classification',
      labelMap: IEEE_MULTI_LABEL_MAP, settings: { bootstrap, threshold: 0.3 },
    });
    const m = summary.multiLabel!;
    const r = reference.multi_label;
    expect(summary.settings.multiLabel).toBe(true);
    expect(summary.classification).toBeUndefined();
    // ARDS is not a class: listed, and those images are scored on their other labels
    expect(summary.issues.filter((i) => i.kind === 'label-unknown').map((i) => i.detail)).toContain(`label(s) "ARDS" not among the model's classes [normal, pneumonia, tuberculosis, covid19]; scored on the rest`);
    expect(m.n).toBe(r.n);
    expect(m.averagedOver).toEqual(r.averaged_over);
    m.perLabel.forEach((k, i) => {
      expectNear(k.precision, r.per_label.precision[i], `${k.class} precision`);
      expectNear(k.recall, r.per_label.recall[i], `${k.class} recall`);
      expectNear(k.f1, r.per_label.f1[i], `${k.class} F1`);
      expect(k.support).toBe(r.per_label.support[i]);
      if (r.auc[k.class] !== undefined) expectNear(k.auc, r.auc[k.class], `${k.class} AUC`);
      else expect(k.auc).toBeNull();
    });
    for (const avg of ['macro', 'micro', 'weighted', 'samples'] as const) {
      for (const key of ['precision', 'recall', 'f1'] as const) expectNear(m[avg][key], r[avg][key], `${avg} ${key}`);
    }
    expectNear(m.subsetAccuracy, r.subset_accuracy, 'exact-set accuracy');
    expectNear(m.aucMacro, r.auc_macro, 'macro AUC');
    expectInterval(m.ci.microF1, r.ci.micro_f1, 'micro F1 CI');
    expectInterval(m.ci.macroF1, r.ci.macro_f1, 'macro F1 CI');
    expectInterval(m.ci.samplesF1, r.ci.samples_f1, 'samples F1 CI');
    expectInterval(m.ci.subsetAccuracy, r.ci.subset_accuracy, 'exact-set accuracy CI');
    expectInterval(m.ci.aucMacro, r.ci.auc_macro, 'macro AUC CI');
    console.log(`ieee8023 test, multi-label at p >= 0.3 (n=${m.n}): micro F1 ${m.micro.f1.toFixed(4)}, macro F1 ${m.macro.f1.toFixed(4)}, samples F1 ${m.samples.f1.toFixed(4)}, AUC ${m.aucMacro?.toFixed(4)}`);
  });
});

describe('cli evaluate: each bad input gets a clear message and the run goes on', () => {
  it.skipIf(Boolean(skipReason))(`corrupt PNG, DICOM in an unsupported transfer syntax (and JPEG-LS / JPEG 2000 / HTJ2K ones that work), BOM+CRLF CSV, wrong-size mask, 6000x6000 image, ../ in a zip, no label column ${skipReason}`, async () => {
    const set = join(DATA, 'shenzhen_tb_lungseg');
    const good = ['CHNCXR_0304_0', 'CHNCXR_0580_1'];
    const files: Record<string, Uint8Array> = {};
    for (const stem of good) files[`images/${stem}.png`] = readFileSync(join(set, 'images', `${stem}.png`));
    for (const stem of good) files[`masks/${stem}.png`] = readFileSync(join(set, 'masks', `${stem}.png`));
    files['images/corrupt.png'] = files[`images/${good[0]}.png`].slice(0, 200);
    files['images/mpeg2.dcm'] = encodeDicom({ rows: 4, columns: 4, pixels: new Uint16Array(16), transferSyntax: '1.2.840.10008.1.2.4.100' });
    const compressed = await addCompressedCopies(files, [good[0], good[1]]);
    files['images/wrongmask.png'] = files[`images/${good[1]}.png`];
    files['masks/wrongmask.png'] = encodePng({ width: 100, height: 100, data: new Uint8Array(100 * 100), channels: 1, depth: 8 });
    // Under the decoder's 50-megapixel limit (src/core/image/limits.ts), above MAX_SIDE: downscaled on arrival.
    const huge = new Uint8Array(6000 * 6000);
    for (let y = 1500; y < 4500; y++) huge.fill(200, y * 6000 + 1100, y * 6000 + 4900);
    files['images/huge.png'] = encodePng({ width: 6000, height: 6000, data: huge, channels: 1, depth: 8 });
    const stems = [...good, ...compressed.map((c) => c.stem), 'corrupt', 'mpeg2', 'wrongmask', 'huge'];
    const csv = `\uFEFFfile;label\r\n${stems.map((s) => `${s}.png;${s.endsWith('_1') ? 'tuberculosis' : 'normal'}`).join('\r\n')}\r\n`;
    const labels = join(work, 'labels.csv');
    writeFileSync(labels, csv);

    const zipPath = join(work, 'bad', 'images.zip');
    const masksZip = join(work, 'bad', 'masks.zip');
    mkdirSync(dirname(zipPath), { recursive: true });
    const pick = (folder: string) => Object.fromEntries(Object.entries(files).filter(([name]) => name.startsWith(folder)));
    writeFileSync(zipPath, zipSync({ ...pick('images/'), '../escape.png': files[`images/${good[0]}.png`] }));
    writeFileSync(masksZip, zipSync(pick('masks/')));
    const before = readdirSync(work).sort();
    const { summary, cases } = await evaluateFiles({ images: zipPath, masks: masksZip, labels, channel: 'lung_shenzhen', threads: 2, settings: { bootstrap: { iterations: 50, seed: 0, level: 0.95 } } });
    expect(readdirSync(work).sort()).toEqual(before);
    expect(existsSync(join(work, 'escape.png'))).toBe(false);

    const byStem = Object.fromEntries(cases.map((c) => [c.stem, c]));
    expect(byStem.corrupt.error).toMatchObject({ code: 'image-decode-failed' });
    expect(byStem.mpeg2.error).toMatchObject({ code: 'dicom-unsupported' });
    expect(byStem.mpeg2.error!.detail).toContain('transfer syntax 1.2.840.10008.1.2.4.100 is not supported');
    // Lossless JPEG-LS and JPEG 2000 copies of the two PNGs score exactly as the PNGs.
    for (const c of compressed) expect(byStem[c.stem].dice, c.stem).toBe(byStem[c.of].dice);
    expect(byStem.wrongmask.maskError).toMatchObject({ code: 'mask-size-mismatch', detail: 'masks/wrongmask.png: mask is 100x100, its image is 256x256' });
    expect(byStem.huge).toMatchObject({ width: 2048, height: 2048, downscaledFrom: [6000, 6000] });
    expect(byStem.huge.error).toBeUndefined();
    expect(summary.issues).toContainEqual({ file: '../escape.png', kind: 'archive-unsafe', detail: 'path leaves the archive (contains "..")' });
    for (const stem of good) expect(byStem[stem].dice).toBeGreaterThan(0.85);
    expect(summary.classification?.n).toBe(7);
    expect(summary.segmentation?.n).toBe(5);
    expect(summary.failures.map((f) => f.code).sort()).toEqual(['dicom-unsupported', 'image-decode-failed', 'mask-size-mismatch']);

    const noLabel = join(work, 'nolabel.csv');
    writeFileSync(noLabel, 'file,patient\r\nCHNCXR_0304_0.png,p1\r\n');
    await expect(evaluateFiles({ images: zipPath, labels: noLabel, task: 'classification' })).rejects.toThrow(/no label column: expected one of \[label, .*\] or a chosen column; the CSV has \[file, patient\]/);
    const segOnly = await evaluateFiles({ images: zipPath, masks: masksZip, labels: noLabel, channel: 'lung_shenzhen', threads: 2, settings: { bootstrap: { iterations: 10, seed: 0, level: 0.95 } } });
    expect(segOnly.summary.segmentation?.n).toBe(5);
  });
});

describe('cli evaluate: per-case reads, exit codes, label conflicts and checked flags (issue 20)', () => {
  const set = join(DATA, 'shenzhen_tb_lungseg');
  const good = ['CHNCXR_0304_0', 'CHNCXR_0580_1', 'CHNCXR_0001_0'];
  const quiet = { threads: 2, settings: { bootstrap: { iterations: 20, seed: 0, level: 0.95 } } };

  it.skipIf(Boolean(skipReason))(`a zip with one corrupt entry and a CSV whose mask names a missing file: one failed case each, the rest scored ${skipReason}`, async () => {
    const entries: Record<string, Uint8Array> = {};
    for (const stem of good) entries[`${stem}.png`] = readFileSync(join(set, 'images', `${stem}.png`));
    const zip = zipSync(entries, { level: 6 });
    // Damage the last entry's deflate stream (its first byte after the local header), so only it fails to inflate.
    const name = `${good[2]}.png`;
    const at = Buffer.from(zip).indexOf(Buffer.from(name)) + name.length;
    zip.fill(0xff, at, at + 16);
    const dir = join(work, 'corrupt-entry');
    mkdirSync(join(dir, 'masks'), { recursive: true });
    writeFileSync(join(dir, 'images.zip'), zip);
    for (const stem of good.slice(0, 2)) writeFileSync(join(dir, 'masks', `${stem}.png`), readFileSync(join(set, 'masks', `${stem}.png`)));
    writeFileSync(join(dir, 'labels.csv'), `file,label,mask\n${good[0]}.png,normal,${good[0]}.png\n${good[1]}.png,tuberculosis,gone.png\n${good[2]}.png,normal,\n`);

    const { summary, cases } = await evaluateFiles({ images: join(dir, 'images.zip'), masks: join(dir, 'masks'), labels: join(dir, 'labels.csv'), channel: 'lung_shenzhen', ...quiet });
    const byStem = Object.fromEntries(cases.map((c) => [c.stem, c]));
    expect(byStem[good[2]].error).toMatchObject({ code: 'file-unreadable' });
    expect(byStem[good[2]].error!.detail).toMatch(new RegExp(`^image ${good[2]}\\.png could not be read: ${good[2]}\\.png: could not be inflated`));
    expect(byStem[good[0]].dice).toBeGreaterThan(0.85);
    expect(byStem[good[1]].probabilities).toHaveLength(4);
    expect(summary.issues).toContainEqual({ file: `${good[1]}.png`, kind: 'no-mask', detail: 'the labels CSV names mask gone.png, which is not among the masks' });
    expect(summary.classification?.n).toBe(2);
    expect(summary.segmentation?.n).toBe(1);
  });

  it.skipIf(Boolean(skipReason))(`exits non-zero when nothing was scored: every image unreadable, an empty folder ${skipReason}`, async () => {
    const dir = join(work, 'all-bad');
    mkdirSync(join(dir, 'images'), { recursive: true });
    mkdirSync(join(dir, 'empty'), { recursive: true });
    writeFileSync(join(dir, 'images', 'a.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
    writeFileSync(join(dir, 'images', 'b.png'), new Uint8Array(0));
    writeFileSync(join(dir, 'labels.csv'), 'file,label\na.png,normal\nb.png,normal\n');
    const log = console.log;
    const error = console.error;
    console.log = () => {};
    console.error = () => {};
    try {
      expect(await run(['--images', join(dir, 'images'), '--labels', join(dir, 'labels.csv'), '--bootstrap', '10'])).toBe(1);
      await expect(run(['--images', join(dir, 'empty'), '--labels', join(dir, 'labels.csv')])).rejects.toThrow(/empty is an empty folder: no files to read/);
    } finally {
      console.log = log;
      console.error = error;
    }
  });

  it.skipIf(Boolean(skipReason))(`rejects non-numeric --bootstrap / --threshold before any work ${skipReason}`, async () => {
    await expect(run(['--images', join(set, 'images'), '--bootstrap', 'lots'])).rejects.toThrow('--bootstrap: expected an integer >= 0, received "lots"');
    await expect(run(['--images', join(set, 'images'), '--threshold', 'x'])).rejects.toThrow('--threshold: expected a number >= 0 and <= 1, received "x"');
    await expect(run(['--images', join(set, 'images'), '--threshold', '1.5'])).rejects.toMatchObject({ code: 'settings-invalid' });
  });

  it.skipIf(Boolean(skipReason))(`analyze --masks and evaluate --masks give the same Dice on a noisy gray mask (one ground-truth rule) ${skipReason}`, async () => {
    const { decode } = await import('fast-png');
    const dir = join(work, 'gray-mask');
    mkdirSync(join(dir, 'images'), { recursive: true });
    mkdirSync(join(dir, 'masks'), { recursive: true });
    for (const stem of good.slice(0, 2)) {
      writeFileSync(join(dir, 'images', `${stem}.png`), readFileSync(join(set, 'images', `${stem}.png`)));
      const mask = decode(readFileSync(join(set, 'masks', `${stem}.png`)));
      // Lung at 200, background a noise floor of 1..40: "> 0" would call the whole image lung.
      const gray = Uint8Array.from(mask.data as Uint8Array, (v, i) => (v > 127 ? 200 : 1 + ((i * 7919) % 40)));
      writeFileSync(join(dir, 'masks', `${stem}.png`), encodePng({ width: mask.width, height: mask.height, data: gray, channels: 1, depth: 8 }));
    }
    const analyzed = await analyzeFiles(good.slice(0, 2).map((s) => join(dir, 'images', `${s}.png`)), { masks: join(dir, 'masks'), channel: 'lung_shenzhen', threads: 2 });
    const { cases } = await evaluateFiles({ images: join(dir, 'images'), masks: join(dir, 'masks'), channel: 'lung_shenzhen', task: 'segmentation', ...quiet });
    for (const [i, stem] of good.slice(0, 2).entries()) {
      const evaluated = cases.find((c) => c.stem === stem)!;
      expect(analyzed.images[i].dice, stem).toBe(evaluated.dice);
      expect(evaluated.dice).toBeGreaterThan(0.85);
    }
  });
});

describe('cli evaluate: dataset shift against the bundle\'s shift.json (issue 17.6)', () => {
  const shiftFile = join(defaultBundleDir(), 'shift.json');
  const noShift = skipReason || (existsSync(shiftFile) ? '' : `skipped: ${shiftFile} is absent`);

  it.skipIf(Boolean(noShift))(`flags the same share of a never-seen source as training/export/shift_reference.py measured (onnxruntime in Python) ${noShift}`, async () => {
    const reference = JSON.parse(readFileSync(shiftFile, 'utf8'));
    const set = join(DATA, 'jsrt_lungseg');
    const { summary, cases } = await evaluateFiles({ images: join(set, 'images'), labels: join(set, 'labels.csv'), task: 'classification', threads: 2, settings: { bootstrap: { iterations: 10, seed: 0, level: 0.95 } } });
    const measured = reference.measured['all/jsrt_lungseg'];
    expect(summary.shift!.n).toBe(measured.n);
    // the same model and features in two runtimes: at most one image may sit on the other side of the threshold
    expect(Math.abs(summary.shift!.flagged - measured.flagged * measured.n)).toBeLessThanOrEqual(1);
    expect(Math.abs(summary.shift!.medianScore - measured.median_score)).toBeLessThan(1e-3);
    expect(cases.every((c) => typeof c.shift === 'number')).toBe(true);
    console.log(`jsrt_lungseg: ${summary.shift!.flagged} of ${summary.shift!.n} flagged (Python ${measured.flagged}), set warning ${summary.shift!.warning}`);
  }, 900_000);
});

describe('cli evaluate: the bundled example set is a clean demo (issue 19)', () => {
  const examples = resolve(import.meta.dirname, '../public/examples');
  it.skipIf(!bundlePresent)('no input issue for images without a mask (one classification-only line) and no dataset-shift warning', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await run(['--images', join(examples, 'images'), '--masks', join(examples, 'masks'), '--labels', join(examples, 'labels.csv'), '--bootstrap', '10', '--threads', '2'])).toBe(0);
      const lines = log.mock.calls.map((c) => String(c[0]));
      expect(lines).toContain('examples: 34 of 34 image(s) evaluated, 0 failed, 0 input issue(s)');
      expect(lines).toContain('  20 image(s) have no mask: scored for classification only');
      // no tuberculosis image in the set: its F1 would be 0 by definition, so the macro average leaves it out and says so
      expect(lines).toContain('  macro averages over the classes with examples here: normal, pneumonia, covid19; not averaged: tuberculosis');
      expect(lines.find((l) => l.startsWith('segmentation (n=14,'))).toMatch(/Dice mean 0\.\d{4} \[0\.\d{4}, 0\.\d{4}\], median/);
      // the set comes from the classifier's training sources' test splits: 3 of 34 score above the threshold, under the set limit
      const shift = lines.find((l) => l.startsWith('dataset shift:'));
      expect(shift).toMatch(/^dataset shift: 3 of 34 image\(s\)/);
      expect(shift).not.toContain('WARNING');
    } finally {
      log.mockRestore();
    }
  }, 300_000);
});

describe('cli evaluate: a one-class set says why it has no AUC', () => {
  const examples = resolve(import.meta.dirname, '../public/examples');
  it.skipIf(!bundlePresent)('prints "AUC n/a" with the reason on the next lines', async () => {
    const rows = readFileSync(join(examples, 'labels.csv'), 'utf8').trim().split('\n');
    const normals = [rows[0], ...rows.slice(1).filter((r) => r.split(',')[2] === 'normal')];
    const labels = join(work, 'normals.csv');
    writeFileSync(labels, `${normals.join('\n')}\n`);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await run(['--images', examples, '--labels', labels, '--task', 'classification', '--bootstrap', '0', '--threads', '2'])).toBe(0);
      const lines = log.mock.calls.map((c) => String(c[0]));
      // --bootstrap 0: no interval, rather than "[NaN, NaN]"
      expect(lines.find((l) => l.startsWith('classification ('))).toMatch(/^classification \(n=10\): accuracy \d\.\d{4}, macro F1 \d\.\d{4}, AUC n\/a$/);
      expect(lines).toContain('  No AUC: it ranks images of one class against the others, and every image here is normal');
    } finally {
      log.mockRestore();
    }
  }, 300_000);
});
