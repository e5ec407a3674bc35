#!/usr/bin/env node
// Stages ../shared/models/reference-v0 as a bundle in our manifest format
// (docs/manifest.md) under public/models/reference-v0 (gitignored: the weights
// carry research-only terms and are not ours to commit). Hashes and sizes are
// computed from the copied files, never typed in.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(process.env.CXR_REFERENCE_MODELS ?? join(process.env.CXR_SHARED ?? join(root, '../shared'), 'models/reference-v0'));
const target = join(root, 'public/models/reference-v0');

if (!existsSync(join(source, 'manifest.json'))) {
  console.log(`stage-reference: ${source} not found; skipping (the reference models are not part of a fresh clone).`);
  process.exit(0);
}

const reference = JSON.parse(readFileSync(join(source, 'manifest.json'), 'utf8'));
const metrics = JSON.parse(readFileSync(join(source, 'metrics.json'), 'utf8'));
mkdirSync(target, { recursive: true });

function stage(file) {
  // Read and write instead of copying so the staged file is writable even
  // though the shared originals are read-only (re-running must not fail).
  const bytes = readFileSync(join(source, file));
  writeFileSync(join(target, file), bytes);
  return { file, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

function io(list) {
  return list.map(({ name, shape, dtype, range }) => (range ? { name, shape, dtype, range } : { name, shape, dtype }));
}

const imageInput = { size: 256, channels: 1, scale: 1 / 255, offset: 0 };
const ref = reference.models;
const seg = metrics.phases.segmenter;
const cls = metrics.phases.classifier;

const models = {
  segmenter: {
    task: 'segmentation',
    variants: { fp32: stage(ref.segmenter.onnx) },
    inputs: io(ref.segmenter.inputs),
    outputs: io(ref.segmenter.outputs),
    preprocess: imageInput,
    postprocess: { activation: 'sigmoid', threshold: 0.5 },
    channels: [{ name: 'lung', convention: 'mixed: trained on Shenzhen (excludes retrocardiac) and ieee8023/V7 (includes) masks' }],
    params: ref.segmenter.params,
    metrics: { split: 'val', dice: { shenzhen: seg.val_dice.shenzhen.mean, ieee8023: seg.val_dice.ieee8023.mean } },
  },
  classifier: {
    task: 'classification',
    variants: { fp32: stage(ref.classifier.onnx) },
    inputs: io(ref.classifier.inputs),
    outputs: io(ref.classifier.outputs),
    preprocess: imageInput,
    postprocess: { activation: 'softmax' },
    params: ref.classifier.params,
    metrics: {
      split: 'val', accuracy: cls.val.accuracy, macro_f1: cls.val.macro_f1, f1_per_class: cls.val.f1_per_class,
      accuracy_per_folder: Object.fromEntries(Object.entries(cls.val.per_dataset_accuracy).map(([k, v]) => [k, v.accuracy])),
    },
  },
  vae_encoder: { task: 'vae-encoder', variants: { fp32: stage(ref.vae_encoder.onnx) }, inputs: io(ref.vae_encoder.inputs), outputs: io(ref.vae_encoder.outputs), params: ref.vae_encoder.params },
  vae_decoder: { task: 'vae-decoder', variants: { fp32: stage(ref.vae_decoder.onnx) }, inputs: io(ref.vae_decoder.inputs), outputs: io(ref.vae_decoder.outputs), params: ref.vae_decoder.params },
  text_encoder: { task: 'text-encoder', variants: { fp32: stage(ref.text_encoder.onnx) }, inputs: io(ref.text_encoder.inputs), outputs: io(ref.text_encoder.outputs), params: ref.text_encoder.params },
  unet: { task: 'denoiser', variants: { fp32: stage(ref.unet.onnx) }, inputs: io(ref.unet.inputs), outputs: io(ref.unet.outputs), params: ref.unet.params },
};

const tokenizer = { ...stage(reference.tokenizer.file), max_length: reference.tokenizer.max_length, pad_id: reference.tokenizer.pad_id };
stage('tokenizer_config.json');
const vocab = Object.keys(JSON.parse(readFileSync(join(source, 'tokenizer.json'), 'utf8')).model.vocab);
const pf = reference.prompt_format;
const findings = ['no finding', 'pneumonia', 'bacterial pneumonia', 'viral pneumonia', 'tuberculosis', 'covid-19 pneumonia', 'ards'];
const unknownWords = findings.flatMap((f) => f.split(/[\s-]+/)).filter((w) => !vocab.includes(w));
if (unknownWords.length > 0) throw new Error(`stage-reference: prompt words missing from the tokenizer: ${unknownWords.join(', ')}`);

const sched = reference.scheduler;
const manifest = {
  format: 'cxr-studio-manifest/1',
  id: 'reference-v0',
  name: 'Reference models v0 (interim baseline)',
  license: 'research use only, non-commercial (inherits the terms of shared/data/cxr256)',
  card: 'MODEL_CARD.md',
  classes: reference.classes,
  models,
  tokenizer,
  diffusion: {
    latent_shape: reference.latent.shape,
    scaling_factor: 0.50242,
    num_train_timesteps: sched.num_train_timesteps,
    beta_schedule: sched.beta_schedule,
    beta_start: sched.beta_start,
    beta_end: sched.beta_end,
    prediction_type: sched.prediction_type,
    mask_pool: reference.latent.downsample_factor,
    mask_channels: [
      { name: 'lung', kind: 'mask', layer: 'lung' },
      { name: 'lung_given', kind: 'given', layer: 'lung' },
    ],
    defaults: { steps: 20, guidance: sched.guidance_scale, scheduler: 'ddim' },
  },
  prompt: {
    template: 'chest x-ray, <finding>[, <view>][, <age>[ <sex>]]',
    findings,
    views: pf.view, ages: pf.population, sexes: pf.sex,
    examples: Object.values(pf.class_prompts),
  },
};

const pct = (x) => (x * 100).toFixed(1);
const card = `# Reference models v0 (interim baseline)

These are the **reference models** from \`shared/models/reference-v0\`, staged here by
\`scripts/stage-reference.mjs\` as interim defaults until the project's own models
(\`cxr-studio-v1\`) land. They are a baseline, not the product's models.

## Data and terms
Trained once on the train+val splits of shared/data/cxr256 (shenzhen_tb_lungseg,
nih_cxr14_pneumonia, ieee8023_covid_lungseg, kermany_pediatric_pneumonia).
Research use only, non-commercial: the weights inherit the data's terms.

## Segmenter (${(ref.segmenter.params / 1e6).toFixed(1)} M params)
Input 1x256x256 in [0,1]; one lung channel (logit > 0). Its masks mix two conventions
(Shenzhen excludes the retrocardiac region, V7 includes it).
Validation Dice: shenzhen ${seg.val_dice.shenzhen.mean.toFixed(3)}, ieee8023 ${seg.val_dice.ieee8023.mean.toFixed(3)}.

## Classifier (${(ref.classifier.params / 1e6).toFixed(1)} M params)
Classes: ${reference.classes.join(', ')} (softmax).
Validation accuracy ${pct(cls.val.accuracy)}%, macro-F1 ${cls.val.macro_f1.toFixed(3)}.
Accuracy per folder: ${Object.entries(cls.val.per_dataset_accuracy).map(([k, v]) => `${k} ${v.accuracy.toFixed(2)}`).join(', ')}.
It partly learns which data set an image came from.

## Generator
VAE (latent 4x32x32, scaling factor 0.50242), text encoder and mask-conditioned UNet.
See shared/models/README.md for measured adherence numbers and known weaknesses.
`;
writeFileSync(join(target, 'MODEL_CARD.md'), card);
writeFileSync(join(target, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`stage-reference: staged ${Object.keys(models).length} models into ${target}`);
