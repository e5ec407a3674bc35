import type { Point } from '../../core/mask/raster.ts';
import { fillPolygonOnActive } from './editActions.ts';
import { useMasks } from './maskStore.ts';
import { create } from 'zustand';

/** The polygon being clicked out on the canvas (not yet an edit, so not in the history). */
export const usePolygonDraft = create<{ points: Point[] }>()(() => ({ points: [] }));

export function addPolygonPoint(point: Point): void {
  usePolygonDraft.setState((s) => ({ points: [...s.points, point] }));
}

/** Fill the drafted polygon into the active layer as one undo step. */
export function closePolygon(): void {
  const { points } = usePolygonDraft.getState();
  usePolygonDraft.setState({ points: [] });
  if (points.length >= 3) fillPolygonOnActive(points, 1);
  else if (points.length > 0) useMasks.getState().set({ message: { kind: 'info', text: 'A polygon needs at least 3 points.' } });
}

export function cancelPolygon(): void {
  usePolygonDraft.setState({ points: [] });
}
