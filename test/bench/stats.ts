/** Small statistics over plain arrays: exact percentiles, median and spread of the rounds. */

/** The p-quantile (0..1) of the values by nearest rank; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export const median = (values: readonly number[]) => percentile(values, 0.5);

export function spread(values: readonly number[]): { min: number; max: number } {
  return { min: Math.min(...values), max: Math.max(...values) };
}

/** The longest interval between consecutive instants (sorted), counting from `from` when given. */
export function longestGap(instants: readonly number[], from?: number): number {
  const sorted = [...instants].sort((a, b) => a - b);
  let previous = from ?? sorted[0];
  let gap = 0;
  for (const t of sorted) {
    if (previous !== undefined) gap = Math.max(gap, t - previous);
    previous = t;
  }
  return gap;
}

/** Formats a number for a table: thousands separated, precision by magnitude. */
export function format(value: number): string {
  if (!Number.isFinite(value)) return '–';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
