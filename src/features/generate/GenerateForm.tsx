import { measuredPromptAdherence } from '../../core/manifest/promptAdherence.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { SCHEDULER_LABELS, SCHEDULER_NAMES } from '../../core/schedulers/index.ts';
import type { SchedulerName } from '../../core/schedulers/types.ts';
import { MAX_GUIDANCE } from '../../core/pipelines/generate.ts';
import { promptExamples } from '../../core/text/promptTemplate.ts';
import { useEffect } from 'react';
import { runBatch } from './actions.ts';
import { useGenerate } from './generateStore.ts';
import { MaskPicker } from './MaskPicker.tsx';

const MAX_BATCH = 16;

/** A manifest's steps / guidance / scheduler as form settings (a scheduler the studio lacks is left as it is). */
function settingsOf(preset: { steps: number; guidance: number; scheduler: string }): { steps: number; guidance: number; scheduler?: SchedulerName } {
  const scheduler = SCHEDULER_NAMES.find((n) => n === preset.scheduler);
  return { steps: preset.steps, guidance: preset.guidance, ...(scheduler ? { scheduler } : {}) };
}

const label = (scheduler: string) => SCHEDULER_LABELS[scheduler as SchedulerName] ?? scheduler;

export function GenerateForm({ manifest, ready }: { manifest: Manifest; ready: boolean }) {
  const settings = useGenerate((s) => s.settings);
  const running = useGenerate((s) => Boolean(s.run));
  const update = useGenerate((s) => s.update);
  const rollSeed = useGenerate((s) => s.rollSeed);
  const applyDefaults = useGenerate((s) => s.applyDefaults);

  const defaults = manifest.diffusion?.defaults;
  const fast = manifest.diffusion?.fast;
  useEffect(() => {
    if (!defaults) return;
    applyDefaults(manifest.id, settingsOf(defaults));
  }, [manifest.id, defaults, applyDefaults]);

  const examples = manifest.prompt ? promptExamples(manifest.prompt) : [];
  const adherence = measuredPromptAdherence(manifest, settings.prompt);
  const number = (text: string, fallback: number) => (text.trim() === '' || !Number.isFinite(Number(text)) ? fallback : Number(text));

  return (
    <form
      className="controls generate-form"
      onSubmit={(e) => {
        e.preventDefault();
        void runBatch(manifest);
      }}
    >
      <label>
        Prompt
        <input type="text" list="prompt-examples" size={48} value={settings.prompt} onChange={(e) => update({ prompt: e.target.value })} aria-label="Prompt" />
        <datalist id="prompt-examples">
          {examples.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
      </label>
      {adherence && (
        <p className={adherence.adherence < 0.5 ? 'note warning' : 'note'} data-testid="prompt-adherence">
          Model card: {Math.round(adherence.adherence * 100)}% of images this model made for <b>{adherence.finding}</b> prompts were read as {adherence.finding} by its classifier
          {adherence.adherence < 0.5 ? '. Expect chest X-rays that do not show the finding.' : '.'}
        </p>
      )}
      {examples.length > 0 && (
        <label>
          Examples
          <select aria-label="Prompt examples" value="" onChange={(e) => e.target.value && update({ prompt: e.target.value })}>
            <option value="">choose…</option>
            {examples.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
      )}
      <label title="Guidance steers each image away from this prompt as well as towards the prompt above. Empty: away from no prompt at all. Needs guidance above 1.">
        Negative prompt
        <input type="text" list="prompt-examples" size={32} value={settings.negativePrompt} placeholder="optional, e.g. chest x-ray, pneumonia" onChange={(e) => update({ negativePrompt: e.target.value })} aria-label="Negative prompt" />
      </label>
      {settings.negativePrompt.trim() !== '' && settings.guidance === 1 && (
        <p className="note warning" role="alert">
          Guidance 1 has no unconditional pass, so a negative prompt has nothing to act on: set guidance above 1 or clear it.
        </p>
      )}
      <MaskPicker manifest={manifest} />
      <label>
        Steps
        <input type="number" min={1} max={manifest.diffusion?.num_train_timesteps ?? 1000} value={settings.steps} onChange={(e) => update({ steps: Math.max(1, Math.round(number(e.target.value, settings.steps))) })} aria-label="Steps" />
      </label>
      <label>
        Guidance
        <input type="number" min={0} max={MAX_GUIDANCE} step={0.5} value={settings.guidance} onChange={(e) => update({ guidance: number(e.target.value, settings.guidance) })} aria-label="Guidance" />
      </label>
      <label>
        Scheduler
        <select aria-label="Scheduler" value={settings.scheduler} onChange={(e) => update({ scheduler: e.target.value as SchedulerName })}>
          {SCHEDULER_NAMES.map((n) => (
            <option key={n} value={n}>
              {SCHEDULER_LABELS[n]}
            </option>
          ))}
        </select>
      </label>
      {fast && defaults && (
        <p className="note" data-testid="fast-settings">
          No GPU? Fewer steps are faster:{' '}
          <button type="button" onClick={() => update(settingsOf(fast))} title={fast.measured}>
            Fast: {label(fast.scheduler)}, {fast.steps} steps
          </button>{' '}
          <button type="button" onClick={() => update(settingsOf(defaults))}>
            Defaults: {label(defaults.scheduler)}, {defaults.steps} steps
          </button>
          {fast.measured && <small> {fast.measured}</small>}
        </p>
      )}
      <label>
        Seed
        <input type="number" min={0} max={0xffffffff} value={settings.seed} onChange={(e) => update({ seed: Math.round(number(e.target.value, settings.seed)) >>> 0 })} aria-label="Seed" />
        <button type="button" onClick={rollSeed} aria-label="Random seed" title="Random seed">
          🎲
        </button>
      </label>
      <label>
        Batch size
        <input type="number" min={1} max={MAX_BATCH} value={settings.batchSize} onChange={(e) => update({ batchSize: Math.min(MAX_BATCH, Math.max(1, Math.round(number(e.target.value, 1)))) })} aria-label="Batch size" />
        <small> seeds {settings.seed}…{(settings.seed + settings.batchSize - 1) >>> 0}</small>
      </label>
      <button type="submit" disabled={!ready || running}>
        Generate
      </button>
    </form>
  );
}
