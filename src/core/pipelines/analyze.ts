import { InferenceError, StudioError } from '../errors.ts';
import type { ChannelSpec, ModelSpec } from '../manifest/types.ts';
import { grayImage, type GrayImage } from '../image/grayImage.ts';
import { resize } from '../image/resample.ts';
import { cropFromSquare, squarePadding } from '../image/squarePad.ts';
import { applyWindow, type Window } from '../image/windowLevel.ts';
import type { ModalityImage } from '../image/dicomPixels.ts';
import { binarize, maskArea } from '../mask/binarize.ts';
import { float16Tensor, float32Tensor, float32Values, uint8Tensor, type Runner, type TensorMap } from '../runner.ts';
import { activateChannels, activateVector, oneLogitPair } from '../tensor/activation.ts';
import { checkTensor, countNonFinite } from '../tensor/checkTensor.ts';
import { channelsFirst, imageToTensor } from '../tensor/imageTensor.ts';

export interface BoundModel {
  spec: ModelSpec;
  runner: Runner;
}

export interface AnalyzeModels {
  segmenter?: BoundModel;
  classifier?: BoundModel & { classes: string[] };
}

export type AnalyzeStage = 'preprocess' | 'segment' | 'classify' | 'done';

export interface AnalyzeOptions {
  /** Window used to turn modality values into model input; defaults to the image's own. */
  window?: Window;
  onStage?: (stage: AnalyzeStage) => void;
  signal?: AbortSignal;
}

export interface SegmentationChannel extends ChannelSpec {
  /** Probabilities at the original image size, row-major. */
  probabilities: Float32Array;
  /** 0/1 mask at the original image size. */
  mask: Uint8Array;
  area: { pixels: number; fraction: number };
}

export interface AnalysisResult {
  width: number;
  height: number;
  segmentation?: { channels: SegmentationChannel[]; ms: number };
  classification?: { classes: string[]; probabilities: number[]; features?: Float32Array; ms: number };
}

/**
 * Segment and classify one image with whatever models the bundle provides.
 * Shapes, normalisation, activation and channel meaning all come from the
 * manifest specs, so a bundle with another input size or channel count runs
 * through the same code.
 */
export async function analyzeImage(image: ModalityImage, models: AnalyzeModels, options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  return (await analyzeImages([image], models, options))[0];
}

/**
 * Several images through one `run` per model (the batch axis of the input), as
 * an evaluation scores them: fewer, larger runs keep the cores busy. Each image
 * gets exactly what `analyzeImage` would give it. Models whose input declares a
 * fixed batch size of 1 run once per image.
 */
export async function analyzeImages(images: readonly ModalityImage[], models: AnalyzeModels, options: AnalyzeOptions = {}): Promise<AnalysisResult[]> {
  const { onStage, signal } = options;
  // 1. Check inputs
  if (!models.segmenter && !models.classifier) throw new StudioError('manifest-invalid', 'analyze: the bundle has neither a segmenter nor a classifier');
  for (const image of images) {
    if (image.values.length !== image.width * image.height) {
      throw new InferenceError('model-io-mismatch', `analyze: expected ${image.width * image.height} pixels for ${image.width}x${image.height}, received ${image.values.length}`);
    }
  }
  checkAnalyzeModels(models);

  // 2. Preprocess: window to 0..255 as the models were trained on
  onStage?.('preprocess');
  const pixels = images.map((image) => grayImage(image.width, image.height, applyWindow(image.values, options.window ?? image.window, image.invert)));
  const results: AnalysisResult[] = images.map((image) => ({ width: image.width, height: image.height }));

  // 3. Segment
  if (models.segmenter) {
    throwIfAborted(signal);
    onStage?.('segment');
    const started = performance.now();
    const { spec, runner } = models.segmenter;
    const channelSpecs = spec.channels ?? [];
    const post = spec.postprocess!;
    const outputs = await runBatched('segmenter', spec, runner, pixels);
    outputs.forEach((output, i) => {
      const logits = spec.preprocess!.layout === 'nhwc' ? channelsFirst(output.data, output.dims) : output;
      const [, count, outH, outW] = logits.dims;
      if (channelSpecs.length !== count) {
        throw new InferenceError('model-io-mismatch', `segmenter: manifest names ${channelSpecs.length} channel(s), the model produced ${count}`);
      }
      const probabilities = activateChannels(logits.data as Float32Array, count, post.activation);
      const channels = channelSpecs.map((channel, c) => {
        const plane = grayImage(outW, outH, probabilities.subarray(c * outW * outH, (c + 1) * outW * outH));
        const probs = toImageFrame(plane, images[i].width, images[i].height);
        const mask = binarize(probs, post.threshold ?? 0.5);
        return { ...channel, probabilities: probs, mask, area: maskArea(mask) };
      });
      results[i].segmentation = { channels, ms: (performance.now() - started) / images.length };
    });
  }

  // 4. Classify
  if (models.classifier) {
    throwIfAborted(signal);
    onStage?.('classify');
    const started = performance.now();
    const { spec, runner, classes } = models.classifier;
    const featureSpec = spec.outputs.find((o) => o.name === 'features');
    const outputs = await runBatched('classifier', spec, runner, pixels, featureSpec?.name);
    const activation = spec.postprocess!.activation;
    outputs.forEach((logits, i) => {
      // one score per class: [1, classes], or [1, classes, 1, 1] / [1, 1, 1, classes] as bindModelIo allows
      const count = logits.data.length;
      // a binary classifier's one sigmoid logit scores the second of its two classes
      const oneLogit = count === 1 && classes.length === 2 && activation === 'sigmoid';
      if (count !== classes.length && !oneLogit) {
        const hint = count === 1 && classes.length === 2 ? ' (one output for two classes needs the sigmoid activation)' : '';
        throw new InferenceError('model-io-mismatch', `classifier: ${classes.length} class name(s) given, the model produced ${count} logits${hint}`);
      }
      results[i].classification = {
        classes,
        probabilities: oneLogit ? oneLogitPair(logits.data[0]) : activateVector(logits.data as Float32Array, activation),
        features: logits.extra,
        ms: (performance.now() - started) / images.length,
      };
    });
  }

  onStage?.('done');
  return results;
}

/** How many images one run of this model takes: its declared batch size, or all of them when the axis is symbolic. */
function batchLimit(spec: ModelSpec): number {
  const batch = spec.inputs[0].shape[0];
  return typeof batch === 'number' ? batch : Number.POSITIVE_INFINITY;
}

/**
 * Run a model over images, as many per run as its batch axis allows, and split
 * the first output (and the optional `extra` output, e.g. classifier features)
 * back into one tensor per image.
 */
async function runBatched(role: string, spec: ModelSpec, runner: Runner, pixels: GrayImage[], extra?: string): Promise<Array<{ dims: number[]; data: Float32Array; extra?: Float32Array }>> {
  const limit = batchLimit(spec);
  const out: Array<{ dims: number[]; data: Float32Array; extra?: Float32Array }> = [];
  for (let from = 0; from < pixels.length; from += limit) {
    const chunk = pixels.slice(from, from + limit).map((p) => imageToTensor(p, spec.preprocess!));
    const per = chunk[0].data.length;
    const stacked = new Float32Array(per * chunk.length);
    chunk.forEach((t, i) => stacked.set(t.data, i * per));
    const outputs = await runImageModel(role, spec, runner, { data: stacked, dims: [chunk.length, ...chunk[0].dims.slice(1)] });
    const logits = checkTensor(outputs[spec.outputs[0].name], spec.outputs[0], `${role} output`);
    if (logits.dims[0] !== chunk.length) throw new InferenceError('model-io-mismatch', `${role}: ${chunk.length} image(s) in, ${logits.dims[0]} result(s) out`);
    // a float16 graph's outputs are read as float32 from here on
    const values = float32Values(logits);
    const extraTensor = extra ? outputs[extra] : undefined;
    const extraData = extraTensor?.type === 'float32' || extraTensor?.type === 'float16' ? float32Values(extraTensor) : undefined;
    const size = values.length / chunk.length;
    for (let i = 0; i < chunk.length; i++) {
      const item: { dims: number[]; data: Float32Array; extra?: Float32Array } = { dims: [1, ...logits.dims.slice(1)], data: values.slice(i * size, (i + 1) * size) };
      checkFinite(role, spec, item.data);
      if (extraData) {
        const width = extraData.length / chunk.length;
        item.extra = extraData.slice(i * width, (i + 1) * width);
      }
      out.push(item);
    }
  }
  return out;
}

function checkAnalyzeModels(models: AnalyzeModels): void {
  for (const [role, model] of Object.entries(models) as Array<[string, BoundModel | undefined]>) {
    if (model) checkImageModel(role, model.spec);
  }
}

/**
 * What every analysis checks of a segmenter or classifier before an image: preprocess and
 * postprocess given, an input that fits them (float32, or uint8 with the pixels as they are).
 * Loading a user's model (worker, CLI) calls it too, so a spec that does not fit fails there
 * rather than on every image.
 */
export function checkImageModel(role: string, spec: ModelSpec): void {
  const input = spec.inputs[0];
  const pre = spec.preprocess;
  if (!pre || !spec.postprocess) throw new StudioError('manifest-invalid', `${role}: the manifest gives no preprocess/postprocess`);
  const last = pre.layout === 'nhwc';
  const expected = last ? [pre.size, pre.size, pre.channels] : [pre.channels, pre.size, pre.size];
  const fits = input.shape.length === 4 && expected.every((d, i) => typeof input.shape[i + 1] !== 'number' || input.shape[i + 1] === d);
  if (!fits || !['float32', 'float16', 'uint8'].includes(input.dtype)) {
    throw new StudioError('manifest-invalid', `${role} input "${input.name}": expected float32, float16 or uint8 [batch, ${expected.join(', ')}] from preprocess, received ${input.dtype} [${input.shape.join(', ')}]`);
  }
  // uint8 carries the 0..255 pixels themselves: any other normalization would be rounded away
  const asIs = (value: number | number[], identity: number) => (Array.isArray(value) ? value : [value]).every((v) => v === identity);
  if (input.dtype === 'uint8' && !(asIs(pre.scale, 1) && asIs(pre.offset, 0))) {
    throw new StudioError('manifest-invalid', `${role} input "${input.name}" takes uint8 pixels 0..255: the normalization must keep them as they are (scale 1, offset 0: "0..255 (raw pixels)"), received scale ${pre.scale}, offset ${pre.offset}`);
  }
}

/** A float32 input as the model takes it: itself, rounded to halves for a float16 graph, or to uint8 pixels for a model whose graph takes uint8. */
function inputTensor(spec: ModelSpec, tensor: { data: Float32Array; dims: number[] }) {
  if (spec.inputs[0].dtype === 'float16') return float16Tensor(tensor.data, tensor.dims);
  if (spec.inputs[0].dtype !== 'uint8') return float32Tensor(tensor.data, tensor.dims);
  return uint8Tensor(Uint8Array.from(tensor.data, (v) => Math.min(255, Math.max(0, Math.round(v)))), tensor.dims);
}

async function runImageModel(role: string, spec: ModelSpec, runner: Runner, tensor: { data: Float32Array; dims: number[] }): Promise<TensorMap> {
  const input = inputTensor(spec, tensor);
  checkTensor(input, spec.inputs[0], `${role} input`);
  try {
    return await runner.run({ [spec.inputs[0].name]: input });
  } catch (error) {
    if (error instanceof StudioError) throw error;
    throw new InferenceError('inference-failed', `${role}: ${(error as Error)?.message ?? error}`, { cause: error });
  }
}

/**
 * A model's output for one image must be numbers: NaN or infinity would become an empty mask
 * or a made-up class without a word (a model converted to float16 overflows where float32 does not).
 */
function checkFinite(role: string, spec: ModelSpec, values: Float32Array): void {
  const bad = countNonFinite(values);
  if (!bad) return;
  const half = spec.inputs[0].dtype === 'float16' || spec.outputs[0].dtype === 'float16';
  const hint = half ? '; float16 overflows above 65504 where float32 does not: the model\'s float32 export may work' : '';
  throw new InferenceError('inference-failed', `${role}: ${bad} of the ${values.length} values the model gave for this image are not numbers (NaN or infinity)${hint}`);
}

/** Model-resolution map -> original image frame (undo the square padding). */
function toImageFrame(plane: ReturnType<typeof grayImage>, width: number, height: number): Float32Array {
  const { side } = squarePadding(width, height);
  return cropFromSquare(resize(plane, side, side), width, height).data;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StudioError('aborted', 'analysis was cancelled');
}
