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
 *   --store=sqlite,postgres   the stores to measure (default: both when PostgreSQL answers at
 *                        --pg-url, else SQLite alone, with a loud line)
 *   --instances=1,3      PostgreSQL deployments: one instance, and three sharing one schema
 *   --pg-url=postgres://postgres@127.0.0.1:5432/test   each scenario gets a schema of its own there
 *   --pg-n=100000        stored disputes (N) on PostgreSQL, where seeding through the store is slower
 *   --pg-storm=2000      deadlines in PostgreSQL's storm (its scheduler fires tens per second under
 *                        load, not thousands: 10,000 would take minutes per deployment)
 *
 * Results go to test/bench/results/ only for a full run of every scenario on every store and
 * deployment; a quick or filtered run writes them to a temporary folder, so the committed results
 * are never overwritten by a partial run.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoreKind } from './place.ts';
import { postgresTarget, sqliteTarget, type Target } from './target.ts';

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
  /** The deployments measured, SQLite first. */
  targets: Target[];
  pgUrl: string;
  /** Stored disputes (N) on PostgreSQL. */
  pgStored: number;
  /** Deadlines falling due in PostgreSQL's storm. */
  pgStormDeadlines: number;
}

export const defaultPgUrl = 'postgres://postgres@127.0.0.1:5432/test';

/** The PostgreSQL URL the options name, before they are parsed (to find out whether it answers). */
export const pgUrlOf = (argv: string[]) => flag(argv, 'pg-url') || defaultPgUrl;

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

function listFlag<T extends string | number>(argv: string[], name: string, allowed: readonly T[], fallback: T[]): T[] {
  const text = flag(argv, name);
  if (text === undefined) return fallback;
  const values = text.split(',').map((v) => v.trim());
  const wrong = values.filter((v) => !allowed.map(String).includes(v));
  if (wrong.length > 0 || values.length === 0) throw new Error(`--${name} takes some of ${allowed.join(',')}, not ${JSON.stringify(text)}`);
  return allowed.filter((a) => values.includes(String(a)));
}

/** `postgresAnswers`: whether PostgreSQL answered at the URL, which decides the default stores. */
export function parseOptions(argv: string[], postgresAnswers: boolean): Options {
  const known = ['quick', 'scenario', 'rounds', 'stored-rounds', 'n', 'warmup', 'duration', 'out', 'store', 'instances', 'pg-url', 'pg-n', 'pg-storm'];
  const unknown = argv.filter((a) => !known.some((k) => a === `--${k}` || a.startsWith(`--${k}=`)));
  if (unknown.length > 0) throw new Error(`unknown option(s) ${unknown.join(' ')}; known: ${known.map((k) => `--${k}`).join(' ')}`);
  const quick = flag(argv, 'quick') !== undefined;
  const picked = flag(argv, 'scenario');
  const scenarios = picked ? (picked.split(',').map((s) => s.trim()) as ScenarioName[]) : [...scenarioNames];
  const wrong = scenarios.filter((s) => !scenarioNames.includes(s));
  if (wrong.length > 0) throw new Error(`unknown scenario(s) ${wrong.join(', ')}; known: ${scenarioNames.join(', ')}`);
  const stored = numberFlag(argv, 'n', quick ? 4_000 : 1_000_000);
  const stores = listFlag<StoreKind>(argv, 'store', ['sqlite', 'postgres'], postgresAnswers ? ['sqlite', 'postgres'] : ['sqlite']);
  const instances = listFlag(argv, 'instances', [1, 3], [1, 3]);
  const targets = [...(stores.includes('sqlite') ? [sqliteTarget] : []), ...(stores.includes('postgres') ? instances.map(postgresTarget) : [])];
  // Committed results hold every figure of every deployment: anything less goes to a temporary folder.
  const pgStored = numberFlag(argv, 'pg-n', quick ? 4_000 : 100_000);
  const complete = scenarios.length === scenarioNames.length && !quick && stores.length === 2 && instances.length === 2;
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
    targets,
    pgUrl: pgUrlOf(argv),
    pgStored,
    pgStormDeadlines: Math.min(numberFlag(argv, 'pg-storm', quick ? 1_000 : 2_000), Math.floor(pgStored / 4)),
  };
}

/** The options as a store's scenarios see them: N and the storm's size are the store's own. */
export function forStore(options: Options, store: StoreKind): Options {
  if (store === 'sqlite') return options;
  return { ...options, stored: options.pgStored, stormDeadlines: options.pgStormDeadlines };
}
