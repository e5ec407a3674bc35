import './masks.css';
import { useEffect } from 'react';
import { useActiveBundleId, useAnalysisModels, useManifest } from '../models/queries.ts';
import { EditorToolbar } from './EditorToolbar.tsx';
import { MaskCanvas } from './MaskCanvas.tsx';
import { useMasks } from './maskStore.ts';
import { handleShortcut, SHORTCUTS } from './shortcuts.ts';
import { adoptManifestLayers } from './sources.ts';
import { SourcePanel } from './SourcePanel.tsx';
import { TransformPanel } from './TransformPanel.tsx';
import { sendToGenerator } from './variantActions.ts';
import { VariantsPanel } from './VariantsPanel.tsx';

function Shortcuts() {
  return (
    <details className="mask-shortcuts" open>
      <summary>Keyboard shortcuts</summary>
      <dl>
        {SHORTCUTS.map((s) => (
          <div key={s.keys}>
            <dt>
              <kbd>{s.keys}</kbd>
            </dt>
            <dd>{s.does}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

/** Draw, edit and transform lung / lesion masks, then send them to the generator. */
export function MasksPage() {
  const manifest = useManifest(useActiveBundleId());
  const models = useAnalysisModels();
  const message = useMasks((s) => s.message);
  const busy = useMasks((s) => s.busy);
  const origin = useMasks((s) => s.origin);

  useEffect(() => {
    if (manifest.data) adoptManifestLayers(manifest.data);
  }, [manifest.data]);

  useEffect(() => {
    window.addEventListener('keydown', handleShortcut);
    return () => window.removeEventListener('keydown', handleShortcut);
  }, []);

  return (
    <section className="masks">
      <h2>Masks</h2>
      <SourcePanel manifest={manifest.data} segmenterReady={models.isSuccess} />
      <p className="note" data-testid="mask-status">
        {busy ?? `Mask: ${origin}`}
      </p>
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'error' : 'note'} data-testid="mask-message">
          {message.text}
        </p>
      )}
      <EditorToolbar />
      <div className="workspace">
        <MaskCanvas />
        <div className="side">
          <TransformPanel />
          <button onClick={() => void sendToGenerator('current')}>Generate from this mask</button>
          <Shortcuts />
        </div>
      </div>
      <VariantsPanel />
    </section>
  );
}
