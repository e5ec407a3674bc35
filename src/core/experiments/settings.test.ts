import { describe, expect, it } from 'vitest';
import { isUsageError } from '../../../cli/options.ts';
import { CLASSIFICATION_DEFAULTS, readClassificationSettings, readNumberList, readSegmentationSettings, SEGMENTATION_DEFAULTS } from './settings.ts';

describe('augmentation experiment settings', () => {
  it('reads comma-separated sizes and ratios, and refuses the whole list when one part is not a non-negative number', () => {
    expect(readNumberList('ratios', '0,0.5,1')).toEqual([0, 0.5, 1]);
    expect(() => readNumberList('sizes', '50,lots')).toThrow('sizes: expected comma-separated non-negative numbers, received "50,lots"');
    expect(() => readNumberList('sizes', '50,,100')).toThrow('received "50,,100"');
    expect(() => readNumberList('ratios', '-1')).toThrow('received "-1"');
    expect(() => readNumberList('ratios', '')).toThrow('received ""');
  });

  it('takes the defaults for what was left out, the same for the page form and the CLI flags', () => {
    expect(readClassificationSettings({})).toEqual(CLASSIFICATION_DEFAULTS);
    expect(readClassificationSettings({ sizes: '8,20', seed: '3', bootstrapIterations: 200 })).toEqual({ ...CLASSIFICATION_DEFAULTS, sizes: [8, 20], seed: 3, bootstrapIterations: 200 });
    expect(readSegmentationSettings({})).toEqual(SEGMENTATION_DEFAULTS);
    expect(readSegmentationSettings({ testLimit: ' ' })).not.toHaveProperty('testLimit');
    expect(readSegmentationSettings({ testLimit: '6', pixelsPerImage: '64' })).toMatchObject({ testLimit: 6, pixelsPerImage: 64 });
  });

  it('refuses a bad number naming the field and what was received; the CLI reads it as a usage error (exit 2)', () => {
    expect(() => readClassificationSettings({ seed: '1.5' })).toThrow('seed: expected an integer >= 0 and <= 4294967295, received "1.5"');
    expect(() => readClassificationSettings({ C: '0' })).toThrow('C: expected a number > 0, received "0"');
    expect(readClassificationSettings({ C: '1e-6' }).C).toBe(1e-6);
    expect(() => readClassificationSettings({ bootstrapIterations: 'many' })).toThrow('bootstrap: expected an integer');
    expect(() => readSegmentationSettings({ testLimit: '0' })).toThrow('test limit: expected an integer >= 1, received "0"');
    let thrown: unknown;
    try {
      readSegmentationSettings({ pixelsPerImage: 'x' });
    } catch (error) {
      thrown = error;
    }
    expect(isUsageError(thrown)).toBe(true);
  });
});
