/** Orders: the marketplace registers the facts a dispute depends on (R-GEN-3). */
import { Hono } from 'hono';
import { z } from 'zod';
import { authenticate, requireRole } from '../authenticate.ts';
import type { AppEnv, FullDeps } from '../deps.ts';
import { jsonBody, limitBody, paramsOf, PathId } from '../inputs.ts';
import { HttpProblem } from '../problems.ts';
import { disputableItems } from '../../queries/orders.ts';
import { OrderBody } from '../schemas.ts';

export function orderRoutes(deps: FullDeps) {
  const { store, clock } = deps.service;
  const auth = authenticate(deps);
  return new Hono<AppEnv>()
    .put('/orders/:orderId', auth, paramsOf(z.object({ orderId: PathId })), limitBody(256 * 1024, 'an order'), jsonBody(OrderBody), async (c) => {
      requireRole(c, ['system', 'admin'], 'registering orders');
      const body = c.req.valid('json');
      const { orderId } = c.req.valid('param');
      const max = deps.service.config.edge.maxAmount;
      // Every amount of a dispute is bounded by its item's price and shipping: bounding these keeps all sums safe integers.
      const over = body.items.flatMap((item, i) =>
        (['price', 'shippingCost'] as const)
          .filter((field) => item[field] > max)
          .map((field) => ({ field: `items.${i}.${field}`, message: `at most ${max} minor units (ARBITER_MAX_AMOUNT)` })),
      );
      if (over.length > 0) throw new HttpProblem('invalid-request', `amounts above ${max} minor units are refused`, { errors: over });
      await store.registerOrder({ orderId, ...body }, clock.now());
      return c.json({ orderId, ...body }, 200);
    })
    .get('/orders/disputable', auth, async (c) => {
      const principal = requireRole(c, ['buyer'], 'listing the items you may dispute');
      const items = await disputableItems(store, deps.service.config.policy, principal.sub, clock.now());
      return c.json({ items });
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
