import { Button, Card, Checkbox, Group, Text } from '@mantine/core';
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
    <Card component="figure" withBorder padding="sm" radius="md" className="gallery-card" data-testid="gallery-item">
      <Card.Section className="gallery-image image-stage">
        <img src={url} width={entry.side} height={entry.side} alt={`Synthetic X-ray: ${p.prompt}, seed ${p.seed}`} />
        {entry.mask && showOutline && <OutlineOverlay mask={entry.mask} side={entry.side} />}
      </Card.Section>
      <figcaption className="gallery-caption">
        <Text size="sm" fw={600} lineClamp={2} title={p.prompt}>
          {p.prompt}
        </Text>
        {p.negative_prompt && (
          <Text size="xs" c="dimmed" data-testid="negative-prompt">
            {' · not: '}
            {p.negative_prompt.text}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          seed {p.seed} · {p.steps} steps · guidance {p.guidance} · {SCHEDULER_LABELS[p.scheduler]}{p.unet === 'unet_guided' ? ' · one pass' : ''}
        </Text>
        <Group gap="xs" justify="space-between" className="gallery-actions">
          {entry.mask ? <Checkbox size="xs" label="mask outline" checked={showOutline} onChange={() => toggleOutline(entry.id)} /> : <span />}
          <Group gap={4}>
            <Button component="a" href={url} download={fileName} variant="subtle" size="compact-xs">
              Download PNG
            </Button>
            <Button variant="subtle" color="red" size="compact-xs" onClick={() => void deleteImage(entry.id)}>
              Delete
            </Button>
          </Group>
        </Group>
        <details className="gallery-provenance">
          <summary>Provenance</summary>
          <pre data-testid="provenance">{JSON.stringify(p, null, 2)}</pre>
        </details>
      </figcaption>
    </Card>
  );
}
