import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import { DRAFT_DEFAULTS, type UserModelDraft } from './userModelSpec.ts';

/**
 * The own-model form's draft (UserModelDraft), kept across reloads and shared by the Models and
 * Evaluate pages: describing a model is work that a reload should not undo. The file itself is
 * not kept (README, "Your own model"); it is picked again.
 */
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
