import { useAnalyze } from './analyzeStore.ts';

/** Window/level and mask overlay controls. */
export function ViewControls() {
  const { image, window, valueRange, setWindow, result, overlay, setOverlay } = useAnalyze();
  if (!image) return null;
  const [min, max] = valueRange;
  const span = Math.max(max - min, 1);
  const channels = result?.segmentation?.channels ?? [];
  return (
    <fieldset className="controls">
      <legend>View</legend>
      <label>
        Level {Math.round(window.center)}
        <input type="range" aria-label="Window level" min={min} max={max} step={span / 512} value={window.center} onChange={(e) => setWindow({ ...window, center: Number(e.target.value) })} />
      </label>
      <label>
        Width {Math.round(window.width)}
        <input type="range" aria-label="Window width" min={1} max={span * 2} step={span / 512} value={window.width} onChange={(e) => setWindow({ ...window, width: Number(e.target.value) })} />
      </label>
      <button type="button" onClick={() => setWindow(image.window)}>
        Reset window
      </button>
      {channels.length > 0 && (
        <>
          <label>
            <input type="checkbox" checked={overlay.visible} onChange={(e) => setOverlay({ visible: e.target.checked })} /> Show mask
          </label>
          <label>
            Opacity
            <input type="range" aria-label="Mask opacity" min={0} max={1} step={0.05} value={overlay.opacity} onChange={(e) => setOverlay({ opacity: Number(e.target.value) })} />
          </label>
          {channels.length > 1 && (
            <label>
              Channel{' '}
              <select aria-label="Mask channel" value={overlay.channel} onChange={(e) => setOverlay({ channel: Number(e.target.value) })}>
                {channels.map((c, i) => (
                  <option key={c.name} value={i} title={c.convention}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
          )}
        </>
      )}
    </fieldset>
  );
}
