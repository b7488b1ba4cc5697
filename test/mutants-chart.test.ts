/**
 * Behaviours of the chart's regions (machines/chart/*) that the rule tests left unchecked, found
 * by `npm run mutation:chart` (Stryker on the state configs, read once when the machine is
 * built). Plain values through the pure machine.
 */
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { activeStateNodes, disputeMachine, type DisputeEvent, type DisputeSnapshot } from '../machines/index.ts';
import { after, agent, buyer, carrier, escalated, fire, label, open, otherAgent, psp, refuse, seller, step } from './support/disputes.ts';

type Step = Parameters<typeof step>;

/**
 * R-GEN-4: a deadline is armed only while the dispute is in a state that waits on it, so it
 * never fires into a state it does not belong to.
 */
function expectOnlyOwnDeadlines(s: DisputeSnapshot) {
  const waitedOn = new Set(activeStateNodes(s).flatMap((node) => (node.meta as { deadlines?: string[] } | undefined)?.deadlines ?? []));
  for (const armed of Object.keys(s.context.deadlines)) expect(waitedOn, `${armed} armed in ${label(s)}`).toContain(armed);
}

/** `step`, checking the deadlines of the state reached. */
function go(...args: Step) {
  const next = step(...args);
  expectOnlyOwnDeadlines(next);
  return next;
}

/** `fire`, checking the deadlines of the state reached. */
function fired(s: DisputeSnapshot, name: Parameters<typeof fire>[1]) {
  const [next] = fire(s, name);
  expectOnlyOwnDeadlines(next);
  return next;
}

/** An event handed to the machine directly, as a library user may, without the API's checks. */
const raw = (s: DisputeSnapshot, event: object) => transition(disputeMachine, s, event as DisputeEvent)[0];

const refundIdOf = (s: DisputeSnapshot) => s.context.refunds.at(-1)!.id;

describe('deadlines belong to the states that wait on them (R-GEN-4)', () => {
  it('negotiation: the seller’s answer, an offer, a proposal, then the buyer escalates', () => {
    let s = open();
    expectOnlyOwnDeadlines(s);
    expect(Object.keys(s.context.deadlines).sort()).toEqual(['negotiationEnd', 'sellerResponse']);
    s = go(s, seller, after(1), 'seller.counterOffer', { amount: 2000 });
    expect(Object.keys(s.context.deadlines)).toEqual(['negotiationEnd']);
    s = go(s, buyer, after(2), 'buyer.proposeAmount', { amount: 3000 });
    s = go(s, seller, after(2), 'seller.reject', { reason: 'no' });
    s = go(s, buyer, after(3), 'buyer.escalate');
    expect(label(s)).toBe('escalated.inQueue');
    expect(Object.keys(s.context.deadlines)).toEqual(['decisionDue']);
  });

  it('escalation: evidence asked of each party, answered or not, then a decision', () => {
    let s = escalated();
    s = go(s, agent, after(4), 'agent.requestEvidence', { from: 'buyer', note: 'a photo' });
    expect(label(s)).toBe('escalated.awaitingEvidence.fromBuyer');
    expect(Object.keys(s.context.deadlines).sort()).toEqual(['decisionDue', 'evidenceRequest']);
    s = go(s, buyer, after(5), 'evidence.add', { evidenceId: 'photo-1' });
    expect(label(s)).toBe('escalated.underReview');
    s = go(s, agent, after(5), 'agent.requestEvidence', { from: 'seller', note: 'the listing' });
    expect(label(s)).toBe('escalated.awaitingEvidence.fromSeller');
    s = fired(s, 'evidenceRequest');
    expect(label(s)).toBe('escalated.underReview');
    s = go(s, agent, after(12), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 2400, reason: 'a flaw' });
    expect(label(s)).toBe('resolving.decision.appealWindowOpen + resolving.payout.settlement.requested');
    expect(Object.keys(s.context.deadlines).sort()).toEqual(['appealWindow', 'refundOverdue']);
  });

  it('settlement and appeal: the refund fails twice, is retried and settles; the appeal is decided', () => {
    let s = go(escalated({ policy: { appeal: { appellants: ['buyer', 'seller'] } } }), agent, after(4), 'agent.decide', {
      outcome: 'buyer_partial_refund',
      amount: 2400,
      reason: 'a flaw',
    });
    const id = refundIdOf(s);
    s = go(s, psp, after(5), 'refund.failed', { refundId: id, reason: 'card expired' });
    s = go(s, psp, after(6), 'refund.failed', { refundId: id, reason: 'account closed' });
    expect(label(s)).toBe('resolving.decision.appealWindowOpen + resolving.payout.settlement.needsAttention');
    s = go(s, agent, after(7), 'agent.retryRefund');
    s = go(s, psp, after(8), 'refund.settled', { refundId: id });
    expect(label(s)).toBe('resolving.decision.appealWindowOpen + resolving.payout.upToDate');
    expect(Object.keys(s.context.deadlines)).toEqual(['appealWindow']);
    s = go(s, seller, after(9), 'appeal.file', { reason: 'too much' });
    expect(Object.keys(s.context.deadlines)).toEqual(['decisionDue']);
    s = go(s, otherAgent, after(10), 'agent.decideAppeal', { outcome: 'buyer_partial_refund', amount: 2400, reason: 'upheld' });
    expect(label(s)).toBe('resolved.refunded');
    expect(s.context.deadlines).toEqual({});
  });

  it('the return leg: shipped, delivered, confirmed, refunded', () => {
    let s = go(open({ request: { type: 'return_and_refund' } }), seller, after(1), 'seller.accept');
    expect(Object.keys(s.context.deadlines)).toEqual(['returnShipment']);
    s = go(s, buyer, after(2), 'buyer.shipReturn', { carrier: 'PostNL', trackingNumber: 'RR123' });
    expect(Object.keys(s.context.deadlines)).toEqual(['returnDelivery']);
    s = go(s, carrier, after(4), 'return.delivered');
    expect(Object.keys(s.context.deadlines)).toEqual(['returnConfirmation']);
    s = go(s, seller, after(5), 'seller.confirmReturn');
    expect(Object.keys(s.context.deadlines)).toEqual(['refundOverdue']);
    s = go(s, psp, after(6), 'refund.settled', { refundId: refundIdOf(s) });
    expect(label(s)).toBe('resolved.refunded');
    expect(s.context.deadlines).toEqual({});
  });

  it('the return leg’s deadlines: not shipped, not delivered, not confirmed', () => {
    const returning = go(open({ request: { type: 'return_and_refund' } }), seller, after(1), 'seller.accept');
    const closed = fired(returning, 'returnShipment');
    expect(label(closed)).toBe('closedForSeller.awaitingProtectionEnd');
    expect(Object.keys(closed.context.deadlines)).toEqual(['protectionEnd']);
    expect(label(fired(closed, 'protectionEnd'))).toBe('closedForSeller.released');
    const shipped = go(returning, buyer, after(2), 'buyer.shipReturn', { carrier: 'PostNL', trackingNumber: 'RR123' });
    const lost = fired(shipped, 'returnDelivery');
    expect(label(lost)).toBe('escalated.inQueue');
    expect(Object.keys(lost.context.deadlines)).toEqual(['decisionDue']);
    const delivered = go(shipped, carrier, after(4), 'return.delivered');
    expect(label(fired(delivered, 'returnConfirmation'))).toBe('resolving.decision.final + resolving.payout.settlement.requested');
    const problem = go(delivered, seller, after(5), 'seller.reportReturnProblem', { problem: 'different', description: 'a brick' });
    expect(label(problem)).toBe('escalated.inQueue');
    expect(Object.keys(problem.context.deadlines)).toEqual(['decisionDue']);
  });

  it('the ends: negotiation runs out, the buyer cancels, a reshipment is accepted, a chargeback is filed', () => {
    const ranOut = fired(go(open(), seller, after(1), 'seller.reject', { reason: 'no' }), 'negotiationEnd');
    expect(label(ranOut)).toBe('escalated.inQueue');
    expect(Object.keys(ranOut.context.deadlines)).toEqual(['decisionDue']);
    const cancelled = go(open(), buyer, after(1), 'buyer.cancel');
    expect(label(cancelled)).toBe('cancelled.awaitingProtectionEnd');
    expect(Object.keys(cancelled.context.deadlines)).toEqual(['protectionEnd']);
    expect(label(go(escalated(), buyer, after(4), 'buyer.cancel'))).toBe('cancelled.awaitingProtectionEnd');
    const reshipped = go(go(open(), seller, after(1), 'seller.offerReshipment'), buyer, after(2), 'buyer.acceptOffer');
    expect(label(reshipped)).toBe('reshipped.awaitingProtectionEnd');
    expect(label(fired(reshipped, 'protectionEnd'))).toBe('reshipped.released');
    for (const s of [open(), escalated()]) {
      const moved = go(s, psp, after(4), 'chargeback.filed', { reference: 'CB-1' });
      expect(label(moved)).toBe('movedToPaymentProvider');
      expect(moved.context.deadlines).toEqual({});
    }
  });
});

describe('refund settlement (R-REF-*)', () => {
  const refunding = () => fire(open(), 'sellerResponse')[0];

  it('R-REF-4: the machine itself ignores a settlement or failure of a refund that is not the current one', () => {
    const s = refunding();
    for (const type of ['refund.settled', 'refund.failed']) {
      const ignored = raw(s, { type, refundId: 'an-older-refund', reason: 'card expired', at: after(6), by: psp });
      expect(label(ignored)).toBe('resolving.decision.final + resolving.payout.settlement.requested');
      expect(ignored.context.refunds).toEqual(s.context.refunds);
      expect(ignored.context.funds).toEqual(s.context.funds);
    }
    const retrying = step(s, psp, after(6), 'refund.failed', { refundId: refundIdOf(s), reason: 'card expired' });
    for (const type of ['refund.settled', 'refund.failed']) {
      const ignored = raw(retrying, { type, refundId: 'an-older-refund', reason: 'account closed', at: after(7), by: psp });
      expect(label(ignored)).toBe('resolving.decision.final + resolving.payout.settlement.retryingToFallback');
      expect(ignored.context.refunds).toEqual(retrying.context.refunds);
    }
  });

  it('R-REF-3: an overdue refund is flagged once; the flag’s deadline does not stay armed', () => {
    const overdue = fired(refunding(), 'refundOverdue');
    expect(overdue.context.refundOverdue).toBe(true);
    expect(overdue.context.deadlines.refundOverdue).toBeUndefined();
    expect(label(overdue)).toBe('resolving.decision.final + resolving.payout.settlement.requested');
  });
});

describe('the case file in every stage that is still open', () => {
  const inEachStage = () => ({
    negotiating: open(),
    escalated: escalated(),
    resolving: go(escalated(), agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 2400, reason: 'a flaw' }),
  });

  it('R-EVID-3: messages are counted, evidence is added and hidden (once, and only evidence on the case)', () => {
    for (const [stage, s] of Object.entries(inEachStage())) {
      const messaged = go(s, buyer, after(5), 'message.send', { body: 'hello' });
      expect(messaged.context.messageCount, stage).toBe(s.context.messageCount + 1);
      const added = go(messaged, seller, after(5), 'evidence.add', { evidenceId: 'listing' });
      expect(added.context.evidenceIds, stage).toEqual([...s.context.evidenceIds, 'listing']);
      const hidden = go(added, agent, after(5), 'evidence.hide', { evidenceId: 'listing' });
      expect(hidden.context.hiddenEvidenceIds, stage).toEqual(['listing']);
      expect(refuse(hidden, agent, after(5), 'evidence.hide', { evidenceId: 'listing' }), stage).toMatchObject({ kind: 'not_accepted' });
      expect(refuse(added, agent, after(5), 'evidence.hide', { evidenceId: 'never-added' }), stage).toMatchObject({ kind: 'not_accepted' });
    }
  });

  it('a chargeback moves any open dispute to the payment provider and is recorded', () => {
    for (const [stage, s] of Object.entries(inEachStage())) {
      const moved = go(s, psp, after(5), 'chargeback.filed', { reference: 'CB-7' });
      expect(label(moved), stage).toBe('movedToPaymentProvider');
      expect(moved.context.chargeback, stage).toEqual({ reference: 'CB-7', at: after(5) });
    }
  });

  it('R-NEG-6: the buyer withdraws while negotiating or escalated, and the withdrawal is recorded', () => {
    for (const s of [open(), escalated()]) {
      const withdrawn = go(s, buyer, after(5), 'buyer.cancel', { reason: 'sorted it out' });
      expect(withdrawn.context.cancellation).toEqual({ by: buyer.id, at: after(5), reason: 'sorted it out' });
    }
    expect(refuse(inEachStage().resolving, buyer, after(5), 'buyer.cancel')).toMatchObject({ kind: 'not_accepted' });
  });
});

describe('escalation (R-ESC-*)', () => {
  it('R-ESC-5: evidence from the party not asked is kept on the case, but does not answer the request', () => {
    const asked = go(escalated(), agent, after(4), 'agent.requestEvidence', { from: 'buyer', note: 'a photo' });
    const fromSeller = go(asked, seller, after(5), 'evidence.add', { evidenceId: 'listing' });
    expect(label(fromSeller)).toBe('escalated.awaitingEvidence.fromBuyer');
    expect(fromSeller.context.evidenceIds).toContain('listing');
    expect(fromSeller.context.evidenceRequest?.answeredAt).toBeNull();
    const answered = go(fromSeller, buyer, after(5), 'evidence.add', { evidenceId: 'photo' });
    expect(label(answered)).toBe('escalated.underReview');
    expect(answered.context.evidenceRequest).toMatchObject({ from: 'buyer', answeredAt: after(5) });
    expect(answered.context.evidenceIds).toEqual(['listing', 'photo']);
    const askedAgain = go(answered, agent, after(6), 'agent.requestEvidence', { from: 'seller', note: 'the listing' });
    expect(askedAgain.context.evidenceRequest).toEqual({ from: 'seller', note: 'the listing', by: agent.id, requestedAt: after(6), answeredAt: null });
    expect(label(go(askedAgain, seller, after(7), 'evidence.add', { evidenceId: 'listing-2' }))).toBe('escalated.underReview');
  });

  it('only the assigned agent hands the case back to the queue', () => {
    const s = escalated();
    expect(refuse(s, otherAgent, after(4), 'agent.unassign')).toMatchObject({ kind: 'not_accepted' });
    const handedBack = go(s, agent, after(4), 'agent.unassign');
    expect(label(handedBack)).toBe('escalated.inQueue');
    expect(handedBack.context.escalation?.agentId).toBeNull();
    expect(go(handedBack, otherAgent, after(5), 'agent.assign').context.escalation?.agentId).toBe(otherAgent.id);
  });

  it('R-ESC-1: an overdue decision is flagged once, its deadline disarmed, and the case stays with the agent', () => {
    const overdue = fired(escalated(), 'decisionDue');
    expect(overdue.context.escalation?.decisionOverdue).toBe(true);
    expect(overdue.context.deadlines.decisionDue).toBeUndefined();
    expect(label(overdue)).toBe('escalated.underReview');
  });
});
