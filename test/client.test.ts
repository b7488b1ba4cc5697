/**
 * The typed clients against a real server: the README's walk-through, from order to decision; then
 * what they send, typed from the routes' own schemas, so a body the server would refuse for its
 * shape does not compile (each `@ts-expect-error` fails `tsc` if the line ever compiles) and is
 * refused as problem+json when sent anyway.
 */
import { hc } from 'hono/client';
import { afterAll, beforeAll, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { DecisionPayload } from '../machines/payloads.ts';
import type { HttpRole } from '../server/auth/tokens.ts';
import { ArbiterProblem, createArbiterClient, type AppType, type EventInput, type QueryInput } from '../server/http/client.ts';
import type { ListQuery, MessageBody, OpenDisputeBody, OrderBody } from '../server/http/schemas.ts';
import { startApi, type Api } from './support/api.ts';
import { openingBody, orderBody } from './support/bodies.ts';

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

/** A real fetch that remembers the media type of every answer. */
function recordingFetch(seen: string[]): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    seen.push(response.headers.get('content-type') ?? '');
    return response;
  };
}

it("sends what the routes' schemas take: every body and query is their input type, and one they refuse does not compile", () => {
  type Client = ReturnType<typeof createArbiterClient>;
  expectTypeOf<Parameters<Client['registerOrder']>[1]>().toEqualTypeOf<z.input<typeof OrderBody>>();
  expectTypeOf<Parameters<Client['open']>[0]>().toEqualTypeOf<z.input<typeof OpenDisputeBody>>();
  expectTypeOf<{ body: Parameters<Client['message']>[1] }>().toEqualTypeOf<z.input<typeof MessageBody>>();
  expectTypeOf<Extract<EventInput, { type: 'agent.decide' }>>().toEqualTypeOf<{ type: 'agent.decide' } & z.input<typeof DecisionPayload>>();
  expectTypeOf<Parameters<Client['list']>[0]>().toEqualTypeOf<QueryInput<typeof ListQuery> | undefined>();
  // hc<AppType> asks the same of its callers.
  type Hono = ReturnType<typeof hc<AppType>>;
  expectTypeOf<Parameters<Hono['orders'][':orderId']['$put']>[0]['json']>().toEqualTypeOf<z.input<typeof OrderBody>>();
  expectTypeOf<Parameters<Hono['disputes']['$post']>[0]['json']>().toEqualTypeOf<z.input<typeof OpenDisputeBody>>();
  expectTypeOf<Parameters<Hono['disputes'][':id']['events']['$post']>[0]['json']>().toEqualTypeOf<EventInput>();
  expectTypeOf<Parameters<Hono['disputes'][':id']['messages']['$post']>[0]['json']>().toEqualTypeOf<z.input<typeof MessageBody>>();
});

it('a body that does not compile is refused by the server too, as problem+json', async () => {
  const seen: string[] = [];
  const as = (role: HttpRole, sub: string) => createArbiterClient(api.url, api.token(role, sub), recordingFetch(seen));
  const [marketplace, buyer, seller] = [as('system', 'marketplace'), as('buyer', 'buyer-ana'), as('seller', 'seller-bolt')];
  const order = orderBody(Date.now());
  const item = order.items[0]!;
  await marketplace.registerOrder('o-typed', order);
  const opening = { ...openingBody('o-typed'), type: 'refund_only', reason: 'damaged_or_defective' } as const;
  const { id } = await buyer.open(opening);
  seen.length = 0;
  const refusals = [
    // @ts-expect-error -- money is a number of minor units, not text
    marketplace.registerOrder('o-typed', { ...order, items: [{ ...item, price: '40.00' }] }),
    // @ts-expect-error -- bodies are strict: no field the schema does not know
    buyer.open({ ...opening, colour: 'red' }),
    // @ts-expect-error -- a dispute type is one of refund_only, return_and_refund
    buyer.open({ ...opening, type: 'refund' }),
    // @ts-expect-error -- a counter-offer says how much
    seller.send(id, { type: 'seller.counterOffer' }),
    // @ts-expect-error -- only the catalogue's event types exist
    seller.send(id, { type: 'seller.shrug' }),
    // @ts-expect-error -- a message is text
    buyer.message(id, 42),
    // @ts-expect-error -- a stage is one of the stages
    buyer.list({ stage: 'lost' }),
  ];
  const problems = await Promise.all(refusals.map((call) => call.then(() => null).catch((e: unknown) => (e as ArbiterProblem).problem)));
  expect(problems.map((p) => p?.status)).toEqual(refusals.map(() => 422));
  expect(seen).toEqual(refusals.map(() => 'application/problem+json'));
});

it('hc<AppType> sends typed bodies and queries to the real server; what does not compile is refused there too', async () => {
  const as = (role: HttpRole, sub: string) => hc<AppType>(api.url, { headers: { authorization: `Bearer ${api.token(role, sub)}` } });
  const [marketplace, buyer, support] = [as('system', 'marketplace'), as('buyer', 'buyer-ana'), as('support', 'support-sam')];
  expect((await marketplace.orders[':orderId'].$put({ param: { orderId: 'o-hc' }, json: orderBody(Date.now()) })).status).toBe(200);
  const opening = { ...openingBody('o-hc'), type: 'refund_only', reason: 'damaged_or_defective' } as const;
  const opened = await buyer.disputes.$post({ json: opening });
  expect(opened.status).toBe(201);
  const { id } = (await opened.json()) as { id: string };
  const listed = await support.disputes[':id'].evidence.$get({ param: { id }, query: { includeHidden: 'true' } });
  expect([listed.status, await listed.json()]).toEqual([200, { items: [] }]);

  const refused = [
    // @ts-expect-error -- amount is minor units, a number
    await buyer.disputes.$post({ json: { ...opening, amount: '40.00' } }),
    // @ts-expect-error -- includeHidden is true or false
    await support.disputes[':id'].evidence.$get({ param: { id }, query: { includeHidden: 'yes' } }),
  ];
  expect(refused.map((r) => [r.status, r.headers.get('content-type')])).toEqual(refused.map(() => [422, 'application/problem+json']));
});
