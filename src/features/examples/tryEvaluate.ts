import type { Manifest } from '../../core/manifest/types.ts';
import { dropTestSet, startRun, validate } from '../evaluate/actions.ts';
import { useEvaluate } from '../evaluate/evaluateStore.ts';
import { exampleFolder } from './exampleSet.ts';

/** Evaluate's "Try with example data": the example folder goes through the same drop routing and checks as a user's, then runs. */
export async function evaluateExampleSet(manifest: Manifest): Promise<void> {
  await dropTestSet(await exampleFolder());
  const { images, masks, labels, mapping, split, labelMap, multiLabel, channel, settings, inputError } = useEvaluate.getState();
  if (inputError) return; // shown by the page's input panel
  const plan = validate(manifest, { images, masks, labels, mapping, split, labelMap, multiLabel, channel, settings });
  if (plan) await startRun(manifest, plan);
}
