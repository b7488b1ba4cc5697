/**
 * Invalid events are refused with a reason a client can show, and change nothing; the "what
 * next" answer lists exactly what a party may send, with the dispute's limits in the schema.
 */
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import {
  availableEvents,
  checkEvent,
  disputeMachine,
  eventCatalog,
  eventRoles,
  eventTypes,
  parseEvent,
  payloadJsonSchema,
  type Actor,
  type DisputeSnapshot,
} from '../machines/index.ts';
import { addDays } from '../machines/time.ts';
import { agent, buyer, day, fire, open, psp, seller, step } from './support/disputes.ts';

const OPENED = day(12);
const after = (days: number) => addDays(OPENED, days);

/** Sends through parse + check; asserts it is refused and that the snapshot is untouched. */
function expectRefused(snapshot: DisputeSnapshot, by: Actor, at: string, event: Record<string, unknown>) {
  const before = JSON.stringify(snapshot);
  const parsed = parseEvent(event, by, at);
  const result = parsed.ok ? checkEvent(snapshot, parsed.value) : parsed;
  expect(result.ok).toBe(false);
  expect(JSON.stringify(snapshot)).toBe(before);
  if (result.ok) throw new Error('accepted');
  expect(result.rejection.message.length).toBeGreaterThan(10);
  return result.rejection;
}

describe('invalid events are refused without changing the snapshot', () => {
  it('wrong state: the answer lists the events the state accepts from the caller', () => {
    const s = open();
    const rejection = expectRefused(s, buyer, after(1), { type: 'buyer.acceptOffer' });
    expect(rejection).toMatchObject({ kind: 'not_accepted' });
    if (rejection.kind !== 'not_accepted') return;
    expect(rejection.message).toContain('negotiating.awaitingSellerResponse');
    expect(rejection.accepted).toEqual(['buyer.cancel', 'message.send', 'evidence.add']);
  });

  it('wrong role: a buyer cannot send the seller’s or the agent’s events', () => {
    const s = open();
    expect(expectRefused(s, buyer, after(1), { type: 'seller.accept' })).toMatchObject({
      kind: 'forbidden',
      message: 'seller.accept may be sent by seller, not by a buyer',
    });
    expect(expectRefused(s, seller, after(1), { type: 'deadline.sellerResponse' })).toMatchObject({ kind: 'forbidden' });
    expect(expectRefused(s, buyer, after(1), { type: 'agent.decide', outcome: 'buyer_full_refund', reason: 'me' })).toMatchObject({ kind: 'forbidden' });
  });

  it('bad payload: field-level problems for missing, mistyped and unknown fields', () => {
    const s = open();
    const missing = expectRefused(s, seller, after(1), { type: 'seller.reject' });
    expect(missing).toMatchObject({ kind: 'invalid_payload', problems: [{ field: 'reason' }] });
    const mistyped = expectRefused(s, seller, after(1), { type: 'seller.counterOffer', amount: '20.00' });
    expect(mistyped).toMatchObject({ kind: 'invalid_payload', problems: [{ field: 'amount' }] });
    const unknown = expectRefused(s, seller, after(1), { type: 'seller.accept', amount: 1 });
    expect(unknown).toMatchObject({ kind: 'invalid_payload' });
    expect(expectRefused(s, seller, after(1), { type: 'seller.counterOffer', amount: -5 })).toMatchObject({ kind: 'invalid_payload' });
    expect(expectRefused(s, seller, after(1), ['seller.accept'] as unknown as Record<string, unknown>)).toMatchObject({ kind: 'unknown_event' });
  });

  it('amounts above what was paid, requested or held are refused with the limit', () => {
    const s = open({ request: { amount: 3000 } });
    expect(expectRefused(s, seller, after(1), { type: 'seller.counterOffer', amount: 3000 })).toMatchObject({
      kind: 'invalid_payload',
      problems: [{ rule: 'R-NEG-2', field: 'amount', message: expect.stringContaining('3000') }],
    });
    const countered = step(s, seller, after(1), 'seller.counterOffer', { amount: 1000 });
    expect(expectRefused(countered, buyer, after(2), { type: 'buyer.proposeAmount', amount: 3500 })).toMatchObject({
      problems: [{ rule: 'R-OPEN-7', field: 'amount' }],
    });
    let escalated = step(countered, buyer, after(2), 'buyer.escalate');
    escalated = step(escalated, agent, after(3), 'agent.assign');
    expect(
      expectRefused(escalated, agent, after(4), { type: 'agent.decide', outcome: 'buyer_partial_refund', amount: 9000, reason: 'r', overrideReason: 'o' }),
    ).toMatchObject({ kind: 'invalid_payload', problems: expect.arrayContaining([expect.objectContaining({ field: 'amount' })]) });
  });

  it('a refund cannot settle twice, nor be reported for another dispute', () => {
    const [s] = fire(open(), 'sellerResponse');
    const refundId = s.context.refunds[0]!.id;
    const settled = step(s, psp, after(7), 'refund.settled', { refundId });
    expect(expectRefused(settled, psp, after(8), { type: 'refund.settled', refundId })).toMatchObject({ kind: 'not_accepted' });
    expect(expectRefused(s, psp, after(7), { type: 'refund.failed', refundId: 'other:refund:1', reason: 'x' })).toMatchObject({
      kind: 'invalid_payload',
      problems: [{ field: 'refundId' }],
    });
  });

  it('the machine itself ignores an event the checks would refuse (defence in depth)', () => {
    const s = open();
    const [same] = transition(disputeMachine, s, { type: 'seller.counterOffer', amount: 999999, at: after(1), by: seller });
    expect(same).toBe(s);
    const [also] = transition(disputeMachine, s, { type: 'deadline.negotiationEnd', at: after(3), by: psp });
    expect(also).toBe(s);
  });
});

describe('what each party may send now', () => {
  it('lists the caller’s events with the dispute’s limits in the schema', () => {
    const s = open({ request: { amount: 3000 } });
    const forSeller = availableEvents(s, seller, after(1));
    expect(forSeller.map((e) => e.type)).toEqual([
      'seller.accept',
      'seller.reject',
      'seller.counterOffer',
      'seller.offerReshipment',
      'message.send',
      'evidence.add',
    ]);
    const counter = forSeller.find((e) => e.type === 'seller.counterOffer')!;
    expect(counter.schema).toMatchObject({ type: 'object', required: ['amount'], properties: { amount: { type: 'integer', maximum: 2999 } } });
    expect(counter.description).toContain('R-NEG-2');
    expect(availableEvents(s, agent, after(1))).toEqual([expect.objectContaining({ type: 'evidence.add' })]);
  });

  it('evaluates time: deadlines due by then fire first, and time guards are applied', () => {
    const s = open({ policy: { negotiation: { buyerEscalationWaitDays: 10 } } });
    const rejected = step(s, seller, after(1), 'seller.reject', { reason: 'no' });
    expect(availableEvents(rejected, buyer, after(2)).map((e) => e.type)).not.toContain('buyer.escalate');
    expect(availableEvents(rejected, buyer, after(10)).map((e) => e.type)).toContain('buyer.escalate');
    // Past the seller's window, the seller has nothing left to answer: the refund already runs.
    expect(availableEvents(s, seller, after(5)).map((e) => e.type)).toEqual(['message.send', 'evidence.add']);
  });

  it('every event type has a schema, a description and at least one role', () => {
    for (const type of eventTypes) {
      expect(eventRoles[type].length, type).toBeGreaterThan(0);
      expect(eventCatalog[type].description.length, type).toBeGreaterThan(10);
      expect(payloadJsonSchema(type), type).toMatchObject({ type: 'object' });
    }
  });
});
