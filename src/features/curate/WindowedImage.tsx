import { useEffect, useRef, useState } from 'react';
import { windowValue, type Window } from '../../core/image/windowLevel.ts';

/** An 8-bit gray PNG drawn through a window/level, at full size. */
export function WindowedImage({ png, window, alt }: { png: Blob; window: Window; alt: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [gray, setGray] = useState<{ values: Uint8ClampedArray; width: number; height: number }>();
  useEffect(() => {
    let live = true;
    void createImageBitmap(png).then((bitmap) => {
      const scratch = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
      scratch.drawImage(bitmap, 0, 0);
      const rgba = scratch.getImageData(0, 0, bitmap.width, bitmap.height).data;
      if (live) setGray({ values: rgba, width: bitmap.width, height: bitmap.height });
      bitmap.close();
    });
    return () => {
      live = false;
    };
  }, [png]);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context || !gray) return;
    const out = context.createImageData(gray.width, gray.height);
    for (let i = 0; i < gray.values.length; i += 4) {
      const v = windowValue(gray.values[i], window);
      out.data[i] = out.data[i + 1] = out.data[i + 2] = v;
      out.data[i + 3] = 255;
    }
    context.putImageData(out, 0, 0);
  }, [gray, window]);
  return <canvas ref={canvas} width={gray?.width ?? 256} height={gray?.height ?? 256} className="review-image" role="img" aria-label={alt} />;
}
