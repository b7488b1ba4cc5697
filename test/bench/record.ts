/**
 * Turns a load run into figures: req/s, p50 and p99 beside the no-op route measured in the same
 * round, and the errors it met. A benchmark that measures error answers measures the wrong
 * thing, so more than a handful of them marks the figure failed, loudly.
 */
import type { FigureSink } from './figures.ts';
import type { LoadResult } from './load.ts';

/** More than this many non-2xx answers or connection errors in a run marks its figures failed. */
export const HANDFUL = 5;

export interface LoadFigures {
  key: string;
  label: string;
  /** Extra limits for the req/s figure (e.g. the raw commit rate for writes), each its own row. */
  alsoRpsVs?: { limit: string; label: string }[];
  /** Also report the longest time without an answer. */
  gap?: boolean;
}

export function recordLoad(figures: FigureSink, what: LoadFigures, result: LoadResult) {
  const rpsKey = `${what.key}.rps`;
  figures.add({ key: rpsKey, label: `${what.label}: req/s`, unit: 'req/s', better: 'higher', limit: 'noop.rps' }, result.rps);
  for (const extra of what.alsoRpsVs ?? []) {
    figures.add(
      { key: `${rpsKey}~${extra.limit}`, label: `${what.label}: req/s ${extra.label}`, unit: 'req/s', better: 'higher', limit: extra.limit },
      result.rps,
    );
  }
  figures.add({ key: `${what.key}.p50`, label: `${what.label}: p50 latency`, unit: 'ms', better: 'lower', limit: 'noop.p50' }, result.p50);
  figures.add({ key: `${what.key}.p99`, label: `${what.label}: p99 latency`, unit: 'ms', better: 'lower', limit: 'noop.p99' }, result.p99);
  if (what.gap) {
    figures.add(
      { key: `${what.key}.gap`, label: `${what.label}: longest time without an answer`, unit: 'ms', better: 'lower', limit: 'noop.gap' },
      result.longestGapMs,
    );
  }
  checkErrors(figures, rpsKey, result);
}

/** Counts every answer that was not 2xx and every request that got none; fails past a handful. */
export function checkErrors(figures: FigureSink, key: string, result: LoadResult) {
  const bad = result.non2xx + result.errors;
  const warm = result.warmup.non2xx + result.warmup.errors;
  if (bad + warm === 0) return;
  const statuses = Object.entries(result.statusCounts)
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, n]) => `${n}×${code}`)
    .join(', ');
  const text =
    `${result.non2xx} non-2xx${statuses ? ` (${statuses})` : ''}, ${result.errors} without an answer (${result.timeouts} timeouts)` +
    ` of ${result.ok + bad} requests; warm-up: ${warm}` +
    (result.sampleErrors.length > 0 ? `; first: ${result.sampleErrors.slice(0, 2).join(' / ')}` : '');
  if (bad > HANDFUL || warm > HANDFUL) figures.fail(key, text);
  else figures.note(key, text);
}
