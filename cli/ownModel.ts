import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ModelFileError } from '../src/core/errors.ts';
import { sha256Hex } from '../src/core/manifest/verifyFile.ts';
import { externalDataLocations } from '../src/core/onnx/externalData.ts';
import { formFromModelIo, type FormFromFile } from '../src/features/models/formFromModelIo.ts';
import { boundUserManifest, DRAFT_DEFAULTS, NORMALIZATIONS, normalizationFields, readFormValues, type UserModelDraft } from '../src/features/models/userModelSpec.ts';
import { openOnnx } from './bundle.ts';
import { UsageError } from './options.ts';

export const usage = `own-model <model.onnx> [--names A,B,...] [--normalization unit|raw|symmetric|imagenet] [--scale S[,S,S]] [--offset O[,O,O]]
  [--activation softmax|sigmoid|none] [--threshold 0.5] [--role classifier|segmenter] [--size N] [--channels N] [--layout nchw|nhwc]
  [--input NAME] [--output NAME] [--out DIR]
  What your own ONNX classifier or segmenter declares, and the Models page's form filled from it:
  the file settles role, input size, channels, channel order, the raw-pixel normalization of a
  uint8 input and the sigmoid of a one-output classifier; the options give the rest, as typed
  into the form (they win over the file). --out DIR: write DIR/manifest.json and a copy of the
  file, a bundle that analyze, evaluate, judge and augment-experiment take as --model-dir, once
  the manifest passes the checks a load makes.`;

/** The flags that are form fields, by field. */
const FIELDS = { role: 'role', size: 'size', channels: 'channels', layout: 'layout', scale: 'scale', offset: 'offset', activation: 'activation', threshold: 'threshold', names: 'names', input: 'inputName', output: 'outputName' } as const;

export interface OwnModelReport {
  file: string;
  read: FormFromFile;
  /** The form as the file and the options fill it. */
  draft: UserModelDraft;
  /** The bundle written with --out. */
  wrote?: string;
}

/** The form's draft from the options given (the file fills the rest): what the user types, as typed. */
function typedFields(values: Record<string, string | boolean | undefined>): Partial<UserModelDraft> {
  const typed: Partial<UserModelDraft> = {};
  if (typeof values.normalization === 'string') {
    if (!(values.normalization in NORMALIZATIONS)) throw new UsageError(`--normalization: expected one of ${Object.keys(NORMALIZATIONS).join(', ')}, received "${values.normalization}"`);
    Object.assign(typed, normalizationFields(values.normalization as keyof typeof NORMALIZATIONS));
  }
  for (const [flag, field] of Object.entries(FIELDS)) {
    const value = values[flag];
    if (typeof value === 'string') typed[field] = value;
  }
  return typed;
}

/** Read the file's declared inputs and outputs, fill the form from them and the options, and write the bundle if asked. */
export async function describeOwnModel(file: string, typed: Partial<UserModelDraft>, out?: string): Promise<OwnModelReport> {
  // 1. What the graph declares (onnxruntime opens it; nothing runs)
  if (!existsSync(file)) throw new ModelFileError('model-missing', `${file} does not exist`);
  const runner = await openOnnx(file, { graphOptimizationLevel: 'disabled' });
  const io = runner.io;
  await runner.release();
  // 2. The form as the page fills it on pick, then what was typed over it
  const start = { ...DRAFT_DEFAULTS, ...typed };
  const read = formFromModelIo(io, start, new Set(Object.keys(typed) as (keyof UserModelDraft)[]));
  const draft = { ...start, ...read.patch, ...typed };
  if (!out) return { file, read, draft };

  // 3. The one-model manifest, bound to the graph and checked as a load checks it, then written
  if (read.problems.length) throw new ModelFileError('model-load-failed', `${basename(file)} cannot be used as it is: ${read.problems.join('; ')}`);
  const bytes = new Uint8Array(readFileSync(file));
  const data = new FormData();
  for (const [field, value] of Object.entries(draft)) data.set(field, value);
  const values = readFormValues(data);
  const manifest = boundUserManifest({ ...values, fileName: basename(file), bytes: bytes.byteLength, sha256: await sha256Hex(bytes) }, io);
  mkdirSync(out, { recursive: true });
  if (resolve(out, basename(file)) !== resolve(file)) {
    copyFileSync(file, join(out, basename(file)));
    // weights kept in a separate file (PyTorch's export since 2.9) go beside it, where the model says
    for (const location of externalDataLocations(bytes)) {
      if (isAbsolute(location) || normalize(location).startsWith('..')) {
        throw new ModelFileError('model-load-failed', `${basename(file)} names its weights' file as ${location}, outside its own folder: not copied`);
      }
      mkdirSync(dirname(join(out, location)), { recursive: true });
      copyFileSync(join(dirname(file), location), join(out, location));
    }
  }
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { file, read, draft, wrote: join(out, 'manifest.json') };
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      names: { type: 'string' }, normalization: { type: 'string' }, scale: { type: 'string' }, offset: { type: 'string' },
      activation: { type: 'string' }, threshold: { type: 'string' }, role: { type: 'string' }, size: { type: 'string' },
      channels: { type: 'string' }, layout: { type: 'string' }, input: { type: 'string' }, output: { type: 'string' },
      out: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length !== 1) {
    console.log(usage);
    return values.help ? 0 : 2;
  }
  const report = await describeOwnModel(positionals[0], typedFields(values), values.out);
  const { read, draft } = report;
  console.log(`${basename(report.file)} declares:`);
  for (const line of read.declared) console.log(`  ${line}`);
  if (read.filled.length) console.log(`filled in from the file: ${read.filled.join(', ')}`);
  if (read.todo.length) console.log(`still to give: ${read.todo.join('; ')}`);
  if (read.problems.length) console.log(`cannot be used as it is: ${read.problems.join('; ')}`);
  console.log(`form: ${Object.entries(draft).map(([field, value]) => `${field} ${value === '' ? '(the model\'s first)' : value}`).join(', ')}`);
  if (report.wrote) console.log(`wrote ${report.wrote}: use it as --model-dir ${resolve(report.wrote, '..')}`);
  return read.problems.length ? 1 : 0;
}
