/**
 * The service as a scenario measures it: one process on SQLite, or one or several processes on
 * one PostgreSQL schema, as a marketplace that outgrows one machine runs them. There is no load
 * balancer: the load generator spreads its connections over the instances itself (load.ts), so
 * nothing but Arbiter and the database stands between the requests and the figures.
 */
import type { Place } from './place.ts';
import { residentMiB, startService, type RunningService } from './service.ts';

export interface Deployment {
  /** The first instance: set-up requests go there (every instance sees every commit). */
  url: string;
  /** Every instance; load is spread over all of them. */
  urls: string[];
  instances: RunningService[];
  /** Spawn to the last instance's ready line, in milliseconds (they start together). */
  startupMs: number;
  /** Deadlines the start-up catch-ups fired, summed over the instances. */
  caughtUp: number;
  /** What every instance logged on stderr, each line prefixed with its instance when several. */
  errorLines(): string[];
  /** `undefined` while all run; how the first that ended ended, otherwise. */
  exit(): string | undefined;
  stop(): Promise<void>;
}

/** Starts `instances` processes on `place` together (PostgreSQL's migrations take an advisory lock, so they migrate once). */
export async function startDeployment(place: Place, instances: number): Promise<Deployment> {
  const env: Record<string, string> = place.kind === 'postgres' ? { DATABASE_URL: place.url, ARBITER_PG_SCHEMA: place.schema } : {};
  if (place.kind === 'sqlite' && instances !== 1) throw new Error('SQLite runs one instance');
  const started = await Promise.allSettled(Array.from({ length: instances }, () => startService(place.dbPath, env)));
  const running = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(running.map((s) => s.stop()));
    throw failed.reason;
  }
  const several = running.length > 1;
  return {
    url: running[0]!.url,
    urls: running.map((s) => s.url),
    instances: running,
    startupMs: Math.max(...running.map((s) => s.startupMs)),
    caughtUp: running.reduce((sum, s) => sum + s.caughtUp, 0),
    errorLines: () => running.flatMap((s, i) => s.errorLines().map((line) => (several ? `[instance ${i + 1}] ${line}` : line))),
    exit: () => running.map((s, i) => (s.exit() ? `${several ? `instance ${i + 1} ` : ''}${s.exit()}` : undefined)).find(Boolean),
    stop: async () => void (await Promise.all(running.map((s) => s.stop()))),
  };
}

/** The resident memory of the largest instance, in MiB (each instance is a machine's share). */
export const largestResidentMiB = (deployment: Deployment) => Math.max(...deployment.instances.map((s) => residentMiB(s.pid)));
