import { useMemo, useState } from 'react';
import { userMessage } from '../../core/errors.ts';
import type { EvaluationPlan } from '../../core/evaluation/request.ts';
import { TryExampleButton } from '../examples/TryExampleButton.tsx';
import { evaluateExampleSet } from '../examples/tryEvaluate.ts';
import { useActiveBundleId, useManifest } from '../models/queries.ts';
import { exportCsv, exportJson, exportNameKey, modelNames, startRun, validate, viewCase } from './actions.ts';
import { CaseViewer } from './CaseViewer.tsx';
import { ComparisonPanel } from './ComparisonPanel.tsx';
import { ClassificationResults } from './ClassificationResults.tsx';
import { useEvaluate } from './evaluateStore.ts';
import { InputsPanel } from './InputsPanel.tsx';
import { InterruptedRun } from './InterruptedRun.tsx';
import { ModelPicker } from './ModelPicker.tsx';
import { MultiLabelResults } from './MultiLabelResults.tsx';
import { RunPanel } from './RunPanel.tsx';
import { RunsList } from './RunsList.tsx';
import { SegmentationResults } from './SegmentationResults.tsx';
import { ShiftPanel } from './ShiftPanel.tsx';
import { ValidationPanel } from './ValidationPanel.tsx';
import './evaluate.css';

export function EvaluatePage() {
  const bundle = useManifest(useActiveBundleId()).data;
  const { modelSource, userModel, images, masks, labels, mapping, split, labelMap, multiLabel, channel, settings, inputError, run, summary, view, comparison } = useEvaluate();
  const manifest = modelSource === 'user' ? userModel?.manifest : bundle;
  const checked = useMemo((): { plan?: EvaluationPlan; error?: { title: string; detail: string } } => {
    try {
      return { plan: validate(manifest, { images, masks, labels, mapping, split, labelMap, multiLabel, channel, settings }) };
    } catch (error) {
      return { error: userMessage(error) };
    }
  }, [manifest, images, masks, labels, mapping, split, labelMap, multiLabel, channel, settings]);
  const validation = checked.plan?.validation;
  const busy = run?.status === 'running' || run?.status === 'loading-models' || run?.status === 'summarizing';
  const canRun = manifest && checked.plan && checked.plan.roles.length > 0 && !busy;
  const [anonymise, setAnonymise] = useState(false);
  return (
    <div className="evaluate">
      <ModelPicker bundleName={bundle?.name} />
      <InputsPanel manifest={manifest} />
      <ValidationPanel validation={validation} error={inputError ?? checked.error} />
      <button type="button" data-testid="run-evaluation" disabled={!canRun} onClick={() => manifest && checked.plan && void startRun(manifest, checked.plan)}>
        Evaluate {validation ? `${validation.counts.images} image(s)` : ''} with {manifest?.name ?? (modelSource === 'user' ? '(use a model first)' : '…')}
      </button>
      {' '}<TryExampleButton load={() => evaluateExampleSet(bundle!)} disabled={!bundle || busy} what="34 public X-rays (8 with lung masks) evaluated with the built-in models" />
      <RunPanel />
      <InterruptedRun manifest={manifest} plan={checked.plan} busy={Boolean(busy)} />
      {summary && (
        <section aria-label="Results">
          <h2>Results: {summary.dataset.name}</h2>
          <p className="note">{summary.dataset.evaluated} of {summary.dataset.images} evaluated, {summary.dataset.failed} failed · {summary.engine}</p>
          <p className="note" data-testid="eval-models">{modelNames(summary)}: {summary.models.map((m) => `${m.role} ${m.file} sha256 ${m.sha256}`).join('; ')}</p>
          <label><input type="checkbox" checked={anonymise} onChange={(e) => setAnonymise(e.target.checked)} data-testid="export-anonymise" /> Anonymise file names</label>{' '}
          <button type="button" onClick={() => exportJson(anonymise)} data-testid="export-json">Export JSON summary</button>{' '}
          <button type="button" onClick={() => exportCsv(anonymise)} data-testid="export-csv">Export per-image CSV</button>
          {anonymise && <>{' '}<button type="button" onClick={exportNameKey} data-testid="export-name-key" title="pseudonym to original file name; keep it private, apart from the export">Download name key</button></>}
          {summary.shift && <ShiftPanel shift={summary.shift} cases={run?.cases ?? []} />}
          {summary.classification && <ClassificationResults c={summary.classification} threshold={summary.settings.threshold} />}
          {summary.multiLabel && <MultiLabelResults m={summary.multiLabel} />}
          {summary.segmentation && <SegmentationResults s={summary.segmentation} channel={summary.settings.diceChannel} emptyRule={summary.settings.emptyTruth} cases={run?.cases ?? []} onView={(stem) => void viewCase(stem)} />}
          {summary.worstCases.classification.length > 0 && (
            <section className="panel" aria-label="Worst cases">
              <h3>Most confident mistakes</h3>
              <ul>{summary.worstCases.classification.map((w) => <li key={w.stem}><button type="button" className="link" onClick={() => void viewCase(w.stem)}>{w.stem}</button>: {w.label} called {w.predicted} ({fixed4(w.confidence)})</li>)}</ul>
            </section>
          )}
          {comparison && <ComparisonPanel comparison={comparison} />}
          {view && <CaseViewer stem={view.stem} view={view.view} error={view.error} />}
        </section>
      )}
      <RunsList />
    </div>
  );
}

const fixed4 = (v: number) => v.toFixed(4);
