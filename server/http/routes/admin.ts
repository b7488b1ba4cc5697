/** Operating the service: the delivery log, dead letters and their re-drive, the demo clock. */
import { Hono } from 'hono';
import { z } from 'zod';
import { parseDuration } from '../../runtime/clock.ts';
import { authenticate, requireRole } from '../authenticate.ts';
import type { AppDeps, AppEnv } from '../deps.ts';
import { jsonBody, limitBody, paramsOf, queryOf } from '../inputs.ts';
import { HttpProblem } from '../problems.ts';
import { ClockAdvanceBody } from '../schemas.ts';
import { visibleDispute } from '../visible.ts';

const OutboxQuery = z.strictObject({
  status: z.enum(['pending', 'done', 'dead']).optional(),
  dispute: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function adminRoutes(deps: AppDeps) {
  const { service, mode } = deps;
  const { store, clock } = service;
  const auth = authenticate(deps.keys);
  const withLog = async (rows: Awaited<ReturnType<typeof store.listOutbox>>) =>
    Promise.all(rows.map(async (row) => ({ ...row, log: await store.deliveryAttempts(row.id) })));

  return new Hono<AppEnv>()
    .get('/disputes/:id/deliveries', auth, async (c) => {
      requireRole(c, ['support', 'admin', 'system'], 'the delivery log');
      const dispute = await visibleDispute(c, deps, c.req.param('id'));
      return c.json({ items: await withLog(await store.listOutbox({ disputeId: dispute.id, limit: 1000 })) });
    })
    .get('/admin/outbox', auth, queryOf(OutboxQuery), async (c) => {
      requireRole(c, ['admin', 'support'], 'the outbox');
      const query = c.req.valid('query');
      return c.json({ items: await withLog(await store.listOutbox({ status: query.status, disputeId: query.dispute, limit: query.limit })) });
    })
    .post('/admin/outbox/:outboxId/redrive', auth, paramsOf(z.object({ outboxId: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) })), async (c) => {
      requireRole(c, ['admin'], 're-driving dead effects');
      const { outboxId } = c.req.valid('param');
      const row = await store.getOutboxRow(outboxId);
      if (!row) throw new HttpProblem('not-found', `no outbox row ${outboxId}`);
      if (!(await store.redrive(outboxId, clock.now())))
        throw new HttpProblem('event-not-accepted', `outbox row ${outboxId} is ${row.status}; only dead rows are re-driven`);
      await deps.effects?.runDue();
      return c.json(await store.getOutboxRow(outboxId));
    })
    .get('/admin/clock', auth, (c) => {
      requireRole(c, ['admin'], 'the clock');
      return c.json({ now: clock.now(), offsetMs: service.controllableClock?.offsetMs ?? 0, controllable: service.controllableClock !== undefined });
    })
    .post('/admin/clock/advance', auth, limitBody(1024), jsonBody(ClockAdvanceBody), async (c) => {
      requireRole(c, ['admin'], 'moving the clock');
      const controllable = service.controllableClock;
      if (mode !== 'demo' || !controllable) throw new HttpProblem('not-available', 'the clock moves only in demo mode (ARBITER_MODE=demo)');
      let ms: number;
      try {
        ms = parseDuration(c.req.valid('json').by);
      } catch (error) {
        throw new HttpProblem('invalid-request', (error as Error).message, { errors: [{ field: 'by', message: (error as Error).message }] });
      }
      const moved = deps.effects
        ? await deps.effects.advanceClock(ms)
        : { now: await controllable.advance(ms), deadlinesFired: await service.scheduler.tick() };
      return c.json({ now: moved.now, offsetMs: controllable.offsetMs, deadlinesFired: moved.deadlinesFired });
    });
}
