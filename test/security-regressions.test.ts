/**
 * Security regressions for what issue 10 fixed before this suite: a hanging webhook receiver
 * never holds back a refund (separate lanes); a dead-lettered webhook holds back the later ones
 * of its dispute until it is re-driven, then all arrive in order; a refused evidence upload
 * leaves nothing on disk and a repeated one answers as the first; /readyz commits a probe row;
 * a refund that needs attention reaches agents whatever path led there.
 */
import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type Api } from './support/api.ts';
import { orderBody } from './support/bodies.ts';
import { RECEIVER_SECRET, startReceiver, type Receiver } from './support/receiver.ts';
import { until } from './support/spawned.ts';

const SECRET = RECEIVER_SECRET;

function order(api: Api, instrument: string | null = null) {
  return orderBody(api.service.clock.now(), { instrument });
}

async function openOn(api: Api, orderId: string, instrument: string | null = null) {
  expect((await api.request('PUT', `/orders/${orderId}`, { token: api.token('system', 'shop'), body: order(api, instrument) })).status).toBe(200);
  const body = { orderId, itemId: 'item-1', type: 'refund_only', reason: 'damaged_or_defective', description: 'Broken', amount: 4000 };
  const res = await api.request('POST', '/disputes', { token: api.token('buyer', 'buyer-ana'), body });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('delivery lanes', () => {
  it('a receiver that never answers does not hold back the refund', async () => {
    const hanging = await startReceiver(SECRET);
    let release!: () => void;
    const released = new Promise<number>((resolve) => (release = () => resolve(200)));
    hanging.answer = () => released;
    const api = await startApi({ config: { webhooks: [{ id: 'slow', url: hanging.url, secret: SECRET }] } });
    try {
      const id = await openOn(api, 'o-lanes');
      const accepted = await api.request('POST', `/disputes/${id}/events`, { token: api.token('seller', 'seller-bolt'), body: { type: 'seller.accept' } });
      expect(accepted.status).toBe(200);
      const deliveries = async () =>
        (await api.request('GET', `/disputes/${id}/deliveries`, { token: api.token('support', 's') })).body.items as { kind: string; status: string }[];
      await until(async () => (await deliveries()).some((d) => d.kind === 'requestRefund' && d.status === 'done'));
      expect(hanging.received.length).toBeGreaterThan(0); // the webhook is still hanging meanwhile
      expect((await deliveries()).filter((d) => d.kind !== 'requestRefund').every((d) => d.status === 'pending')).toBe(true);
    } finally {
      release();
      await api.stop();
      await hanging.close();
    }
  });
});

describe('with a flaky and a healthy subscriber', () => {
  let api: Api;
  let shop: Receiver;
  let flaky: Receiver;
  beforeAll(async () => {
    shop = await startReceiver(SECRET);
    flaky = await startReceiver(SECRET);
    api = await startApi({
      config: {
        webhooks: [
          { id: 'shop', url: shop.url, secret: SECRET },
          { id: 'flaky', url: flaky.url, secret: SECRET },
        ],
        outboxMaxAttempts: 2,
        outboxBackoffMs: 10,
      },
    });
  });
  afterAll(async () => {
    await api.stop();
    await shop.close();
    await flaky.close();
  });

  it('a dead-lettered webhook holds back the later ones of its dispute; after the re-drive all arrive in order', async () => {
    flaky.answer = () => 503;
    const id = await openOn(api, 'o-order');
    const admin = api.token('admin', 'admin');
    const dead = async () => (await api.request('GET', `/admin/outbox?status=dead&dispute=${id}`, { token: admin })).body.items as { id: number }[];
    await until(async () => (await dead()).length === 1);
    await api.request('POST', `/disputes/${id}/messages`, { token: api.token('buyer', 'buyer-ana'), body: { body: 'second step' } });
    const ofDispute = (r: Receiver) => r.unique().filter((d) => d.body.data.disputeId === id);
    await until(() => ofDispute(shop).length === 2); // the healthy subscriber has both steps
    flaky.answer = () => 200;
    await api.server.effects.runDue(); // a full pass: the second delivery must still wait
    expect(ofDispute(flaky).map((d) => d.body.data.seq)).toEqual([1]); // only the dead one's failed attempts
    const redriveFrom = flaky.received.length;
    expect((await api.request('POST', `/admin/outbox/${(await dead())[0]!.id}/redrive`, { token: admin })).status).toBe(200);
    const afterRedrive = () => flaky.received.slice(redriveFrom).filter((d) => d.body.data.disputeId === id);
    await until(() => afterRedrive().length === 2);
    expect(afterRedrive().map((d) => d.body.data.seq)).toEqual([1, 2]);
  });

  it('a refused evidence upload leaves nothing on disk; a repeated one answers as the first', async () => {
    const id = await openOn(api, 'o-evidence');
    const buyer = api.token('buyer', 'buyer-ana');
    const files = () => readdirSync(join(api.dir, 'evidence'), { recursive: true }).filter((f) => String(f).length > 2);
    const upload = (bytes: Buffer, key?: string) => {
      const form = new FormData();
      form.set('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'photo.png');
      return fetch(`${api.url}/disputes/${id}/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${buyer}`, ...(key ? { 'Idempotency-Key': key } : {}) },
        body: form,
      });
    };
    const png = (n: number) => Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([n])]);
    const first = await upload(png(1), 'upload-1');
    const again = await upload(png(1), 'upload-1');
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const [a, b] = (await Promise.all([first.json(), again.json()])) as { evidence: { id: string } }[];
    expect(b!.evidence.id).toBe(a!.evidence.id);
    const stored = files();
    expect((await upload(Buffer.from('not an image'), 'upload-2')).status).toBe(415);
    expect((await api.request('POST', `/disputes/${id}/events`, { token: buyer, body: { type: 'buyer.cancel' } })).status).toBe(200);
    expect((await upload(png(2))).status).toBe(409);
    expect(files()).toEqual(stored);
  });

  it('/readyz commits a probe row', async () => {
    const checkedAt = () => {
      const db = new Database(api.service.config.dbPath, { readonly: true });
      try {
        return (db.prepare('select checked_at from readiness where id = 1').pluck().get() as string | undefined) ?? '';
      } finally {
        db.close();
      }
    };
    const before = checkedAt();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await api.request('GET', '/readyz')).status).toBe(200);
    expect(checkedAt() > before).toBe(true);
  });

  it('a refund that needs attention, never escalated, is in every agent’s queue and view', async () => {
    const id = await openOn(api, 'o-attention', 'tok_account_closed');
    const admin = api.token('admin', 'admin');
    expect((await api.request('POST', `/disputes/${id}/events`, { token: api.token('seller', 'seller-bolt'), body: { type: 'seller.accept' } })).status).toBe(
      200,
    );
    for (const by of ['4d', '4d', '4d']) await api.request('POST', '/admin/clock/advance', { token: admin, body: { by } });
    const agent = api.token('agent', 'agent-new');
    const seen = await api.request('GET', `/disputes/${id}`, { token: agent });
    expect(seen.status).toBe(200);
    expect(seen.body.state).toContain('settlement.needsAttention');
    expect(seen.body.history ?? []).not.toContainEqual(expect.objectContaining({ type: 'buyer.escalate' }));
    const queue = await api.request('GET', '/agent/queue?limit=200', { token: agent });
    expect(queue.body.items.map((d: { id: string }) => d.id)).toContain(id);
  });
});
