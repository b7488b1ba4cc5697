/**
 * The durable runtime on a real SQLite file: one write path, deadlines mirrored into rows and
 * fired once, idempotency, optimistic concurrency, versioning and replay.
 */
import Database from 'better-sqlite3';
import { dueDeadlinesSql } from '../db/sqlite/index.ts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../machines/index.ts';
import { renderView } from '../server/queries/view.ts';
import type { Loaded } from '../server/runtime/step.ts';
import type { Service } from '../server/service.ts';
import { verifyStore } from '../server/cli/verify.ts';
import { DAY_MS, notReceived, registerSampleOrder, startTestService, tempDir } from './support/service.ts';

const buyer: Actor = { role: 'buyer', id: 'buyer-1' };
const seller: Actor = { role: 'seller', id: 'seller-1' };
const payments: Actor = { role: 'system', id: 'payments' };

let tmp: ReturnType<typeof tempDir>;
let service: Service;

beforeEach(async () => {
  tmp = tempDir();
  service = await startTestService(tmp.dbPath);
  await service.scheduler.stop(); // these tests drive time and the scheduler themselves
  await registerSampleOrder(service.store, service.clock.now());
});

afterEach(async () => {
  await service.stop();
  tmp.cleanup();
});

async function openDispute(itemId = 'item-1') {
  const request = itemId === 'item-1' ? notReceived : { ...notReceived, amount: 1500, includeShipping: false };
  const result = await service.runtime.open('order-1', itemId, request, buyer);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return viewOf(result.dispute);
}

/** The dispute as the API would show it (to no one in particular). */
const viewOf = (dispute: Loaded) => renderView(dispute, null, dispute.updatedAt);
const get = async (id: string) => {
  const dispute = await service.runtime.loadCommitted(id);
  return dispute && viewOf(dispute);
};

describe('the write path', () => {
  it('opens a dispute: snapshot, history, deadline rows and version in one commit', async () => {
    const dispute = await openDispute();
    expect(dispute).toMatchObject({ state: 'negotiating.awaitingSellerResponse', version: 1, amounts: { paid: 4500, held: 4500 } });
    const history = await service.store.getHistory(dispute.id);
    expect(history.map((h) => [h.seq, h.type, h.actorId, h.toState])).toEqual([[1, 'dispute.opened', 'buyer-1', 'negotiating.awaitingSellerResponse']]);
    const rows = await service.store.getDeadlines(dispute.id);
    expect(rows.map((r) => r.name).sort()).toEqual(['negotiationEnd', 'sellerResponse']);
    expect(rows.find((r) => r.name === 'sellerResponse')?.dueAt).toBe(dispute.context.deadlines.sellerResponse?.dueAt);
  });

  it('applies an event: history row with from/to state, deadline rows disarmed and armed, outbox effects', async () => {
    const { id } = await openDispute();
    const accepted = await service.runtime.send(id, { type: 'seller.accept' }, seller);
    expect(accepted).toMatchObject({ ok: true, statusCode: 200 });
    if (!accepted.ok) throw new Error('unreachable');
    expect(viewOf(accepted.dispute)).toMatchObject({ version: 2, state: 'resolving.decision.final + resolving.payout.settlement.requested' });
    const history = await service.store.getHistory(id);
    expect(history[1]).toMatchObject({ seq: 2, type: 'seller.accept', actorRole: 'seller', fromState: 'negotiating.awaitingSellerResponse' });
    expect((await service.store.getDeadlines(id)).map((r) => r.name)).toEqual(['refundOverdue']);
    const outbox = await service.store.getOutbox(id);
    expect(outbox).toEqual([expect.objectContaining({ seq: 2, kind: 'requestRefund', status: 'pending', payload: expect.objectContaining({ amount: 4500 }) })]);
  });

  it('a refused event writes nothing and says why', async () => {
    const { id } = await openDispute();
    const before = await service.store.getDispute(id);
    const refused = await service.runtime.send(id, { type: 'seller.counterOffer', amount: 999999 }, seller);
    expect(refused).toMatchObject({ ok: false, error: { kind: 'rejected', rejection: { kind: 'invalid_payload' } } });
    const forbidden = await service.runtime.send(id, { type: 'seller.accept' }, buyer);
    expect(forbidden).toMatchObject({ ok: false, error: { kind: 'rejected', rejection: { kind: 'forbidden' } } });
    expect(await service.store.getDispute(id)).toEqual(before);
    expect(await service.store.getHistory(id)).toHaveLength(1);
  });

  it('R-OPEN-3: one dispute per order item, ever: a second opening is refused, also after a cancellation', async () => {
    const { id } = await openDispute();
    const whileOpen = await service.runtime.open('order-1', 'item-1', notReceived, buyer);
    expect(whileOpen).toMatchObject({ ok: false, error: { kind: 'duplicate', existingId: id } });
    await service.runtime.send(id, { type: 'buyer.cancel' }, buyer);
    const again = await service.runtime.open('order-1', 'item-1', notReceived, buyer);
    expect(again).toMatchObject({ ok: false, error: { kind: 'duplicate', existingId: id } });
    expect((await service.store.disputeIds(undefined, 10)).map((d) => d.id)).toEqual([id]);
    expect(await service.runtime.open('order-9', 'item-1', notReceived, buyer)).toMatchObject({ ok: false, error: { kind: 'order_not_found' } });
  });

  it('R-OPEN-4: an order with several items takes one dispute per item, each with its own amounts', async () => {
    const { id: first } = await openDispute();
    const second = await service.runtime.open('order-1', 'item-2', { ...notReceived, amount: 1500, includeShipping: false }, buyer);
    if (!second.ok) throw new Error(JSON.stringify(second.error));
    expect(viewOf(second.dispute)).toMatchObject({ orderId: 'order-1', itemId: 'item-2', amounts: { paid: 1500 } });
    expect(second.dispute.id).not.toBe(first);
    expect((await get(first))?.amounts.paid).toBe(4500);
  });

  it('refuses an ineligible opening with the precise problem and stores nothing', async () => {
    await service.store.registerOrder(
      {
        orderId: 'order-2',
        buyerId: 'buyer-1',
        sellerId: 'seller-1',
        currency: 'USD',
        paymentMethod: 'card',
        completedAt: null,
        receiptConfirmedAt: null,
        items: [
          {
            itemId: 'item-1',
            price: 4000,
            shippingCost: 0,
            digital: false,
            freeReturn: false,
            shippedAt: service.clock.now(),
            deliveryWindowEndsAt: new Date(Date.now() + 30 * DAY_MS).toISOString(),
            deliveredAt: null,
          },
        ],
      },
      service.clock.now(),
    );
    const result = await service.runtime.open('order-2', 'item-1', { ...notReceived, includeShipping: false }, buyer);
    expect(result).toMatchObject({ ok: false, error: { kind: 'ineligible', problems: [{ rule: 'R-OPEN-1', earliest: expect.any(String) }] } });
    expect(await service.store.hasDisputes()).toBe(false);
  });
});

describe('idempotency', () => {
  it('a repeat returns the first answer and changes nothing; another body with the key is refused', async () => {
    const { id } = await openDispute();
    const first = await service.runtime.send(id, { type: 'message.send', body: 'hello' }, buyer, { idempotencyKey: 'k-1' });
    const repeat = await service.runtime.send(id, { type: 'message.send', body: 'hello' }, buyer, { idempotencyKey: 'k-1' });
    expect(first).toMatchObject({ ok: true, replayed: false });
    expect(repeat).toMatchObject({ ok: true, replayed: true, statusCode: 200 });
    if (!first.ok || !repeat.ok) throw new Error('unreachable');
    expect(viewOf(repeat.dispute)).toEqual(viewOf(first.dispute));
    expect(await service.store.getHistory(id)).toHaveLength(2);
    const other = await service.runtime.send(id, { type: 'message.send', body: 'different' }, buyer, { idempotencyKey: 'k-1' });
    expect(other).toMatchObject({ ok: false, error: { kind: 'idempotency_mismatch' } });
    // Keys are scoped to the caller: the seller's k-1 is another key.
    expect(await service.runtime.send(id, { type: 'message.send', body: 'hi' }, seller, { idempotencyKey: 'k-1' })).toMatchObject({
      ok: true,
      replayed: false,
    });
    expect(await service.store.getHistory(id)).toHaveLength(3);
  });

  it('opening with a repeated key returns the same dispute, not a duplicate', async () => {
    const first = await service.runtime.open('order-1', 'item-1', notReceived, buyer, { idempotencyKey: 'open-1' });
    const repeat = await service.runtime.open('order-1', 'item-1', notReceived, buyer, { idempotencyKey: 'open-1' });
    expect(first).toMatchObject({ ok: true, statusCode: 201 });
    expect(repeat).toMatchObject({ ok: true, statusCode: 201, replayed: true });
    if (!first.ok || !repeat.ok) throw new Error('unreachable');
    expect(repeat.dispute.id).toBe(first.dispute.id);
  });

  it('keys are kept at least 24 hours, then purged', async () => {
    const { id } = await openDispute();
    await service.runtime.send(id, { type: 'message.send', body: 'hello' }, buyer, { idempotencyKey: 'k-2' });
    const created = (await service.store.findIdempotent('buyer:buyer-1', 'k-2'))!.createdAt;
    expect(await service.store.purgeIdempotency(new Date(Date.parse(created) - 1).toISOString())).toBe(0);
    expect(await service.store.findIdempotent('buyer:buyer-1', 'k-2')).toBeDefined();
    expect(await service.store.purgeIdempotency(created)).toBe(1);
  });

  it('a key outlives a move of the demo clock: a retry after the clock jumped two days and the service restarted is answered again, not applied twice', async () => {
    const { id } = await openDispute();
    const message = { type: 'message.send', body: 'sent once' };
    expect(await service.runtime.send(id, message, buyer, { idempotencyKey: 'k-jump' })).toMatchObject({ ok: true, replayed: false });
    await service.controllableClock!.advance(2 * DAY_MS);
    // The client never heard the answer (the process was killed): it sends again, to a new process.
    await service.stop();
    service = await startTestService(tmp.dbPath);
    await service.scheduler.stop();
    expect(await service.runtime.send(id, message, buyer, { idempotencyKey: 'k-jump' })).toMatchObject({ ok: true, replayed: true });
    expect((await service.store.getHistory(id)).filter((row) => row.idempotencyKey === 'k-jump')).toHaveLength(1);
  });
});

describe('concurrency', () => {
  it('a stale If-Match is refused with the current version; the right one applies', async () => {
    const { id } = await openDispute();
    await service.runtime.send(id, { type: 'message.send', body: 'first' }, buyer);
    expect(await service.runtime.send(id, { type: 'seller.accept' }, seller, { ifMatch: 1 })).toMatchObject({
      ok: false,
      error: { kind: 'version_mismatch', current: 2 },
    });
    expect(await service.runtime.send(id, { type: 'seller.accept' }, seller, { ifMatch: 2 })).toMatchObject({ ok: true, dispute: { version: 3 } });
  });

  it('concurrent sends to one dispute lose no update', async () => {
    const { id } = await openDispute();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => service.runtime.send(id, { type: 'message.send', body: `m${i}` }, i % 2 ? buyer : seller)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const history = await service.store.getHistory(id);
    expect(history.map((h) => h.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect((await get(id))?.context.messageCount).toBe(20);
  });
});

describe('the scheduler', () => {
  it('fires a due deadline once, stamped with its due time, through the write path', async () => {
    const { id, context } = await openDispute();
    const dueAt = context.deadlines.sellerResponse!.dueAt;
    await service.controllableClock!.advance(6 * DAY_MS);
    expect(await service.scheduler.tick()).toBe(1);
    expect(await service.scheduler.tick()).toBe(0);
    const history = await service.store.getHistory(id);
    expect(history.filter((h) => h.type === 'deadline.sellerResponse')).toEqual([expect.objectContaining({ at: dueAt, actorId: 'scheduler' })]);
    expect((await service.store.getOutbox(id)).filter((o) => o.kind === 'requestRefund')).toHaveLength(1);
  });

  it('an event sent after a deadline fell due meets the dispute as it stands then', async () => {
    const { id } = await openDispute();
    await service.controllableClock!.advance(6 * DAY_MS);
    const late = await service.runtime.send(id, { type: 'seller.reject', reason: 'too late?' }, seller);
    expect(late).toMatchObject({ ok: false, error: { kind: 'rejected', rejection: { kind: 'not_accepted' } } });
  });

  it('discards a deadline row whose dispute already left the state', async () => {
    const { id } = await openDispute();
    const raw = new Database(tmp.dbPath);
    raw
      .prepare(
        "insert into deadlines (dispute_id, name, event_type, due_at, priority) values (?, 'appealWindow', 'deadline.appealWindow', '2000-01-01T00:00:00.000Z', 50)",
      )
      .run(id);
    raw.close();
    expect(await service.scheduler.tick()).toBe(0);
    expect((await service.store.getDeadlines(id)).map((r) => r.name).sort()).toEqual(['negotiationEnd', 'sellerResponse']);
    expect(await service.store.getHistory(id)).toHaveLength(1);
  });

  it('finds due deadlines through the index, not by scanning disputes', () => {
    const db = new Database(tmp.dbPath, { readonly: true });
    const plan = db.prepare(`explain query plan ${dueDeadlinesSql}`).all('2026-01-01T00:00:00.000Z', 200) as { detail: string }[]; // the store's own statement
    db.close();
    expect(plan.map((p) => p.detail).join(' | ')).toMatch(/USING INDEX deadlines_due/);
  });
});

describe('versions and replay', () => {
  it('a snapshot of an unknown machine version is refused with a clear error, never misread', async () => {
    const { id } = await openDispute();
    // As if a newer build had written it: the file changes while no service runs on it.
    await service.stop();
    const raw = new Database(tmp.dbPath);
    raw.prepare('update disputes set machine_version = 99 where id = ?').run(id);
    raw.close();
    service = await startTestService(tmp.dbPath);
    const result = await service.runtime.send(id, { type: 'seller.accept' }, seller);
    expect(result).toMatchObject({ ok: false, error: { kind: 'unsupported_version', message: expect.stringContaining('version 99') } });
    expect(await service.store.getHistory(id)).toHaveLength(1);
    const report = await verifyStore(service.store);
    expect(report.divergences).toEqual([{ disputeId: id, problem: expect.stringContaining('no migration from 99') }]);
  });

  it('rebuilding every dispute from its history gives its stored snapshot', async () => {
    const a = await openDispute('item-1');
    const b = await openDispute('item-2');
    await service.runtime.send(a.id, { type: 'seller.counterOffer', amount: 2000 }, seller);
    await service.runtime.send(a.id, { type: 'buyer.acceptOffer' }, buyer);
    const refundId = (await get(a.id))!.context.refunds[0]!.id;
    await service.runtime.send(a.id, { type: 'refund.settled', refundId }, payments);
    await service.controllableClock!.advance(16 * DAY_MS);
    await service.scheduler.tick();
    expect((await get(b.id))?.state).toMatch(/^resolving/);
    expect(await verifyStore(service.store)).toEqual({ checked: 2, divergences: [] });

    // A tampered snapshot is caught.
    const raw = new Database(tmp.dbPath);
    const row = raw.prepare('select snapshot from disputes where id = ?').get(a.id) as { snapshot: string };
    const tampered = JSON.parse(row.snapshot);
    tampered.context.funds.refunded = 1;
    raw.prepare('update disputes set snapshot = ? where id = ?').run(JSON.stringify(tampered), a.id);
    raw.close();
    expect((await verifyStore(service.store)).divergences).toEqual([{ disputeId: a.id, problem: expect.stringContaining('replaying') }]);
  });
});

describe('reads', () => {
  it('a dispute whose stored row is damaged is reported and skipped; the rest of the list is answered', async () => {
    const good = await openDispute('item-1');
    const damaged = await openDispute('item-2');
    await service.stop();
    const db = new Database(tmp.dbPath);
    db.prepare('update disputes set snapshot = ? where id = ?').run('{"value": "negotiating', damaged.id);
    db.close();
    service = await startTestService(tmp.dbPath);
    const page = await service.queries.list({ role: 'support', sub: 'support-1' }, { limit: 10 });
    expect(page.items.map((d) => d.id)).toEqual([good.id]);
    expect(page.skipped).toEqual([{ id: damaged.id, problem: expect.stringMatching(/^unreadable: its stored snapshot is not JSON/) }]);
  });
});
