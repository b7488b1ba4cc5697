/**
 * Issue 12, "what our own suite misses", the part that needs real parts: the runtime on a real
 * SQLite file in a temporary folder, and the HTTP server on 127.0.0.1. Each test fails with one
 * of the defects a mutation audit planted and no other test caught (see defects.test.ts).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDays, parsePolicy, type Actor, type DisputeSnapshot, type PolicyOverrides } from '../machines/index.ts';
import { createControllableClock } from '../server/runtime/clock.ts';
import type { RuntimeResult } from '../server/runtime/runtime.ts';
import { load, replay, type Loaded } from '../server/runtime/step.ts';
import type { Service } from '../server/service.ts';
import { startApi, type Api } from './support/api.ts';
import { DAY_MS, notReceived, sampleOrder, startTestService, tempDir } from './support/service.ts';

const buyer: Actor = { role: 'buyer', id: 'buyer-1' };
const seller: Actor = { role: 'seller', id: 'seller-1' };
const agent: Actor = { role: 'agent', id: 'agent-1' };
const payments: Actor = { role: 'system', id: 'payments' };

const plain = (s: DisputeSnapshot) => JSON.parse(JSON.stringify({ value: s.value, status: s.status, context: s.context })) as unknown;

async function ok(result: Promise<RuntimeResult>): Promise<Loaded> {
  const settled = await result;
  if (!settled.ok) throw new Error(JSON.stringify(settled.error));
  return settled.dispute;
}

describe('the runtime on a real SQLite file', () => {
  let tmp: ReturnType<typeof tempDir>;
  let service: Service;
  const start = async (policyOverrides: PolicyOverrides = {}) => {
    service = await startTestService(tmp.dbPath, { policyOverrides });
    await service.scheduler.stop(); // these tests drive time themselves
  };

  beforeEach(() => {
    tmp = tempDir('arbiter-defects-');
  });
  afterEach(async () => {
    await service?.stop();
    tmp.cleanup();
  });

  async function openOne(order = sampleOrder(service.clock.now())) {
    await service.store.registerOrder(order, service.clock.now());
    return ok(service.runtime.open(order.orderId, 'item-1', notReceived, buyer));
  }

  it('R-GEN-2: a dispute opens under the configured policy, not the default one', async () => {
    const overrides: PolicyOverrides = { negotiation: { sellerResponseDays: 9, maxDays: 20 }, appeal: { maxAppeals: 0 } };
    await start(overrides);
    const opened = await openOne();
    expect(opened.snapshot.context.policy).toEqual(parsePolicy(overrides));
    expect(opened.snapshot.context.policy).not.toEqual(parsePolicy());
    const { openedAt } = opened.snapshot.context;
    const rows = await service.store.getDeadlines(opened.id);
    expect(rows.map((r) => `${r.name}@${r.dueAt}`).sort()).toEqual([`negotiationEnd@${addDays(openedAt, 20)}`, `sellerResponse@${addDays(openedAt, 9)}`]);
    // As stored, too: the input the dispute replays from holds the configured policy.
    expect((await service.store.getDispute(opened.id))?.input.policy).toEqual(parsePolicy(overrides));
  });

  it('R-GEN-3: the completion and receipt-confirmation times of an order read back as registered, each in its place', async () => {
    await start();
    const now = Date.parse(service.clock.now());
    const completedAt = new Date(now - 2 * DAY_MS).toISOString();
    const receiptConfirmedAt = new Date(now - 5 * DAY_MS).toISOString();
    const order = { ...sampleOrder(service.clock.now()), completedAt, receiptConfirmedAt };
    await service.store.registerOrder(order, service.clock.now());
    expect(await service.store.getOrderItemFacts('order-1', 'item-1')).toMatchObject({ completedAt, receiptConfirmedAt });
    const opened = await ok(service.runtime.open('order-1', 'item-1', { ...notReceived, reason: 'damaged_or_defective' }, buyer));
    expect(opened.snapshot.context.order).toMatchObject({ completedAt, receiptConfirmedAt });
    // Protection counts from completion (R-OPEN-2), not from the receipt.
    expect(opened.snapshot.context.protectionEndsAt).toBe(addDays(completedAt, 15));
    // The buyer confirmed receipt: not_received is refused on the other item (R-OPEN-9).
    expect(await service.runtime.open('order-1', 'item-2', { ...notReceived, amount: 1500, includeShipping: false }, buyer)).toMatchObject({
      ok: false,
      error: { kind: 'ineligible', problems: [expect.objectContaining({ rule: 'R-OPEN-9' })] },
    });
  });

  it('a step and its deadline rows commit together: when the deadline rows cannot be written, nothing of the step is', async () => {
    await start();
    const opened = await openOne();
    const before = await service.store.getDispute(opened.id);
    const rowsBefore = await service.store.getDeadlines(opened.id);
    // The disk refuses one deadline row (a trigger stands in for the failure).
    const db = new Database(tmp.dbPath);
    db.exec(`create trigger planted_failure before insert on deadlines when new.name = 'refundOverdue'
             begin select raise(abort, 'no room for this deadline row'); end`);
    try {
      const failed = await service.runtime.send(opened.id, { type: 'seller.accept' }, seller);
      expect(failed.ok).toBe(false);
      expect(await service.store.getDispute(opened.id)).toEqual(before);
      expect(await service.store.getHistory(opened.id)).toHaveLength(1);
      expect(await service.store.getDeadlines(opened.id)).toEqual(rowsBefore);
      expect(await service.store.getOutbox(opened.id)).toEqual([]);
    } finally {
      db.exec('drop trigger planted_failure');
      db.close();
    }
    // Once the rows can be written, the same step commits whole.
    const accepted = await ok(service.runtime.send(opened.id, { type: 'seller.accept' }, seller));
    expect(accepted.version).toBe(2);
    expect((await service.store.getDeadlines(opened.id)).map((r) => `${r.name}@${r.dueAt}`)).toEqual([
      `refundOverdue@${accepted.snapshot.context.deadlines.refundOverdue?.dueAt}`,
    ]);
  });

  it('R-APL-1: the appeal count survives the stored snapshot and a restart; the row equals the replayed history in full', async () => {
    await start();
    const { id } = await openOne();
    await ok(service.runtime.send(id, { type: 'seller.reject', reason: 'it shipped' }, seller));
    await ok(service.runtime.send(id, { type: 'buyer.escalate' }, buyer));
    await ok(service.runtime.send(id, { type: 'agent.assign' }, agent));
    await ok(service.runtime.send(id, { type: 'agent.decide', outcome: 'seller_wins', reason: 'tracking shows delivery' }, agent));
    const appealed = await ok(service.runtime.send(id, { type: 'appeal.file', reason: 'the tracking is fake' }, buyer));
    expect(appealed.snapshot.context.appeal).toMatchObject({ count: 1, filedBy: buyer, reason: 'the tracking is fake' });

    const record = await service.store.getDispute(id);
    const stored = load(record!).snapshot; // from the row, not the runtime's cache
    expect(stored.context.appeal).toEqual(appealed.snapshot.context.appeal);
    // Compared whole, not in the store's compact form (which a defect there would share).
    expect(plain(stored)).toEqual(plain(replay(record!.input, await service.store.getHistory(id))));
    expect(plain(stored)).toEqual(plain(appealed.snapshot));

    await service.stop();
    await start();
    const restarted = await service.runtime.loadCommitted(id);
    expect(restarted?.snapshot.context.appeal).toEqual(appealed.snapshot.context.appeal);
    expect(restarted?.snapshot.context.appeal.count).toBe(1);
    expect(restarted?.snapshot.value).toEqual(appealed.snapshot.value);
  });

  it('the controllable clock never goes backwards: not with the system clock, not by a bad advance, not across instances', async () => {
    await start();
    let system = Date.parse('2026-11-02T10:00:00.000Z');
    const clock = await createControllableClock(service.store, () => system);
    const offset = clock.offsetMs;
    const seen = [clock.now()];
    system -= 3_600_000; // the system clock steps back an hour (NTP)
    seen.push(clock.now());
    system += 1000;
    seen.push(clock.now());
    system += 3_600_000;
    seen.push(clock.now());
    expect(seen.map(Date.parse)).toEqual([...seen.map(Date.parse)].sort((a, b) => a - b));
    expect(Date.parse(seen.at(-1)!)).toBe(system + offset);

    for (const bad of [-DAY_MS, 0, Number.NaN, Number.NEGATIVE_INFINITY]) await expect(clock.advance(bad), String(bad)).rejects.toThrow(RangeError);
    expect(clock.offsetMs).toBe(offset);
    expect(await service.store.getClockOffset()).toBe(offset);

    const moved = await clock.advance(DAY_MS);
    expect(Date.parse(moved)).toBe(system + offset + DAY_MS);
    await service.store.setClockOffset(offset); // a smaller offset is ignored
    expect(await service.store.getClockOffset()).toBe(offset + DAY_MS);

    // Another instance on the same database follows forwards, never back.
    const other = await createControllableClock(service.store, () => system);
    expect(other.offsetMs).toBe(offset + DAY_MS);
    await clock.advance(DAY_MS);
    await other.refresh!();
    expect(other.offsetMs).toBe(offset + 2 * DAY_MS);
    await other.refresh!();
    expect(Date.parse(other.now())).toBeGreaterThanOrEqual(system + offset + 2 * DAY_MS);
  });
});

describe('over HTTP on 127.0.0.1', () => {
  let api: Api;
  afterEach(async () => {
    await api?.stop();
  });

  const orderOf = (currency: string) => {
    const now = Date.parse(api.service.clock.now());
    const iso = (days: number) => new Date(now + days * DAY_MS).toISOString();
    return {
      buyerId: 'buyer-ana',
      sellerId: 'seller-bolt',
      currency,
      paymentMethod: 'card',
      items: [{ itemId: 'item-1', price: 4000, shippingCost: 500, shippedAt: iso(-12), deliveryWindowEndsAt: iso(18) }],
    };
  };

  async function openOn(orderId: string, currency = 'USD') {
    const system = api.token('system', 'marketplace');
    expect((await api.request('PUT', `/orders/${orderId}`, { token: system, body: orderOf(currency) })).status).toBe(200);
    const body = { orderId, itemId: 'item-1', type: 'refund_only', reason: 'damaged_or_defective', description: 'Broken', amount: 4000 };
    const res = await api.request('POST', '/disputes', { token: api.token('buyer', 'buyer-ana'), body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  const send = (id: string, token: string, body: unknown) => api.request('POST', `/disputes/${id}/events`, { token, body });

  it('R-GEN-5: the release to the seller reaches the payment provider in the order’s currency', async () => {
    api = await startApi();
    const id = await openOn('o-eur', 'EUR');
    const seller = api.token('seller', 'seller-bolt');
    const buyerToken = api.token('buyer', 'buyer-ana');
    expect((await send(id, seller, { type: 'seller.counterOffer', amount: 2500 })).status).toBe(200);
    const agreed = await send(id, buyerToken, { type: 'buyer.acceptOffer' });
    expect(agreed.status).toBe(200);
    const refundId = agreed.body.context.refunds[0].id as string;
    const settled = await send(id, api.token('system', payments.id), { type: 'refund.settled', refundId });
    expect(settled.body.state).toBe('resolved.refunded');
    expect(settled.body.amounts).toMatchObject({ currency: 'EUR', refunded: 2500, released: 2000 });
    // Both payments leave through the outbox, in order (the dispatcher also polls by itself).
    const sent = async () => (await api.service.store.getOutbox(id)).filter((o) => o.channel === 'payments' && o.status === 'done').length;
    for (let turn = 0; turn < 100 && (await sent()) < 2; turn += 1) await api.server.effects.runDue();

    const outbox = await api.service.store.getOutbox(id);
    expect(outbox.filter((o) => o.channel === 'payments').map((o) => [o.kind, o.payload.amount, o.payload.currency])).toEqual([
      ['requestRefund', 2500, 'EUR'],
      ['releaseFunds', 2000, 'EUR'],
    ]);
    const book = new Database(join(api.dir, 'simulated-payments.db'), { readonly: true });
    try {
      const rows = book.prepare('select kind, amount, currency from simulated_payments where dispute_id = ? order by created_at, kind').all(id);
      expect(rows).toEqual([
        { kind: 'refund', amount: 2500, currency: 'EUR' },
        { kind: 'release', amount: 2000, currency: 'EUR' },
      ]);
    } finally {
      book.close();
    }
  });

  it('R-ESC-1: an agent cannot decide, or confirm seller fraud on, a case assigned to another agent', async () => {
    api = await startApi();
    const id = await openOn('o-agents');
    const [kim, lee] = [api.token('agent', 'agent-kim'), api.token('agent', 'agent-lee')];
    expect((await send(id, api.token('seller', 'seller-bolt'), { type: 'seller.reject', reason: 'works for me' })).status).toBe(200);
    expect((await send(id, api.token('buyer', 'buyer-ana'), { type: 'buyer.escalate' })).status).toBe(200);
    const assigned = await send(id, kim, { type: 'agent.assign' });
    expect(assigned.body.state).toBe('escalated.underReview');

    const attempts = [
      { type: 'agent.decide', outcome: 'buyer_full_refund', reason: 'I looked at it' },
      { type: 'agent.decide', outcome: 'seller_wins', reason: 'I looked at it' },
      { type: 'agent.confirmSellerFraud', reason: 'fake tracking' },
    ];
    for (const body of attempts) {
      const res = await send(id, lee, body);
      expect(res.status, body.type).toBe(409);
      expect(JSON.stringify(res.body)).toContain('assigned to agent agent-kim');
    }
    const after = await api.request('GET', `/disputes/${id}`, { token: lee });
    expect(after.body).toMatchObject({ state: 'escalated.underReview', version: assigned.body.version });
    expect(after.body.context.decision).toBeNull();
    const history = await api.request('GET', `/disputes/${id}/history`, { token: lee });
    expect(history.body.items.map((h: { type: string }) => h.type).filter((t: string) => t.startsWith('agent.'))).toEqual(['agent.assign']);
    // The assigned agent can.
    expect((await send(id, kim, { type: 'agent.confirmSellerFraud', reason: 'fake tracking' })).body.context.resolution).toMatchObject({
      source: 'seller_fraud',
    });
  });
});
