import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { NORMALIZATIONS } from './userModelSpec.ts';

/**
 * What the user typed into the "your own model" form, as typed, kept across reloads and
 * shared by the Models and Evaluate pages: describing a model is work that a reload should
 * not undo. The file itself is not kept (README, "Your own model"); it is picked again.
 */
export interface UserModelDraft {
  role: string;
  size: string;
  channels: string;
  layout: string;
  scale: string;
  offset: string;
  activation: string;
  threshold: string;
  names: string;
  inputName: string;
  outputName: string;
}

export const DRAFT_DEFAULTS: Readonly<UserModelDraft> = Object.freeze({
  role: 'classifier',
  size: '256',
  channels: '1',
  layout: 'nchw',
  scale: NORMALIZATIONS.unit.scale,
  offset: NORMALIZATIONS.unit.offset,
  activation: 'softmax',
  threshold: '0.5',
  names: 'normal, pneumonia, tuberculosis, covid19',
  inputName: '',
  outputName: '',
});

export const useUserModelDraft = create<UserModelDraft & { patch(p: Partial<UserModelDraft>): void; reset(): void }>()(
  persist(
    (set) => ({
      ...DRAFT_DEFAULTS,
      patch: (p) => set(p),
      reset: () => set({ ...DRAFT_DEFAULTS }),
    }),
    { name: 'cxr-studio-user-model-form', version: 1 },
  ),
);
