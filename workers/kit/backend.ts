import type { BackendInfo, BackendPreference } from '../../src/contracts/backend.ts';
import { chooseBackend } from '../runtime/index.ts';

let preference: BackendPreference = 'auto';
let chosen: Promise<BackendInfo> | undefined;

/** Pick the backend once per worker; the bridge starts a new worker to change it. */
export function configureBackend(wanted: BackendPreference): Promise<BackendInfo> {
  preference = wanted;
  chosen = chooseBackend(wanted);
  return chosen;
}

/** The configured backend (chosen on first use when the bridge has not configured one). */
export function currentBackend(): Promise<BackendInfo> {
  chosen ??= chooseBackend(preference);
  return chosen;
}
