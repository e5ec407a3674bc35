import { Button, Card, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useEffect, useRef } from 'react';
import type { VariantRanges } from '../../core/mask/variants.ts';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { NumberField } from '../../ui/NumberField.tsx';
import { useMasks, type MaskVariant } from './maskStore.ts';
import { renderMasks } from './renderMasks.ts';
import { exportVariants, makeVariants, sendToGenerator } from './variantActions.ts';

type RangeKey = Exclude<keyof VariantRanges, 'flipXChance' | 'elasticSmoothness'>;

const RANGES: { key: RangeKey; label: string; step: number }[] = [
  { key: 'rotateDeg', label: 'Rotate (°)', step: 1 },
  { key: 'scaleX', label: 'Scale X', step: 0.01 },
  { key: 'scaleY', label: 'Scale Y', step: 0.01 },
  { key: 'translateX', label: 'Translate X (px)', step: 1 },
  { key: 'translateY', label: 'Translate Y (px)', step: 1 },
  { key: 'shearX', label: 'Shear X', step: 0.01 },
  { key: 'shearY', label: 'Shear Y', step: 0.01 },
  { key: 'elasticStrength', label: 'Elastic strength (px)', step: 0.5 },
];

function Thumbnail({ variant }: { variant: MaskVariant }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const side = useMasks((s) => s.side);
  const styles = useMasks((s) => s.styles);
  const layerOrder = useMasks((s) => s.layerOrder);
  const reference = useMasks((s) => s.reference);
  useEffect(() => {
    const image = new ImageData(side, side);
    const shown = layerOrder.filter((name) => variant.layers[name] && styles[name]);
    renderMasks(side, reference?.gray, shown.map((name) => [variant.layers[name], styles[name]]), 0.6, image.data);
    canvas.current?.getContext('2d')!.putImageData(image, 0, 0);
  }, [variant, side, styles, layerOrder, reference]);
  const t = variant.transform;
  const summary = `rot ${t.rotateDeg.toFixed(1)}°, scale ${t.scaleX.toFixed(2)}×${t.scaleY.toFixed(2)}, shift ${t.translateX.toFixed(0)},${t.translateY.toFixed(0)}${t.elastic ? `, elastic ${t.elastic.strength.toFixed(1)}` : ''}`;
  return (
    <Card component="figure" withBorder padding="xs" radius="md" className="mask-variant" data-testid="mask-variant">
      <Card.Section className="image-stage mask-variant-image">
        <canvas ref={canvas} width={side} height={side} />
      </Card.Section>
      <Text component="figcaption" size="xs" c="dimmed" mt="xs" title={JSON.stringify(t)}>
        {summary}
      </Text>
      <Button size="compact-xs" variant="light" mt="xs" onClick={() => void sendToGenerator([variant.id])}>
        Generate from this
      </Button>
    </Card>
  );
}

/** Random variants: ranges, N and seed -> thumbnails, sent to the generator one or all at once. */
export function VariantsPanel() {
  const ranges = useMasks((s) => s.ranges);
  const count = useMasks((s) => s.variantCount);
  const seed = useMasks((s) => s.variantSeed);
  const variants = useMasks((s) => s.variants);
  const set = useMasks((s) => s.set);
  const setRange = (key: RangeKey, end: 0 | 1, value: number) => {
    const next: [number, number] = [...ranges[key]];
    next[end] = value;
    set({ ranges: { ...ranges, [key]: next } });
  };

  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Random variants" className="mask-variants">
      <Title order={3} size="h5" mb={4}>
        Random variants
      </Title>
      <Text size="xs" c="dimmed" mb="sm">
        Each variant draws its transform uniformly from these ranges (seeded, so the same seed gives the same variants) and applies it to every layer.
      </Text>
      <div className="mask-ranges">
        {RANGES.map((r) => (
          <div key={r.key} className="range-pair">
            <Text size="xs" fw={500} className="range-pair-label">
              {r.label}
            </Text>
            <Group gap={6} wrap="nowrap">
              <NumberField size="xs" aria-label={`${r.label} min`} step={r.step} value={ranges[r.key][0]} onChange={(v) => setRange(r.key, 0, v)} />
              <Text size="xs" c="dimmed">
                to
              </Text>
              <NumberField size="xs" aria-label={`${r.label} max`} step={r.step} value={ranges[r.key][1]} onChange={(v) => setRange(r.key, 1, v)} />
            </Group>
          </div>
        ))}
      </div>
      <Group gap="sm" align="flex-end" mt="sm">
        <NumberField size="xs" className="narrow-input" label="Flip chance" aria-label="Flip chance" min={0} max={1} step={0.1} value={ranges.flipXChance} onChange={(flipXChance) => set({ ranges: { ...ranges, flipXChance } })} />
        <NumberField size="xs" className="narrow-input" label="Variants (N)" aria-label="Number of variants" integer min={1} max={64} value={count} onChange={(variantCount) => set({ variantCount })} />
        <NumberField size="xs" className="narrow-input" label="Seed" aria-label="Variant seed" integer min={0} value={seed} onChange={(variantSeed) => set({ variantSeed })} />
        <Button size="xs" onClick={makeVariants}>
          Make variants
        </Button>
        {variants.length > 0 && (
          <>
            <Button size="xs" variant="light" onClick={() => void sendToGenerator(variants.map((v) => v.id))}>
              Generate from all {variants.length}
            </Button>
            <Button size="xs" variant="default" onClick={exportVariants}>
              Export all (zip)
            </Button>
          </>
        )}
      </Group>
      <Stack mt="md">
        {variants.length === 0 ? (
          <EmptyState title="No variants yet">Set the ranges and N above and press Make variants: a thumbnail of each variant of the current mask appears here, ready to send to the generator one by one or all at once.</EmptyState>
        ) : (
          <div className="mask-variant-grid">
            {variants.map((v) => (
              <Thumbnail key={v.id} variant={v} />
            ))}
          </div>
        )}
      </Stack>
    </Paper>
  );
}
