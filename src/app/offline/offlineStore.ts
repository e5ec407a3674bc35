import { create } from 'zustand';
import type { ClearReport } from './clearStudioData.ts';

/**
 * Whether the app shell works without network: 'unsupported' (no service worker:
 * an insecure origin, a private window that forbids it), 'installing' (precaching on
 * the first visit), 'ready' (precached and controlling this page), 'failed'.
 */
export type ShellState = 'unsupported' | 'installing' | 'ready' | 'failed';

interface OfflineState {
  shell: ShellState;
  /** Why the service worker could not be registered, in plain words. */
  detail?: string;
  /** What "Clear cached models and data" deleted at this start, if it ran. */
  cleared?: ClearReport;
  setShell(shell: ShellState, detail?: string): void;
  setCleared(report: ClearReport): void;
}

export const useOffline = create<OfflineState>()((set) => ({
  shell: 'installing',
  setShell: (shell, detail) => set({ shell, detail }),
  setCleared: (cleared) => set({ cleared }),
}));
