/**
 * Command-line options of `npm run bench`:
 *
 *   --quick              a smoke run in seconds (small N, one round, short runs), for CI
 *   --scenario=a,b       only these scenarios (the limits are always measured: ratios need them)
 *   --rounds=3           interleaved rounds (each runs every selected scenario once)
 *   --n=1000000          stored disputes for the storm and the stored-disputes scenarios
 *   --stored-rounds=1    run those two in the first rounds only (they take minutes each at 1M)
 *   --warmup=3 --duration=10   seconds of warm-up and of measurement per load run
 *   --out=DIR            where to write latest.md and latest.svg
 *
 * Results go to test/bench/results/ only for a full run of every scenario; a quick or filtered
 * run writes them to a temporary folder, so the committed results are never overwritten by a
 * partial run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const scenarioNames = ['open', 'events', 'hot', 'lifecycle', 'bytes', 'stored', 'storm'] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export interface Options {
  quick: boolean;
  scenarios: ScenarioName[];
  /** Every scenario was selected (the results may replace the committed ones). */
  complete: boolean;
  rounds: number;
  /** Rounds that include `stored` and `storm`. */
  storedRounds: number;
  connections: number;
  warmupS: number;
  durationS: number;
  /** Stored disputes (N) for `stored` and `storm`. */
  stored: number;
  /** Deadlines falling due in the storm. */
  stormDeadlines: number;
  /** Disputes the distinct-events scenarios cycle through. */
  distinctDisputes: number;
  /** Events sent to measure bytes written per step. */
  bytesEvents: number;
  /** Sequential requests per list page, to read its latency unloaded. */
  listSamples: number;
  /** Seconds of each bare-SQLite and in-process measurement. */
  inProcessS: number;
  outDir: string;
  argv: string[];
}

function flag(argv: string[], name: string): string | undefined {
  const found = argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (found === undefined) return undefined;
  return found.includes('=') ? found.slice(found.indexOf('=') + 1) : '';
}

function numberFlag(argv: string[], name: string, fallback: number): number {
  const text = flag(argv, name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} takes a number, not ${JSON.stringify(text)}`);
  return value;
}

export function parseOptions(argv: string[]): Options {
  const known = ['quick', 'scenario', 'rounds', 'stored-rounds', 'n', 'warmup', 'duration', 'out'];
  const unknown = argv.filter((a) => !known.some((k) => a === `--${k}` || a.startsWith(`--${k}=`)));
  if (unknown.length > 0) throw new Error(`unknown option(s) ${unknown.join(' ')}; known: ${known.map((k) => `--${k}`).join(' ')}`);
  const quick = flag(argv, 'quick') !== undefined;
  const picked = flag(argv, 'scenario');
  const scenarios = picked ? (picked.split(',').map((s) => s.trim()) as ScenarioName[]) : [...scenarioNames];
  const wrong = scenarios.filter((s) => !scenarioNames.includes(s));
  if (wrong.length > 0) throw new Error(`unknown scenario(s) ${wrong.join(', ')}; known: ${scenarioNames.join(', ')}`);
  const stored = numberFlag(argv, 'n', quick ? 4_000 : 1_000_000);
  const complete = scenarios.length === scenarioNames.length && !quick;
  const out = flag(argv, 'out');
  const rounds = numberFlag(argv, 'rounds', quick ? 1 : 3);
  return {
    quick,
    scenarios,
    complete,
    rounds,
    storedRounds: Math.min(rounds, numberFlag(argv, 'stored-rounds', rounds)),
    connections: 50,
    warmupS: numberFlag(argv, 'warmup', quick ? 0.5 : 3),
    durationS: numberFlag(argv, 'duration', quick ? 1.5 : 10),
    stored,
    stormDeadlines: Math.min(quick ? 1_000 : 10_000, Math.floor(stored / 4)),
    distinctDisputes: quick ? 500 : 2_000,
    bytesEvents: quick ? 40 : 80,
    listSamples: quick ? 3 : 10,
    inProcessS: quick ? 0.5 : 2,
    outDir: out || (complete ? fileURLToPath(new URL('./results', import.meta.url)) : mkdtempSync(join(tmpdir(), 'arbiter-bench-results-'))),
    argv,
  };
}
