import { Alert, Group, Loader, Text } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { CaseView } from '../../contracts/evaluation.ts';
import { ResultSection } from './ResultSection.tsx';

/** One case: the image with ground truth (green) and prediction (magenta) overlaid, on black in both colour schemes. */
export function CaseViewer({ stem, view, error }: { stem: string; view?: CaseView; error?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const figure = useRef<HTMLDivElement>(null);
  // a case opened from a table further up is shown here, further down: bring it into view
  useEffect(() => {
    figure.current?.scrollIntoView({ block: 'nearest' });
  }, [stem]);
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
    <div ref={figure}>
      <ResultSection title={stem} meta="ground truth and prediction overlaid" label="Case" testId="case-viewer">
        {error ? (
          <Alert color="red" title={`${stem} could not be shown`}>
            {error}
          </Alert>
        ) : view ? (
          <figure className="case-figure">
            <div className="image-stage case-stage">
              <canvas ref={canvas} />
            </div>
            <figcaption>
              <Group gap="md">
                <Group gap={6}>
                  <span className="legend-swatch swatch-truth" aria-hidden />
                  <Text size="sm">ground truth</Text>
                </Group>
                <Group gap={6}>
                  <span className="legend-swatch swatch-prediction" aria-hidden />
                  <Text size="sm">prediction</Text>
                </Group>
              </Group>
            </figcaption>
          </figure>
        ) : (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">Loading {stem}…</Text>
          </Group>
        )}
      </ResultSection>
    </div>
  );
}
