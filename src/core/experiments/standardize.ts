/** Per-feature mean and population standard deviation (scikit-learn's StandardScaler; a constant feature keeps scale 1). */
export interface Standardizer {
  mean: Float64Array;
  scale: Float64Array;
}

export function fitStandardizer(rows: readonly ArrayLike<number>[]): Standardizer {
  if (rows.length === 0) throw new RangeError('fitStandardizer: no rows');
  const d = rows[0].length;
  const mean = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j] += row[j];
  for (let j = 0; j < d; j++) mean[j] /= rows.length;
  const scale = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) scale[j] += (row[j] - mean[j]) ** 2;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j] / rows.length) || 1;
  return { mean, scale };
}

export function standardize({ mean, scale }: Standardizer, row: ArrayLike<number>): Float64Array {
  if (row.length !== mean.length) throw new RangeError(`standardize: row has ${row.length} features, expected ${mean.length}`);
  return Float64Array.from(mean, (m, j) => (row[j] - m) / scale[j]);
}
