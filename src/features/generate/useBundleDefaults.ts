import { useEffect } from 'react';
import { presetSettings } from '../../core/generation/request.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { useGenerate } from './generateStore.ts';

/**
 * The bundle's default sampling (`diffusion.defaults`) into the Generate form's settings, once
 * per bundle (a form the user changed keeps its values on later visits). Every page that reads
 * those settings calls it, not only the Generate form: the Masks page's batch job exported
 * before Generate was ever opened took the code's fallback (guidance 3) instead of the
 * bundle's 5.
 */
export function useBundleDefaults(manifest: Manifest): void {
  const applyDefaults = useGenerate((s) => s.applyDefaults);
  const defaults = manifest.diffusion?.defaults;
  useEffect(() => {
    if (!defaults) return;
    applyDefaults(manifest.id, presetSettings(defaults));
  }, [manifest.id, defaults, applyDefaults]);
}
