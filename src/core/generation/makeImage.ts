import { encode } from 'fast-png';
import type { Manifest, ModelRole, VariantSpec } from '../manifest/types.ts';
import { generateImage, type GenerateOptions, type GenerateRunners } from '../pipelines/generate.ts';
import { buildProvenance, toGray8, type Provenance } from '../pipelines/provenance.ts';
import type { PromptTokenizer } from '../text/tokenizer.ts';
import { maskReference } from './maskSource.ts';
import { pipelineRequest, presetName, type GenerationRequest } from './request.ts';

/** A generator as a host opened it: onnxruntime-web sessions in the worker, onnxruntime-node in the CLI. */
export interface OpenGenerator {
  manifest: Manifest;
  tokenizer: PromptTokenizer;
  runners: GenerateRunners;
  /**
   * Where the models really run, written into each provenance. Read after the image is made:
   * a WebGPU model checked on its first run may have moved to WASM during it.
   */
  readonly engine: string;
  /** The file each role really runs (e.g. the int8 UNet); roles not listed ran fp32. */
  variants?: Partial<Record<ModelRole, VariantSpec>>;
}

export interface GeneratedImage {
  /** 8-bit gray PNG. */
  png: Uint8Array;
  side: number;
  /** The 0/1 conditioning mask at model resolution, for the outline overlay. */
  mask?: Uint8Array;
  provenance: Provenance;
  elapsedMs: number;
}

/**
 * One image, the same for every host: decode the request's mask PNGs, run the
 * pipeline, encode the PNG and write the provenance (with the mask's sha256 and,
 * when the Masks editor made it, how).
 */
export async function makeImage(generator: OpenGenerator, request: GenerationRequest, options: GenerateOptions = {}): Promise<GeneratedImage> {
  const { manifest, tokenizer, runners, variants } = generator;
  const decoded = pipelineRequest(manifest, request);
  const result = await generateImage(manifest, tokenizer, runners, decoded, options);
  const mask = request.mask ? await maskReference(request.mask) : undefined;
  const provenance: Provenance = {
    ...buildProvenance(manifest, decoded, result, { engine: generator.engine, mask, variants, preset: presetName(manifest, request) }),
    ...(request.maskEditor ? { mask_editor: request.maskEditor } : {}),
  };
  const png = encode({ width: result.side, height: result.side, channels: 1, depth: 8, data: toGray8(result.image01) });
  const lung = decoded.masks?.[0];
  return { png, side: result.side, provenance, elapsedMs: result.elapsedMs, ...(lung ? { mask: lung.data } : {}) };
}
