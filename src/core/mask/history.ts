import type { MaskPatch } from './patch.ts';

/**
 * Undo history as data: stacks of edits, the oldest dropped past `capacity`. An edit is
 * a patch, or a group of patches that one user action made (a transform of every layer).
 */
export interface EditHistory<E = MaskPatch> {
  readonly undo: readonly E[];
  readonly redo: readonly E[];
  readonly capacity: number;
}

export const DEFAULT_HISTORY_CAPACITY = 100;

export function emptyHistory<E = MaskPatch>(capacity = DEFAULT_HISTORY_CAPACITY): EditHistory<E> {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
  return { undo: [], redo: [], capacity };
}

/** A new edit: it can be undone, and whatever was undone before it can no longer be redone. */
export function recordPatch<E>(history: EditHistory<E>, patch: E): EditHistory<E> {
  const undo = [...history.undo, patch];
  return { ...history, undo: undo.length > history.capacity ? undo.slice(undo.length - history.capacity) : undo, redo: [] };
}

/** The patch to revert (apply its `before`) and the history after it, or null if there is none. */
export function takeUndo<E>(history: EditHistory<E>): { patch: E; history: EditHistory<E> } | null {
  const patch = history.undo.at(-1);
  if (!patch) return null;
  return { patch, history: { ...history, undo: history.undo.slice(0, -1), redo: [...history.redo, patch] } };
}

/** The patch to re-apply (its `after`) and the history after it, or null if there is none. */
export function takeRedo<E>(history: EditHistory<E>): { patch: E; history: EditHistory<E> } | null {
  const patch = history.redo.at(-1);
  if (!patch) return null;
  return { patch, history: { ...history, undo: [...history.undo, patch], redo: history.redo.slice(0, -1) } };
}
