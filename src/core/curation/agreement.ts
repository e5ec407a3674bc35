import { accuracyFromConfusion, confusionMatrix } from '../metrics/confusion.ts';

/**
 * How far the proxy filter agrees with the reviewer. `matrix[r][p]`: rows are
 * the reviewer (0 reject, 1 accept), columns the proxy (0 reject, 1 keep), as
 * scikit-learn's confusion_matrix(reviewer, proxy). Kappa is Cohen's, NaN when
 * chance agreement is 1 (sklearn gives NaN there too).
 */
export interface ProxyReviewerAgreement {
  matrix: number[][];
  accuracy: number;
  kappa: number;
}

export function proxyReviewerAgreement(proxyKeeps: readonly boolean[], reviewerAccepts: readonly boolean[]): ProxyReviewerAgreement {
  const matrix = confusionMatrix(reviewerAccepts.map(Number), proxyKeeps.map(Number), 2);
  const total = matrix[0][0] + matrix[0][1] + matrix[1][0] + matrix[1][1];
  const observed = accuracyFromConfusion(matrix);
  const reviewerYes = (matrix[1][0] + matrix[1][1]) / total;
  const proxyYes = (matrix[0][1] + matrix[1][1]) / total;
  const chance = reviewerYes * proxyYes + (1 - reviewerYes) * (1 - proxyYes);
  return { matrix, accuracy: observed, kappa: chance === 1 ? Number.NaN : (observed - chance) / (1 - chance) };
}
