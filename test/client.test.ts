/** The typed client against a real server: the README's walk-through, from order to decision. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ArbiterProblem, createArbiterClient } from '../server/http/client.ts';
import { startApi, type Api } from './support/api.ts';

let api: Api;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stop());

it('registers an order, opens, negotiates, escalates and gets a decision, typed end to end', async () => {
  const marketplace = createArbiterClient(api.url, api.token('system', 'marketplace'));
  const buyer = createArbiterClient(api.url, api.token('buyer', 'buyer-ana'));
  const seller = createArbiterClient(api.url, api.token('seller', 'seller-bolt'));
  const agent = createArbiterClient(api.url, api.token('agent', 'agent-kim'));
  const now = Date.now();
  await marketplace.registerOrder('o-client', {
    buyerId: 'buyer-ana',
    sellerId: 'seller-bolt',
    currency: 'USD',
    paymentMethod: 'paypal',
    items: [
      {
        itemId: 'lamp',
        price: 3000,
        shippingCost: 400,
        shippedAt: new Date(now - 12 * 86_400_000).toISOString(),
        deliveryWindowEndsAt: new Date(now + 18 * 86_400_000).toISOString(),
      },
    ],
  });
  const opened = await buyer.open({
    orderId: 'o-client',
    itemId: 'lamp',
    type: 'refund_only',
    reason: 'damaged_or_defective',
    description: 'Cracked shade',
    amount: 3000,
  });
  expect(opened.state).toBe('negotiating.awaitingSellerResponse');
  const countered = await seller.send(opened.id, { type: 'seller.counterOffer', amount: 1000 }, { ifMatch: opened.version });
  await buyer.send(countered.id, { type: 'buyer.rejectOffer', reason: 'Too little' });
  await buyer.send(opened.id, { type: 'buyer.escalate' });
  expect((await agent.queue()).items.map((d) => d.id)).toContain(opened.id);
  await agent.send(opened.id, { type: 'agent.assign' });
  const decided = await agent.send(opened.id, { type: 'agent.decide', outcome: 'buyer_full_refund', reason: 'Photos show the crack' });
  expect(decided.amounts).toEqual({ currency: 'USD', paid: 3400, held: 3400, refunded: 0, released: 0 });
  expect(decided.context.decision?.refund).toBe(3400);
  const history = await buyer.history(opened.id);
  expect(history.items.map((h) => h.type)).toEqual([
    'dispute.opened',
    'seller.counterOffer',
    'buyer.rejectOffer',
    'buyer.escalate',
    'agent.assign',
    'agent.decide',
  ]);

  const refused = await seller.send(opened.id, { type: 'seller.accept' }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(ArbiterProblem);
  expect((refused as ArbiterProblem).problem).toMatchObject({ status: 409, type: '/problems/event-not-accepted' });
});
