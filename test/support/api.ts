/** A real HTTP server on 127.0.0.1 (port chosen by the OS) over a real SQLite file. */
import { startHttp, type RunningServer } from '../../server/http/serve.ts';
import { createLogger } from '../../server/log.ts';
import { mintToken, type HttpRole, type KeyRing } from '../../server/auth/tokens.ts';
import type { Service } from '../../server/service.ts';
import type { Config } from '../../server/config.ts';
import { startTestService, tempDir } from './service.ts';

export const testKeys: KeyRing = [
  { kid: 'k2', secret: 'second-secret-0123456789abcdefghijklmnop' },
  { kid: 'k1', secret: 'first-secret-0123456789abcdefghijklmnopq' },
];

export interface Api {
  url: string;
  service: Service;
  server: RunningServer;
  /** The evidence and database folder. */
  dir: string;
  token(role: HttpRole, sub: string, ttlSeconds?: number): string;
  request(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string>; raw?: string },
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON came back
  ): Promise<{ status: number; headers: Headers; body: any }>;
  /** Lines the server logged. */
  logs: string[];
  stop(): Promise<void>;
}

export async function startApi(options: { keys?: KeyRing; mode?: 'demo' | 'production'; config?: Partial<Config> } = {}): Promise<Api> {
  const tmp = tempDir('arbiter-api-');
  const keys = options.keys ?? testKeys;
  const logs: string[] = [];
  const log = createLogger({ level: 'info', format: 'json', write: (line) => logs.push(line) });
  const service = await startTestService(tmp.dbPath, { mode: options.mode ?? 'demo', ...options.config }, log);
  const server = await startHttp(service, keys, { effectsPollMs: 50 });
  return {
    url: server.url,
    dir: tmp.dir,
    logs,
    service,
    server,
    token: (role, sub, ttlSeconds = 3600) => mintToken(keys, { role, sub }, ttlSeconds),
    async request(method, path, { token, body, headers = {}, raw } = {}) {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(raw !== undefined ? { body: raw } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, headers: response.headers, body: parsed };
    },
    async stop() {
      await server.close(100);
      tmp.cleanup();
    },
  };
}
