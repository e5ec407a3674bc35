import { useSyncExternalStore } from 'react';

export const ROUTES = ['analyze', 'models', 'generate', 'masks', 'evaluate', 'curate'] as const;
export type Route = (typeof ROUTES)[number];

function read(): Route {
  const name = location.hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'analyze';
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** Hash routing (#/analyze, #/models, ...): works from any static host with no server rewrites. */
export function useRoute(): Route {
  return useSyncExternalStore(subscribe, read);
}
