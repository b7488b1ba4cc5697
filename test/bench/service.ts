/**
 * The service under test, as production runs it: `node --import tsx server/main.ts` in its own
 * process, production mode, `full` durability, on a database in a fresh temporary folder, on a
 * port the OS picks. Start-up time is measured from the spawn to the ready line it prints.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchTokenKeys } from './fixtures.ts';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningService {
  url: string;
  pid: number;
  dbPath: string;
  /** Spawn to the ready line, in milliseconds. */
  startupMs: number;
  /** Deadlines the start-up catch-up fired (0 unless something fell due while it was down). */
  caughtUp: number;
  /** Lines the service wrote on stderr: errors it logged (500s, scheduler failures). */
  errorLines(): string[];
  /** `undefined` while it runs; how it ended otherwise (a crash under load is a finding). */
  exit(): string | undefined;
  stop(): Promise<void>;
}

/** A fresh temporary folder for one scenario's database; removed when the scenario ends. */
export function freshFolder(label: string) {
  const dir = mkdtempSync(join(tmpdir(), `arbiter-bench-${label}-`));
  return { dir, dbPath: join(dir, 'arbiter.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies a database (its -wal too, if any) so that each scenario gets one nobody wrote to before. */
export function copyDatabase(from: string, to: string) {
  copyFileSync(from, to);
  for (const suffix of ['-wal', '-shm']) if (existsSync(from + suffix)) copyFileSync(from + suffix, to + suffix);
}

let knownSettings: string | undefined;

/**
 * Settings the benchmark turns off where the service has them: rate limits measure the limiter,
 * not the service (50 connections from one address with one token are far past any sane limit).
 * Asked of the service itself (`--help` lists its variables), because it refuses to start on a
 * variable it does not know.
 */
function benchSettings(): Record<string, string> {
  knownSettings ??= spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts', '--help'], { cwd: projectRoot, encoding: 'utf8' }).stdout;
  return knownSettings.includes('ARBITER_RATE_LIMITS') ? { ARBITER_RATE_LIMITS: 'off' } : {};
}

export async function startService(dbPath: string, env: Record<string, string> = {}): Promise<RunningService> {
  // The parent's ARBITER_* settings must not leak into the service under test.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ARBITER_') && name !== 'PORT'));
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: projectRoot,
    env: {
      ...inherited,
      ARBITER_MODE: 'production',
      ARBITER_TOKEN_KEYS: benchTokenKeys,
      ARBITER_DURABILITY: 'full',
      ARBITER_DB: dbPath,
      ARBITER_HOST: '127.0.0.1',
      PORT: '0',
      ...benchSettings(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => errors.push(...chunk.split('\n').filter(Boolean)));
  const ready = await readyLine(child, errors);
  const startupMs = performance.now() - started;
  const url = /ready at (http:\/\/\S+)/.exec(ready)![1]!;
  const caughtUp = Number(/(\d+) deadlines caught up/.exec(ready)?.[1] ?? 0);
  let ended: string | undefined;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', (code, signal) => {
      ended = `exited with ${signal ?? `code ${code}`}`;
      resolve();
    });
  });
  return {
    url,
    pid: child.pid!,
    dbPath,
    startupMs,
    caughtUp,
    errorLines: () => errors.filter((line) => !line.includes('ExperimentalWarning') && !line.includes('--trace-warnings')),
    exit: () => ended,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Resolves with the "arbiter: ready at …" line; rejects, with what it said, if it exits first. */
function readyLine(child: ChildProcess, errors: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let partial = '';
    const onData = (chunk: string) => {
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      const ready = lines.find((line) => line.startsWith('arbiter: ready at '));
      if (ready) {
        child.stdout!.off('data', onData);
        child.stdout!.resume(); // keep draining, so the service never blocks on a full pipe
        child.off('exit', onExit);
        resolve(ready);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`the service exited (${code}) before it was ready:\n${errors.join('\n')}`));
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.once('exit', onExit);
  });
}

/** Resident memory of a process, in MiB (`VmRSS` of /proc/<pid>/status; Linux only). */
export function residentMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

/** Bytes the process has caused to be written to storage (`write_bytes` of /proc/<pid>/io), if readable. */
export function writtenBytes(pid: number): number | undefined {
  try {
    return Number(/write_bytes:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1]);
  } catch {
    return undefined;
  }
}

/** The database file plus its write-ahead log, in bytes. */
export function databaseBytes(dbPath: string): { db: number; wal: number } {
  const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);
  return { db: size(dbPath), wal: size(`${dbPath}-wal`) };
}
