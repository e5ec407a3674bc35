import { useEffect, useRef } from 'react';
import type { VariantRanges } from '../../core/mask/variants.ts';
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
    <figure className="mask-variant" data-testid="mask-variant">
      <canvas ref={canvas} width={side} height={side} />
      <figcaption title={JSON.stringify(t)}>{summary}</figcaption>
      <button onClick={() => void sendToGenerator([variant.id])}>Generate from this</button>
    </figure>
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
    <fieldset className="mask-variants">
      <legend>Random variants</legend>
      <div className="mask-ranges">
        {RANGES.map((r) => (
          <label key={r.key}>
            {r.label}
            <input type="number" aria-label={`${r.label} min`} step={r.step} value={ranges[r.key][0]} onChange={(e) => setRange(r.key, 0, Number(e.target.value))} />
            to
            <input type="number" aria-label={`${r.label} max`} step={r.step} value={ranges[r.key][1]} onChange={(e) => setRange(r.key, 1, Number(e.target.value))} />
          </label>
        ))}
        <label>
          Flip chance <input type="number" aria-label="Flip chance" min={0} max={1} step={0.1} value={ranges.flipXChance} onChange={(e) => set({ ranges: { ...ranges, flipXChance: Number(e.target.value) } })} />
        </label>
        <label>
          N <input type="number" aria-label="Number of variants" min={1} max={64} value={count} onChange={(e) => set({ variantCount: Math.max(1, Math.min(64, Math.floor(Number(e.target.value)))) })} />
        </label>
        <label>
          Seed <input type="number" aria-label="Variant seed" min={0} value={seed} onChange={(e) => set({ variantSeed: Math.max(0, Math.floor(Number(e.target.value))) })} />
        </label>
      </div>
      <button onClick={makeVariants}>Make variants</button>
      {variants.length > 0 && (
        <>
          <button onClick={() => void sendToGenerator(variants.map((v) => v.id))}>Generate from all {variants.length}</button>
          <button onClick={exportVariants}>Export all (zip)</button>
        </>
      )}
      <div className="mask-variant-grid">
        {variants.map((v) => (
          <Thumbnail key={v.id} variant={v} />
        ))}
      </div>
    </fieldset>
  );
}
