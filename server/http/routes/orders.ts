/** Orders: the marketplace registers the facts a dispute depends on (R-GEN-3). */
import { Hono } from 'hono';
import { z } from 'zod';
import { authenticate, requireRole } from '../authenticate.ts';
import type { AppDeps, AppEnv } from '../deps.ts';
import { jsonBody, limitBody, paramsOf, PathId } from '../inputs.ts';
import { HttpProblem } from '../problems.ts';
import { OrderBody } from '../schemas.ts';

export function orderRoutes(deps: AppDeps) {
  const { store, clock } = deps.service;
  const auth = authenticate(deps.keys);
  return new Hono<AppEnv>()
    .put('/orders/:orderId', auth, paramsOf(z.object({ orderId: PathId })), limitBody(256 * 1024, 'an order'), jsonBody(OrderBody), async (c) => {
      requireRole(c, ['system', 'admin'], 'registering orders');
      const body = c.req.valid('json');
      const { orderId } = c.req.valid('param');
      await store.registerOrder({ orderId, ...body }, clock.now());
      return c.json({ orderId, ...body }, 200);
    })
    .get('/orders/:orderId/items/:itemId', auth, paramsOf(z.object({ orderId: PathId, itemId: PathId })), async (c) => {
      const principal = c.get('principal');
      const { orderId, itemId } = c.req.valid('param');
      const facts = await store.getOrderItemFacts(orderId, itemId);
      const mine =
        facts && ((principal.role === 'buyer' && facts.buyerId === principal.sub) || (principal.role === 'seller' && facts.sellerId === principal.sub));
      if (!facts || !(mine || ['system', 'admin', 'support'].includes(principal.role)))
        throw new HttpProblem('not-found', `no order item ${orderId}/${itemId}`);
      return c.json(facts);
    });
}
