import { create } from 'zustand';
import { emptyHistory, type EditHistory } from '../../core/mask/history.ts';
import type { MaskPatch } from '../../core/mask/patch.ts';
import { IDENTITY_TRANSFORM, type MaskTransform } from '../../core/mask/transform.ts';
import { DEFAULT_VARIANT_RANGES, type VariantRanges } from '../../core/mask/variants.ts';

export const MASK_SIDE = 256;

export type Tool = 'brush' | 'eraser' | 'polygon' | 'fill';

/** One user action: the patches it made, one per layer it touched. */
export type MaskEdit = readonly MaskPatch[];

export interface LayerStyle {
  colour: string;
  visible: boolean;
}

/** A random variant: its parameters (for provenance) and every layer transformed by them. */
export interface MaskVariant {
  id: string;
  transform: MaskTransform;
  layers: Record<string, Uint8Array>;
}

/** What the shown variants were made from: the layers as they were and the recipe, so a batch job remakes the same ones. */
export interface VariantBase {
  layers: Record<string, Uint8Array>;
  /** The lung layer's convention then (e.g. "shenzhen"). */
  convention?: string;
  count: number;
  seed: number;
  ranges: VariantRanges;
}

export interface ReferenceImage {
  name: string;
  /** 8-bit gray at MASK_SIDE x MASK_SIDE, as the models see it. */
  gray: Uint8ClampedArray;
}

interface MaskState {
  side: number;
  /** Layer name -> 0/1 raster, edited in place; `version` says when to redraw. */
  layers: Record<string, Uint8Array>;
  layerOrder: string[];
  styles: Record<string, LayerStyle>;
  activeLayer: string;
  /** How the lung layer was drawn (e.g. "v7", "shenzhen"), passed to the generator. */
  conventions: Record<string, string | undefined>;
  /** Where the current mask came from, for exported file names and provenance. */
  origin: string;
  version: number;
  history: EditHistory<MaskEdit>;
  tool: Tool;
  brushSize: number;
  opacity: number;
  zoom: number;
  pan: { x: number; y: number };
  reference?: ReferenceImage;
  transform: MaskTransform;
  ranges: VariantRanges;
  variantCount: number;
  variantSeed: number;
  variants: MaskVariant[];
  variantBase?: VariantBase;
  message?: { kind: 'error' | 'info'; text: string };
  busy?: string;
  set(patch: Partial<Omit<MaskState, 'set'>>): void;
  bump(): void;
}

const COLOURS = ['#ff5252', '#ffd740', '#40c4ff', '#b2ff59'];

export function layerStyles(names: readonly string[]): Record<string, LayerStyle> {
  return Object.fromEntries(names.map((name, i) => [name, { colour: COLOURS[i % COLOURS.length], visible: true }]));
}

export function blankLayers(names: readonly string[], side = MASK_SIDE): Record<string, Uint8Array> {
  return Object.fromEntries(names.map((name) => [name, new Uint8Array(side * side)]));
}

const DEFAULT_LAYERS = ['lung', 'lesion'];

export const useMasks = create<MaskState>()((set) => ({
  side: MASK_SIDE,
  layers: blankLayers(DEFAULT_LAYERS),
  layerOrder: DEFAULT_LAYERS,
  styles: layerStyles(DEFAULT_LAYERS),
  activeLayer: 'lung',
  conventions: {},
  origin: 'blank',
  version: 0,
  history: emptyHistory<MaskEdit>(),
  tool: 'brush',
  brushSize: 12,
  opacity: 0.5,
  zoom: 1,
  pan: { x: 0, y: 0 },
  transform: IDENTITY_TRANSFORM,
  ranges: DEFAULT_VARIANT_RANGES,
  variantCount: 4,
  variantSeed: 1,
  variants: [],
  set: (patch) => set(patch),
  bump: () => set((s) => ({ version: s.version + 1 })),
}));
