/** The service itself: liveness and readiness, the OpenAPI document and its reference page, problem types, metrics. */
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono } from 'hono';
import { authenticate, requireRole } from '../authenticate.ts';
import type { AppEnv, FullDeps } from '../deps.ts';
import { docsPage, docsSecurityPolicy, scalarScript } from '../docs.ts';
import { buildOpenApiDocument } from '../openapi/document.ts';
import { HttpProblem, problemTypes, type ProblemType } from '../problems.ts';

const isLoopback = (address: string | undefined) => address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';

export function serviceRoutes(deps: FullDeps) {
  const { service, metrics, mode } = deps;
  const { store, clock, config } = service;
  const auth = authenticate(deps);
  const openapi = buildOpenApiDocument({ maxAmount: config.edge.maxAmount });

  return new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok', mode, now: clock.now() }))
    .get('/readyz', async (c) => {
      // Ready means able to write: a probe row is written and committed like any step, and the
      // database's disk has room (a probe that rewrites one row can succeed on a full disk).
      await store.probeWrite();
      if (store.kind === 'sqlite') {
        const disk = await statfs(dirname(config.dbPath));
        const free = disk.bavail * disk.bsize;
        if (free < config.edge.readyMinFreeBytes)
          throw new HttpProblem('unavailable', `the database's disk has ${Math.floor(free / 1024)} KiB free, less than ARBITER_READY_MIN_FREE_MB`, {
            retryAfter: 5,
          });
      }
      return c.json({ status: 'ready', store: store.kind, now: clock.now() });
    })
    .get('/openapi.json', (c) => c.json(openapi))
    .get('/docs', (c) => {
      c.header('Content-Security-Policy', docsSecurityPolicy);
      return c.html(docsPage);
    })
    .get('/docs/scalar.js', (c) => {
      c.header('Cache-Control', 'public, max-age=86400');
      return c.body(scalarScript(), 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
    })
    .get('/problems/:type', (c) => {
      const type = c.req.param('type') as ProblemType;
      const known = Object.hasOwn(problemTypes, type) ? problemTypes[type] : undefined;
      if (!known) throw new HttpProblem('not-found', `no problem type ${type}`);
      return c.json({ type: `/problems/${type}`, status: known.status, title: known.title, description: known.help });
    })
    .get(
      '/metrics',
      async (c, next) => {
        if (deps.metricsAccess === 'public') return next();
        if (deps.metricsAccess === 'loopback') {
          let address: string | undefined;
          try {
            address = getConnInfo(c).remote.address;
          } catch {
            address = undefined; // not served by Node (app.request in tests): not loopback
          }
          if (isLoopback(address)) return next();
        }
        return auth(c, async () => {
          requireRole(c, ['support', 'admin'], 'metrics');
          await next();
        });
      },
      async (c) => {
        const { text, contentType } = await metrics.render(await store.stats(clock.now()));
        return c.body(text, 200, { 'Content-Type': contentType });
      },
    );
}
