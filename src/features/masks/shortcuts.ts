import { clearActiveLayer, redo, undo } from './editActions.ts';
import { useMasks, type Tool } from './maskStore.ts';
import { cancelPolygon, closePolygon } from './polygonDraft.ts';

export interface Shortcut {
  keys: string;
  does: string;
  matches(e: KeyboardEvent): boolean;
  run(): void;
}

const key = (k: string) => (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && e.key.toLowerCase() === k;
const setTool = (tool: Tool) => () => useMasks.getState().set({ tool });
const zoomBy = (factor: number) => () => {
  const { zoom } = useMasks.getState();
  useMasks.getState().set({ zoom: Math.min(8, Math.max(0.5, zoom * factor)) });
};

/** Every keyboard shortcut of the Masks page; the page lists them from here. */
export const SHORTCUTS: Shortcut[] = [
  { keys: 'B', does: 'brush', matches: key('b'), run: setTool('brush') },
  { keys: 'E', does: 'eraser', matches: key('e'), run: setTool('eraser') },
  { keys: 'P', does: 'polygon / lasso', matches: key('p'), run: setTool('polygon') },
  { keys: 'F', does: 'flood fill', matches: key('f'), run: setTool('fill') },
  { keys: '[ ]', does: 'brush smaller / larger', matches: (e) => e.key === '[' || e.key === ']', run: () => {} },
  { keys: 'Ctrl+Z', does: 'undo', matches: (e) => (e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'z', run: undo },
  { keys: 'Ctrl+Shift+Z / Ctrl+Y', does: 'redo', matches: (e) => (e.ctrlKey || e.metaKey) && ((e.shiftKey && e.key.toLowerCase() === 'z') || e.key.toLowerCase() === 'y'), run: redo },
  { keys: 'L', does: 'next layer', matches: key('l'), run: () => {
    const { layerOrder, activeLayer } = useMasks.getState();
    useMasks.getState().set({ activeLayer: layerOrder[(layerOrder.indexOf(activeLayer) + 1) % layerOrder.length] });
  } },
  { keys: 'H', does: 'hide / show active layer', matches: key('h'), run: () => {
    const { styles, activeLayer } = useMasks.getState();
    useMasks.getState().set({ styles: { ...styles, [activeLayer]: { ...styles[activeLayer], visible: !styles[activeLayer].visible } } });
  } },
  { keys: '+ −', does: 'zoom in / out (or wheel)', matches: (e) => ['+', '=', '-'].includes(e.key), run: () => {} },
  { keys: '0', does: 'reset zoom and pan', matches: key('0'), run: () => useMasks.getState().set({ zoom: 1, pan: { x: 0, y: 0 } }) },
  { keys: 'Space+drag / middle drag', does: 'pan', matches: () => false, run: () => {} },
  { keys: 'Enter / Esc', does: 'close / cancel polygon', matches: (e) => e.key === 'Enter' || e.key === 'Escape', run: () => {} },
  { keys: 'Shift+Delete', does: 'clear active layer', matches: (e) => e.shiftKey && (e.key === 'Delete' || e.key === 'Backspace'), run: clearActiveLayer },
];

/** Keys whose action depends on which key of the pair was pressed. */
function pairAction(e: KeyboardEvent): (() => void) | undefined {
  const { brushSize } = useMasks.getState();
  if (e.key === '[') return () => useMasks.getState().set({ brushSize: Math.max(1, brushSize - 2) });
  if (e.key === ']') return () => useMasks.getState().set({ brushSize: Math.min(128, brushSize + 2) });
  if (e.key === '+' || e.key === '=') return zoomBy(1.25);
  if (e.key === '-') return zoomBy(0.8);
  if (e.key === 'Enter') return closePolygon;
  if (e.key === 'Escape') return cancelPolygon;
  return undefined;
}

/** Runs the shortcut for a key press, unless the user is typing in a form field. */
export function handleShortcut(e: KeyboardEvent): void {
  const target = e.target as HTMLElement | null;
  if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
  const shortcut = SHORTCUTS.find((s) => s.matches(e));
  if (!shortcut) return;
  e.preventDefault();
  (pairAction(e) ?? shortcut.run)();
}
