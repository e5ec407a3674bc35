import { useEffect, useRef } from 'react';
import type { CaseView } from '../../contracts/evaluation.ts';

/** One case: the image with ground truth (green) and prediction (magenta) overlaid. */
export function CaseViewer({ stem, view, error }: { stem: string; view?: CaseView; error?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!view || !canvas.current) return;
    const { width, height, pixels, truth, prediction } = view;
    const rgba = new ImageData(width, height);
    for (let i = 0; i < width * height; i++) {
      let [r, g, b] = [pixels[i], pixels[i], pixels[i]];
      if (truth?.[i]) g = Math.min(255, g * 0.6 + 100);
      if (prediction?.[i]) [r, b] = [Math.min(255, r * 0.6 + 100), Math.min(255, b * 0.6 + 100)];
      rgba.data.set([r, g, b, 255], i * 4);
    }
    canvas.current.width = width;
    canvas.current.height = height;
    canvas.current.getContext('2d')!.putImageData(rgba, 0, 0);
  }, [view]);
  return (
    <figure className="panel" data-testid="case-viewer">
      {error ? <p role="alert">{error}</p> : view ? <canvas ref={canvas} /> : <p>Loading {stem}…</p>}
      <figcaption>{stem}: <span style={{ color: '#2f855a' }}>ground truth</span>, <span style={{ color: '#b83280' }}>prediction</span></figcaption>
    </figure>
  );
}
