import { Button, Stack } from '@mantine/core';
import { useMemo } from 'react';
import { userMessage } from '../../core/errors.ts';
import type { EvaluationPlan } from '../../core/evaluation/request.ts';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { PageLayout } from '../../ui/PageLayout.tsx';
import { TryExampleButton } from '../examples/TryExampleButton.tsx';
import { evaluateExampleSet } from '../examples/tryEvaluate.ts';
import { useActiveBundleId, useManifest } from '../models/queries.ts';
import { startRun, validate } from './actions.ts';
import { useEvaluate } from './evaluateStore.ts';
import { InputsPanel } from './InputsPanel.tsx';
import { InterruptedRun } from './InterruptedRun.tsx';
import { ModelPicker } from './ModelPicker.tsx';
import { OptionsPanel } from './OptionsPanel.tsx';
import { ResultsPanel } from './ResultsPanel.tsx';
import { RunPanel } from './RunPanel.tsx';
import { RunsList } from './RunsList.tsx';
import { ValidationPanel } from './ValidationPanel.tsx';
import './evaluate.css';

export function EvaluatePage() {
  const bundle = useManifest(useActiveBundleId()).data;
  const { modelSource, userModel, images, masks, labels, mapping, split, labelMap, multiLabel, channel, settings, inputError, run, summary } = useEvaluate();
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
  // one "Try with example data": in the empty work area until there is a run, then under Evaluate
  const nothingYet = !run && !summary;
  const tryExample = <TryExampleButton load={() => evaluateExampleSet(bundle!)} disabled={!bundle || busy} what="34 public X-rays (14 with lung masks) evaluated with the built-in models" />;
  const controls = (
    <>
      <ModelPicker bundleName={bundle?.name} />
      <InputsPanel manifest={manifest} />
      <OptionsPanel />
      <Stack gap="sm">
        <ValidationPanel validation={validation} error={inputError ?? checked.error} />
        <Button fullWidth className="run-button" classNames={{ label: 'run-button-label' }} data-testid="run-evaluation" disabled={!canRun} onClick={() => manifest && checked.plan && void startRun(manifest, checked.plan)}>
          Evaluate {validation ? `${validation.counts.images} image(s)` : ''} with {manifest?.name ?? (modelSource === 'user' ? '(use a model first)' : '…')}
        </Button>
        {!nothingYet && tryExample}
      </Stack>
    </>
  );
  return (
    <PageLayout title="Evaluate" intro="Score a model on a labelled test set: accuracy, F1 and AUC per class, Dice against lung masks, each with a 95% interval. Everything runs in this tab." controls={controls} className="evaluate">
      <InterruptedRun manifest={manifest} plan={checked.plan} busy={Boolean(busy)} />
      <RunPanel />
      {nothingYet && (
        <EmptyState title="No evaluation yet" action={tryExample} testId="evaluate-empty">
          Results appear here: accuracy, F1 and AUC with 95% intervals, the confusion matrix, ROC and precision-recall curves, Dice per image and the most confident mistakes. Choose a test set in the Test set panel and press Evaluate, or try the bundled example set.
        </EmptyState>
      )}
      <ResultsPanel />
      <RunsList />
    </PageLayout>
  );
}
