import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isUsageError, parseNumberOption, UsageError } from './options.ts';

describe('parseNumberOption', () => {
  it('reads numbers and leaves an absent option undefined', () => {
    expect(parseNumberOption('threshold', '0.25', { min: 0, max: 1 })).toBe(0.25);
    expect(parseNumberOption('threads', undefined)).toBeUndefined();
    expect(parseNumberOption('bootstrap', '1e3', { integer: true })).toBe(1000);
  });

  it('refuses text, blanks, fractions and out-of-range values with what it received', () => {
    expect(() => parseNumberOption('bootstrap', 'many')).toThrow('--bootstrap: expected a number, received "many"');
    expect(() => parseNumberOption('threads', ' ')).toThrow(UsageError);
    expect(() => parseNumberOption('threads', '1.5', { integer: true })).toThrow('expected a whole number');
    expect(() => parseNumberOption('threshold', '2', { min: 0, max: 1 })).toThrow('between 0 and 1, received 2');
    expect(() => parseNumberOption('threshold', 'NaN')).toThrow('received "NaN"');
  });

  it('treats parseArgs errors as usage errors', () => {
    let caught: unknown;
    try {
      parseArgs({ args: ['--nope'], options: {} });
    } catch (error) {
      caught = error;
    }
    expect(isUsageError(caught)).toBe(true);
    expect(isUsageError(new Error('model failed'))).toBe(false);
  });
});
