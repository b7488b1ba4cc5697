/**
 * The invariants of issue 12, checked on one dispute as the store holds it: the money adds up and
 * ends paid out, money moves in the order's currency, one release and no refund beyond what was
 * paid, every waiting state has its deadline and no other, the deadline rows mirror the snapshot,
 * each deadline fired once, replaying the history gives the stored snapshot, and what was stored
 * is what the runtime acknowledged.
 */
import { expect } from 'vitest';
import { awaitedBy, deadlineNames, parsePolicy, type DisputeSnapshot, type PolicyOverrides } from '../../machines/index.ts';
import type { DisputeStore } from '../../db/store.ts';
import { load, replay } from '../../server/runtime/step.ts';

const normal = (s: DisputeSnapshot) => JSON.parse(JSON.stringify({ value: s.value, status: s.status, context: s.context })) as unknown;

export async function checkDispute(store: DisputeStore, id: string, policy: PolicyOverrides, acknowledged: DisputeSnapshot | undefined, log: string[]) {
  const record = await store.getDispute(id);
  if (!record) throw new Error(`dispute ${id} vanished`);
  const { snapshot, input, version } = load(record); // from the row, never from the runtime's cache
  const c = snapshot.context;
  const where = `${id} in ${JSON.stringify(snapshot.value)} after: ${log.slice(-3).join(' | ')}`;
  expect(c.policy, `the dispute froze the configured policy (R-GEN-2): ${where}`).toEqual(parsePolicy(policy));
  const { paid, held, refunded, released } = c.funds;
  expect(Math.min(held, refunded, released), where).toBeGreaterThanOrEqual(0);
  expect(held + refunded + released, `money adds up: ${where}`).toBe(paid);
  if (snapshot.hasTag('ended') && awaitedBy(snapshot).includes('nobody') && c.outcome?.end !== 'movedToPaymentProvider') {
    expect(refunded + released, `an end that awaits nobody has paid it all out: ${where}`).toBe(paid);
  }
  if (c.outcome?.end === 'movedToPaymentProvider') {
    expect(released, `a chargeback releases nothing: ${where}`).toBe(0);
    // Refunds already sent stay the buyer's; the rest waits with the payment provider.
    const sent = c.refunds.reduce((sum, r) => sum + r.amount, 0);
    expect(c.outcome.split, where).toEqual({ refunded: sent, released: 0, withPaymentProvider: paid - sent });
  }
  const outbox = await store.getOutbox(id);
  expect(outbox.filter((o) => o.kind === 'releaseFunds').length, `one release at most: ${where}`).toBeLessThanOrEqual(1);
  expect(
    outbox.filter((o) => o.payload.currency !== c.order.currency),
    `money moves in the order's currency: ${where}`,
  ).toEqual([]);
  const refunds = new Map(outbox.filter((o) => o.kind === 'requestRefund').map((o) => [o.payload.refundId, Number(o.payload.amount)]));
  expect(
    [...refunds.values()].reduce((a, b) => a + b, 0),
    `refunds never exceed what was paid: ${where}`,
  ).toBeLessThanOrEqual(paid);
  expect(new Set(outbox.filter((o) => o.kind === 'requestRefund').map((o) => `${o.payload.refundId}:${o.payload.attempt}`)).size).toBe(
    outbox.filter((o) => o.kind === 'requestRefund').length,
  );
  // Every waiting state has its armed deadline (a flag-only one may have fired), no other state has one.
  const declared = new Set(Object.values(snapshot.getMeta()).flatMap((meta) => (meta as { deadlines?: string[] }).deadlines ?? []));
  const armed = Object.keys(c.deadlines);
  const fired = (name: string) => (name === 'decisionDue' && c.escalation?.decisionOverdue) || (name === 'refundOverdue' && c.refundOverdue);
  expect(
    armed.filter((n) => !declared.has(n)),
    `deadlines armed outside their waiting states: ${where}`,
  ).toEqual([]);
  expect(
    [...declared].filter((n) => !armed.includes(n) && !fired(n)),
    `waiting states without their deadline: ${where}`,
  ).toEqual([]);
  const rows = (await store.getDeadlines(id)).map((r) => `${r.name}@${r.dueAt}`).sort();
  expect(rows, `deadline rows mirror the snapshot: ${where}`).toEqual(
    Object.entries(c.deadlines)
      .map(([n, d]) => `${n}@${d.dueAt}`)
      .sort(),
  );
  expect(armed.every((n) => (deadlineNames as readonly string[]).includes(n))).toBe(true);
  // History: versions without gaps, each deadline fired once, and replaying it gives the snapshot.
  const history = await store.getHistory(id);
  expect(
    history.map((h) => h.seq),
    where,
  ).toEqual(history.map((_, i) => i + 1));
  expect(history.length).toBe(version);
  const deadlineEvents = history.filter((h) => h.type.startsWith('deadline.')).map((h) => `${h.type}@${h.at}`);
  expect(new Set(deadlineEvents).size, `each deadline fired once: ${where}`).toBe(deadlineEvents.length);
  expect(normal(replay(input, history)), `replaying the history gives the stored snapshot: ${where}`).toEqual(normal(snapshot));
  expect(normal(snapshot), `what was stored is what was acknowledged: ${where}`).toEqual(normal(acknowledged!));
}
