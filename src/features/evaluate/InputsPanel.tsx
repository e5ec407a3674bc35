import { looksMultiLabel } from '../../core/evaluation/labelSets.ts';
import type { Manifest } from '../../core/manifest/types.ts';
import { useState } from 'react';
import { dropTestSet, pickFiles, pickLabels } from './actions.ts';
import { droppedFiles } from '../../ui/droppedFiles.ts';
import { useEvaluate } from './evaluateStore.ts';

const asArray = (list: FileList | null) => (list ? [...list] : []);

/** Inputs: images (folder or zip), labels CSV with column mapping, masks (folder or zip), and the run's settings. */
export function InputsPanel({ manifest }: { manifest: Manifest | undefined }) {
  const { images, masks, labels, mapping, split, labelMap, multiLabel, channel, settings, dropNote, set } = useEvaluate();
  const [dragging, setDragging] = useState(false);
  const multiLabelShown = multiLabel ?? (mapping.label ? looksMultiLabel(labels?.table.rows.map((r) => r[mapping.label!]) ?? []) : false);
  const columns = labels?.table.columns ?? [];
  const splits = mapping.split ? [...new Set(labels?.table.rows.map((r) => r[mapping.split!]))] : [];
  const channels = manifest?.models.segmenter?.channels ?? [];
  const columnSelect = (role: 'file' | 'label' | 'split') => (
    <label>
      {role} column{' '}
      <select data-testid={`column-${role}`} value={mapping[role] ?? ''} onChange={(e) => set({ mapping: { ...mapping, [role]: e.target.value || undefined }, ...(role === 'split' ? { split: undefined } : {}) })}>
        <option value="">(none)</option>
        {columns.map((c) => <option key={c}>{c}</option>)}
      </select>
    </label>
  );
  return (
    <section
      className={dragging ? 'panel dropping' : 'panel'}
      aria-label="Test set"
      data-testid="test-set-drop"
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        void droppedFiles(e.dataTransfer).then(dropTestSet);
      }}
    >
      <h2>Test set</h2>
      <p>Files are read here, in this tab; nothing is uploaded. Pick them below, or drop files, a zip or a folder (images/, masks/, labels.csv) on this panel.</p>
      {dropNote && <p className="note" data-testid="drop-note">{dropNote}</p>}
      <div className="row">
        <label>Images folder <input data-testid="images-folder" type="file" multiple {...{ webkitdirectory: '' }} onChange={(e) => void pickFiles(asArray(e.target.files), 'images')} /></label>
        <label>or images (files or one zip) <input data-testid="images-files" type="file" multiple accept=".png,.jpg,.jpeg,.dcm,.zip,application/dicom" onChange={(e) => void pickFiles(asArray(e.target.files), 'images')} /></label>
        {images && <span data-testid="images-count">{images.names.length} image file(s) in {images.label}</span>}
      </div>
      <div className="row">
        <label>Labels CSV <input data-testid="labels-file" type="file" accept=".csv,.tsv,.txt" onChange={(e) => e.target.files?.[0] && void pickLabels(e.target.files[0])} /></label>
        {labels && <>{columnSelect('file')}{columnSelect('label')}{columnSelect('split')}</>}
        {labels && <label>label map <input data-testid="label-map" placeholder="No Finding=normal, Pneumonia=pneumonia" value={labelMap} onChange={(e) => set({ labelMap: e.target.value })} /></label>}
        {labels && mapping.label && (
          <label title="Cells like &quot;Effusion|Pneumonia&quot; or &quot;COVID-19, ARDS&quot;: every class with p ≥ threshold is predicted">
            <input data-testid="multi-label" type="checkbox" checked={multiLabelShown} onChange={(e) => set({ multiLabel: e.target.checked })} /> labels are sets (multi-label{multiLabel === undefined ? ', guessed from the cells' : ''})
          </label>
        )}
        {splits.length > 0 && (
          <label>split <select data-testid="split" value={split ?? ''} onChange={(e) => set({ split: e.target.value || undefined })}>
            <option value="">(all rows)</option>
            {splits.map((s) => <option key={s}>{s}</option>)}
          </select></label>
        )}
      </div>
      <div className="row">
        <label>Masks (folder) <input data-testid="masks-folder" type="file" multiple {...{ webkitdirectory: '' }} onChange={(e) => void pickFiles(asArray(e.target.files), 'masks')} /></label>
        <label>or masks (files or one zip) <input data-testid="masks-files" type="file" multiple accept=".png,.zip" onChange={(e) => void pickFiles(asArray(e.target.files), 'masks')} /></label>
        {masks && <span>{masks.names.length} mask file(s)</span>}
        {channels.length > 1 && (
          <label>compare with channel <select data-testid="channel" value={channel} onChange={(e) => set({ channel: Number(e.target.value) })}>
            {channels.map((c, i) => <option key={c.name} value={i} title={c.convention}>{c.name}</option>)}
          </select></label>
        )}
      </div>
      <div className="row">
        <label>threshold <input data-testid="threshold" type="number" min={0} max={1} step={0.05} value={settings.threshold} onChange={(e) => set({ settings: { ...settings, threshold: Number(e.target.value) } })} /></label>
        <label>empty ground truth <select data-testid="empty-truth" value={settings.emptyTruth} onChange={(e) => set({ settings: { ...settings, emptyTruth: e.target.value as typeof settings.emptyTruth } })}>
          <option value="empty-is-one">both empty = 1</option>
          <option value="ignore-empty">skip (MONAI ignore_empty)</option>
        </select></label>
        <label>zero division <select value={settings.zeroDivision} onChange={(e) => set({ settings: { ...settings, zeroDivision: Number(e.target.value) as 0 | 1 } })}>
          <option value={0}>0</option><option value={1}>1</option>
        </select></label>
        <label><input data-testid="hd95" type="checkbox" checked={Boolean(settings.hd95)} onChange={(e) => set({ settings: { ...settings, hd95: e.target.checked } })} /> HD95 (slower)</label>
        <label>bootstrap <input type="number" min={100} step={100} value={settings.bootstrap.iterations} onChange={(e) => set({ settings: { ...settings, bootstrap: { ...settings.bootstrap, iterations: Number(e.target.value) } } })} /></label>
      </div>
    </section>
  );
}
