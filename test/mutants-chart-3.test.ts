/**
 * Negotiation, decisions, appeals and the ends of a dispute: behaviours of the chart's regions
 * (machines/chart/*) that the rule tests left unchecked, found by `npm run mutation:chart`.
 * Plain values through the pure machine; the deadline checks along the way are in
 * mutants-chart.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { disputeMachine, standingOf, type DisputeEvent, type DisputeSnapshot } from '../machines/index.ts';
import { after, agent, buyer, day, escalated, fire, label, open, otherAgent, psp, refuse, seller, step, type OpenOptions } from './support/disputes.ts';

const go = step;
const fired = (s: DisputeSnapshot, name: Parameters<typeof fire>[1]) => fire(s, name)[0];

/** An event handed to the machine directly, as a library user may, without the API's checks. */
const raw = (s: DisputeSnapshot, event: object) => transition(disputeMachine, s, event as DisputeEvent)[0];

const settledAt = (s: DisputeSnapshot) => go(s, psp, after(6), 'refund.settled', { refundId: s.context.refunds.at(-1)!.id });

describe('negotiation (R-NEG-*)', () => {
  const waitTwoDays: OpenOptions = { policy: { negotiation: { buyerEscalationWaitDays: 2 } } };
  const rejected = () => go(open(waitTwoDays), seller, after(1), 'seller.reject', { reason: 'looks fine' });
  const offered = () => go(open(waitTwoDays), seller, after(1), 'seller.counterOffer', { amount: 2000 });
  const proposed = () => go(offered(), buyer, after(2), 'buyer.proposeAmount', { amount: 3000 });

  it('R-NEG-1: the seller’s first answer is recorded by its kind', () => {
    expect(go(open(), seller, after(1), 'seller.accept').context.sellerResponse?.kind).toBe('accepted');
    expect(rejected().context.sellerResponse).toEqual({ kind: 'rejected', reason: 'looks fine', at: after(1) });
    expect(offered().context.sellerResponse?.kind).toBe('counter_offer');
    expect(go(open(), seller, after(1), 'seller.offerReshipment').context.sellerResponse?.kind).toBe('reshipment_offer');
  });

  it('R-NEG-1, R-NEG-3: an agreement ends the negotiation, recorded with how the refund was agreed', () => {
    const agreed = {
      seller_accepted: go(open(), seller, after(1), 'seller.accept'),
      'seller_accepted after a rejection': go(rejected(), seller, after(2), 'seller.accept'),
      seller_silent: fire(open(), 'sellerResponse')[0],
      offer_accepted: go(offered(), buyer, after(2), 'buyer.acceptOffer'),
      proposal_accepted: go(proposed(), seller, after(3), 'seller.accept'),
    };
    const refunds = { seller_accepted: 4000, 'seller_accepted after a rejection': 4000, seller_silent: 4000, offer_accepted: 2000, proposal_accepted: 3000 };
    for (const [how, s] of Object.entries(agreed)) {
      expect(label(s), how).toBe('resolving.decision.final + resolving.payout.settlement.requested');
      expect(s.context.resolution, how).toMatchObject({ source: how.split(' ')[0], refund: refunds[how as keyof typeof refunds] });
    }
  });

  it('R-NEG-3: a declined offer or proposal leaves nothing on the table, and the other side may offer again', () => {
    const declined = go(offered(), buyer, after(2), 'buyer.rejectOffer');
    expect(label(declined)).toBe('negotiating.rejected');
    expect(declined.context.offer).toBeNull();
    const refusedProposal = go(proposed(), seller, after(3), 'seller.reject', { reason: 'too much' });
    expect(label(refusedProposal)).toBe('negotiating.rejected');
    expect(refusedProposal.context.proposal).toBeNull();
    for (const s of [proposed(), declined]) {
      const counter = go(s, seller, after(4), 'seller.counterOffer', { amount: 2500 });
      expect(label(counter)).toBe('negotiating.offerPending');
      expect(counter.context.offer).toMatchObject({ kind: 'partial_refund', amount: 2500 });
      const reship = go(s, seller, after(4), 'seller.offerReshipment');
      expect(label(reship)).toBe('negotiating.offerPending');
      expect(reship.context.offer).toMatchObject({ kind: 'reshipment', amount: null });
    }
    const again = go(declined, buyer, after(4), 'buyer.proposeAmount', { amount: 3500 });
    expect(label(again)).toBe('negotiating.proposalPending');
    expect(again.context.proposal).toMatchObject({ amount: 3500 });
  });

  it('R-NEG-2, R-NEG-3: the machine itself ignores an offer or proposal outside the limits', () => {
    for (const s of [open(), proposed(), rejected()]) {
      const ignored = raw(s, { type: 'seller.counterOffer', amount: 4000, at: after(4), by: seller });
      expect(ignored.value).toEqual(s.value);
      expect(ignored.context.offer).toEqual(s.context.offer);
    }
    for (const s of [offered(), rejected()]) {
      const ignored = raw(s, { type: 'buyer.proposeAmount', amount: 4500, at: after(4), by: buyer });
      expect(ignored.value).toEqual(s.value);
      expect(ignored.context.proposal).toEqual(s.context.proposal);
    }
  });

  it('R-NEG-5: the buyer escalates from any seller answer once the wait (2 days here) is over, not before', () => {
    for (const s of [offered(), proposed(), rejected()]) {
      expect(refuse(s, buyer, after(1.5), 'buyer.escalate')).toMatchObject({ kind: 'not_accepted' });
      const up = go(s, buyer, after(3), 'buyer.escalate');
      expect(label(up)).toBe('escalated.inQueue');
      expect(up.context.escalation).toMatchObject({ cause: 'buyer_escalated', by: buyer, at: after(3) });
    }
    expect(fire(rejected(), 'negotiationEnd')[0].context.escalation).toMatchObject({ cause: 'negotiation_ended' });
  });

  it('R-NEG-7: the automatic offer is taken only where one stands', () => {
    const small = open({ order: { price: 400 }, request: { amount: 400 } });
    expect(small.context.automaticOffer).not.toBeNull();
    expect(go(small, buyer, after(1), 'buyer.acceptAutomaticOffer').context.resolution).toMatchObject({ source: 'automatic_offer' });
    expect(refuse(open(), buyer, after(1), 'buyer.acceptAutomaticOffer')).toMatchObject({ kind: 'not_accepted' });
  });
});

describe('decisions and appeals (R-ESC-*, R-APL-*)', () => {
  const bothMayAppeal: OpenOptions = { policy: { appeal: { appellants: ['buyer', 'seller'] } } };
  const partial = { outcome: 'buyer_partial_refund', amount: 2400, reason: 'a flaw' };
  const appealed = () => go(go(escalated(bothMayAppeal), agent, after(4), 'agent.decide', partial), seller, after(5), 'appeal.file', { reason: 'too much' });

  it('R-ESC-2, R-ESC-3: the machine itself ignores a decision outside the rules, on review and on appeal', () => {
    const outside = { type: 'agent.decide', outcome: 'buyer_partial_refund', amount: 500, reason: 'tiny', at: after(4), by: agent };
    const s = escalated();
    expect(raw(s, outside).value).toEqual(s.value);
    const a = appealed();
    const ignored = raw(a, { ...outside, type: 'agent.decideAppeal', by: otherAgent, at: after(6) });
    expect(ignored.value).toEqual(a.value);
    expect(ignored.context.decision).toEqual(a.context.decision);
  });

  it('only the assigned agent asks for evidence, decides or confirms fraud', () => {
    const s = escalated();
    for (const from of ['buyer', 'seller']) {
      expect(refuse(s, otherAgent, after(4), 'agent.requestEvidence', { from, note: 'more' })).toMatchObject({ kind: 'not_accepted' });
    }
    expect(refuse(s, otherAgent, after(4), 'agent.decide', partial)).toMatchObject({ kind: 'not_accepted' });
    expect(refuse(s, otherAgent, after(4), 'agent.confirmSellerFraud', { reason: 'fake' })).toMatchObject({ kind: 'not_accepted' });
    expect(go(s, agent, after(4), 'agent.confirmSellerFraud', { reason: 'fake' }).context.resolution).toMatchObject({ source: 'seller_fraud' });
  });

  it('R-APL-2: the appeal is decided by another agent, and that decision is marked as on appeal', () => {
    const a = appealed();
    expect(refuse(a, agent, after(6), 'agent.decideAppeal', partial)).toMatchObject({ kind: 'not_accepted' });
    expect(go(go(escalated(), agent, after(4), 'agent.decide', partial), buyer, after(5), 'message.send', { body: 'x' }).context.decision?.onAppeal).toBe(
      false,
    );
    expect(go(a, otherAgent, after(6), 'agent.decideAppeal', partial).context.decision?.onAppeal).toBe(true);
  });

  it('R-ESC-1: an overdue appeal decision is flagged, its deadline disarmed, the appeal still open', () => {
    const overdue = fired(appealed(), 'decisionDue');
    expect(overdue.context.escalation?.decisionOverdue).toBe(true);
    expect(overdue.context.deadlines.decisionDue).toBeUndefined();
    expect(label(overdue)).toBe('resolving.decision.appealed + resolving.payout.settlement.requested');
  });

  it('R-REF-5: an item said missing that arrives while the refund is paid out is recorded, nothing reopened', () => {
    const paying = fire(open({ request: { reason: 'not_received' } }), 'sellerResponse')[0];
    const received = go(paying, buyer, after(6), 'buyer.itemReceived');
    expect(received.value).toEqual(paying.value);
    expect(received.context.lateReceipt).toEqual({ at: after(6), by: buyer.id });
    expect(refuse(fire(open(), 'sellerResponse')[0], buyer, after(6), 'buyer.itemReceived')).toMatchObject({ kind: 'not_accepted' });
  });
});

describe('the ends (R-FUND-*)', () => {
  const notReceived: OpenOptions = { request: { reason: 'not_received' } };

  it('R-FUND-2: each end records its name, and the dispute stands as ended', () => {
    const ends = {
      refused: open({ openedAt: day(200) }),
      resolved: settledAt(fire(open(), 'sellerResponse')[0]),
      reshipped: go(go(open(), seller, after(1), 'seller.offerReshipment'), buyer, after(2), 'buyer.acceptOffer'),
      cancelled: go(open(), buyer, after(1), 'buyer.cancel'),
      closedForSeller: fired(go(open({ request: { type: 'return_and_refund' } }), seller, after(1), 'seller.accept'), 'returnShipment'),
      movedToPaymentProvider: go(open(), psp, after(1), 'chargeback.filed', { reference: 'CB-1' }),
    };
    for (const [end, s] of Object.entries(ends)) {
      expect(s.context.outcome?.end, end).toBe(end);
      // What lists, the store's `ended` column and webhooks read.
      expect(standingOf(s).ended, end).toBe(true);
    }
  });

  it('R-REF-5: an ended dispute records an item said missing that turned up after all', () => {
    const ended = {
      resolved: settledAt(fire(open(notReceived), 'sellerResponse')[0]),
      reshipped: go(go(open(notReceived), seller, after(1), 'seller.offerReshipment'), buyer, after(2), 'buyer.acceptOffer'),
      cancelled: go(open(notReceived), buyer, after(1), 'buyer.cancel'),
    };
    for (const [end, s] of Object.entries(ended)) {
      expect(go(s, buyer, after(9), 'buyer.itemReceived').context.lateReceipt, end).toEqual({ at: after(9), by: buyer.id });
    }
  });
});
