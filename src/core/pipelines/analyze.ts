import { InferenceError, StudioError } from '../errors.ts';
import type { ChannelSpec, ModelSpec } from '../manifest/types.ts';
import { grayImage } from '../image/grayImage.ts';
import { resize } from '../image/resample.ts';
import { cropFromSquare, squarePadding } from '../image/squarePad.ts';
import { applyWindow, type Window } from '../image/windowLevel.ts';
import type { ModalityImage } from '../image/dicomPixels.ts';
import { binarize, maskArea } from '../mask/binarize.ts';
import { float32Tensor, type Runner, type TensorMap } from '../runner.ts';
import { activateChannels, activateVector } from '../tensor/activation.ts';
import { checkTensor } from '../tensor/checkTensor.ts';
import { imageToTensor } from '../tensor/imageTensor.ts';

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
  const { onStage, signal } = options;
  // 1. Check inputs
  if (!models.segmenter && !models.classifier) throw new StudioError('manifest-invalid', 'analyze: the bundle has neither a segmenter nor a classifier');
  if (image.values.length !== image.width * image.height) {
    throw new InferenceError('model-io-mismatch', `analyze: expected ${image.width * image.height} pixels for ${image.width}x${image.height}, received ${image.values.length}`);
  }
  for (const [role, model] of Object.entries(models) as Array<[string, BoundModel | undefined]>) {
    if (model) checkImageModel(role, model.spec);
  }

  // 2. Preprocess: window to 0..255 as the models were trained on
  onStage?.('preprocess');
  const pixels = grayImage(image.width, image.height, applyWindow(image.values, options.window ?? image.window, image.invert));
  const result: AnalysisResult = { width: image.width, height: image.height };

  // 3. Segment
  if (models.segmenter) {
    throwIfAborted(signal);
    onStage?.('segment');
    const started = performance.now();
    const { spec, runner } = models.segmenter;
    const outputs = await runImageModel('segmenter', spec, runner, imageToTensor(pixels, spec.preprocess!));
    const logits = checkTensor(outputs[spec.outputs[0].name], spec.outputs[0], 'segmenter output');
    const [, count, outH, outW] = logits.dims;
    const channelSpecs = spec.channels ?? [];
    if (channelSpecs.length !== count) {
      throw new InferenceError('model-io-mismatch', `segmenter: manifest names ${channelSpecs.length} channel(s), the model produced ${count}`);
    }
    const post = spec.postprocess!;
    const probabilities = activateChannels(logits.data as Float32Array, count, post.activation);
    const channels = channelSpecs.map((channel, c) => {
      const plane = grayImage(outW, outH, probabilities.subarray(c * outW * outH, (c + 1) * outW * outH));
      const probs = toImageFrame(plane, image.width, image.height);
      const mask = binarize(probs, post.threshold ?? 0.5);
      return { ...channel, probabilities: probs, mask, area: maskArea(mask) };
    });
    result.segmentation = { channels, ms: performance.now() - started };
  }

  // 4. Classify
  if (models.classifier) {
    throwIfAborted(signal);
    onStage?.('classify');
    const started = performance.now();
    const { spec, runner, classes } = models.classifier;
    const outputs = await runImageModel('classifier', spec, runner, imageToTensor(pixels, spec.preprocess!));
    const logits = checkTensor(outputs[spec.outputs[0].name], spec.outputs[0], 'classifier output');
    if (logits.dims[1] !== classes.length) {
      throw new InferenceError('model-io-mismatch', `classifier: ${classes.length} class name(s) given, the model produced ${logits.dims[1]} logits`);
    }
    const featureSpec = spec.outputs.find((o) => o.name === 'features');
    const features = featureSpec ? outputs[featureSpec.name]?.data : undefined;
    result.classification = {
      classes,
      probabilities: activateVector(logits.data as Float32Array, spec.postprocess!.activation),
      features: features instanceof Float32Array ? features : undefined,
      ms: performance.now() - started,
    };
  }

  onStage?.('done');
  return result;
}

function checkImageModel(role: string, spec: ModelSpec): void {
  const input = spec.inputs[0];
  const pre = spec.preprocess;
  if (!pre || !spec.postprocess) throw new StudioError('manifest-invalid', `${role}: the manifest gives no preprocess/postprocess`);
  const [, c, h, w] = input.shape;
  const fits = input.shape.length === 4 && (typeof c !== 'number' || c === pre.channels) && (typeof h !== 'number' || h === pre.size) && (typeof w !== 'number' || w === pre.size);
  if (!fits || input.dtype !== 'float32') {
    throw new StudioError('manifest-invalid', `${role} input "${input.name}": expected float32 [batch, ${pre.channels}, ${pre.size}, ${pre.size}] from preprocess, received ${input.dtype} [${input.shape.join(', ')}]`);
  }
}

async function runImageModel(role: string, spec: ModelSpec, runner: Runner, tensor: { data: Float32Array; dims: number[] }): Promise<TensorMap> {
  const input = float32Tensor(tensor.data, tensor.dims);
  checkTensor(input, spec.inputs[0], `${role} input`);
  try {
    return await runner.run({ [spec.inputs[0].name]: input });
  } catch (error) {
    if (error instanceof StudioError) throw error;
    throw new InferenceError('inference-failed', `${role}: ${(error as Error)?.message ?? error}`, { cause: error });
  }
}

/** Model-resolution map -> original image frame (undo the square padding). */
function toImageFrame(plane: ReturnType<typeof grayImage>, width: number, height: number): Float32Array {
  const { side } = squarePadding(width, height);
  return cropFromSquare(resize(plane, side, side), width, height).data;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StudioError('aborted', 'analysis was cancelled');
}
