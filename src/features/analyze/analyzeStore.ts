import { create } from 'zustand';
import type { LoadedImage } from '../../core/image/decode.ts';
import type { Window } from '../../core/image/windowLevel.ts';
import { dice } from '../../core/metrics/dice.ts';
import type { AnalysisResult, AnalyzeStage } from '../../core/pipelines/analyze.ts';

export interface OverlaySettings {
  visible: boolean;
  opacity: number;
  channel: number;
}

interface AnalyzeState {
  fileName?: string;
  image?: LoadedImage;
  valueRange: [number, number];
  window: Window;
  stage?: AnalyzeStage | 'decode';
  result?: AnalysisResult;
  overlay: OverlaySettings;
  groundTruth?: { name: string; mask: Float32Array };
  error?: { title: string; detail: string };
  /** The image whose analysis the user cancelled: not re-run automatically. */
  cancelledImage?: LoadedImage;
  setImage(fileName: string, image: LoadedImage): void;
  setWindow(window: Window): void;
  setStage(stage: AnalyzeState['stage']): void;
  setResult(result: AnalysisResult | undefined): void;
  setOverlay(overlay: Partial<OverlaySettings>): void;
  setGroundTruth(groundTruth: AnalyzeState['groundTruth']): void;
  setError(error: AnalyzeState['error']): void;
  markCancelled(): void;
}

function range(values: Float32Array): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return Number.isFinite(min) ? [min, max] : [0, 255];
}

export const useAnalyze = create<AnalyzeState>()((set) => ({
  valueRange: [0, 255],
  window: { center: 128, width: 256 },
  overlay: { visible: true, opacity: 0.4, channel: 0 },
  setImage: (fileName, image) =>
    set({ fileName, image, window: image.window, valueRange: range(image.values), result: undefined, groundTruth: undefined, error: undefined }),
  setWindow: (window) => set({ window }),
  setStage: (stage) => set({ stage }),
  setResult: (result) => set((s) => ({ result, overlay: { ...s.overlay, channel: Math.min(s.overlay.channel, (result?.segmentation?.channels.length ?? 1) - 1) } })),
  setOverlay: (overlay) => set((s) => ({ overlay: { ...s.overlay, ...overlay } })),
  setGroundTruth: (groundTruth) => set({ groundTruth }),
  setError: (error) => set({ error }),
  markCancelled: () => set((s) => ({ cancelledImage: s.image })),
}));

/** Dice of the shown channel against the user's ground-truth mask, when both exist and sizes agree. */
export function groundTruthDice(state: Pick<AnalyzeState, 'result' | 'groundTruth' | 'overlay'>): number | undefined {
  const channel = state.result?.segmentation?.channels[state.overlay.channel];
  if (!channel || !state.groundTruth || channel.mask.length !== state.groundTruth.mask.length) return undefined;
  return dice(channel.mask, state.groundTruth.mask);
}
