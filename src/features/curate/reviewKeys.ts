import { ARTEFACT_TAGS, type Decision, type FindingPresent } from '../../core/curation/review.ts';

/** What a key does in review mode; shown on the page from this one table. */
export type ReviewCommand =
  | { kind: 'realism'; value: number }
  | { kind: 'finding'; value: FindingPresent }
  | { kind: 'artefact'; tag: string }
  | { kind: 'decide'; decision: Decision }
  | { kind: 'move'; by: -1 | 1 }
  | { kind: 'comment' }
  | { kind: 'close' };

const ARTEFACT_KEYS: Record<string, string> = { t: ARTEFACT_TAGS[0], a: ARTEFACT_TAGS[1], m: ARTEFACT_TAGS[2], b: ARTEFACT_TAGS[3], i: ARTEFACT_TAGS[4] };

export const REVIEW_KEY_HELP: readonly [string, string][] = [
  ['1–5', 'realism'],
  ['Y / N / U', 'finding present as prompted: yes / no / unsure'],
  ...Object.entries(ARTEFACT_KEYS).map(([k, tag]) => [k.toUpperCase(), `toggle artefact "${tag}"`] as [string, string]),
  ['C', 'write a comment (Esc returns)'],
  ['Enter', 'accept and go to the next image'],
  ['X', 'reject and go to the next image'],
  ['← / →', 'previous / next image'],
  ['Esc', 'leave review mode'],
];

export function reviewCommand(key: string): ReviewCommand | undefined {
  const k = key.length === 1 ? key.toLowerCase() : key;
  if (/^[1-5]$/.test(k)) return { kind: 'realism', value: Number(k) };
  if (k === 'y') return { kind: 'finding', value: 'yes' };
  if (k === 'n') return { kind: 'finding', value: 'no' };
  if (k === 'u') return { kind: 'finding', value: 'unsure' };
  if (k in ARTEFACT_KEYS) return { kind: 'artefact', tag: ARTEFACT_KEYS[k] };
  if (k === 'Enter') return { kind: 'decide', decision: 'accept' };
  if (k === 'x') return { kind: 'decide', decision: 'reject' };
  if (k === 'ArrowLeft') return { kind: 'move', by: -1 };
  if (k === 'ArrowRight') return { kind: 'move', by: 1 };
  if (k === 'c') return { kind: 'comment' };
  if (k === 'Escape') return { kind: 'close' };
  return undefined;
}
