export type { GeneratedImage } from '../core/generation/makeImage.ts';
export type { GenerationRequest, MaskSource } from '../core/generation/request.ts';

export interface GeneratorInfo {
  bundle: string;
  /** Where each model really runs, e.g. "text_encoder webgpu, unet wasm, vae_decoder webgpu". */
  engine: string;
  /** One line per model that did not run as asked (variant or provider fallback). */
  notes: string[];
}
