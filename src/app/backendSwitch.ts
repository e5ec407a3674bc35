import { switchBackend } from '../workers-client/index.ts';
import { useSettings } from '../state/settingsStore.ts';

// A backend chosen in Settings applies to every worker at once: work running on the old
// backend stops and every pending call settles (code "backend-changed"), instead of the old
// worker being dropped whenever a page next asks for one, with its calls left pending.
useSettings.subscribe((state, previous) => {
  if (state.backend !== previous.backend) switchBackend(state.backend);
});
