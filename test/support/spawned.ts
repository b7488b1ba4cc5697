/** The service as a real process on a temporary database, with its memory read from /proc. */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { mintToken, type HttpRole } from '../../server/auth/tokens.ts';
import { testKeys } from './api.ts';
import { spawnTs, type Spawned } from './processes.ts';
import { tempDir } from './service.ts';

export interface SpawnedService {
  url: string;
  host: string;
  port: number;
  process: Spawned;
  token(role: HttpRole, sub: string): string;
  /** Resident and peak resident memory of the process, in MiB. */
  memory(): { rssMiB: number; peakMiB: number };
  stop(): Promise<void>;
}

export async function spawnService(env: Record<string, string> = {}): Promise<SpawnedService> {
  const tmp = tempDir('arbiter-spawned-');
  const keys = testKeys.map((k) => `${k.kid}:${k.secret}`).join(',');
  const child = spawnTs('server/main.ts', [], { ARBITER_DB: tmp.dbPath, PORT: '0', ARBITER_MODE: 'demo', ARBITER_TOKEN_KEYS: keys, ...env });
  try {
    const url = /ready at (\S+)/.exec(await child.waitFor(/^arbiter: ready at /))![1]!;
    const { hostname, port } = new URL(url);
    return {
      url,
      host: hostname,
      port: Number(port),
      process: child,
      token: (role, sub) => mintToken(testKeys, { role, sub }, 3600),
      memory() {
        const status = readFileSync(`/proc/${child.child.pid}/status`, 'utf8');
        const kib = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)![1]);
        return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
      },
      async stop() {
        child.child.kill('SIGKILL');
        await child.exited;
        tmp.cleanup();
      },
    };
  } catch (error) {
    child.child.kill('SIGKILL');
    tmp.cleanup();
    throw error;
  }
}

/** A raw TCP connection that records whether and when the server closed it, and what it said. */
export interface RawConnection {
  socket: Socket;
  closed: Promise<void>;
  isClosed(): boolean;
  received(): string;
}

export function rawConnection(port: number, host = '127.0.0.1'): RawConnection {
  const socket = connect(port, host);
  let data = '';
  let closedFlag = false;
  socket.setEncoding('utf8').on('data', (chunk: string) => (data += chunk));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      closedFlag = true;
      resolve();
    }),
  );
  return { socket, closed, isClosed: () => closedFlag, received: () => data };
}

/** Waits until the predicate holds, polling (the test's own timeout bounds it). */
export async function until(predicate: () => boolean | Promise<boolean>, everyMs = 20): Promise<void> {
  while (!(await predicate())) await new Promise((resolve) => setTimeout(resolve, everyMs));
}
