import { runAugmentExperiment, type ExperimentProgress, type ExperimentRow, type ExperimentSetup, type LabelledFeatures } from './augmentExperiment.ts';
import { StudioError } from '../errors.ts';
import type { ClassificationExperimentSettings } from './settings.ts';

/** An image of one of the experiment's sets: a label, and whatever the host needs to get its features. */
export interface LabelledSample {
  label: string;
}

export interface ClassificationExperimentInput<S extends LabelledSample> {
  settings: ClassificationExperimentSettings;
  classes: readonly string[];
  real: readonly S[];
  test: readonly S[];
  synthetic: readonly S[];
  /** The classifier's frozen `features` of a sample: onnxruntime-node in the CLI, the analysis worker (or the Curate scores) on the page. */
  features: (sample: S) => Promise<ArrayLike<number>>;
  /** Fits the heads: runAugmentExperiment here by default; the page runs it in the curation worker. */
  fit?: (setup: ExperimentSetup, onProgress: (p: ExperimentProgress) => void) => Promise<ExperimentRow[]>;
  onFeatures?: (done: number, total: number) => void;
  onProgress?: (p: ExperimentProgress) => void;
  /** Checked between images. */
  isCancelled?: () => boolean;
}

export interface ClassificationExperimentOutput {
  rows: ExperimentRow[];
  /** Samples of the experiment's classes in each set. */
  counts: { real: number; test: number; synthetic: number };
}

/**
 * The classification augmentation experiment, the same for the Curate page and
 * `cxr-studio augment-experiment`:
 *   1. keep the samples whose label is one of the classes,
 *   2. get each one's frozen classifier features (injected),
 *   3. fit and score the heads row by row (augmentExperiment.ts).
 */
export async function runClassificationExperiment<S extends LabelledSample>(input: ClassificationExperimentInput<S>): Promise<ClassificationExperimentOutput> {
  const { settings, classes, features, onFeatures, onProgress = () => {}, isCancelled } = input;
  const fit = input.fit ?? (async (setup, progress) => runAugmentExperiment(setup, progress));

  // 1. Samples of the classes compared
  const keep = (samples: readonly S[]) => samples.filter((s) => classes.includes(s.label));
  const [real, test, synthetic] = [keep(input.real), keep(input.test), keep(input.synthetic)];
  if (real.length === 0) throw new StudioError('labels-invalid', `no real training image is labelled with one of [${classes.join(', ')}]`);
  if (test.length === 0) throw new StudioError('labels-invalid', `no test image is labelled with one of [${classes.join(', ')}]`);

  // 2. Frozen features, one image at a time
  const total = real.length + test.length + synthetic.length;
  let done = 0;
  const labelled = async (samples: S[]): Promise<LabelledFeatures> => {
    const vectors: ArrayLike<number>[] = [];
    for (const sample of samples) {
      if (isCancelled?.()) throw new StudioError('aborted', 'cancelled by the user');
      vectors.push(await features(sample));
      onFeatures?.(++done, total);
    }
    return { features: vectors, labels: samples.map((s) => classes.indexOf(s.label)) };
  };
  const sets = { real: await labelled(real), test: await labelled(test), synthetic: await labelled(synthetic) };

  // 3. The heads, row by row
  const setup: ExperimentSetup = { ...sets, classCount: classes.length, ...settings };
  const rows = await fit(setup, onProgress);
  return { rows, counts: { real: real.length, test: test.length, synthetic: synthetic.length } };
}
