/**
 * Operating the service: the delivery log, dead letters and their re-drive, the demo clock. A
 * clock move is bounded (ARBITER_CLOCK_MAX_ADVANCE) and honours Idempotency-Key: a repeat moves
 * nothing and answers the clock as it is now.
 */
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { parseDuration } from '../../runtime/clock.ts';
import { authenticate, requireRole } from '../authenticate.ts';
import type { AppEnv, FullDeps } from '../deps.ts';
import { idempotencyKeyOf, jsonBody, limitBody, paramsOf, queryOf } from '../inputs.ts';
import { HttpProblem } from '../problems.ts';
import { ClockAdvanceBody } from '../schemas.ts';
import { visibleDispute } from '../visible.ts';

export const OutboxQuery = z.strictObject({
  status: z.enum(['pending', 'done', 'dead']).optional(),
  dispute: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function adminRoutes(deps: FullDeps) {
  const { service, mode } = deps;
  const { store, clock } = service;
  const auth = authenticate(deps);
  const maxAdvanceMs = service.config.edge.clockMaxAdvanceMs;
  // One move at a time: a repeated key must find the first move recorded, not race it.
  let moving: Promise<unknown> = Promise.resolve();
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
      const principal = requireRole(c, ['admin'], 'moving the clock');
      if (mode !== 'demo' || !service.controllableClock) throw new HttpProblem('not-available', 'the clock moves only in demo mode (ARBITER_MODE=demo)');
      const { by } = c.req.valid('json');
      let ms: number;
      try {
        ms = parseDuration(by);
      } catch (error) {
        throw new HttpProblem('invalid-request', (error as Error).message, { errors: [{ field: 'by', message: (error as Error).message }] });
      }
      if (ms > maxAdvanceMs) {
        const message = `the clock moves at most ${maxAdvanceMs / 86_400_000} days at once (ARBITER_CLOCK_MAX_ADVANCE); move it in steps`;
        throw new HttpProblem('invalid-request', message, { errors: [{ field: 'by', message }] });
      }
      const key = idempotencyKeyOf(c);
      const move = moving.then(() => moveClock(c, ms, key ? { caller: `clock:${principal.sub}`, key, requestHash: hashOf({ by: ms }) } : undefined));
      moving = move.catch(() => undefined);
      return move;
    });

  async function moveClock(c: Context<AppEnv>, ms: number, idempotency: { caller: string; key: string; requestHash: string } | undefined) {
    const controllable = service.controllableClock!;
    if (idempotency) {
      const found = await store.findIdempotent(idempotency.caller, idempotency.key);
      if (found && found.requestHash !== idempotency.requestHash)
        throw new HttpProblem('idempotency-key-reused', `Idempotency-Key ${idempotency.key} was already used to move the clock by another amount`);
      if (found) {
        c.header('Idempotent-Replayed', 'true');
        return c.json({ now: clock.now(), offsetMs: controllable.offsetMs, deadlinesFired: 0 });
      }
    }
    const moved = deps.effects ? await deps.effects.advanceClock(ms) : { now: await controllable.advance(ms), deadlinesFired: await service.scheduler.tick() };
    if (idempotency) await store.rememberIdempotency({ ...idempotency, statusCode: 200, disputeId: '', version: 0, createdAt: clock.now() });
    return c.json({ now: moved.now, offsetMs: controllable.offsetMs, deadlinesFired: moved.deadlinesFired });
  }
}

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
