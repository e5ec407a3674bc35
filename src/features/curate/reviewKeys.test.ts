import { describe, expect, it } from 'vitest';
import { ARTEFACT_TAGS } from '../../core/curation/review.ts';
import { REVIEW_KEY_HELP, reviewCommand } from './reviewKeys.ts';

describe('reviewCommand', () => {
  it('maps the review keys, case-insensitively', () => {
    expect(reviewCommand('4')).toEqual({ kind: 'realism', value: 4 });
    expect(reviewCommand('Y')).toEqual({ kind: 'finding', value: 'yes' });
    expect(reviewCommand('u')).toEqual({ kind: 'finding', value: 'unsure' });
    expect(reviewCommand('Enter')).toEqual({ kind: 'decide', decision: 'accept' });
    expect(reviewCommand('x')).toEqual({ kind: 'decide', decision: 'reject' });
    expect(reviewCommand('ArrowLeft')).toEqual({ kind: 'move', by: -1 });
    expect(reviewCommand('Escape')).toEqual({ kind: 'close' });
  });
  it('has one key per artefact tag, each listed in the help', () => {
    const tags = 'tambi'.split('').map((k) => reviewCommand(k));
    expect(tags.map((c) => (c?.kind === 'artefact' ? c.tag : undefined))).toEqual([...ARTEFACT_TAGS]);
    for (const tag of ARTEFACT_TAGS) expect(REVIEW_KEY_HELP.some(([, what]) => what.includes(tag))).toBe(true);
  });
  it('ignores other keys (0, 6, letters without a meaning)', () => {
    expect(reviewCommand('0')).toBeUndefined();
    expect(reviewCommand('6')).toBeUndefined();
    expect(reviewCommand('q')).toBeUndefined();
  });
});
