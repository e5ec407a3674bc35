/**
 * How often images made with each of a bundle's example masks show the prompted finding, by
 * the bundle's classifier and by an independent judge: the bundle's example prompts, N seeds
 * each, its fast preset, made by `batch` and scored by `judge` (cli/judge.ts), both on
 * onnxruntime-node. Written into manifest.json as example_masks[i].prompt_adherence, which the
 * Generate page shows next to the prompt when that mask is chosen (a mask drawn in one source's
 * convention can pull every prompt towards that source's finding).
 *
 *   npx tsx scripts/measure-example-masks.ts [--model-dir public/models/cxr-studio-v1]
 *     [--judge-dir public/models/reference-v0] [--seeds 24] [--threads 2]
 *
 * The judge directory is the reference bundle `npm run stage:models` stages; without it only the
 * bundle's own classifier judges. Rerun after a new bundle is exported (training/README.md).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildJobSpec } from '../src/core/batch/buildJobSpec.ts';
import { adherenceByGroup } from '../src/core/curation/adherence.ts';
import { judgeLabel } from '../src/core/curation/judges.ts';
import { findingClassOfPrompt } from '../src/core/curation/promptFinding.ts';
import { presetSettings } from '../src/core/generation/index.ts';
import type { MaskPromptAdherence } from '../src/core/manifest/types.ts';
import { readBundle } from '../cli/bundle.ts';
import { runBatch } from '../cli/batch/runCommand.ts';
import { judgeImages } from '../cli/judge.ts';

const { values } = parseArgs({
  options: {
    'model-dir': { type: 'string', default: 'public/models/cxr-studio-v1' },
    'judge-dir': { type: 'string', default: 'public/models/reference-v0' },
    seeds: { type: 'string', default: '24' },
    threads: { type: 'string', default: '2' },
  },
});
const dir = values['model-dir'];
const seeds = Number(values.seeds);
const threads = Number(values.threads);
const manifest = readBundle(dir);
const fast = manifest.diffusion?.fast ?? manifest.diffusion?.defaults;
const prompts = manifest.prompt?.examples ?? [];
if (!fast || prompts.length === 0 || !manifest.example_masks?.length) throw new Error(`${manifest.id}: needs diffusion presets, example prompts and example masks`);
const settings = presetSettings(fast);
const judges = [{ modelDir: dir, variant: 'fp32' as const }, ...(existsSync(join(values['judge-dir'], 'manifest.json')) ? [{ modelDir: values['judge-dir'], variant: 'fp32' as const }] : [])];

const work = mkdtempSync(join(tmpdir(), 'cxr-example-masks-'));
const raw = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
try {
  for (const [i, mask] of manifest.example_masks.entries()) {
    // 1. The example prompts with this mask: a batch job, every image kept
    const job = join(work, `job-${i}`);
    const bytes = readFileSync(join(dir, mask.file));
    const spec = await buildJobSpec({
      manifest,
      prompts,
      masks: [{ path: `masks/${basename(mask.file)}`, bytes, ...(mask.convention ? { convention: mask.convention } : {}) }],
      seeds: { start: 0, count: seeds },
      settings: { steps: settings.steps, guidance: settings.guidance, scheduler: settings.scheduler },
      filter: { minFindingProbability: 0, minMaskDice: 0 },
    });
    mkdirSync(join(job, 'masks'), { recursive: true });
    writeFileSync(join(job, 'masks', basename(mask.file)), bytes);
    writeFileSync(join(job, 'spec.json'), JSON.stringify(spec));
    const out = join(work, `out-${i}`);
    await runBatch({ spec: join(job, 'spec.json'), out, shard: { index: 0, count: 1 }, device: 'cpu', threads, log: (line) => console.error(line) });
    const report = await judgeImages({ synthetic: out, judges, thresholds: { minFindingProbability: 0.5, minMaskDice: 0.7 }, threads });
    // 2. Each judge's prompt adherence per finding, over every example prompt that asks for it
    const by: MaskPromptAdherence['by'] = {};
    const findingOf = (prompt: string) => findingClassOfPrompt(prompt, manifest.classes ?? []);
    const withFinding = report.images.filter((image) => findingOf(image.prompt));
    report.judges.forEach((judge, j) => {
      const rows = adherenceByGroup(withFinding, (image) => findingOf(image.prompt)!, (image) => image.scores[j]);
      by[judge.classifier] = Object.fromEntries(rows.filter((row) => row.group !== 'all').map((row) => [row.group, Number(row.promptAdherence!.toFixed(3))]));
      console.log(`${mask.file} (${mask.convention ?? 'no convention'}), ${judgeLabel(judge)}: ${JSON.stringify(by[judge.classifier])}`);
    });
    const measured: MaskPromptAdherence = {
      seeds,
      settings: `${fast === manifest.diffusion?.fast ? 'fast preset: ' : ''}${settings.steps} ${settings.scheduler} steps, guidance ${settings.guidance}`,
      measured: new Date().toISOString().slice(0, 10),
      by,
    };
    raw.example_masks[i].prompt_adherence = measured;
  }
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(raw, null, 1)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
