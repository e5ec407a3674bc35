import { describe, expect, it } from 'vitest';
import { expectClose } from '../metrics/fixtures/close.ts';
import { proxyReviewerAgreement } from './agreement.ts';
import golden from './fixtures/curation_golden.json';

describe('proxyReviewerAgreement (golden: sklearn confusion_matrix, cohen_kappa_score)', () => {
  it.each(golden.agreement.map((g) => [g.name, g] as const))('%s', (_, g) => {
    const result = proxyReviewerAgreement(g.proxy_keep.map(Boolean), g.accepted.map(Boolean));
    expect(result.matrix).toEqual(g.matrix);
    expectClose(result.kappa, g.kappa, 1e-12);
    expectClose(result.accuracy, (g.matrix[0][0] + g.matrix[1][1]) / g.proxy_keep.length, 1e-12);
  });
  it('gives kappa NaN when both always say the same one thing', () => {
    expect(proxyReviewerAgreement([true, true], [true, true]).kappa).toBeNaN();
  });
});
