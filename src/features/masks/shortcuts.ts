import { clearActiveLayer, redo, undo } from './editActions.ts';
import { useMasks, type Tool } from './maskStore.ts';
import { cancelPolygon, closePolygon } from './polygonDraft.ts';

export interface Shortcut {
  keys: string;
  does: string;
  /** Runs the action and returns true when the key press is this shortcut. */
  handle(e: KeyboardEvent): boolean;
}

const plain = (e: KeyboardEvent) => !e.ctrlKey && !e.metaKey && !e.altKey;
const ctrl = (e: KeyboardEvent) => e.ctrlKey || e.metaKey;

/** A shortcut whose keys map to actions: `{ b: ... }` runs on a plain "b". */
function keys(keysLabel: string, does: string, actions: Record<string, () => void>, when: (e: KeyboardEvent) => boolean = plain): Shortcut {
  return {
    keys: keysLabel,
    does,
    handle: (e) => {
      const action = when(e) ? actions[e.key.length === 1 ? e.key.toLowerCase() : e.key] : undefined;
      action?.();
      return action !== undefined;
    },
  };
}

const setTool = (tool: Tool) => () => useMasks.getState().set({ tool });
const change = (fn: (s: ReturnType<typeof useMasks.getState>) => Parameters<ReturnType<typeof useMasks.getState>['set']>[0]) => () => useMasks.getState().set(fn(useMasks.getState()));
const zoomBy = (factor: number) => change((s) => ({ zoom: Math.min(8, Math.max(0.5, s.zoom * factor)) }));
const brushBy = (delta: number) => change((s) => ({ brushSize: Math.min(128, Math.max(1, s.brushSize + delta)) }));

/** Every keyboard shortcut of the Masks page; the page lists them from here. */
export const SHORTCUTS: Shortcut[] = [
  keys('B', 'brush', { b: setTool('brush') }),
  keys('E', 'eraser', { e: setTool('eraser') }),
  keys('P', 'polygon / lasso', { p: setTool('polygon') }),
  keys('F', 'flood fill', { f: setTool('fill') }),
  keys('[ ]', 'brush smaller / larger', { '[': brushBy(-2), ']': brushBy(2) }),
  keys('Ctrl+Z', 'undo', { z: undo }, (e) => ctrl(e) && !e.shiftKey),
  keys('Ctrl+Shift+Z / Ctrl+Y', 'redo', { z: redo, y: redo }, (e) => ctrl(e) && (e.shiftKey || e.key.toLowerCase() === 'y')),
  keys('L', 'next layer', { l: change((s) => ({ activeLayer: s.layerOrder[(s.layerOrder.indexOf(s.activeLayer) + 1) % s.layerOrder.length] })) }),
  keys('H', 'hide / show active layer', { h: change((s) => ({ styles: { ...s.styles, [s.activeLayer]: { ...s.styles[s.activeLayer], visible: !s.styles[s.activeLayer].visible } } })) }),
  keys('+ −', 'zoom in / out (or wheel)', { '+': zoomBy(1.25), '=': zoomBy(1.25), '-': zoomBy(0.8) }),
  keys('0', 'reset zoom and pan', { 0: change(() => ({ zoom: 1, pan: { x: 0, y: 0 } })) }),
  { keys: 'Space+drag / middle drag', does: 'pan', handle: () => false },
  keys('Enter / Esc', 'close / cancel polygon', { Enter: closePolygon, Escape: cancelPolygon }),
  keys('Shift+Delete', 'clear active layer', { Delete: clearActiveLayer, Backspace: clearActiveLayer }, (e) => plain(e) && e.shiftKey),
];

/** Runs the shortcut for a key press, unless the user is typing in a form field. */
export function handleShortcut(e: KeyboardEvent): void {
  const target = e.target as HTMLElement | null;
  if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
  if (SHORTCUTS.some((s) => s.handle(e))) e.preventDefault();
}
