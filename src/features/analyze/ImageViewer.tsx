import { useEffect, useRef } from 'react';
import { applyWindow } from '../../core/image/windowLevel.ts';
import { useAnalyze } from './analyzeStore.ts';

const OVERLAY_RGB = [255, 64, 64];

/** Draws the windowed image and the selected mask channel from the store. */
export function ImageViewer() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const image = useAnalyze((s) => s.image);
  const window = useAnalyze((s) => s.window);
  const result = useAnalyze((s) => s.result);
  const overlay = useAnalyze((s) => s.overlay);

  useEffect(() => {
    const element = canvas.current;
    if (!element || !image) return;
    element.width = image.width;
    element.height = image.height;
    const gray = applyWindow(image.values, window, image.invert);
    const mask = overlay.visible ? result?.segmentation?.channels[overlay.channel]?.mask : undefined;
    const rgba = new ImageData(image.width, image.height);
    const a = overlay.opacity;
    for (let i = 0; i < gray.length; i++) {
      const v = gray[i];
      const on = mask && mask[i] ? a : 0;
      rgba.data[i * 4] = v * (1 - on) + OVERLAY_RGB[0] * on;
      rgba.data[i * 4 + 1] = v * (1 - on) + OVERLAY_RGB[1] * on;
      rgba.data[i * 4 + 2] = v * (1 - on) + OVERLAY_RGB[2] * on;
      rgba.data[i * 4 + 3] = 255;
    }
    element.getContext('2d')!.putImageData(rgba, 0, 0);
  }, [image, window, result, overlay]);

  if (!image) return null;
  return <canvas ref={canvas} className="analyze-viewer" aria-label="X-ray with lung mask overlay" data-testid="viewer" />;
}
