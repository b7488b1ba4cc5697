/**
 * Runs the app on @hono/node-server, and stops it gracefully: stop accepting, let in-flight
 * requests finish (long-lived streams are closed after a grace period), then stop the service.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { KeyRing } from '../auth/tokens.ts';
import { startEffects, type Effects } from '../effects/effects.ts';
import type { Service } from '../service.ts';
import { createApp } from './app.ts';
import { createMetrics } from './metrics.ts';

export interface RunningServer {
  url: string;
  port: number;
  app: ReturnType<typeof createApp>;
  effects: Effects;
  close(graceMs?: number): Promise<void>;
}

export async function startHttp(service: Service, keys: KeyRing, options: { effectsPollMs?: number } = {}): Promise<RunningServer> {
  const { config } = service;
  const effects = startEffects(service, options.effectsPollMs ? { pollMs: options.effectsPollMs } : {});
  const app = createApp({ service, keys, mode: config.mode, metrics: createMetrics(), metricsAccess: config.metricsAccess, effects });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s)) as Server;
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    app,
    effects,
    close(graceMs = 5000) {
      closing ??= new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), graceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      })
        .then(() => effects.stop())
        .then(() => service.stop());
      return closing;
    },
  };
}
