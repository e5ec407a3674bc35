/**
 * The generation job, one module for every host: the request and its defaults
 * (request.ts), mask PNGs (maskSource.ts), one image with its provenance
 * (makeImage.ts) and a batch of them over an injected image maker (batch.ts).
 * The diffusion worker, the Generate page and `cxr-studio generate` only adapt I/O.
 */
export { batchRequest, batchSize, checkGenerationBatch, consecutiveSeeds, imageStem, runGenerationBatch, type GenerationBatch, type GenerationRunInput, type PlannedMask } from './batch.ts';
export { makeImage, type GeneratedImage, type OpenGenerator } from './makeImage.ts';
export { generatorMaskSide, maskReference, readMask } from './maskSource.ts';
export { checkGenerationRequest, FALLBACK_PRESET, generationDefaults, matchesPreset, pipelineRequest, presetName, presetSettings, resolveSettings, samplingPresets, type GenerationRequest, type GenerationSettings, type MaskSource } from './request.ts';
