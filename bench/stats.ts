/** Small statistics helpers for the bench. */

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface Spread {
  min: number;
  median: number;
  max: number;
}

export function spread(values: number[]): Spread {
  return { min: Math.min(...values), median: median(values), max: Math.max(...values) };
}

/** `min / median / max` of a spread, each shown by `show`. */
export function showSpread(s: Spread, show: (value: number) => string): string {
  if (Number.isNaN(s.median)) return "n/a";
  return `${show(s.min)} / ${show(s.median)} / ${show(s.max)}`;
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;
export const seconds = (value: number) => `${value.toFixed(2)} s`;
export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
export const perSecond = (value: number) => `${Math.round(value).toLocaleString("en-US")}/s`;
