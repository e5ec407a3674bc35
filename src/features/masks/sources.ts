import { userMessage } from '../../core/errors.ts';
import { grayImage } from '../../core/image/grayImage.ts';
import { resize } from '../../core/image/resample.ts';
import { padToSquare } from '../../core/image/squarePad.ts';
import { applyWindow } from '../../core/image/windowLevel.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { decodeMaskPng } from '../../core/mask/maskPng.ts';
import { maskFromPixels } from '../../core/mask/maskFromPixels.ts';
import type { LoadedImage } from '../../core/image/decode.ts';
import { useSettings } from '../../state/settingsStore.ts';
import { analysisClient } from '../../workers-client/analysis.ts';
import { transfer } from '../../workers-client/index.ts';
import { bundleUrl } from '../models/queries.ts';
import { blankLayers, layerStyles, useMasks } from './maskStore.ts';
import { replaceLayers } from './editActions.ts';
import { showModelPlacement } from '../models/queries.ts';

/** The layers the generator of this bundle understands (its mask_cond channels), lung first. */
export function manifestLayers(manifest: Manifest | undefined): string[] {
  const layers = [...new Set((manifest?.diffusion?.mask_channels ?? []).map((c) => c.layer))];
  return layers.length > 0 ? layers : ['lung'];
}

/**
 * Show the bundle's layers. Layers it lacks stay in the store, hidden, so undo steps that
 * touched them still apply.
 */
export function adoptManifestLayers(manifest: Manifest): void {
  const store = useMasks.getState();
  const names = manifestLayers(manifest);
  if (names.join() === store.layerOrder.join()) return;
  const missing = names.filter((name) => !store.layers[name]);
  store.set({
    layers: { ...store.layers, ...blankLayers(missing, store.side) },
    layerOrder: names,
    styles: { ...layerStyles(names), ...store.styles },
    activeLayer: names.includes(store.activeLayer) ? store.activeLayer : names[0],
  });
}

function fail(where: string, error: unknown): void {
  const { title, detail } = userMessage(error);
  useMasks.getState().set({ message: { kind: 'error', text: `${where}: ${title} ${detail}` }, busy: undefined });
}

function loaded(origin: string, text: string): void {
  useMasks.getState().set({ origin, message: { kind: 'info', text }, busy: undefined });
}

export function startBlank(): void {
  const { layerOrder, side } = useMasks.getState();
  replaceLayers(blankLayers(layerOrder, side));
  useMasks.getState().set({ conventions: {}, variants: [] });
  loaded('blank', 'Blank mask.');
}

export async function loadExampleMask(manifest: Manifest, file: string): Promise<void> {
  const example = manifest.example_masks?.find((m) => m.file === file);
  if (!example) return;
  try {
    const response = await fetch(new URL(example.file, bundleUrl(manifest.id)));
    if (!response.ok) throw new Error(`${example.file}: the server answered ${response.status}`);
    const mask = decodeMaskPng(new Uint8Array(await response.arrayBuffer()), useMasks.getState().side, example.file);
    replaceLayers({ [example.layer]: mask });
    useMasks.getState().set({ conventions: { ...useMasks.getState().conventions, [example.layer]: example.convention } });
    loaded(example.file.replace(/^.*\//, '').replace(/\.png$/i, ''), `Loaded example ${example.file} into ${example.layer}.`);
  } catch (error) {
    fail(`Example mask ${file}`, error);
  }
}

/** A PNG mask from disk into the active layer; a bad file leaves the current mask untouched. */
export async function importMaskPng(file: File): Promise<void> {
  const { side, activeLayer } = useMasks.getState();
  try {
    const mask = decodeMaskPng(new Uint8Array(await file.arrayBuffer()), side, file.name);
    replaceLayers({ [activeLayer]: mask });
    loaded(file.name.replace(/\.png$/i, ''), `Imported ${file.name} into ${activeLayer}.`);
  } catch (error) {
    fail(`Importing ${file.name}`, error);
  }
}

let openImage: LoadedImage | undefined;

/** A square 8-bit view of the image at the mask's side, padded as the models pad it. */
function toReferenceGray(image: LoadedImage, side: number): Uint8ClampedArray {
  const windowed = applyWindow(image.values, image.window, image.invert);
  const square = resize(padToSquare(grayImage(image.width, image.height, windowed)), side, side);
  return Uint8ClampedArray.from(square.data);
}

/** An X-ray to draw over (decoded in the analysis worker: PNG, JPEG or DICOM). */
export async function openReference(file: File): Promise<void> {
  const store = useMasks.getState();
  store.set({ busy: `Opening ${file.name}…`, message: undefined });
  try {
    const { api } = await analysisClient(useSettings.getState().backend);
    const buffer = await file.arrayBuffer();
    openImage = await api.decode(transfer(buffer, [buffer]));
    store.set({ reference: { name: file.name, gray: toReferenceGray(openImage, store.side) }, busy: undefined });
  } catch (error) {
    fail(`Opening ${file.name}`, error);
  }
}

/** The built-in segmenter's mask for the open X-ray, channel `channel`, into the lung layer. */
export async function segmentReference(channel: number, convention: string | undefined): Promise<void> {
  const store = useMasks.getState();
  const image = openImage;
  if (!image || !store.reference) return;
  store.set({ busy: 'Segmenting…', message: undefined });
  try {
    const { api } = await analysisClient(useSettings.getState().backend);
    const result = await api.analyze(image, undefined, () => {});
    showModelPlacement(result.models);
    const seg = result.segmentation?.channels[channel];
    if (!seg) throw new Error(`the segmenter has no channel ${channel}`);
    const square = padToSquare(grayImage(image.width, image.height, Float32Array.from(seg.mask)));
    const mask = maskFromPixels({ width: square.width, height: square.height, channels: 1, data: square.data, maxValue: 1 }, store.side);
    replaceLayers({ lung: mask });
    useMasks.getState().set({ conventions: { ...useMasks.getState().conventions, lung: convention } });
    loaded(`${store.reference.name.replace(/\.[^.]+$/, '')}-${seg.name}`, `Segmenter mask (${seg.name}) of ${store.reference.name} loaded into lung.`);
  } catch (error) {
    fail('Segmenting the X-ray', error);
  }
}
