import { useEffect, useMemo, useRef } from 'react';
import { maskOutline } from '../../core/mask/outline.ts';
import { SCHEDULER_LABELS } from '../../core/schedulers/index.ts';
import type { GalleryEntry } from '../../storage/gallery.ts';
import { deleteImage } from './actions.ts';
import { useGenerate } from './generateStore.ts';

const OUTLINE_RGBA = [255, 80, 80, 255];

function OutlineOverlay({ mask, side }: { mask: Uint8Array; side: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    const outline = maskOutline(mask, side);
    const pixels = context.createImageData(side, side);
    outline.forEach((on, i) => on && pixels.data.set(OUTLINE_RGBA, i * 4));
    context.putImageData(pixels, 0, 0);
  }, [mask, side]);
  return <canvas ref={canvas} width={side} height={side} className="outline" aria-hidden="true" />;
}

export function GalleryCard({ entry }: { entry: GalleryEntry }) {
  const url = useMemo(() => URL.createObjectURL(entry.png), [entry.png]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  const showOutline = useGenerate((s) => s.outlines[entry.id] ?? true);
  const toggleOutline = useGenerate((s) => s.toggleOutline);
  const p = entry.provenance;
  const fileName = `cxr-synthetic-${p.model.id}-seed${p.seed}-${p.steps}steps.png`;

  return (
    <figure className="gallery-card" data-testid="gallery-item">
      <div className="gallery-image">
        <img src={url} width={entry.side} height={entry.side} alt={`Synthetic X-ray: ${p.prompt}, seed ${p.seed}`} />
        {entry.mask && showOutline && <OutlineOverlay mask={entry.mask} side={entry.side} />}
      </div>
      <figcaption>
        <strong>{p.prompt}</strong>
        {p.negative_prompt && <span data-testid="negative-prompt"> · not: {p.negative_prompt.text}</span>}
        <br />
        seed {p.seed} · {p.steps} steps · guidance {p.guidance} · {SCHEDULER_LABELS[p.scheduler]}
        <div className="gallery-actions">
          {entry.mask && (
            <label>
              <input type="checkbox" checked={showOutline} onChange={() => toggleOutline(entry.id)} /> mask outline
            </label>
          )}
          <a href={url} download={fileName}>
            Download PNG
          </a>
          <button type="button" onClick={() => void deleteImage(entry.id)}>
            Delete
          </button>
        </div>
        <details>
          <summary>Provenance</summary>
          <pre data-testid="provenance">{JSON.stringify(p, null, 2)}</pre>
        </details>
      </figcaption>
    </figure>
  );
}
