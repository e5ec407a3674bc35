// Stylesheets first, so that each page's own CSS (imported by the pages below) comes after them.
import '@mantine/core/styles.layer.css';
import './ui/ui.css';
import './ui/lightVariantDark.css';
import './ui/contrast.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { Providers } from './app/Providers.tsx';
import './app/backendSwitch.ts';
import { finishPendingClear } from './app/offline/clearStudioData.ts';
import { registerServiceWorker } from './app/offline/registerServiceWorker.ts';
import { useAnalyze } from './features/analyze/analyzeStore.ts';
import { useMasks } from './features/masks/maskStore.ts';

// A read-only handle for devtools and the e2e tests: the last analysis, image and overlay; the mask editor.
Object.defineProperty(window, 'cxrStudio', { value: Object.freeze({ analysis: () => useAnalyze.getState(), masks: () => useMasks.getState() }) });

// Settings' "clear cached models and data" finishes here, before anything opens a database.
await finishPendingClear();
registerServiceWorker();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers>
      <App />
    </Providers>
  </StrictMode>,
);
