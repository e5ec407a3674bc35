import type { MaskPatch } from './patch.ts';

/** Undo history as data: stacks of patches, the oldest dropped past `capacity`. */
export interface EditHistory {
  readonly undo: readonly MaskPatch[];
  readonly redo: readonly MaskPatch[];
  readonly capacity: number;
}

export const DEFAULT_HISTORY_CAPACITY = 100;

export function emptyHistory(capacity = DEFAULT_HISTORY_CAPACITY): EditHistory {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
  return { undo: [], redo: [], capacity };
}

/** A new edit: it can be undone, and whatever was undone before it can no longer be redone. */
export function recordPatch(history: EditHistory, patch: MaskPatch): EditHistory {
  const undo = [...history.undo, patch];
  return { ...history, undo: undo.length > history.capacity ? undo.slice(undo.length - history.capacity) : undo, redo: [] };
}

/** The patch to revert (apply its `before`) and the history after it, or null if there is none. */
export function takeUndo(history: EditHistory): { patch: MaskPatch; history: EditHistory } | null {
  const patch = history.undo.at(-1);
  if (!patch) return null;
  return { patch, history: { ...history, undo: history.undo.slice(0, -1), redo: [...history.redo, patch] } };
}

/** The patch to re-apply (its `after`) and the history after it, or null if there is none. */
export function takeRedo(history: EditHistory): { patch: MaskPatch; history: EditHistory } | null {
  const patch = history.redo.at(-1);
  if (!patch) return null;
  return { patch, history: { ...history, undo: [...history.undo, patch], redo: history.redo.slice(0, -1) } };
}
