/**
 * The HTTP API (Hono): one small sub-app per resource, mounted here. Thin: routes authenticate,
 * check visibility and roles, validate what comes in, and hand the rest to the runtime (writes)
 * or the queries (reads); every error becomes problem+json in `onError`. Status codes are
 * checked in this order: 401, 404, 403, 413/415, 422, 409, 412.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { createAuth } from './authenticate.ts';
import type { AppDeps, AppEnv, FullDeps } from './deps.ts';
import { onError } from './errors.ts';
import { HttpProblem, problemResponse } from './problems.ts';
import { rateLimit } from './rate-limit.ts';
import { adminRoutes } from './routes/admin.ts';
import { agentRoutes } from './routes/agent.ts';
import { disputeRoutes } from './routes/disputes.ts';
import { eventRoutes } from './routes/events.ts';
import { evidenceRoutes } from './routes/evidence.ts';
import { inspectorRoutes } from './routes/inspector.ts';
import { liveRoutes } from './routes/live.ts';
import { machineRoutes } from './routes/machines.ts';
import { orderRoutes } from './routes/orders.ts';
import { serviceRoutes } from './routes/service.ts';
import { sessionRoutes } from './routes/sessions.ts';

export type { AppDeps } from './deps.ts';

export function createApp(appDeps: AppDeps) {
  const deps: FullDeps = { ...appDeps, ...createAuth(appDeps) };
  const log = deps.service.log;
  deps.service.runtime.subscribe(({ history, origin }) => {
    if (origin !== 'local') return; // counted by the instance that fired them
    const fired = history.filter((h) => h.type.startsWith('deadline.')).length;
    if (fired > 0) deps.metrics.deadlinesFired(fired);
  });

  return new Hono<AppEnv>()
    .use(deps.metrics.requestTimer)
    .use(async function requestContext(c, next) {
      // Every line logged for a request carries its id; a caller's own id is kept when sane.
      const given = c.req.header('x-request-id');
      const requestId = given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
      c.set('requestId', requestId);
      c.set('log', log.child({ requestId }));
      c.header('X-Request-Id', requestId);
      await next();
    })
    .onError(onError)
    .use(rateLimit(deps.service.config.edge))
    .notFound((c) => problemResponse(c, new HttpProblem('not-found', `no route ${c.req.method} ${c.req.path}`)))
    .route('/', serviceRoutes(deps))
    .route('/', sessionRoutes(deps))
    .route('/', orderRoutes(deps))
    .route('/', disputeRoutes(deps))
    .route('/', eventRoutes(deps))
    .route('/', evidenceRoutes(deps))
    .route('/', agentRoutes(deps))
    .route('/', adminRoutes(deps))
    .route('/', liveRoutes(deps))
    .route('/', machineRoutes(deps))
    .route('/', inspectorRoutes());
}

export type AppType = ReturnType<typeof createApp>;
