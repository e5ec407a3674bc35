/**
 * The shape of testdata/bad-inputs/cases.json: written by scripts/make-bad-inputs.ts,
 * read by cli/badInputs.test.ts (through the CLI) and e2e/badInputs.spec.ts (through
 * the Evaluate page).
 */
export type CorpusOutcome = 'scored' | 'failed' | 'issue' | 'refused';

export interface CorpusCase {
  id: string;
  run: string;
  files: string[];
  /** The name the message must carry (defaults to the first file's name). */
  name?: string;
  defect: string;
  expect: CorpusOutcome;
  /** A regular expression the message (or, for scored cases, a note or warning) must match. */
  message?: string;
  /** Set while the expectation waits on another part of the work; the reason says which. */
  pending?: string;
}

export interface CorpusRun {
  id: string;
  command: 'evaluate' | 'analyze';
  args: string[];
  exitCode: number;
  /** Peak resident memory of the CLI process, MiB. */
  maxRssMiB: number;
  /** Give the Evaluate page this run's files (images folder, masks folder, labels). */
  page?: { images: string; masks?: string; labels?: string };
}

export interface Corpus {
  about: string;
  runs: CorpusRun[];
  cases: CorpusCase[];
}
