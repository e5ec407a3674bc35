import { bindModelIo, type ModelIo } from '../../core/manifest/bindModelIo.ts';
import type { Activation, Layout, Manifest, ModelSpec } from '../../core/manifest/types.ts';
import { checkImageModel } from '../../core/pipelines/analyze.ts';
import { validateManifest } from '../../core/manifest/validate.ts';
import { sha256Hex } from '../../core/manifest/verifyFile.ts';

/** What the "your own model" form collects. */
export interface UserModelForm {
  role: 'segmenter' | 'classifier';
  fileName: string;
  bytes: number;
  sha256: string;
  size: number;
  channels: number;
  /** One number, or one per input channel (typed comma-separated). */
  scale: number | number[];
  offset: number | number[];
  /** Channels first (PyTorch) or last (TensorFlow, Keras), for the input and a segmenter's output. */
  layout: Layout;
  activation: Activation;
  threshold: number;
  /** Classifier: class names; segmenter: output channel names. Comma-separated in the form. */
  names: string[];
  inputName: string;
  outputName: string;
}

/** The form's own fields, without what is read from the file itself. */
export type UserModelValues = Omit<UserModelForm, 'fileName' | 'bytes' | 'sha256'>;

/** The fields of <UserModelFields> as submitted. */
export function readFormValues(data: FormData): UserModelValues {
  return {
    role: data.get('role') === 'segmenter' ? 'segmenter' : 'classifier',
    size: Number(data.get('size')),
    channels: Number(data.get('channels')),
    scale: parsePerChannel(String(data.get('scale') ?? '')),
    offset: parsePerChannel(String(data.get('offset') ?? '')),
    layout: data.get('layout') === 'nhwc' ? 'nhwc' : 'nchw',
    activation: data.get('activation') as Activation,
    threshold: Number(data.get('threshold')),
    names: parseNames(String(data.get('names') ?? '')),
    inputName: String(data.get('inputName') ?? '').trim(),
    outputName: String(data.get('outputName') ?? '').trim(),
  };
}

/** Read the chosen file and describe it: its bytes (to transfer to a worker), their sha256, and the validated one-model manifest. */
export async function readUserModel(file: Blob & { name: string }, values: UserModelValues) {
  const buffer = await file.arrayBuffer();
  const sha256 = await sha256Hex(new Uint8Array(buffer));
  return { buffer, sha256, ...userModelManifest({ ...values, fileName: file.name, bytes: buffer.byteLength, sha256 }) };
}

/**
 * "0.5" -> 0.5; "0.0171, 0.0175, 0.0174" -> one number per channel. A part that is not a
 * number stays NaN, so the manifest check names the field and what was typed.
 */
export function parsePerChannel(text: string): number | number[] {
  const parts = text.split(',').map((s) => (s.trim() === '' ? Number.NaN : Number(s)));
  return parts.length === 1 ? parts[0] : parts;
}

const digits8 = (x: number) => String(Number(x.toPrecision(8)));

/** Scale and offset of the usual input normalizations, as the form's "Normalization" choice fills them in. */
export const NORMALIZATIONS = {
  'unit': { label: '0..1 (pixel / 255)', scale: '0.00392156862745098', offset: '0' },
  // the only normalization a model whose graph takes uint8 can be given: the pixels themselves
  'raw': { label: '0..255 (raw pixels; a uint8 input)', scale: '1', offset: '0' },
  'symmetric': { label: '-1..1 (pixel / 127.5 - 1)', scale: '0.00784313725490196', offset: '-1' },
  'imagenet': {
    label: 'ImageNet mean and std, per RGB channel',
    // x_c = (pixel / 255 - mean_c) / std_c with torchvision's mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225),
    // to 8 significant digits: finer than the float32 input the model receives
    scale: [0.229, 0.224, 0.225].map((s) => digits8(1 / (255 * s))).join(', '),
    offset: [[0.485, 0.229], [0.456, 0.224], [0.406, 0.225]].map(([m, s]) => digits8(-m / s)).join(', '),
    channels: 3,
  },
} as const satisfies Record<string, { label: string; scale: string; offset: string; channels?: number }>;

/**
 * What the user typed into the "your own model" form, as typed, kept across
 * reloads (userModelDraft.ts); what the CLI's own-model command builds from its flags.
 */
export interface UserModelDraft {
  role: string;
  size: string;
  channels: string;
  layout: string;
  scale: string;
  offset: string;
  activation: string;
  threshold: string;
  names: string;
  inputName: string;
  outputName: string;
}

export const DRAFT_DEFAULTS: Readonly<UserModelDraft> = Object.freeze({
  role: 'classifier',
  size: '256',
  channels: '1',
  layout: 'nchw',
  scale: NORMALIZATIONS.unit.scale,
  offset: NORMALIZATIONS.unit.offset,
  activation: 'softmax',
  threshold: '0.5',
  names: 'normal, pneumonia, tuberculosis, covid19',
  inputName: '',
  outputName: '',
});

/** The form fields a Normalization choice sets: scale and offset, and 3 channels for ImageNet's per-RGB-channel numbers. */
export function normalizationFields(name: keyof typeof NORMALIZATIONS): Pick<UserModelDraft, 'scale' | 'offset'> & Partial<Pick<UserModelDraft, 'channels'>> {
  const picked: { scale: string; offset: string; channels?: number } = NORMALIZATIONS[name];
  return { scale: picked.scale, offset: picked.offset, ...(picked.channels ? { channels: String(picked.channels) } : {}) };
}

export function parseNames(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

/**
 * Turn the form into a one-model manifest and validate it with the same
 * checks as a built-in bundle, so a user model meets one contract. Blank
 * tensor names are filled from the model by the worker.
 */
export function userModelManifest(form: UserModelForm): { manifest: Manifest; spec: ModelSpec; classes: string[] } {
  const segmenter = form.role === 'segmenter';
  const last = form.layout === 'nhwc';
  /** [batch, channels, size, size] in the form's layout; `size` symbolic for a segmenter's output, not known before it runs. */
  const image = (channels: number, size: number | 'height', width: number | 'width') => (last ? ['batch', size, width, channels] : ['batch', channels, size, width]);
  const spec: ModelSpec = {
    task: segmenter ? 'segmentation' : 'classification',
    variants: { fp32: { file: form.fileName, sha256: form.sha256, bytes: form.bytes } },
    inputs: [{ name: form.inputName || 'input', shape: image(form.channels, form.size, form.size), dtype: 'float32' }],
    outputs: [{
      name: form.outputName || 'output',
      // two sigmoid classes may come as one logit (a binary classifier's usual export): leave that count to the model
      shape: segmenter ? image(form.names.length, 'height', 'width') : ['batch', form.names.length === 2 && form.activation === 'sigmoid' ? 'logits' : form.names.length],
      dtype: 'float32',
    }],
    preprocess: { size: form.size, channels: form.channels, scale: form.scale, offset: form.offset, ...(last ? { layout: 'nhwc' as const } : {}) },
    postprocess: segmenter ? { activation: form.activation, threshold: form.threshold } : { activation: form.activation },
    ...(segmenter ? { channels: form.names.map((name) => ({ name })) } : {}),
  };
  const manifest = validateManifest({
    format: 'cxr-studio-manifest/1',
    id: `user-${form.fileName}`,
    name: form.fileName,
    license: 'user-supplied',
    ...(segmenter ? {} : { classes: form.names }),
    models: { [form.role]: spec },
  });
  return { manifest, spec: { ...spec, inputs: [{ ...spec.inputs[0], name: form.inputName }], outputs: [{ ...spec.outputs[0], name: form.outputName }] }, classes: segmenter ? [] : form.names };
}

/**
 * The form's one-model manifest bound to what the file declares (tensor names, uint8 input)
 * and checked as a load checks it: a bundle manifest for the file, what `cxr-studio own-model
 * --out` writes and the form's "Download manifest.json" saves.
 */
export function boundUserManifest(form: UserModelForm, io: ModelIo): Manifest {
  const { manifest, spec } = userModelManifest(form);
  const bound = bindModelIo(spec, io, form.role);
  checkImageModel(form.role, bound);
  return { ...manifest, models: { [form.role]: bound } };
}
