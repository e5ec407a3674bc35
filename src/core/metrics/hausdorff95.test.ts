import { describe, expect, it } from 'vitest';
import { expectClose } from './fixtures/close.ts';
import golden from './fixtures/metrics_golden.json';
import { hausdorff95 } from './hausdorff95.ts';

describe('hausdorff95 (golden: MONAI rules with scipy distance_transform_edt, training/golden/golden_metrics.py)', () => {
  it.each(golden.hausdorff.map((g) => [g.name, g] as const))('%s', (_, g) => {
    expectClose(hausdorff95(g.prediction, g.truth, g.width, g.height), g.hd95);
  });
  it('is 0 for identical masks and refuses a wrong size', () => {
    const m = [0, 1, 1, 0, 1, 1, 0, 0, 0];
    expect(hausdorff95(m, m, 3, 3)).toBe(0);
    expect(() => hausdorff95(m, m, 2, 2)).toThrow('expected 4 pixels for 2x2, received 9 and 9');
  });
});
