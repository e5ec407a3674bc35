/** Area under a curve given by points (x[i], y[i]) with the trapezoid rule (x monotonic, either direction). */
export function trapezoidArea(x: readonly number[], y: readonly number[]): number {
  if (x.length !== y.length) throw new RangeError(`trapezoidArea: ${x.length} x values but ${y.length} y values`);
  let area = 0;
  for (let i = 1; i < x.length; i++) area += ((x[i] - x[i - 1]) * (y[i] + y[i - 1])) / 2;
  return Math.abs(area);
}
