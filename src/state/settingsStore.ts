import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { VariantName } from '../core/manifest/types.ts';
import type { BackendPreference } from '../contracts/backend.ts';

export interface Settings {
  backend: BackendPreference;
  variant: VariantName;
  /** Built-in bundle to analyze with; undefined = the default (first in index.json). */
  bundleId?: string;
  setBackend(backend: BackendPreference): void;
  setVariant(variant: VariantName): void;
  setBundleId(bundleId: string | undefined): void;
}

export const useSettings = create<Settings>()(
  persist(
    (set) => ({
      backend: 'auto',
      variant: 'fp32',
      bundleId: undefined,
      setBackend: (backend) => set({ backend }),
      setVariant: (variant) => set({ variant }),
      setBundleId: (bundleId) => set({ bundleId }),
    }),
    { name: 'cxr-studio-settings', version: 1 },
  ),
);
