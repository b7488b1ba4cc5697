/**
 * Security: what a caller may reach and what the answers give away. Every documented route,
 * tried by parties outside a dispute, answers exactly as for a dispute that does not exist;
 * ids that cannot be ids never reach the store; hostile JSON (deep, wide, prototype keys,
 * numbers that are not safe integers, amounts above the configured maximum) is 400 / 422,
 * never 500; the demo clock honours Idempotency-Key and its bound.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultEdge } from '../server/config.ts';
import { buildOpenApiDocument } from '../server/http/openapi/document.ts';
import { startApi, type Api } from './support/api.ts';
import { openingBody as opening, orderBody } from './support/bodies.ts';

const DAY = 86_400_000;
let api: Api;
let t: Record<'ana' | 'bolt' | 'ben' | 'zed' | 'lee' | 'system' | 'admin' | 'support', string>;
let disputeId: string;
let evidenceId: string;
const readIds: string[] = [];

const order = (buyerId: string, price = 4000, shippingCost = 500) => orderBody(Date.now(), { buyerId, price, shippingCost });

beforeAll(async () => {
  api = await startApi({ config: { edge: { ...defaultEdge, maxAmount: 1_000_000, clockMaxAdvanceMs: 40 * DAY } } });
  t = {
    ana: api.token('buyer', 'buyer-ana'),
    bolt: api.token('seller', 'seller-bolt'),
    ben: api.token('buyer', 'buyer-ben'),
    zed: api.token('seller', 'seller-zed'),
    lee: api.token('agent', 'agent-lee'),
    system: api.token('system', 'shop'),
    admin: api.token('admin', 'admin'),
    support: api.token('support', 'support-sam'),
  };
  expect((await api.request('PUT', '/orders/o-ana', { token: t.system, body: order('buyer-ana') })).status).toBe(200);
  const opened = await api.request('POST', '/disputes', { token: t.ana, body: opening('o-ana') });
  disputeId = opened.body.id;
  const form = new FormData();
  form.set('file', new Blob([Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex')], { type: 'image/png' }), 'p.png');
  const uploaded = await fetch(`${api.url}/disputes/${disputeId}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${t.ana}` }, body: form });
  evidenceId = ((await uploaded.json()) as { evidence: { id: string } }).evidence.id;
  // Every id the store is asked about, to show that impossible ids never get there.
  for (const method of ['getAccess', 'getDispute', 'getOrderItemFacts', 'getEvidence'] as const) {
    const original = api.service.store[method].bind(api.service.store) as (...args: string[]) => Promise<unknown>;
    (api.service.store as unknown as Record<string, unknown>)[method] = (...args: string[]) => {
      readIds.push(...args);
      return original(...args);
    };
  }
});
afterAll(() => api.stop());

describe('cross-party access on every route', () => {
  const routes = Object.entries(buildOpenApiDocument().paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
  );
  const fill = (path: string, ids: { id: string; evidenceId: string; orderId: string }) =>
    path
      .replace('{id}', ids.id)
      .replace('{evidenceId}', ids.evidenceId)
      .replace('{orderId}', ids.orderId)
      .replace('{itemId}', 'item-1')
      .replace('{outboxId}', '1')
      .replace('{type}', 'not-found')
      .replace('{file}', 'app.js');

  async function answer(method: string, path: string, token: string) {
    const res = await fetch(`${api.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(method === 'GET' || method === 'DELETE' ? {} : { body: '{"type":"buyer.cancel","body":"hi"}' }),
    });
    return { status: res.status, text: await res.text() };
  }

  it.each(['ben', 'zed', 'lee'] as const)('%s: another party’s dispute, order and evidence answer like ones that do not exist', async (who) => {
    const theirs = { id: disputeId, evidenceId, orderId: 'o-ana' };
    const none = { id: 'dsp_00000000-0000-4000-8000-000000000000', evidenceId: 'ev_00000000-0000-4000-8000-000000000000', orderId: 'o-none' };
    for (const { method, path } of routes) {
      if (!path.includes('{')) continue; // no resource of anyone's in the path
      const real = await answer(method, fill(path, theirs), t[who]);
      const missing = await answer(method, fill(path, none), t[who]);
      const normalised = real.text.replaceAll(disputeId, none.id).replaceAll(evidenceId, none.evidenceId).replaceAll('o-ana', 'o-none');
      expect({ route: `${method} ${path}`, status: real.status, body: normalised }).toEqual({
        route: `${method} ${path}`,
        status: missing.status,
        body: missing.text,
      });
      if (path.includes('{id}') && !path.startsWith('/inspect')) expect(real.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
    }
  });

  it('opening a dispute on another buyer’s order answers like an order that does not exist', async () => {
    const theirs = await api.request('POST', '/disputes', { token: t.ben, body: opening('o-ana') });
    const none = await api.request('POST', '/disputes', { token: t.ben, body: opening('o-none') });
    expect(theirs.status).toBe(none.status);
    expect(JSON.stringify(theirs.body).replaceAll('o-ana', 'o-none')).toBe(JSON.stringify(none.body));
    // The owner's own duplicate is a 409 naming the dispute: it is theirs to know.
    expect((await api.request('POST', '/disputes', { token: t.ana, body: opening('o-ana') })).status).toBe(409);
  });

  it('lists and the queue show outsiders nothing of it', async () => {
    for (const who of ['ben', 'zed', 'lee'] as const) {
      const listed = await api.request('GET', `/disputes?buyer=buyer-ana&order=o-ana`, { token: t[who] });
      expect(listed.body.items ?? []).toEqual([]);
    }
    expect((await api.request('GET', '/agent/queue', { token: t.lee })).body.items.map((d: { id: string }) => d.id)).not.toContain(disputeId);
  });
});

describe('ids in paths', () => {
  it.each(['..%2F..%2Fetc%2Fpasswd', '%00', 'a'.repeat(201), '%E2%80%AE', '-leading-dash', 'x%20y', "o'ana", '%C0%AF'])(
    '%s is not found, and the store never sees it',
    async (bad) => {
      readIds.length = 0;
      for (const path of [`/disputes/${bad}`, `/disputes/${bad}/history`, `/disputes/${bad}/evidence/${bad}`, `/orders/${bad}/items/${bad}`]) {
        const res = await api.request('GET', path, { token: t.support });
        expect(res.status, path).toBe(404);
      }
      for (const path of [`/disputes/${bad}/events`, `/disputes/${bad}/messages`]) {
        expect((await api.request('POST', path, { token: t.ana, body: { type: 'buyer.cancel' } })).status, path).toBe(404);
      }
      expect(readIds.filter((id) => id !== 'item-1')).toEqual([]);
    },
  );
});

describe('hostile JSON', () => {
  const nest = (depth: number): unknown => (depth === 0 ? 1 : { a: nest(depth - 1) });
  const wide = Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`k${i}`, i]));
  const bodies: [string, string, number][] = [
    ['nesting 17 deep', JSON.stringify({ type: 'message.send', body: 'x', extra: nest(17) }), 400],
    ['501 keys', JSON.stringify({ type: 'message.send', ...wide }), 400],
    ['an array of 501', JSON.stringify({ type: 'message.send', body: Array.from({ length: 501 }, () => 1) }), 400],
    ['__proto__', '{"type":"message.send","body":"x","__proto__":{"admin":true}}', 400],
    ['constructor', '{"type":"message.send","body":"x","constructor":{"prototype":{}}}', 400],
    ['nested __proto__', '{"type":"seller.counterOffer","amount":1,"note":{"__proto__":{"x":1}}}', 400],
    ['malformed', '{"type":', 400],
    ['a missing field', '{"type":"message.send"}', 422],
    ['null', 'null', 422],
    ['an array', '[]', 422],
    ['a number', '12', 422],
    ['a string', '"x"', 422],
    ['an amount beyond floats', '{"type":"seller.counterOffer","amount":1e400}', 422],
    ['an unsafe integer', '{"type":"seller.counterOffer","amount":9007199254740993}', 422],
    ['a decimal amount', '{"type":"seller.counterOffer","amount":10.5}', 422],
    ['a negative amount', '{"type":"seller.counterOffer","amount":-1}', 422],
    ['an amount as a string', '{"type":"seller.counterOffer","amount":"100"}', 422],
    ['a huge exponent', '{"type":"seller.counterOffer","amount":1e-400}', 422],
    ['a type that is an object', '{"type":{"toString":1}}', 422],
  ];
  it.each(bodies)('%s is refused with %i, and nothing changes', async (_name, raw, status) => {
    const before = (await api.request('GET', `/disputes/${disputeId}`, { token: t.support })).body.version;
    const res = await api.request('POST', `/disputes/${disputeId}/events`, { token: t.bolt, raw });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect((await api.request('GET', `/disputes/${disputeId}`, { token: t.support })).body.version).toBe(before);
  });

  it('amounts above the configured maximum are refused field by field; sums stay safe integers', async () => {
    const over = await api.request('PUT', '/orders/o-big', { token: t.system, body: order('buyer-ana', 1_000_001, 2 ** 52) });
    expect(over.status).toBe(422);
    expect(over.body.errors.map((e: { field: string }) => e.field)).toEqual(['items.0.price', 'items.0.shippingCost']);
    const unsafe = await api.request('PUT', '/orders/o-big', {
      token: t.system,
      raw: JSON.stringify(order('buyer-ana')).replace('"price":4000', '"price":9007199254740993'),
    });
    expect(unsafe.status).toBe(422);
    expect((await api.request('PUT', '/orders/o-max', { token: t.system, body: order('buyer-ana', 1_000_000, 1_000_000) })).status).toBe(200);
    const opened = await api.request('POST', '/disputes', { token: t.ana, body: opening('o-max', { amount: 1_000_000, includeShipping: true }) });
    expect(opened.status).toBe(201);
    expect(opened.body.amounts.paid).toBe(2_000_000);
  });
});

describe('the demo clock', () => {
  const advance = (by: string, key?: string) =>
    api.request('POST', '/admin/clock/advance', { token: t.admin, body: { by }, ...(key ? { headers: { 'Idempotency-Key': key } } : {}) });

  it('refuses a jump beyond its bound, naming the field', async () => {
    const res = await advance('41d');
    expect(res).toMatchObject({ status: 422, body: { errors: [{ field: 'by' }] } });
    expect((await advance('99999999d')).status).toBe(422);
  });

  it('honours Idempotency-Key: a repeat moves nothing; the key with another amount is 422', async () => {
    const first = await advance('1h', 'move-1');
    expect(first.status).toBe(200);
    const again = await advance('1h', 'move-1');
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.offsetMs).toBe(first.body.offsetMs);
    expect((await advance('2h', 'move-1')).status).toBe(422);
    const together = await Promise.all([advance('1h', 'move-2'), advance('1h', 'move-2'), advance('1h', 'move-2')]);
    expect(new Set(together.map((r) => r.body.offsetMs)).size).toBe(1); // moved once
    expect(together.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
  });
});
