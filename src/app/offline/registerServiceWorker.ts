/// <reference types="vite-plugin-pwa/vanillajs" />
import { registerSW } from 'virtual:pwa-register';
import { useOffline } from './offlineStore.ts';

/**
 * Register src/sw.ts (production builds only; the dev server has none). The first
 * visit's page is claimed as soon as the app shell is precached, so the models and
 * wasm it then loads are cached for the next, offline, visit.
 */
export function registerServiceWorker(): void {
  const store = useOffline.getState();
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) {
    store.setShell('unsupported', import.meta.env.PROD ? 'this browser or origin offers no service worker' : 'the dev server runs without one');
    return;
  }
  const markReady = () => {
    if (navigator.serviceWorker.controller) useOffline.getState().setShell('ready');
  };
  navigator.serviceWorker.addEventListener('controllerchange', markReady);
  registerSW({
    immediate: true,
    onRegisteredSW: () => {
      void navigator.serviceWorker.ready.then(markReady);
    },
    onOfflineReady: markReady,
    onRegisterError: (error: unknown) => useOffline.getState().setShell('failed', error instanceof Error ? error.message : String(error)),
  });
}
