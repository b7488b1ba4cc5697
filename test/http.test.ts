/**
 * The HTTP API through a real server on 127.0.0.1: happy paths, every status in its order,
 * cross-party attempts, tokens, idempotency, If-Match, sessions, limits and the documents.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApiDocument, routeDocs } from '../server/http/openapi/document.ts';
import { mintToken } from '../server/auth/tokens.ts';
import { startApi, testKeys, type Api } from './support/api.ts';

let api: Api;
const DAY = 86_400_000;
let tokens: Record<'ana' | 'ben' | 'bolt' | 'otherSeller' | 'kim' | 'lee' | 'support' | 'system' | 'admin', string>;

function orderBody(buyerId: string, sellerId = 'seller-bolt', extra: Record<string, unknown> = {}) {
  const now = Date.now();
  const iso = (days: number) => new Date(now + days * DAY).toISOString();
  return {
    buyerId,
    sellerId,
    currency: 'USD',
    paymentMethod: 'card',
    items: [
      { itemId: 'item-1', price: 4000, shippingCost: 500, shippedAt: iso(-12), deliveryWindowEndsAt: iso(18), ...extra },
      { itemId: 'item-2', price: 2000, shippingCost: 0, shippedAt: iso(-12), deliveryWindowEndsAt: iso(18), ...extra },
    ],
  };
}

const request = { type: 'refund_only', reason: 'not_as_described', description: 'Wrong colour', amount: 4000 };

async function registerOrder(orderId: string, buyerId: string, sellerId = 'seller-bolt') {
  const res = await api.request('PUT', `/orders/${orderId}`, { token: tokens.system, body: orderBody(buyerId, sellerId) });
  expect(res.status).toBe(200);
}

async function openDispute(orderId: string, token: string, body: Record<string, unknown> = request, itemId = 'item-1') {
  const res = await api.request('POST', '/disputes', { token, body: { orderId, itemId, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; version: number; state: string };
}

const send = (id: string, token: string, body: unknown, headers: Record<string, string> = {}) =>
  api.request('POST', `/disputes/${id}/events`, { token, body, headers });

beforeAll(async () => {
  api = await startApi();
  tokens = {
    ana: api.token('buyer', 'buyer-ana'),
    ben: api.token('buyer', 'buyer-ben'),
    bolt: api.token('seller', 'seller-bolt'),
    otherSeller: api.token('seller', 'seller-zed'),
    kim: api.token('agent', 'agent-kim'),
    lee: api.token('agent', 'agent-lee'),
    support: api.token('support', 'support-sam'),
    system: api.token('system', 'marketplace'),
    admin: api.token('admin', 'admin'),
  };
  expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
});
afterAll(() => api.stop());

describe('happy paths', () => {
  it('refund only: open, counter-offer, accept: the refund is requested', async () => {
    await registerOrder('o-happy-1', 'buyer-ana');
    const opened = await openDispute('o-happy-1', tokens.ana);
    expect(opened).toMatchObject({ state: 'negotiating.awaitingSellerResponse', version: 1 });
    const seen = await api.request('GET', `/disputes/${opened.id}`, { token: tokens.bolt });
    expect(seen.body.next.map((e: { type: string }) => e.type)).toEqual([
      'seller.accept',
      'seller.reject',
      'seller.counterOffer',
      'seller.offerReshipment',
      'message.send',
      'evidence.add',
    ]);
    expect(seen.body.next.find((e: { type: string }) => e.type === 'seller.counterOffer').schema.properties.amount.maximum).toBe(3999);
    const countered = await send(opened.id, tokens.bolt, { type: 'seller.counterOffer', amount: 2500 });
    expect(countered).toMatchObject({ status: 200, body: { state: 'negotiating.offerPending', version: 2 } });
    expect(countered.headers.get('etag')).toBe('"2"');
    const accepted = await send(opened.id, tokens.ana, { type: 'buyer.acceptOffer' });
    expect(accepted.body).toMatchObject({ state: 'resolving.decision.final + resolving.payout.settlement.requested', amounts: { paid: 4500, held: 4500 } });
    const history = await api.request('GET', `/disputes/${opened.id}/history`, { token: tokens.ana });
    expect(history.body.items.map((h: { type: string; actorId: string }) => `${h.type} by ${h.actorId}`)).toEqual([
      'dispute.opened by buyer-ana',
      'seller.counterOffer by seller-bolt',
      'buyer.acceptOffer by buyer-ana',
    ]);
    expect(history.body.items[1]).toMatchObject({
      fromState: 'negotiating.awaitingSellerResponse',
      toState: 'negotiating.offerPending',
      payload: { amount: 2500 },
    });
  });

  it('return and refund: the seller accepts, the buyer must ship the goods back', async () => {
    await registerOrder('o-happy-2', 'buyer-ana');
    const opened = await openDispute('o-happy-2', tokens.ana, { ...request, type: 'return_and_refund', reason: 'damaged_or_defective' });
    const accepted = await send(opened.id, tokens.bolt, { type: 'seller.accept' });
    expect(accepted.body.state).toBe('resolving.decision.final + resolving.payout.returnLeg.awaitingShipment');
    expect(accepted.body.deadlines.map((d: { name: string }) => d.name)).toEqual(['returnShipment']);
    const shipped = await send(opened.id, tokens.ana, { type: 'buyer.shipReturn', carrier: 'PostNL', trackingNumber: 'RR1' });
    expect(shipped.body.state).toContain('returnLeg.inTransit');
  });

  it('escalated and decided: the agent queue, assignment and a decision with a written reason', async () => {
    await registerOrder('o-happy-3', 'buyer-ana');
    const opened = await openDispute('o-happy-3', tokens.ana);
    await send(opened.id, tokens.bolt, { type: 'seller.reject', reason: 'It is blue' });
    expect((await api.request('GET', `/disputes/${opened.id}`, { token: tokens.kim })).status).toBe(404); // not escalated yet
    await send(opened.id, tokens.ana, { type: 'buyer.escalate' });
    const queue = await api.request('GET', '/agent/queue', { token: tokens.kim });
    const entry = queue.body.items.find((d: { id: string }) => d.id === opened.id);
    expect(entry).toMatchObject({ state: 'escalated.inQueue', assignedAgent: null, overdue: false, decisionDueAt: expect.any(String) });
    await send(opened.id, tokens.kim, { type: 'agent.assign' });
    const decided = await send(opened.id, tokens.kim, {
      type: 'agent.decide',
      outcome: 'buyer_partial_refund',
      amount: 2400,
      reason: 'Colour differs; usable',
    });
    expect(decided.body).toMatchObject({ state: 'resolving.decision.appealWindowOpen + resolving.payout.settlement.requested' });
    expect(decided.body.context.decision).toMatchObject({ refund: 2400, agentId: 'agent-kim', reason: 'Colour differs; usable' });
  });
});

describe('status codes, in their order', () => {
  let mine: string;
  let bens: string;
  beforeAll(async () => {
    await registerOrder('o-status-1', 'buyer-ana');
    await registerOrder('o-status-2', 'buyer-ben');
    mine = (await openDispute('o-status-1', tokens.ana)).id;
    bens = (await openDispute('o-status-2', tokens.ben)).id;
  });

  it('401 before anything: no token, even on an unknown dispute', async () => {
    const res = await send('nope', '', { type: 'seller.accept' });
    expect(res).toMatchObject({ status: 401, body: { type: '/problems/unauthorized', status: 401 } });
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });

  it('404 before 403: another buyer’s dispute is not found, whatever the event', async () => {
    expect(await send(bens, tokens.ana, { type: 'seller.accept' })).toMatchObject({ status: 404, body: { type: '/problems/not-found' } });
    expect(await send('dsp_unknown', tokens.ana, { type: 'buyer.cancel' })).toMatchObject({ status: 404 });
  });

  it('403 before 422: a role that may not send the event, even with a bad payload', async () => {
    const res = await send(mine, tokens.ana, { type: 'seller.counterOffer', amount: 'lots' });
    expect(res).toMatchObject({ status: 403, body: { type: '/problems/forbidden', detail: 'seller.counterOffer may be sent by seller, not by buyer' } });
  });

  it('422 before 409: a bad payload, even for an event the state does not accept', async () => {
    const res = await send(mine, tokens.ana, { type: 'buyer.proposeAmount', amount: -1 });
    expect(res).toMatchObject({ status: 422, body: { type: '/problems/invalid-request', errors: [{ field: 'amount' }] } });
    expect((await send(mine, tokens.ana, { type: 'buyer.shrug' })).status).toBe(422);
  });

  it('409 before 412: the state does not accept the event, listing what it does', async () => {
    const res = await send(mine, tokens.ana, { type: 'buyer.acceptOffer' }, { 'If-Match': '"99"' });
    expect(res).toMatchObject({
      status: 409,
      body: { type: '/problems/event-not-accepted', acceptedEvents: ['buyer.cancel', 'message.send', 'evidence.add'] },
    });
  });

  it('412 last: a stale If-Match on an event that would apply', async () => {
    const res = await send(mine, tokens.ana, { type: 'message.send', body: 'hi' }, { 'If-Match': '"7"' });
    expect(res).toMatchObject({ status: 412, body: { type: '/problems/precondition-failed', currentVersion: 1 } });
    const ok = await send(mine, tokens.ana, { type: 'message.send', body: 'hi' }, { 'If-Match': '"1"' });
    expect(ok).toMatchObject({ status: 200, body: { version: 2, state: 'negotiating.awaitingSellerResponse' } });
  });

  it('409 for a second dispute on the same item, naming the first', async () => {
    const res = await api.request('POST', '/disputes', { token: tokens.ana, body: { orderId: 'o-status-1', itemId: 'item-1', ...request } });
    expect(res).toMatchObject({ status: 409, body: { type: '/problems/duplicate-dispute', existingDisputeId: mine } });
  });

  it('422 with the earliest instant when an opening rule refuses', async () => {
    const now = Date.now();
    await api.request('PUT', '/orders/o-early', {
      token: tokens.system,
      body: {
        ...orderBody('buyer-ana'),
        items: [
          { itemId: 'item-1', price: 4000, shippedAt: new Date(now - 2 * DAY).toISOString(), deliveryWindowEndsAt: new Date(now + 20 * DAY).toISOString() },
        ],
      },
    });
    const res = await api.request('POST', '/disputes', {
      token: tokens.ana,
      body: { orderId: 'o-early', itemId: 'item-1', ...request, reason: 'not_received' },
    });
    expect(res).toMatchObject({ status: 422, body: { type: '/problems/not-eligible', errors: [{ rule: 'R-OPEN-1', earliest: expect.any(String) }] } });
    expect(res.body.detail).toMatch(/not_received disputes open 11 days after shipping: earliest \d{4}-/);
  });

  it('400 malformed JSON, 415 without JSON, 413 over the cap, 422 unknown fields', async () => {
    expect((await api.request('POST', `/disputes/${mine}/events`, { token: tokens.ana, raw: '{"type": ' })).body).toMatchObject({
      status: 400,
      type: '/problems/malformed-request',
    });
    const text = await api.request('POST', `/disputes/${mine}/events`, { token: tokens.ana, headers: { 'content-type': 'text/plain' }, raw: 'hello' });
    expect(text.status).toBe(415);
    const big = await api.request('POST', `/disputes/${mine}/messages`, { token: tokens.ana, body: { body: 'x'.repeat(70_000) } });
    expect(big).toMatchObject({ status: 413, body: { type: '/problems/payload-too-large' } });
    // An unknown field is named in field, the same way for an event and for any other body.
    const extra = await send(mine, tokens.ana, { type: 'message.send', body: 'hi', admin: true });
    expect(extra).toMatchObject({ status: 422, body: { errors: [{ rule: 'EVENT', field: 'admin', message: 'there is no field "admin" here' }] } });
    const message = await api.request('POST', `/disputes/${mine}/messages`, { token: tokens.ana, body: { body: 'hi', admin: true } });
    expect(message).toMatchObject({ status: 422, body: { errors: [{ field: 'admin', message: 'there is no field "admin" here' }] } });
    const order = await api.request('PUT', '/orders/o-x', {
      token: tokens.system,
      body: { ...orderBody('buyer-ana'), discount: 5, items: [{ ...orderBody('buyer-ana').items[0], colour: 'red' }] },
    });
    expect(order.status).toBe(422);
    expect(order.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'discount', message: 'there is no field "discount" here' },
        { field: 'items.0.colour', message: 'there is no field "colour" here' },
      ]),
    );
  });
});

describe('cross-party attempts', () => {
  let anas: string;
  beforeAll(async () => {
    await registerOrder('o-cross', 'buyer-ana');
    anas = (await openDispute('o-cross', tokens.ana)).id;
  });

  it('buyer B, another seller and a not-yet-involved agent see nothing of buyer A’s dispute', async () => {
    for (const token of [tokens.ben, tokens.otherSeller, tokens.kim]) {
      expect((await api.request('GET', `/disputes/${anas}`, { token })).status).toBe(404);
      expect((await api.request('GET', `/disputes/${anas}/history`, { token })).status).toBe(404);
      expect((await send(anas, token, { type: 'message.send', body: 'hello' })).status).toBe(404);
      expect((await api.request('POST', `/disputes/${anas}/messages`, { token, body: { body: 'hello' } })).status).toBe(404);
      const list = await api.request('GET', '/disputes', { token });
      expect(list.body.items.map((d: { id: string }) => d.id)).not.toContain(anas);
    }
    expect((await api.request('GET', `/disputes?buyer=buyer-ana`, { token: tokens.ben })).body.items).toEqual([]);
    expect((await api.request('GET', `/orders/o-cross/items/item-1`, { token: tokens.ben })).status).toBe(404);
  });

  it('support reads everything but writes nothing; buyers cannot register orders or move the clock', async () => {
    expect((await api.request('GET', `/disputes/${anas}`, { token: tokens.support })).status).toBe(200);
    expect((await api.request('GET', `/disputes/${anas}`, { token: tokens.support })).body.next).toEqual([]);
    expect(await send(anas, tokens.support, { type: 'buyer.cancel' })).toMatchObject({ status: 403 });
    expect((await api.request('POST', `/disputes/${anas}/messages`, { token: tokens.support, body: { body: 'hi' } })).status).toBe(403);
    expect((await api.request('PUT', '/orders/o-support', { token: tokens.support, body: orderBody('x') })).status).toBe(403);
    expect((await api.request('PUT', '/orders/o-buyer', { token: tokens.ana, body: orderBody('buyer-ana') })).status).toBe(403);
    expect((await api.request('POST', '/admin/clock/advance', { token: tokens.ana, body: { by: '1d' } })).status).toBe(403);
    expect((await api.request('POST', '/disputes', { token: tokens.bolt, body: { orderId: 'o-cross', itemId: 'item-2', ...request } })).status).toBe(403);
  });

  it('a buyer cannot open a dispute on someone else’s order', async () => {
    const res = await api.request('POST', '/disputes', { token: tokens.ben, body: { orderId: 'o-cross', itemId: 'item-2', ...request, amount: 2000 } });
    expect(res).toMatchObject({ status: 422, body: { type: '/problems/unknown-order' } });
  });
});

describe('tokens', () => {
  const forge = (token: string) => `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;

  it('forged, expired, rotated-out and malformed tokens are refused with the reason', async () => {
    const cases: [string, RegExp][] = [
      [forge(tokens.ana), /signature/],
      [mintToken(testKeys, { role: 'buyer', sub: 'buyer-ana' }, 60, Date.now() - 3600_000), /expired/],
      [mintToken([{ kid: 'k0', secret: 'retired-secret-0123456789abcdefghijklmn' }], { role: 'buyer', sub: 'buyer-ana' }, 3600), /retired/],
      ['not-a-token', /not a JWT/],
    ];
    for (const [token, reason] of cases) {
      const res = await api.request('GET', '/disputes', { token });
      expect(res.status).toBe(401);
      expect(res.body.detail).toMatch(reason);
    }
    expect((await api.request('GET', '/disputes', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });

  it('every configured key is accepted, so a secret rotates without downtime', async () => {
    const oldKey = mintToken([testKeys[1]!], { role: 'buyer', sub: 'buyer-ana' }, 3600);
    expect((await api.request('GET', '/disputes', { token: oldKey })).status).toBe(200);
  });
});

describe('idempotency and concurrency over HTTP', () => {
  it('a repeated Idempotency-Key returns the first answer; another body with it is 422', async () => {
    await registerOrder('o-idem', 'buyer-ana');
    const id = (await openDispute('o-idem', tokens.ana)).id;
    const first = await send(id, tokens.bolt, { type: 'seller.counterOffer', amount: 3000 }, { 'Idempotency-Key': 'offer-1' });
    const again = await send(id, tokens.bolt, { type: 'seller.counterOffer', amount: 3000 }, { 'Idempotency-Key': 'offer-1' });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await api.request('GET', `/disputes/${id}/history`, { token: tokens.ana })).body.items).toHaveLength(2);
    const other = await send(id, tokens.bolt, { type: 'seller.counterOffer', amount: 2000 }, { 'Idempotency-Key': 'offer-1' });
    expect(other).toMatchObject({ status: 422, body: { type: '/problems/idempotency-key-reused' } });

    const open1 = await api.request('POST', '/disputes', {
      token: tokens.ana,
      body: { orderId: 'o-idem', itemId: 'item-2', ...request, amount: 2000 },
      headers: { 'Idempotency-Key': 'open-2' },
    });
    const open2 = await api.request('POST', '/disputes', {
      token: tokens.ana,
      body: { orderId: 'o-idem', itemId: 'item-2', ...request, amount: 2000 },
      headers: { 'Idempotency-Key': 'open-2' },
    });
    expect([open1.status, open2.status]).toEqual([201, 201]);
    expect(open2.body.id).toBe(open1.body.id);
  });

  it('a refused request is not remembered under its key: sent again, it is judged afresh', async () => {
    await registerOrder('o-idem-refused', 'buyer-ana');
    const id = (await openDispute('o-idem-refused', tokens.ana)).id;
    // Too early: the seller has not answered (R-NEG-5). Nothing changes, so the key keeps nothing.
    const early = await send(id, tokens.ana, { type: 'buyer.escalate' }, { 'Idempotency-Key': 'esc-1' });
    expect(early).toMatchObject({ status: 409, body: { type: '/problems/event-not-accepted' } });
    expect(early.headers.get('idempotent-replayed')).toBeNull();
    expect((await send(id, tokens.bolt, { type: 'seller.reject', reason: 'it was delivered' })).status).toBe(200);
    // The same key, now that the seller answered: applied, not answered with the old 409.
    const later = await send(id, tokens.ana, { type: 'buyer.escalate' }, { 'Idempotency-Key': 'esc-1' });
    expect(later.status).toBe(200);
    expect(later.headers.get('idempotent-replayed')).toBeNull();
    expect(later.body.state).toMatch(/^escalated/);
    const again = await send(id, tokens.ana, { type: 'buyer.escalate' }, { 'Idempotency-Key': 'esc-1' });
    expect([again.status, again.headers.get('idempotent-replayed')]).toEqual([200, 'true']);
  });
});

describe('browser sessions', () => {
  it('a token becomes an HttpOnly cookie session; cookie writes need the CSRF token', async () => {
    await registerOrder('o-cookie', 'buyer-ana');
    const id = (await openDispute('o-cookie', tokens.ana)).id;
    const signIn = await api.request('POST', '/session', { body: { token: tokens.ana } });
    expect(signIn.status).toBe(201);
    const cookies = signIn.headers.getSetCookie();
    expect(cookies.find((c) => c.startsWith('arbiter_session='))).toMatch(/HttpOnly/i);
    expect(cookies.find((c) => c.startsWith('arbiter_session='))).toMatch(/SameSite=Strict/i);
    const jar = cookies.map((c) => c.split(';')[0]).join('; ');
    const me = await api.request('GET', '/session', { headers: { cookie: jar } });
    expect(me.body).toEqual({ role: 'buyer', sub: 'buyer-ana', via: 'cookie' });
    expect((await api.request('GET', `/disputes/${id}`, { headers: { cookie: jar } })).status).toBe(200);
    const noCsrf = await api.request('POST', `/disputes/${id}/messages`, { headers: { cookie: jar }, body: { body: 'hi' } });
    expect(noCsrf).toMatchObject({ status: 403, body: { type: '/problems/csrf-token-missing' } });
    const withCsrf = await api.request('POST', `/disputes/${id}/messages`, {
      headers: { cookie: jar, 'X-CSRF-Token': signIn.body.csrfToken },
      body: { body: 'hi' },
    });
    expect(withCsrf.status).toBe(200);
    expect((await api.request('POST', '/session', { body: { token: 'forged.token.here' } })).status).toBe(401);
  });
});

describe('service endpoints and documents', () => {
  it('healthz, the machine, problem type pages', async () => {
    expect(await api.request('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    const machine = await api.request('GET', '/machines/dispute');
    expect(machine.body.transitions.length).toBeGreaterThan(50);
    expect(machine.body.deadlines.find((d: { name: string }) => d.name === 'sellerResponse')).toMatchObject({
      rule: 'R-NEG-1',
      event: 'deadline.sellerResponse',
    });
    expect(await api.request('GET', '/problems/precondition-failed')).toMatchObject({ status: 200, body: { status: 412 } });
  });

  it('the OpenAPI document validates as OpenAPI 3.1 and documents exactly the served routes', async () => {
    const doc = (await api.request('GET', '/openapi.json')).body;
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    const broken = structuredClone(doc);
    broken.paths['/disputes'].post.parameters = [{ name: 'limit' }]; // a parameter without `in`
    expect((await new Validator().validate(broken)).valid).toBe(false);

    const served = api.server.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
    const documented = routeDocs.map((r) => `${r.method} ${r.path}`);
    expect([...new Set(served)].sort()).toEqual([...documented].sort());
    expect(buildOpenApiDocument().components.schemas).toHaveProperty('DisputeEvent');
  });

  it('the docs page and its script are served from this service, not a CDN', async () => {
    const page = await api.request('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/docs/scalar.js">');
    expect(page.body).not.toMatch(/https?:\/\//);
    // The browser may load and call this service only; the inline start script is allowed by its hash.
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/^default-src 'self'; script-src 'self' 'sha256-[A-Za-z0-9+/]+=*'; /);
    expect(policy).toContain("connect-src 'self'");
    const inline = /<script>([^<]+)<\/script>/.exec(String(page.body))![1]!;
    expect(policy).toContain(`'sha256-${createHash('sha256').update(inline).digest('base64')}'`);
    const script = await fetch(`${api.url}/docs/scalar.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(1_000_000);
  });

  it('metrics count applied and rejected events, deadlines fired, step latency and queue depths', async () => {
    const text = (await api.request('GET', '/metrics')).body as string;
    expect(text).toMatch(/arbiter_events_applied_total\{type="seller.counterOffer"\} \d+/);
    expect(text).toMatch(/arbiter_events_rejected_total\{type="seller.counterOffer",reason="forbidden"\} \d+/);
    expect(text).toMatch(/arbiter_step_duration_seconds_count \d+/);
    expect(text).toMatch(/arbiter_agent_queue_depth \d+/);
    expect(text).toMatch(/arbiter_deadlines_fired_total \d+/);
  });

  it('metrics carry the process metrics and the latency of requests by route pattern and status, never by their raw path', async () => {
    await registerOrder('o-metrics', 'buyer-ana');
    const { id } = await openDispute('o-metrics', tokens.ana);
    for (let i = 0; i < 3; i += 1) expect((await api.request('GET', `/disputes/${id}`, { token: tokens.ana })).status).toBe(200);
    expect((await api.request('GET', `/disputes/${id}`, { token: tokens.ben })).status).toBe(404); // another buyer's
    expect((await api.request('GET', `/nowhere/${id}`, { token: tokens.ana })).status).toBe(404);
    const res = await fetch(`${api.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    const series = (name: string, labels: Record<string, string>) =>
      text.split('\n').filter((line) => line.startsWith(`${name}{`) && Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)));
    const value = (name: string, labels: Record<string, string>) => {
      const lines = series(name, labels);
      expect(lines, `${name} ${JSON.stringify(labels)}`).toHaveLength(1);
      return Number(lines[0]!.split(' ').at(-1));
    };
    const route = { method: 'GET', route: '/disputes/:id' };
    expect(value('http_request_duration_seconds_bucket', { ...route, status: '200', le: '+Inf' })).toBeGreaterThanOrEqual(3);
    expect(value('http_request_duration_seconds_bucket', { ...route, status: '200', le: '0.1' })).toBeGreaterThanOrEqual(0);
    expect(value('http_request_duration_seconds_count', { ...route, status: '404' })).toBeGreaterThanOrEqual(1);
    expect(value('http_request_duration_seconds_count', { route: 'unmatched', status: '404' })).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(id); // no label holds a raw path or a dispute id
    expect(text).not.toContain('/nowhere');
  });

  it('the demo clock moves forward and deadlines fire; an admin-only endpoint', async () => {
    await registerOrder('o-clock', 'buyer-ana');
    const id = (await openDispute('o-clock', tokens.ana)).id;
    const moved = await api.request('POST', '/admin/clock/advance', { token: tokens.admin, body: { by: '6d' } });
    expect(moved).toMatchObject({ status: 200, body: { deadlinesFired: expect.any(Number) } });
    expect(moved.body.deadlinesFired).toBeGreaterThanOrEqual(1);
    const after = await api.request('GET', `/disputes/${id}`, { token: tokens.ana });
    expect(after.body.context.resolution).toMatchObject({ source: 'seller_silent' });
    expect((await api.request('POST', '/admin/clock/advance', { token: tokens.admin, body: { by: 'soon' } })).status).toBe(422);
    const metrics = (await api.request('GET', '/metrics')).body as string;
    expect(Number(/arbiter_deadlines_fired_total (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('an unexpected fault is a 500 with an errorId, and no stack trace leaks', async () => {
    await registerOrder('o-broken', 'buyer-ana');
    const id = (await openDispute('o-broken', tokens.ana)).id;
    const raw = new Database(api.service.config.dbPath);
    raw.prepare("update disputes set snapshot = '{not json' where id = ?").run(id);
    raw.close();
    const res = await api.request('GET', `/disputes/${id}`, { token: tokens.ana });
    expect(res).toMatchObject({ status: 500, body: { type: '/problems/internal', errorId: expect.any(String) } });
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+|SyntaxError|not JSON/);
    expect(api.logs.find((line) => line.includes(res.body.errorId))).toMatch(/stored snapshot is not JSON/);
  });
});

describe('listing', () => {
  it('filters by state, order and overdue, and pages with a cursor', async () => {
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      await api.request('PUT', `/orders/o-list-${n}`, { token: tokens.system, body: orderBody('buyer-lena', 'seller-list') });
      ids.push((await openDispute(`o-list-${n}`, api.token('buyer', 'buyer-lena'))).id);
    }
    const lena = api.token('buyer', 'buyer-lena');
    await send(ids[1]!, api.token('seller', 'seller-list'), { type: 'seller.reject', reason: 'no' });

    const pages: string[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/disputes?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api.request('GET', query, { token: lena });
      expect(page.status).toBe(200);
      pages.push(page.body.items.map((d: { id: string }) => d.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(pages.flat()).toEqual(ids);
    expect(pages[0]).toHaveLength(2);

    const rejected = await api.request('GET', '/disputes?state=negotiating.rejected', { token: lena });
    expect(rejected.body.items.map((d: { id: string }) => d.id)).toEqual([ids[1]]);
    const byOrder = await api.request('GET', '/disputes?order=o-list-3', { token: tokens.support });
    expect(byOrder.body.items.map((d: { id: string }) => d.id)).toEqual([ids[2]]);
    expect((await api.request('GET', '/disputes?overdue=true&seller=seller-list', { token: tokens.support })).body.items).toEqual([]);
    expect((await api.request('GET', '/disputes?limit=0', { token: lena })).status).toBe(422);
    expect((await api.request('GET', '/disputes?cursor=garbage', { token: lena })).status).toBe(422);
  });

  it('the agent queue puts the earliest decision due first and flags overdue ones', async () => {
    const ids: string[] = [];
    for (const n of [1, 2]) {
      await api.request('PUT', `/orders/o-queue-${n}`, { token: tokens.system, body: orderBody('buyer-quinn', 'seller-q') });
      const id = (await openDispute(`o-queue-${n}`, api.token('buyer', 'buyer-quinn'))).id;
      await send(id, api.token('seller', 'seller-q'), { type: 'seller.reject', reason: 'no' });
      await send(id, api.token('buyer', 'buyer-quinn'), { type: 'buyer.escalate' });
      ids.push(id);
    }
    const queue = (await api.request('GET', '/agent/queue', { token: tokens.lee })).body.items as { id: string; decisionDueAt: string | null }[];
    const positions = ids.map((id) => queue.findIndex((d) => d.id === id));
    expect(positions[0]).toBeLessThan(positions[1]!);
    const dues = queue.map((d) => d.decisionDueAt ?? '');
    expect(dues).toEqual([...dues].sort());
    expect((await api.request('GET', '/agent/queue', { token: tokens.ana })).status).toBe(403);

    // Eight days later every escalated dispute is overdue (R-ESC-1): flagged, still in the queue.
    await api.request('POST', '/admin/clock/advance', { token: tokens.admin, body: { by: '8d' } });
    const later = (await api.request('GET', '/agent/queue', { token: tokens.lee })).body.items as { id: string; overdue: boolean }[];
    expect(later.filter((d) => ids.includes(d.id)).map((d) => d.overdue)).toEqual([true, true]);
    const overdue = await api.request('GET', '/disputes?overdue=true&buyer=buyer-quinn', { token: tokens.support });
    expect(overdue.body.items.map((d: { id: string }) => d.id).sort()).toEqual([...ids].sort());
  });
});
