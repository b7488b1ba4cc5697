/**
 * Runs a set of paths against a deployment. Paths that leave the clock alone run side by side;
 * paths that move it run one at a time afterwards, since the clock is the deployment's (moving
 * it fires every dispute's deadlines). Where the clock cannot be moved, those are skipped, each
 * with the reason.
 */
import { randomBytes } from 'node:crypto';
import type { Policy, PolicyOverrides } from '../../machines/index.ts';
import { deploymentNow, type Target } from './client.ts';
import { Coverage, machineTotals, type CoverageReport } from './coverage.ts';
import { drivePath, type PathResult } from './drive.ts';
import type { TestPath } from './realize.ts';

export interface RunOptions {
  policy?: Policy | PolicyOverrides;
  /** Paths driven at once (those that move the clock always run alone). */
  concurrency?: number;
  runId?: string;
  onResult?: (result: PathResult, done: number, total: number) => void;
}

export interface RunReport {
  url: string;
  runId: string;
  startedAt: string;
  durationMs: number;
  results: PathResult[];
  figures: { paths: number; passed: number; failed: number; skipped: number; stepsDriven: number };
  coverage: CoverageReport;
}

async function pool<T>(items: T[], size: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(size, items.length)) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** Why paths that move the clock cannot run here, or `undefined` when they can. */
async function clockFixed(target: Target): Promise<string | undefined> {
  if (!target.tokens.admin) return 'needs the clock moved, and no admin token was given';
  const { controllable } = await deploymentNow(target);
  return controllable ? undefined : "needs the clock moved, and the deployment's clock is not controllable (demo mode only)";
}

export async function runPaths(target: Target, paths: TestPath[], options: RunOptions = {}): Promise<RunReport> {
  const started = Date.now();
  const runId = options.runId ?? `qa-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const results = new Map<TestPath, PathResult>();
  let fixed = await clockFixed(target);
  const record = (result: PathResult, path: TestPath) => {
    results.set(path, result);
    options.onResult?.(result, results.size, paths.length);
  };
  const drive = async (path: TestPath) => {
    const result = await drivePath(target, path, { policy: options.policy, runId, ...(fixed ? { clockFixed: fixed } : {}) });
    // The first refusal to move the clock says it for every path after it.
    if (result.status === 'skipped' && result.reason?.startsWith("the deployment's clock cannot be moved")) fixed = result.reason;
    record(result, path);
  };
  await pool(
    paths.filter((p) => !p.needsClock),
    options.concurrency ?? 8,
    drive,
  );
  for (const path of paths.filter((p) => p.needsClock)) await drive(path);

  const ordered = paths.map((p) => results.get(p)!);
  const coverage = new Coverage();
  ordered.forEach((r) => r.covers.forEach((c) => coverage.add(c)));
  const count = (status: PathResult['status']) => ordered.filter((r) => r.status === status).length;
  return {
    url: target.url,
    runId,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    results: ordered,
    figures: {
      paths: ordered.length,
      passed: count('passed'),
      failed: count('failed'),
      skipped: count('skipped'),
      stepsDriven: ordered.reduce((n, r) => n + r.stepsDriven, 0),
    },
    coverage: coverage.report(machineTotals()),
  };
}
