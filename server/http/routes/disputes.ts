/** Disputes: open one, list the ones you may see, read one and its history. */
import { Hono } from 'hono';
import { authenticate, requireRole } from '../authenticate.ts';
import type { AppEnv, FullDeps } from '../deps.ts';
import { problemFor } from '../errors.ts';
import { idempotencyKeyOf, jsonBody, limitBody, paramsOf, queryOf } from '../inputs.ts';
import { ListQuery, OpenDisputeBody } from '../schemas.ts';
import { DisputeParams, visibleDispute } from '../visible.ts';

export function disputeRoutes(deps: FullDeps) {
  const { service } = deps;
  const auth = authenticate(deps);
  const small = limitBody(deps.maxBodyBytes ?? 16 * 1024);

  return new Hono<AppEnv>()
    .post('/disputes', auth, small, jsonBody(OpenDisputeBody), async (c) => {
      const principal = requireRole(c, ['buyer'], 'opening a dispute');
      const { orderId, itemId, ...request } = c.req.valid('json');
      const result = await service.runtime.open(orderId, itemId, request, { role: 'buyer', id: principal.sub }, { idempotencyKey: idempotencyKeyOf(c) });
      if (!result.ok) throw problemFor(result.error);
      c.header('Location', `/disputes/${result.dispute.id}`);
      c.header('ETag', `"${result.dispute.version}"`);
      if (result.replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(service.queries.view(principal, result.dispute), 201);
    })
    .get('/disputes', auth, queryOf(ListQuery), async (c) => {
      const query = c.req.valid('query');
      const page = await service.queries.list(c.get('principal'), {
        ...query,
        ended: query.ended === undefined ? undefined : query.ended === 'true',
        overdue: query.overdue === 'true',
      });
      return c.json({ items: page.items, nextCursor: page.nextCursor, ...(page.skipped.length ? { skipped: page.skipped } : {}) });
    })
    .get('/disputes/:id', auth, paramsOf(DisputeParams), async (c) => {
      const dispute = await visibleDispute(c, deps, c.req.valid('param').id);
      c.header('ETag', `"${dispute.version}"`);
      return c.json(service.queries.view(c.get('principal'), dispute));
    })
    .get('/disputes/:id/history', auth, paramsOf(DisputeParams), async (c) => {
      const dispute = await visibleDispute(c, deps, c.req.valid('param').id);
      return c.json({ disputeId: dispute.id, version: dispute.version, items: await service.queries.history(dispute.id) });
    });
}
