import { clearActiveLayer, redo, undo } from './editActions.ts';
import { useMasks, type Tool } from './maskStore.ts';

const TOOLS: { tool: Tool; label: string; key: string }[] = [
  { tool: 'brush', label: 'Brush', key: 'B' },
  { tool: 'eraser', label: 'Eraser', key: 'E' },
  { tool: 'polygon', label: 'Polygon', key: 'P' },
  { tool: 'fill', label: 'Flood fill', key: 'F' },
];

/** Tools, brush size, undo/redo, layers and view controls. */
export function EditorToolbar() {
  const tool = useMasks((s) => s.tool);
  const brushSize = useMasks((s) => s.brushSize);
  const history = useMasks((s) => s.history);
  const layerOrder = useMasks((s) => s.layerOrder);
  const styles = useMasks((s) => s.styles);
  const activeLayer = useMasks((s) => s.activeLayer);
  const opacity = useMasks((s) => s.opacity);
  const zoom = useMasks((s) => s.zoom);
  const set = useMasks((s) => s.set);

  return (
    <div className="mask-toolbar">
      <div role="group" aria-label="Tools">
        {TOOLS.map((t) => (
          <button key={t.tool} aria-pressed={tool === t.tool} onClick={() => set({ tool: t.tool })} title={`${t.label} (${t.key})`}>
            {t.label} <kbd>{t.key}</kbd>
          </button>
        ))}
      </div>
      <label>
        Brush size {brushSize}px
        <input type="range" min={1} max={128} value={brushSize} aria-label="Brush size" onChange={(e) => set({ brushSize: Number(e.target.value) })} />
      </label>
      <div role="group" aria-label="History">
        <button onClick={undo} disabled={history.undo.length === 0} title="Undo (Ctrl+Z)">
          Undo ({history.undo.length})
        </button>
        <button onClick={redo} disabled={history.redo.length === 0} title="Redo (Ctrl+Shift+Z)">
          Redo ({history.redo.length})
        </button>
        <button onClick={clearActiveLayer} title="Clear the active layer (Shift+Delete)">
          Clear {activeLayer}
        </button>
      </div>
      <fieldset className="mask-layers">
        <legend>Layers</legend>
        {layerOrder.map((name) => (
          <div key={name} className="mask-layer">
            <label>
              <input type="radio" name="active-layer" checked={activeLayer === name} onChange={() => set({ activeLayer: name })} aria-label={`Edit ${name}`} />
              {name}
            </label>
            <input type="color" value={styles[name].colour} aria-label={`${name} colour`} onChange={(e) => set({ styles: { ...styles, [name]: { ...styles[name], colour: e.target.value } } })} />
            <label>
              <input type="checkbox" checked={styles[name].visible} aria-label={`Show ${name}`} onChange={(e) => set({ styles: { ...styles, [name]: { ...styles[name], visible: e.target.checked } } })} />
              visible
            </label>
          </div>
        ))}
      </fieldset>
      <label>
        Overlay opacity {Math.round(opacity * 100)}%
        <input type="range" min={0} max={1} step={0.05} value={opacity} aria-label="Overlay opacity" onChange={(e) => set({ opacity: Number(e.target.value) })} />
      </label>
      <label>
        Zoom {Math.round(zoom * 100)}%
        <input type="range" min={0.5} max={8} step={0.25} value={zoom} aria-label="Zoom" onChange={(e) => set({ zoom: Number(e.target.value) })} />
      </label>
      <button onClick={() => set({ zoom: 1, pan: { x: 0, y: 0 } })}>Reset view</button>
    </div>
  );
}
