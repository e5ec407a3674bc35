import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseNumberOption } from './options.ts';
import {
  checkGenerationBatch, imageStem, makeImage, presetSettings, resolveSettings, runGenerationBatch, samplingPresets,
  type GenerationBatch, type GenerationSettings, type OpenGenerator,
} from '../src/core/generation/index.ts';
import { UNET_ROLES, type UnetRole } from '../src/core/manifest/types.ts';
import type { Provenance } from '../src/core/pipelines/provenance.ts';
import { SCHEDULER_NAMES, type SchedulerName } from '../src/core/schedulers/index.ts';
import { PromptTokenizer } from '../src/core/text/tokenizer.ts';
import { defaultBundleDir, openModel, readBundle } from './bundle.ts';
import type { NodeSessionOptions } from './nodeRunner.ts';

export const usage = `generate --prompt TEXT --out DIR [--mask|--masks FILE|DIR] [--mask-convention NAME] [--seeds 1,2,3]
         [--negative-prompt TEXT] [--preset NAME] [--steps N] [--guidance S] [--scheduler ddim|dpmpp2m]
         [--unet unet|unet_guided] [--model-dir public/models/<id>] [--threads N]
  Synthesise chest X-rays with the bundle's latent diffusion model on onnxruntime-node:
  one 8-bit PNG per (mask, seed) plus <name>.json with its provenance. --mask takes a
  256x256 binary lung mask PNG or a folder of them; without it the model's "no mask"
  state is used. --negative-prompt is what guidance steers away from (default: all
  padding). Steps, guidance, scheduler and UNet default to the manifest's, or to the
  named --preset's (diffusion.presets; "fast" and "default" for a bundle without them);
  flags given beside --preset win. --unet unet_guided runs the bundle's one-pass UNet
  (no negative prompt: it has no unconditional pass); a provenance's "unet" says which.`;

/**
 * The CLI's side of a generation job (src/core/generation): settings as flags give
 * them (undefined = the bundle's default), mask files rather than bytes, and where
 * the files go.
 */
export interface GenerateFilesOptions extends Partial<GenerationSettings> {
  prompt: string;
  out: string;
  /** Lung mask PNG files; none: the model's "no mask" state. */
  masks: string[];
  maskConvention?: string;
  /** A manifest preset's name; its settings fill what the flags leave out. */
  preset?: string;
  seeds: number[];
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

/** The job the options describe: every mask file with every seed, the bundle's defaults where a flag was left out. */
export function generationBatchOf(manifest: ReturnType<typeof readBundle>, options: GenerateFilesOptions): GenerationBatch {
  const convention = options.maskConvention ? { convention: options.maskConvention } : {};
  const presets = samplingPresets(manifest);
  const preset = options.preset === undefined ? undefined : presets.find((p) => p.name === options.preset);
  if (options.preset !== undefined && !preset) {
    throw new Error(`--preset: expected one of [${presets.map((p) => p.name).join(', ')}] (${manifest.id}'s presets), received "${options.preset}"`);
  }
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as GenerateFilesOptions;
  return {
    settings: resolveSettings(manifest, { ...(preset ? presetSettings(preset) : {}), ...given }),
    seeds: options.seeds,
    masks: options.masks.length
      ? options.masks.map((file) => ({ mask: { name: basename(file), bytes: readFileSync(file), layer: 'lung', ...convention } }))
      : [{}],
  };
}

/** Opens the bundle's text encoder, the UNet `unet` names and the VAE decoder (hash-checked) and its tokenizer on onnxruntime-node. */
export async function openGenerator(dir: string, manifest: ReturnType<typeof readBundle>, threads?: number, unet: UnetRole = 'unet'): Promise<OpenGenerator & { release(): Promise<void> }> {
  const tokenizerSpec = manifest.tokenizer;
  if (!tokenizerSpec) throw new Error(`${manifest.id}: the manifest has no tokenizer`);
  const sessionOptions: NodeSessionOptions = threads ? { intraOpNumThreads: threads } : {};
  const tokenizer = new PromptTokenizer(JSON.parse(readFileSync(join(dir, tokenizerSpec.file), 'utf8')), tokenizerSpec);
  const runners = {
    textEncoder: await openModel(dir, manifest, 'text_encoder', 'fp32', sessionOptions),
    ...(unet === 'unet_guided'
      ? { unet: await openModel(dir, manifest, 'unet', 'fp32', sessionOptions), unetGuided: await openModel(dir, manifest, 'unet_guided', 'fp32', sessionOptions) }
      : { unet: await openModel(dir, manifest, 'unet', 'fp32', sessionOptions) }),
    vaeDecoder: await openModel(dir, manifest, 'vae_decoder', 'fp32', sessionOptions),
  };
  return { manifest, tokenizer, runners, engine: ENGINE, release: async () => void (await Promise.all(Object.values(runners).map((r) => r.release()))) };
}

export async function generateFiles(options: GenerateFilesOptions): Promise<GeneratedFile[]> {
  const log = options.onLine ?? (() => {});
  // 1. Read the bundle and the masks; refuse a bad request before opening a session
  const dir = options.modelDir ?? defaultBundleDir();
  const manifest = readBundle(dir);
  const batch = generationBatchOf(manifest, options);
  checkGenerationBatch(manifest, batch);

  // 2. Open the generator, then make one image per (mask, seed), each written as soon as it is made
  const generator = await openGenerator(dir, manifest, options.threads, batch.settings.unet);
  mkdirSync(options.out, { recursive: true });
  const written: GeneratedFile[] = [];
  try {
    await runGenerationBatch({
      batch,
      generate: (request) => makeImage(generator, request, {
        onProgress: (e) => {
          if (e.type === 'step' && (e.step === e.total || e.step % 5 === 0)) log(`${imageStem(request)}: step ${e.step}/${e.total}`);
        },
      }),
      onImage: (image, _index, request) => {
        const png = join(options.out, `${imageStem(request)}.png`);
        const json = join(options.out, `${imageStem(request)}.json`);
        writeFileSync(png, image.png);
        writeFileSync(json, `${JSON.stringify(image.provenance, null, 2)}\n`);
        log(`${png} (${(image.elapsedMs / 1000).toFixed(2)} s)`);
        written.push({ png, json, provenance: image.provenance, ...(image.mask ? { mask: image.mask } : {}) });
      },
    });
  } finally {
    await generator.release();
  }
  return written;
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
      preset: { type: 'string' },
      unet: { type: 'string' },
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
  const unet = values.unet;
  if (unet !== undefined && !UNET_ROLES.includes(unet as UnetRole)) {
    throw new Error(`--unet: expected one of [${UNET_ROLES.join(', ')}], received "${unet}"`);
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
    unet: unet as UnetRole | undefined,
    preset: values.preset,
    modelDir: values['model-dir'],
    threads: parseNumberOption('threads', values.threads, { integer: true, min: 1 }),
    onLine: (line) => console.error(line),
  });
  console.log(`wrote ${files.length} image(s) with provenance to ${values.out}`);
  return 0;
}
