/**
 * One contract, two stores: every test here runs on a real SQLite file and on a real PostgreSQL
 * schema, through the service's own write path where there is one. What the runtime, the read
 * side and the effects rely on holds the same on both.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../machines/index.ts';
import { openPostgresStore } from '../db/postgres/index.ts';
import { verifyStore } from '../server/cli/verify.ts';
import type { Service } from '../server/service.ts';
import { freshSchema, postgresAvailable } from './support/postgres.ts';
import { DAY_MS, notReceived, registerSampleOrder, sampleOrder, startTestService, tempDir } from './support/service.ts';

const buyer: Actor = { role: 'buyer', id: 'buyer-1' };
const seller: Actor = { role: 'seller', id: 'seller-1' };

interface Backend {
  name: string;
  skip: boolean;
  start(): Promise<{ service: Service; cleanup(): Promise<void>; pg?: { url: string; schema: string } }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    skip: false,
    async start() {
      const tmp = tempDir();
      const service = await startTestService(tmp.dbPath);
      return { service, cleanup: async () => tmp.cleanup() };
    },
  },
  {
    name: 'postgres',
    skip: !postgresAvailable,
    async start() {
      const tmp = tempDir();
      const pg = freshSchema();
      const service = await startTestService(tmp.dbPath, { databaseUrl: pg.url, pgSchema: pg.schema });
      return { service, pg, cleanup: async () => (tmp.cleanup(), await pg.drop()) };
    },
  },
];

describe.each(backends)('the store contract on $name', (backend) => {
  let service: Service;
  let cleanup: () => Promise<void>;
  let pgTarget: { url: string; schema: string } | undefined;

  beforeEach(async (context) => {
    if (backend.skip) return context.skip();
    const started = await backend.start();
    ({ service, cleanup } = started);
    pgTarget = started.pg;
    await service.scheduler.stop(); // these tests drive time themselves
    await registerSampleOrder(service.store, service.clock.now());
  });
  afterEach(async () => {
    if (backend.skip) return;
    await service.stop();
    await cleanup();
  });

  async function open(itemId = 'item-1') {
    const result = await service.runtime.open(
      'order-1',
      itemId,
      itemId === 'item-1' ? notReceived : { ...notReceived, amount: 1500, includeShipping: false },
      buyer,
    );
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    return result.dispute;
  }

  it('commits a step with its history, deadlines and effects; reads it back whole', async () => {
    const { id } = await open();
    const accepted = await service.runtime.send(id, { type: 'seller.accept' }, seller);
    expect(accepted).toMatchObject({ ok: true, dispute: { version: 2 } });
    const record = await service.store.getDispute(id);
    expect(record).toMatchObject({ version: 2, stage: 'refunding', awaiting: ['system'], agentVisible: false, ended: false });
    expect((await service.store.getHistory(id)).map((h) => [h.seq, h.type])).toEqual([
      [1, 'dispute.opened'],
      [2, 'seller.accept'],
    ]);
    expect((await service.store.getDeadlines(id)).map((d) => d.name)).toEqual(['refundOverdue']);
    expect((await service.store.getOutbox(id)).map((o) => [o.kind, o.channel, o.status])).toEqual([['requestRefund', 'payments', 'pending']]);
    expect(await service.store.getAccess(id)).toEqual({ id, buyerId: 'buyer-1', sellerId: 'seller-1', agentVisible: false });
  });

  it('concurrent steps on one dispute lose no update; a second opening of an item is a duplicate', async () => {
    const { id } = await open();
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => service.runtime.send(id, { type: 'message.send', body: `m${i}` }, i % 2 ? buyer : seller)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect((await service.store.getHistory(id)).map((h) => h.seq)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(await service.runtime.open('order-1', 'item-1', notReceived, buyer)).toMatchObject({ ok: false, error: { kind: 'duplicate', existingId: id } });
    expect(await verifyStore(service.store)).toEqual({ checked: 1, divergences: [] });
  });

  it('an idempotency key answers a repeat with the first status and refuses another body', async () => {
    const { id } = await open();
    const first = await service.runtime.send(id, { type: 'message.send', body: 'hello' }, buyer, { idempotencyKey: 'k-1' });
    const repeat = await service.runtime.send(id, { type: 'message.send', body: 'hello' }, buyer, { idempotencyKey: 'k-1' });
    expect([first, repeat]).toMatchObject([
      { ok: true, replayed: false },
      { ok: true, replayed: true, statusCode: 200 },
    ]);
    expect(await service.runtime.send(id, { type: 'message.send', body: 'other' }, buyer, { idempotencyKey: 'k-1' })).toMatchObject({
      ok: false,
      error: { kind: 'idempotency_mismatch' },
    });
    expect(await service.store.getHistory(id)).toHaveLength(2);
  });

  it('lists by stage and party, pages with a cursor, and queues what awaits an agent', async () => {
    await service.store.registerOrder(sampleOrder(service.clock.now(), 'order-2'), service.clock.now());
    const a = await open('item-1');
    const b = await open('item-2');
    const c = (await service.runtime.open('order-2', 'item-1', notReceived, buyer)) as { ok: true; dispute: { id: string } };
    await service.runtime.send(a.id, { type: 'seller.reject', reason: 'no' }, seller);
    await service.runtime.send(a.id, { type: 'buyer.escalate' }, buyer);
    const negotiating = await service.store.listDisputes({ stage: 'negotiating', limit: 10 });
    expect(negotiating.items.map((r) => r.id).sort()).toEqual([b.id, c.dispute.id].sort());
    const first = await service.store.listDisputes({ buyerId: 'buyer-1', limit: 2 });
    const second = await service.store.listDisputes({ buyerId: 'buyer-1', limit: 2, after: first.next! });
    expect([...first.items, ...second.items].map((r) => r.id)).toEqual([a.id, b.id, c.dispute.id]);
    expect(second.next).toBeNull();
    const queue = await service.store.agentQueue({ limit: 10 });
    expect(queue.items.map((r) => [r.id, r.awaitsAgent, r.decisionDueAt !== null])).toEqual([[a.id, true, true]]);
    expect((await service.store.listDisputes({ agentVisible: true, limit: 10 })).items.map((r) => r.id)).toEqual([a.id]);
  });

  it('lists the buyer’s undisputed items whose protection anchor is after an instant, by order and item', async () => {
    const now = service.clock.now();
    const day = (days: number) => new Date(Date.parse(now) + days * DAY_MS).toISOString();
    // order-0: completed 30 days ago (protection long over); order-2: another buyer's.
    await service.store.registerOrder({ ...sampleOrder(now, 'order-0'), completedAt: day(-30) }, now);
    await service.store.registerOrder(sampleOrder(now, 'order-2', 'buyer-2'), now);
    const items = async (after: string) => (await service.store.undisputedOrderItems('buyer-1', after, 10)).map((f) => `${f.orderId}/${f.itemId}`);
    expect(await items(day(-20))).toEqual(['order-1/item-1', 'order-1/item-2']);
    await open('item-1');
    expect(await items(day(-20))).toEqual(['order-1/item-2']);
    expect(await items(day(-40))).toEqual(['order-0/item-1', 'order-0/item-2', 'order-1/item-2']);
    // The anchor of an order never completed is its item's delivery window end (20 days ahead here).
    expect(await items(day(20))).toEqual([]);
    expect(await service.store.undisputedOrderItems('buyer-1', day(-40), 2)).toHaveLength(2);
    expect(await service.store.undisputedOrderItems('buyer-1', day(-40), 2)).toEqual([
      expect.objectContaining({ orderId: 'order-0', itemId: 'item-1', price: 4000, shippingCost: 500, digital: false, completedAt: day(-30) }),
      expect.objectContaining({ orderId: 'order-0', itemId: 'item-2', price: 1500 }),
    ]);
  });

  it('claims due deadlines and outbox heads for a lease; another claim meanwhile gets none', async () => {
    const { id } = await open();
    await service.runtime.send(id, { type: 'seller.accept' }, seller);
    const now = service.clock.now();
    const lease = new Date(Date.parse(now) + 60_000).toISOString();
    const heads = await service.store.claimOutboxHeads(now, 10, 'payments', lease);
    expect(heads.map((h) => h.kind)).toEqual(['requestRefund']);
    expect(await service.store.claimOutboxHeads(now, 10, 'payments', lease)).toEqual([]);
    expect((await service.store.claimOutboxHeads(lease, 10, 'payments', lease)).map((h) => h.id)).toEqual([heads[0]!.id]); // the lease ran out
    const later = new Date(Date.parse(now) + 30 * DAY_MS).toISOString();
    const leaseOver = new Date(Date.parse(later) + 60_000).toISOString();
    const due = await service.store.claimDueDeadlines(later, 10, leaseOver);
    expect(due.map((d) => [d.disputeId, d.name])).toEqual([[id, 'refundOverdue']]);
    if (backend.name === 'postgres') {
      // Several instances: a claimed deadline is skipped until its lease runs out, then taken over.
      expect(await service.store.claimDueDeadlines(later, 10, leaseOver)).toEqual([]);
      expect((await service.store.claimDueDeadlines(leaseOver, 10, leaseOver)).map((d) => d.name)).toEqual(['refundOverdue']);
    }
  });

  it('keeps the clock offset growing, answers readiness and stats', async () => {
    await service.store.setClockOffset(5000);
    await service.store.setClockOffset(1000);
    expect(await service.store.getClockOffset()).toBe(5000);
    await service.store.probeWrite();
    await open();
    expect(await service.store.stats(service.clock.now())).toMatchObject({ disputesOpen: 1, agentQueue: 0, outboxPending: 0 });
  });

  it.runIf(backend.name === 'postgres')('announces commits to the other instances on the same database', async () => {
    const other = await openPostgresStore({ url: pgTarget!.url, schema: pgTarget!.schema });
    try {
      const heard: { disputeId: string; from: number; to: number }[] = [];
      other.onRemoteCommit((commit) => heard.push(commit));
      const { id } = await open();
      await service.runtime.send(id, { type: 'message.send', body: 'hi' }, buyer);
      await expect
        .poll(() => heard)
        .toEqual([
          { disputeId: id, from: 0, to: 1 },
          { disputeId: id, from: 1, to: 2 },
        ]);
    } finally {
      await other.close();
    }
  });
});
