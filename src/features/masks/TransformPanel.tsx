import { IDENTITY_TRANSFORM, type MaskTransform } from '../../core/mask/transform.ts';
import { applyTransform } from './editActions.ts';
import { useMasks } from './maskStore.ts';

type NumericKey = 'rotateDeg' | 'scaleX' | 'scaleY' | 'translateX' | 'translateY' | 'shearX' | 'shearY';

const SLIDERS: { key: NumericKey; label: string; min: number; max: number; step: number }[] = [
  { key: 'rotateDeg', label: 'Rotate (°)', min: -180, max: 180, step: 1 },
  { key: 'scaleX', label: 'Scale X', min: 0.5, max: 2, step: 0.01 },
  { key: 'scaleY', label: 'Scale Y', min: 0.5, max: 2, step: 0.01 },
  { key: 'translateX', label: 'Translate X (px)', min: -64, max: 64, step: 1 },
  { key: 'translateY', label: 'Translate Y (px)', min: -64, max: 64, step: 1 },
  { key: 'shearX', label: 'Shear X', min: -0.5, max: 0.5, step: 0.01 },
  { key: 'shearY', label: 'Shear Y', min: -0.5, max: 0.5, step: 0.01 },
];

const DEFAULT_ELASTIC = { strength: 4, smoothness: 32, seed: 1 };

/** Transform controls; the canvas previews the result live until it is applied. */
export function TransformPanel() {
  const transform = useMasks((s) => s.transform);
  const set = (patch: Partial<MaskTransform>) => useMasks.getState().set({ transform: { ...useMasks.getState().transform, ...patch } });
  const elastic = transform.elastic;
  const setElastic = (patch: Partial<typeof DEFAULT_ELASTIC>) => set({ elastic: { ...(elastic ?? DEFAULT_ELASTIC), ...patch } });

  return (
    <fieldset className="mask-transform">
      <legend>Transform (live preview)</legend>
      {SLIDERS.map((s) => (
        <label key={s.key}>
          {s.label}
          <input type="range" aria-label={`${s.label} slider`} min={s.min} max={s.max} step={s.step} value={transform[s.key]} onChange={(e) => set({ [s.key]: Number(e.target.value) })} />
          <input type="number" aria-label={s.label} min={s.min} max={s.max} step={s.step} value={transform[s.key]} onChange={(e) => set({ [s.key]: Number(e.target.value) })} />
        </label>
      ))}
      <label>
        <input type="checkbox" checked={transform.flipX} onChange={(e) => set({ flipX: e.target.checked })} /> Flip left-right
      </label>
      <label>
        <input type="checkbox" checked={transform.flipY} onChange={(e) => set({ flipY: e.target.checked })} /> Flip up-down
      </label>
      <label>
        <input type="checkbox" aria-label="Elastic" checked={elastic !== null} onChange={(e) => set({ elastic: e.target.checked ? DEFAULT_ELASTIC : null })} /> Elastic
      </label>
      {elastic && (
        <>
          <label>
            Strength (px) <input type="number" aria-label="Elastic strength" min={0} max={30} step={0.5} value={elastic.strength} onChange={(e) => setElastic({ strength: Number(e.target.value) })} />
          </label>
          <label>
            Smoothness (px) <input type="number" aria-label="Elastic smoothness" min={4} max={256} step={1} value={elastic.smoothness} onChange={(e) => setElastic({ smoothness: Math.max(1, Number(e.target.value)) })} />
          </label>
          <label>
            Seed <input type="number" aria-label="Elastic seed" min={0} step={1} value={elastic.seed} onChange={(e) => setElastic({ seed: Math.max(0, Math.floor(Number(e.target.value))) })} />
          </label>
        </>
      )}
      <div>
        <button onClick={applyTransform}>Apply transform</button>
        <button onClick={() => useMasks.getState().set({ transform: IDENTITY_TRANSFORM })}>Reset</button>
      </div>
    </fieldset>
  );
}
