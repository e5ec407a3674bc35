import { IDENTITY_TRANSFORM, type MaskTransform } from '../mask/transform.ts';
import type { Provenance } from '../pipelines/provenance.ts';

/** The generation settings acceptance is broken down by. */
export const SETTING_GROUPS = ['prompt', 'guidance', 'steps', 'scheduler', 'mask'] as const;
export type SettingGroup = (typeof SETTING_GROUPS)[number];

function maskKey(provenance: Provenance): string {
  if (!provenance.mask) return 'no mask';
  const transform = provenance.mask_editor?.transform;
  if (transform && typeof transform === 'object') {
    const given = transform as Partial<MaskTransform>;
    const changed = (Object.keys(IDENTITY_TRANSFORM) as (keyof MaskTransform)[]).filter((k) => k in given && given[k] !== IDENTITY_TRANSFORM[k]);
    if (changed.length) return `transformed (${changed.join(', ')})`;
  }
  return provenance.mask_editor ? 'editor mask, untransformed' : 'mask, untransformed';
}

/** The group an image falls in for each setting, as a readable key. */
export function settingKey(provenance: Provenance, group: SettingGroup): string {
  switch (group) {
    case 'prompt':
      return provenance.prompt;
    case 'guidance':
      return `guidance ${provenance.guidance}`;
    case 'steps':
      return `${provenance.steps} steps`;
    case 'scheduler':
      return provenance.scheduler;
    case 'mask':
      return maskKey(provenance);
  }
}
