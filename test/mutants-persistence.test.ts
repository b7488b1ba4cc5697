/**
 * Behaviours of the persisted snapshot left unchecked, found by `npm run mutation` (Stryker on
 * machines/persistence.ts and machines/snapshot.ts): how a dispute is written for the store and
 * read back (compact, expand, restore, migrations of older versions) and how a snapshot reads as
 * states and regions. Plain values, in-process: what the store keeps is JSON, so each stored
 * form goes through JSON.stringify and back as it would through the database.
 */
import { describe, expect, it } from 'vitest';
import {
  activeRegions,
  compactSnapshot,
  expandSnapshot,
  parsePolicy,
  persistSnapshot,
  restoreSnapshot,
  stateDescription,
  UnsupportedMachineVersion,
  type DisputeSnapshot,
} from '../machines/index.ts';
import { after, agent, buyer, carrier, escalated, open, orderFacts, otherAgent, refuse, send, seller, step } from './support/disputes.ts';

/** What the store would hand back: JSON, not the object that was written. */
const throughJson = (value: unknown): Record<string, unknown> & { context: Record<string, unknown> } => JSON.parse(JSON.stringify(value));

/** The dispute's input as the store keeps it beside the snapshot (R-GEN-2, R-GEN-3). */
const input = { order: orderFacts(), policy: parsePolicy({}) };

/** Decided for a partial refund of 2,400 cents, then appealed by the buyer. */
function underAppeal(): DisputeSnapshot {
  const [decided] = send(escalated(), agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 2400, reason: 'a flaw' });
  return step(decided, buyer, after(5), 'appeal.file', { reason: 'too little' });
}

/** A stored snapshot as an older machine version wrote it: today's JSON with another state value. */
const olderWith = (snapshot: DisputeSnapshot, value: unknown, context: object = {}) => {
  const stored = throughJson(persistSnapshot(snapshot));
  return { ...stored, value, context: { ...stored.context, ...context } };
};

describe('a dispute is stored without its order and policy, and comes back whole', () => {
  it('the stored form keeps the appeal count and the state, but not the order facts or the policy (R-GEN-2, R-GEN-3)', () => {
    const stored = throughJson(compactSnapshot(underAppeal()));
    expect(stored.value).toEqual({ resolving: { decision: 'appealed', payout: { settlement: 'requested' } } });
    expect(stored.status).toBe('active');
    expect(stored.context).not.toHaveProperty('order');
    expect(stored.context).not.toHaveProperty('policy');
    expect(stored.context).toMatchObject({ disputeId: 'dispute-1', appeal: { count: 1, reason: 'too little' } });
  });

  it('persist → store → restore gives back the appeal count, the refund decided, the deadlines and the input', () => {
    const before = underAppeal();
    const restored = restoreSnapshot('dispute-1', expandSnapshot(throughJson(compactSnapshot(before)), input), 3);
    expect(restored.value).toEqual({ resolving: { decision: 'appealed', payout: { settlement: 'requested' } } });
    expect(restored.context.appeal).toMatchObject({ count: 1, filedBy: buyer, filedAt: after(5), reason: 'too little' });
    expect(restored.context.appeal.previousDecision).toMatchObject({ outcome: 'buyer_partial_refund', refund: 2400, agentId: 'agent-1' });
    expect(restored.context.deadlines).toEqual({
      decisionDue: { event: 'deadline.decisionDue', dueAt: after(12) },
      refundOverdue: { event: 'deadline.refundOverdue', dueAt: '2026-12-16T10:00:00.000Z' },
    });
    expect(restored.context.order).toMatchObject({ price: 4000, shippingCost: 500, paymentMethod: 'card' });
    expect(restored.context.policy.appeal.windowDays).toBe(7);
    expect(restored.context).toEqual(before.context);
    // R-APL-2: the restored dispute still knows who decided first, and the appeal decision is final.
    expect(refuse(restored, agent, after(6), 'agent.decideAppeal', { outcome: 'buyer_full_refund', reason: 'unusable' })).toMatchObject({
      problems: [{ rule: 'R-APL-2' }],
    });
    const final = step(restored, otherAgent, after(6), 'agent.decideAppeal', { outcome: 'buyer_full_refund', reason: 'unusable' });
    expect(final.value).toMatchObject({ resolving: { decision: 'final' } });
    // R-ESC-4: a full refund is the 4,000 cents price plus the 500 cents shipping.
    expect(final.context.decision).toMatchObject({ agentId: 'agent-2', onAppeal: true, refund: 4500, includesShipping: true });
  });

  it('a snapshot stored whole, by an earlier build, keeps its own order facts and policy', () => {
    const whole = throughJson(persistSnapshot(open()));
    const expanded = expandSnapshot(whole, { order: orderFacts({ price: 9900 }), policy: parsePolicy({ appeal: { windowDays: 3 } }) });
    expect(expanded.context).toMatchObject({ order: { price: 4000 }, policy: { appeal: { windowDays: 7 } } });
  });

  it('a stored snapshot lacking its policy is not whole: it takes the dispute’s order facts and policy', () => {
    const stored = throughJson(compactSnapshot(open()));
    const halfway = { ...stored, context: { ...stored.context, order: orderFacts({ price: 9900 }) } };
    const expanded = expandSnapshot(halfway, { order: input.order, policy: parsePolicy({ appeal: { windowDays: 3 } }) });
    expect(expanded.context).toMatchObject({ order: { price: 4000 }, policy: { appeal: { windowDays: 3 } } });
  });
});

describe('a snapshot of a version this build cannot read is refused, never misread', () => {
  const stored = () => throughJson(persistSnapshot(open()));

  it('a snapshot of this version (3) is read as it is', () => {
    expect(restoreSnapshot('dispute-1', stored(), 3).value).toEqual({ negotiating: 'awaitingSellerResponse' });
  });

  it('a newer version is refused with an error naming the dispute and both versions', () => {
    const refusal = (() => {
      try {
        restoreSnapshot('dispute-7', stored(), 4);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(UnsupportedMachineVersion);
    expect(refusal).toMatchObject({
      name: 'UnsupportedMachineVersion',
      disputeId: 'dispute-7',
      found: 4,
      message:
        'dispute dispute-7 was written by dispute machine version 4; this build runs version 3 and has no migration from 4 (see machines/persistence.ts)',
    });
  });

  it('versions with no path to this one (0, negative, fractional, not a number) are refused', () => {
    for (const version of [0, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => restoreSnapshot('dispute-1', stored(), version), String(version)).toThrow(UnsupportedMachineVersion);
    }
  });
});

describe('version 1 snapshots are migrated (states split for their tags)', () => {
  it('a state that was not split keeps its value', () => {
    expect(restoreSnapshot('d', olderWith(open(), { negotiating: 'awaitingSellerResponse' }), 1).value).toEqual({ negotiating: 'awaitingSellerResponse' });
    expect(restoreSnapshot('d', olderWith(escalated(), { escalated: 'underReview' }), 1).value).toEqual({ escalated: 'underReview' });
  });

  it('evidence asked of the buyer becomes awaitingEvidence.fromBuyer (R-ESC-5)', () => {
    const asked = step(escalated(), agent, after(4), 'agent.requestEvidence', { from: 'buyer', note: 'a photo of the label' });
    const restored = restoreSnapshot('d', olderWith(asked, { escalated: 'awaitingEvidence' }), 1);
    expect(restored.value).toEqual({ escalated: { awaitingEvidence: 'fromBuyer' } });
    expect(restored.context.evidenceRequest).toMatchObject({ from: 'buyer', note: 'a photo of the label' });
  });
});

describe('version 2 snapshots are migrated (R-RET-5)', () => {
  it('a return already delivered, awaiting the seller’s confirmation, gets no delivery deadline', () => {
    let s = step(open({ request: { type: 'return_and_refund' } }), seller, after(1), 'seller.accept');
    s = step(s, buyer, after(2), 'buyer.shipReturn', { carrier: 'PostNL', trackingNumber: 'RR1' });
    s = step(s, carrier, after(4), 'return.delivered');
    const restored = restoreSnapshot('d', throughJson(persistSnapshot(s)), 2);
    expect(restored.value).toMatchObject({ resolving: { payout: { returnLeg: 'awaitingSellerConfirmation' } } });
    expect(restored.context.returnShipment).toMatchObject({ shippedAt: after(2), deliveredAt: after(4) });
    expect(restored.context.deadlines.returnDelivery).toBeUndefined();
    expect(restored.context.deadlines.returnConfirmation).toEqual({ event: 'deadline.returnConfirmation', dueAt: after(14) });
  });
});

describe('a snapshot reads as its states and regions', () => {
  it('a decided dispute reads as two regions, each with its dotted path and label', () => {
    const [decided] = send(escalated(), agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 2400, reason: 'a flaw' });
    expect(activeRegions(decided)).toEqual([
      {
        path: 'resolving.decision.appealWindowOpen',
        label: 'Decided; open to appeal',
        description: 'The decision stands; it may be appealed until 7 days after it',
        region: { path: 'resolving.decision', label: 'Decision' },
      },
      {
        path: 'resolving.payout.settlement.requested',
        label: 'Refund requested',
        description: 'Refund requested to the original payment method (R-REF-1)',
        region: { path: 'resolving.payout', label: 'Payout' },
      },
    ]);
    expect(stateDescription(decided)).toBe(
      'The decision stands; it may be appealed until 7 days after it · Refund requested to the original payment method (R-REF-1)',
    );
  });
});
