import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseNumberOption } from './options.ts';
import { decode, encode } from 'fast-png';
import { maskFromPixels } from '../src/core/mask/maskFromPixels.ts';
import type { Manifest } from '../src/core/manifest/types.ts';
import { checkGenerateRequest, generateImage, type GenerateRequest, type GenerateRunners } from '../src/core/pipelines/generate.ts';
import type { MaskLayer } from '../src/core/pipelines/maskCond.ts';
import { buildProvenance, toGray8, type Provenance } from '../src/core/pipelines/provenance.ts';
import { SCHEDULER_NAMES, type SchedulerName } from '../src/core/schedulers/index.ts';
import { PromptTokenizer } from '../src/core/text/tokenizer.ts';
import { defaultBundleDir, openModel, readBundle } from './bundle.ts';
import type { NodeSessionOptions } from './nodeRunner.ts';

export const usage = `generate --prompt TEXT --out DIR [--mask|--masks FILE|DIR] [--mask-convention NAME] [--seeds 1,2,3]
         [--negative-prompt TEXT] [--steps N] [--guidance S] [--scheduler ddim|dpmpp2m]
         [--model-dir public/models/<id>] [--threads N]
  Synthesise chest X-rays with the bundle's latent diffusion model on onnxruntime-node:
  one 8-bit PNG per (mask, seed) plus <name>.json with its provenance. --mask takes a
  256x256 binary lung mask PNG or a folder of them; without it the model's "no mask"
  state is used. --negative-prompt is what guidance steers away from (default: all
  padding). Steps, guidance and scheduler default to the manifest's.`;

export interface GenerateJob {
  prompt: string;
  negativePrompt?: string;
  out: string;
  masks: string[];
  maskConvention?: string;
  seeds: number[];
  steps?: number;
  guidance?: number;
  scheduler?: SchedulerName;
  modelDir?: string;
  threads?: number;
  onLine?: (line: string) => void;
}

export interface GeneratedFile {
  png: string;
  json: string;
  provenance: Provenance;
  /** The 0/1 conditioning mask at model resolution, when one was given. */
  mask?: Uint8Array;
}

const ENGINE = 'onnxruntime-node (cpu, fp32)';

export async function generateFiles(job: GenerateJob): Promise<GeneratedFile[]> {
  const log = job.onLine ?? (() => {});
  // 1. Load the bundle, check the request once before opening sessions
  const dir = job.modelDir ?? defaultBundleDir();
  const manifest = readBundle(dir);
  const defaults = defaultsOf(manifest);
  const base = {
    prompt: job.prompt,
    negativePrompt: job.negativePrompt,
    steps: job.steps ?? defaults.steps,
    guidance: job.guidance ?? defaults.guidance,
    scheduler: job.scheduler ?? defaults.scheduler,
  };
  const masks = job.masks.map((file) => loadMask(file, manifest, job.maskConvention));
  for (const mask of masks.length ? masks : [undefined]) {
    checkGenerateRequest(manifest, { ...base, seed: job.seeds[0], masks: mask ? [mask.layer] : [] });
  }

  // 2. Open the three generator sessions (hash-checked) and the tokenizer
  const sessionOptions: NodeSessionOptions = job.threads ? { intraOpNumThreads: job.threads } : {};
  const tokenizerSpec = manifest.tokenizer;
  if (!tokenizerSpec) throw new Error(`${manifest.id}: the manifest has no tokenizer`);
  const tokenizer = new PromptTokenizer(JSON.parse(readFileSync(join(dir, tokenizerSpec.file), 'utf8')), tokenizerSpec);
  const runners: GenerateRunners = {
    textEncoder: await openModel(dir, manifest, 'text_encoder', 'fp32', sessionOptions),
    unet: await openModel(dir, manifest, 'unet', 'fp32', sessionOptions),
    vaeDecoder: await openModel(dir, manifest, 'vae_decoder', 'fp32', sessionOptions),
  };

  // 3. One image per (mask, seed), written as soon as it is made
  mkdirSync(job.out, { recursive: true });
  const written: GeneratedFile[] = [];
  try {
    for (const mask of masks.length ? masks : [undefined]) {
      for (const seed of job.seeds) {
        const request: GenerateRequest = { ...base, seed, masks: mask ? [mask.layer] : [] };
        const name = `${mask ? mask.name : 'nomask'}-seed${seed}`;
        const result = await generateImage(manifest, tokenizer, runners, request, {
          onProgress: (e) => {
            if (e.type === 'step' && (e.step === e.total || e.step % 5 === 0)) log(`${name}: step ${e.step}/${e.total}`);
          },
        });
        const provenance = buildProvenance(manifest, request, result, { engine: ENGINE, mask: mask && { name: basename(mask.file), sha256: mask.sha256 } });
        const png = join(job.out, `${name}.png`);
        const json = join(job.out, `${name}.json`);
        writeFileSync(png, encode({ width: result.side, height: result.side, channels: 1, depth: 8, data: toGray8(result.image01) }));
        writeFileSync(json, `${JSON.stringify(provenance, null, 2)}\n`);
        log(`${png} (${(result.elapsedMs / 1000).toFixed(2)} s)`);
        written.push({ png, json, provenance, ...(mask ? { mask: mask.layer.data } : {}) });
      }
    }
  } finally {
    await Promise.all(Object.values(runners).map((r: { release?: () => Promise<void> }) => r.release?.()));
  }
  return written;
}

function defaultsOf(manifest: Manifest): { steps: number; guidance: number; scheduler: SchedulerName } {
  const d = manifest.diffusion?.defaults;
  const scheduler = SCHEDULER_NAMES.find((s) => s === d?.scheduler) ?? 'ddim';
  return { steps: d?.steps ?? 20, guidance: d?.guidance ?? 3, scheduler };
}

interface LoadedMask {
  file: string;
  name: string;
  sha256: string;
  layer: MaskLayer;
}

function loadMask(file: string, manifest: Manifest, convention?: string): LoadedMask {
  const bytes = readFileSync(file);
  const png = decode(bytes);
  const diffusion = manifest.diffusion;
  const side = diffusion ? diffusion.latent_shape[1] * diffusion.mask_pool : 256;
  const data = maskFromPixels({ ...png, maxValue: 2 ** png.depth - 1 }, side);
  return {
    file,
    name: basename(file, extname(file)),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    layer: { layer: 'lung', side, data, ...(convention ? { convention } : {}) },
  };
}

function expandMasks(path: string | undefined): string[] {
  if (!path) return [];
  if (!existsSync(path)) throw new Error(`--mask ${path}: no such file or folder`);
  if (!statSync(path).isDirectory()) return [path];
  const files = readdirSync(path).filter((f) => f.toLowerCase().endsWith('.png')).sort();
  if (files.length === 0) throw new Error(`--mask ${path}: the folder holds no .png masks`);
  return files.map((f) => join(path, f));
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      prompt: { type: 'string' },
      'negative-prompt': { type: 'string' },
      out: { type: 'string' },
      mask: { type: 'string' },
      masks: { type: 'string' }, // the same as --mask: the Masks page's export is a folder of them
      'mask-convention': { type: 'string' },
      seeds: { type: 'string', default: '0' },
      steps: { type: 'string' },
      guidance: { type: 'string' },
      scheduler: { type: 'string' },
      'model-dir': { type: 'string' },
      threads: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || values.prompt === undefined || !values.out) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const scheduler = values.scheduler;
  if (scheduler !== undefined && !SCHEDULER_NAMES.includes(scheduler as SchedulerName)) {
    throw new Error(`--scheduler: expected one of [${SCHEDULER_NAMES.join(', ')}], received "${scheduler}"`);
  }
  if (values.mask && values.masks) throw new Error('give --mask or --masks (the same option), not both');
  const files = await generateFiles({
    prompt: values.prompt,
    negativePrompt: values['negative-prompt'],
    out: values.out,
    masks: expandMasks(values.mask ?? values.masks),
    maskConvention: values['mask-convention'],
    seeds: values.seeds.split(',').map((s) => parseNumberOption('seeds', s, { integer: true, min: 0 })),
    steps: parseNumberOption('steps', values.steps, { integer: true, min: 1, max: 1000 }),
    guidance: parseNumberOption('guidance', values.guidance, { min: 0 }),
    scheduler: scheduler as SchedulerName | undefined,
    modelDir: values['model-dir'],
    threads: parseNumberOption('threads', values.threads, { integer: true, min: 1 }),
    onLine: (line) => console.error(line),
  });
  console.log(`wrote ${files.length} image(s) with provenance to ${values.out}`);
  return 0;
}
