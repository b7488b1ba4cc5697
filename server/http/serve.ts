/**
 * Runs the app on @hono/node-server, bounded, and stops it gracefully: stop accepting, let
 * in-flight requests finish (long-lived streams are closed after a grace period), then stop the
 * service.
 *
 * Bounded: a client must send its headers within `headersTimeoutMs` and its whole request
 * within `requestTimeoutMs` (a slowloris dribbling bytes is cut off at those times, as is a
 * connection that never sends anything), an idle kept-alive connection closes after
 * `keepAliveTimeoutMs`, and past `maxConnections` new connections are refused.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { KeyRing } from '../auth/tokens.ts';
import type { EdgeConfig } from '../config.ts';
import { startEffects, type Effects } from '../effects/effects.ts';
import type { Service } from '../service.ts';
import { createApp } from './app.ts';
import { createMetrics } from './metrics.ts';

export interface RunningServer {
  url: string;
  port: number;
  app: ReturnType<typeof createApp>;
  effects: Effects;
  /** Open connections now (what `maxConnections` caps). */
  connections(): Promise<number>;
  close(graceMs?: number): Promise<void>;
}

export interface HttpOptions {
  effectsPollMs?: number;
}

/** Node's own limits, set from the configuration. */
function serverLimits(edge: EdgeConfig) {
  return {
    headersTimeout: edge.headersTimeoutMs,
    requestTimeout: edge.requestTimeoutMs,
    keepAliveTimeout: edge.keepAliveTimeoutMs,
    // Node looks for requests past their timeouts this often (30 s by default: far too late).
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(edge.headersTimeoutMs / 4))),
  };
}

export async function startHttp(service: Service, keys: KeyRing, options: HttpOptions = {}): Promise<RunningServer> {
  const { config } = service;
  const effects = startEffects(service, options.effectsPollMs ? { pollMs: options.effectsPollMs } : {});
  const app = createApp({ service, keys, mode: config.mode, metrics: createMetrics(), metricsAccess: config.metricsAccess, effects });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host, serverOptions: serverLimits(config.edge) }, () => resolve(s)) as Server;
    s.once('error', reject);
  });
  server.maxConnections = config.edge.maxConnections;
  // A connection that never sends a byte is no request yet, so Node's header timeout does not
  // see it: it gets the same time to start, then the timeouts above take over.
  server.on('connection', function closeSilentConnection(socket) {
    socket.setTimeout(config.edge.headersTimeoutMs, () => socket.destroy());
    socket.once('data', () => socket.setTimeout(0));
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    app,
    effects,
    connections: () => new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count)))),
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
