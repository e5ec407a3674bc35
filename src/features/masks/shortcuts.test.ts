import { beforeEach, describe, expect, it } from 'vitest';
import { emptyHistory } from '../../core/mask/history.ts';
import { beginStroke, endStroke } from './editActions.ts';
import { blankLayers, useMasks, type MaskEdit } from './maskStore.ts';
import { handleShortcut } from './shortcuts.ts';

function press(key: string, modifiers: Partial<Pick<KeyboardEvent, 'ctrlKey' | 'shiftKey' | 'metaKey' | 'altKey'>> = {}, tagName = 'BODY'): boolean {
  let prevented = false;
  const event = { key, ctrlKey: false, shiftKey: false, metaKey: false, altKey: false, ...modifiers, target: { tagName }, preventDefault: () => (prevented = true) };
  handleShortcut(event as unknown as KeyboardEvent);
  return prevented;
}

beforeEach(() => {
  useMasks.getState().set({ layers: blankLayers(['lung', 'lesion']), layerOrder: ['lung', 'lesion'], activeLayer: 'lung', history: emptyHistory<MaskEdit>(), tool: 'brush', brushSize: 10 });
});

describe('keyboard shortcuts', () => {
  it('switch tools, brush size and layer', () => {
    expect(press('e')).toBe(true);
    expect(useMasks.getState().tool).toBe('eraser');
    press('P', { shiftKey: true });
    expect(useMasks.getState().tool).toBe('polygon');
    press(']');
    press(']');
    press('[');
    expect(useMasks.getState().brushSize).toBe(12);
    press('l');
    expect(useMasks.getState().activeLayer).toBe('lesion');
  });
  it('undo with Ctrl+Z and redo with Ctrl+Shift+Z or Ctrl+Y', () => {
    beginStroke({ x: 10, y: 10 });
    endStroke();
    const drawn = useMasks.getState().layers.lung.slice();
    press('z', { ctrlKey: true });
    expect(useMasks.getState().layers.lung.some((v) => v > 0)).toBe(false);
    press('Z', { ctrlKey: true, shiftKey: true });
    expect(useMasks.getState().layers.lung).toEqual(drawn);
    press('z', { metaKey: true });
    press('y', { ctrlKey: true });
    expect(useMasks.getState().layers.lung).toEqual(drawn);
  });
  it('leave keys alone while the user types in a field, and ignore unbound keys', () => {
    expect(press('e', {}, 'INPUT')).toBe(false);
    expect(useMasks.getState().tool).toBe('brush');
    expect(press('q')).toBe(false);
    expect(press('b', { ctrlKey: true })).toBe(false);
  });
});
