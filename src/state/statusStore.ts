import { create } from 'zustand';
import { userMessage } from '../core/errors.ts';
import type { BackendInfo, LoadedModelInfo, LoadProgress } from '../contracts/index.ts';

export interface FileProgress {
  file: string;
  loaded: number;
  total: number;
  status: LoadProgress['status'];
  fromCache?: boolean;
}

export interface ShownError {
  title: string;
  detail: string;
  code: string;
  where: string;
}

interface StatusState {
  backend?: BackendInfo;
  files: Record<string, FileProgress>;
  models: LoadedModelInfo[];
  error?: ShownError;
  setBackend(backend: BackendInfo | undefined): void;
  onProgress(progress: LoadProgress): void;
  setModels(models: LoadedModelInfo[]): void;
  showError(where: string, error: unknown): void;
  clearError(): void;
}

export const useStatus = create<StatusState>()((set) => ({
  files: {},
  models: [],
  setBackend: (backend) => set({ backend }),
  onProgress: (p) =>
    set((state) => {
      const previous = state.files[p.file] ?? { file: p.file, loaded: 0, total: 0, status: p.status };
      const next: FileProgress = { ...previous, status: p.status };
      if (p.status === 'initiate') Object.assign(next, { loaded: 0, total: p.total });
      if (p.status === 'progress') Object.assign(next, { loaded: p.loaded, total: p.total });
      if (p.status === 'download' || p.status === 'done') next.fromCache = p.fromCache;
      if (p.status === 'done') next.loaded = p.total;
      return { files: { ...state.files, [p.file]: next } };
    }),
  setModels: (models) => set({ models }),
  showError: (where, error) => set({ error: { ...userMessage(error), where } }),
  clearError: () => set({ error: undefined }),
}));
