/** The agent queue: disputes awaiting an agent, the earliest decision due first. */
import { Hono } from 'hono';
import { z } from 'zod';
import { authenticate, requireRole } from '../authenticate.ts';
import type { AppEnv, FullDeps } from '../deps.ts';
import { queryOf } from '../inputs.ts';

export const QueueQuery = z.strictObject({ cursor: z.string().max(400).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

export function agentRoutes(deps: FullDeps) {
  const auth = authenticate(deps);
  return new Hono<AppEnv>().get('/agent/queue', auth, queryOf(QueueQuery), async (c) => {
    const principal = requireRole(c, ['agent', 'support', 'admin'], 'the agent queue');
    const page = await deps.service.queries.agentQueue(principal, c.req.valid('query'));
    return c.json({ items: page.items, nextCursor: page.nextCursor, ...(page.skipped.length ? { skipped: page.skipped } : {}) });
  });
}
