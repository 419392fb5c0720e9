/** A least-squares line through points: its slope, and the slope's standard error. */
export interface Trend {
  slope: number;
  /** Standard error of the slope (0 with fewer than 3 points). */
  stdErr: number;
}

/** Least-squares slope of y over x, with its standard error (so "within noise" can be judged). */
export function trend(points: { x: number; y: number }[]): Trend {
  const n = points.length;
  if (n < 2) return { slope: 0, stdErr: 0 };
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (sxx === 0) return { slope: 0, stdErr: 0 };
  const slope = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
  if (n < 3) return { slope, stdErr: 0 };
  const residuals = points.reduce((s, p) => s + (p.y - (my + slope * (p.x - mx))) ** 2, 0);
  return { slope, stdErr: Math.sqrt(residuals / (n - 2) / sxx) };
}

/** Least-squares slope of y over x. */
export function slope(points: { x: number; y: number }[]): number {
  return trend(points).slope;
}
