/**
 * What the chart's actions record and its guards let through, read back from the context the API
 * shows. Found by `npm run mutation` on machines/chart/base.ts, case-actions.ts and
 * money-actions.ts: a note, a reason, a flag or a refund's status blanked or flipped went
 * unnoticed before. Plain values through the pure machine; events the API would refuse first are
 * sent with `transition()`, as a library user (or a late callback) could.
 */
import { describe, expect, it } from 'vitest';
import { transition } from 'xstate';
import { disputeMachine, type DisputeEvent, type DisputeSnapshot } from '../machines/index.ts';
import { after, agent, buyer, day, escalated, fire, label, open, otherAgent, psp, send, seller, step, type OpenOptions } from './support/disputes.ts';

/** Sends an event straight to the machine, without the API's parse and check. */
const direct = (s: DisputeSnapshot, event: object) => transition(disputeMachine, s, event as DisputeEvent);

/** The types of the actions a transition hands the runtime. */
const effects = (actions: { type: string }[]) => actions.map((a) => a.type).filter((t) => t === 'requestRefund' || t === 'releaseFunds');

describe('what the negotiation records', () => {
  it('R-NEG-1: the seller’s first answer is recorded, with a reason only when it is a rejection', () => {
    expect(step(open(), seller, after(1), 'seller.reject', { reason: 'looks fine to me' }).context.sellerResponse).toEqual({
      kind: 'rejected',
      reason: 'looks fine to me',
      at: after(1),
    });
    expect(step(open(), seller, after(1), 'seller.accept').context.sellerResponse).toEqual({ kind: 'accepted', reason: null, at: after(1) });
    expect(step(open(), seller, after(2), 'seller.counterOffer', { amount: 2000 }).context.sellerResponse).toEqual({
      kind: 'counter_offer',
      reason: null,
      at: after(2),
    });
  });

  it('R-NEG-3: a reshipment offer keeps the seller’s note for the buyer, and null without one', () => {
    const noted = step(open(), seller, after(1), 'seller.offerReshipment', { note: 'a new one ships Monday' });
    expect(noted.context.offer).toEqual({ by: 'seller-1', kind: 'reshipment', amount: null, note: 'a new one ships Monday', at: after(1) });
    expect(noted.context.sellerResponse).toEqual({ kind: 'reshipment_offer', reason: null, at: after(1) });
    const bare = step(open(), seller, after(1), 'seller.offerReshipment');
    expect(bare.context.offer).toEqual({ by: 'seller-1', kind: 'reshipment', amount: null, note: null, at: after(1) });
  });

  it('R-NEG-3: the machine itself refuses a proposal above the amount requested', () => {
    const rejected = step(open(), seller, after(1), 'seller.reject', { reason: 'looks fine to me' });
    const [same] = direct(rejected, { type: 'buyer.proposeAmount', amount: 4001, at: after(2), by: buyer });
    expect(label(same)).toBe('negotiating.rejected');
    expect(same.context.proposal).toBeNull();
    const [proposed] = direct(rejected, { type: 'buyer.proposeAmount', amount: 4000, at: after(2), by: buyer });
    expect(label(proposed)).toBe('negotiating.proposalPending');
    expect(proposed.context.proposal).toEqual({ by: 'buyer-1', amount: 4000, at: after(2) });
  });

  it('R-NEG-3: a declined offer, and a rejected proposal, are off the table', () => {
    const offered = step(open(), seller, after(1), 'seller.counterOffer', { amount: 2000 });
    const declined = step(offered, buyer, after(2), 'buyer.rejectOffer');
    expect(label(declined)).toBe('negotiating.rejected');
    expect(declined.context.offer).toBeNull();
    const proposed = step(declined, buyer, after(3), 'buyer.proposeAmount', { amount: 3000 });
    expect(proposed.context.proposal).toEqual({ by: 'buyer-1', amount: 3000, at: after(3) });
    const rejected = step(proposed, seller, after(4), 'seller.reject', { reason: 'too much' });
    expect(label(rejected)).toBe('negotiating.rejected');
    expect(rejected.context.proposal).toBeNull();
  });

  it('R-NEG-6: a cancellation records the buyer’s reason, and null without one', () => {
    expect(step(open(), buyer, after(1), 'buyer.cancel', { reason: 'it turned up after all' }).context.cancellation).toEqual({
      by: 'buyer-1',
      at: after(1),
      reason: 'it turned up after all',
    });
    expect(step(open(), buyer, after(1), 'buyer.cancel').context.cancellation).toEqual({ by: 'buyer-1', at: after(1), reason: null });
  });

  it('R-FUND-2: a chargeback records the provider’s reference and leaves what is held with the provider', () => {
    const moved = step(open(), psp, after(1), 'chargeback.filed', { reference: 'CB-2026-77' });
    expect(label(moved)).toBe('movedToPaymentProvider');
    expect(moved.context.chargeback).toEqual({ reference: 'CB-2026-77', at: after(1) });
    expect(moved.context.outcome).toEqual({ end: 'movedToPaymentProvider', at: after(1), split: { refunded: 0, released: 0, withPaymentProvider: 4500 } });
  });

  it('R-FUND-2: a dispute refused at opening ends at its opening instant, with no split (nothing was held for it)', () => {
    // Opened 45 days after shipping: buyer protection (30 days of delivery window) is over.
    const refused = open({ openedAt: day(45) });
    expect(label(refused)).toBe('refused');
    expect(refused.context.outcome).toEqual({ end: 'refused', at: day(45), split: null });
  });
});

describe('what the escalation records', () => {
  it('R-NEG-5, R-ESC-1: an escalation records its cause, sender and instant, with no agent and nothing overdue yet', () => {
    let s = step(open(), seller, after(1), 'seller.reject', { reason: 'looks fine to me' });
    s = step(s, buyer, after(2), 'buyer.escalate');
    expect(s.context.escalation).toEqual({ cause: 'buyer_escalated', by: buyer, at: after(2), agentId: null, decisionOverdue: false });
    s = step(s, agent, after(3), 'agent.assign');
    expect(s.context.escalation).toMatchObject({ agentId: 'agent-1' });
    s = step(s, agent, after(3.5), 'agent.unassign');
    expect(label(s)).toBe('escalated.inQueue');
    expect(s.context.escalation).toEqual({ cause: 'buyer_escalated', by: buyer, at: after(2), agentId: null, decisionOverdue: false });
  });

  it('R-GEN-4: a decision deadline delivered again after it fired changes nothing', () => {
    const s = escalated();
    const dueAt = s.context.deadlines.decisionDue?.dueAt;
    expect(dueAt).toBe(after(9));
    const [overdue] = fire(s, 'decisionDue');
    expect(overdue.context.escalation).toMatchObject({ decisionOverdue: true });
    expect(overdue.context.deadlines.decisionDue).toBeUndefined();
    const [again] = direct(overdue, { type: 'deadline.decisionDue', at: dueAt, by: { role: 'system', id: 'scheduler' } });
    expect(again.status).toBe('active');
    expect(label(again)).toBe('escalated.underReview');
    expect(again.context).toEqual(overdue.context);
  });

  it('R-ESC-2: the machine itself refuses a decision its rules refuse', () => {
    // A partial refund of 100 on a 4,000 item, outside the band, with no override reason (R-ESC-3).
    const payload = { outcome: 'buyer_partial_refund', amount: 100, refundShipping: false, itemUnusable: false, sellerPaysReturnShipping: false };
    const [same] = direct(escalated(), { type: 'agent.decide', ...payload, reason: 'a scratch', at: after(4), by: agent });
    expect(label(same)).toBe('escalated.underReview');
    expect(same.context.decision).toBeNull();
  });

  it('R-ESC-6: confirmed seller fraud records a full refund with shipping, nothing else asked of either party', () => {
    const [fraud] = send(escalated(), agent, after(4), 'agent.confirmSellerFraud', { reason: 'sold a counterfeit' });
    expect(fraud.context.decision).toEqual({
      outcome: 'buyer_full_refund',
      refund: 4500,
      includesShipping: true,
      itemUnusable: false,
      returnRequired: false,
      sellerPaysReturnShipping: false,
      reason: 'sold a counterfeit',
      overrideReason: null,
      sellerFraud: true,
      agentId: 'agent-1',
      at: after(4),
      onAppeal: false,
    });
    expect(fraud.context.resolution).toEqual({
      source: 'seller_fraud',
      refund: 4500,
      includesShipping: true,
      returnRequired: false,
      returnShippingPaidBy: 'buyer',
      at: after(4),
    });
  });
});

describe('what the appeal records', () => {
  /** Decided after the decision deadline (overdue flagged), 2,400 for the item, then appealed by the buyer. */
  function appealedAfterOverdue() {
    const [overdue] = fire(escalated(), 'decisionDue');
    const [decided] = send(overdue, agent, after(10), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 2400, reason: 'a flaw' });
    expect(decided.context.escalation).toMatchObject({ decisionOverdue: true });
    return { decided, appealed: step(decided, buyer, after(11), 'appeal.file', { reason: 'it cannot be used' }) };
  }

  it('R-APL-1, R-ESC-1: an appeal starts a new decision, no longer overdue, and keeps the one appealed', () => {
    const { decided, appealed } = appealedAfterOverdue();
    expect(label(appealed)).toContain('decision.appealed');
    expect(appealed.context.escalation).toEqual({ cause: 'buyer_escalated', by: buyer, at: after(2), agentId: 'agent-1', decisionOverdue: false });
    expect(appealed.context.appeal).toEqual({
      count: 1,
      filedBy: buyer,
      filedAt: after(11),
      reason: 'it cannot be used',
      previousDecision: decided.context.decision,
    });
  });

  it('R-APL-1: the machine itself refuses an appeal from anyone but a party', () => {
    const { decided } = appealedAfterOverdue();
    const [same] = direct(decided, { type: 'appeal.file', reason: 'I was wrong', at: after(11), by: agent });
    expect(label(same)).toContain('decision.appealWindowOpen');
    expect(same.context.appeal).toEqual({ count: 0, filedBy: null, filedAt: null, reason: null, previousDecision: null });
  });
});

describe('what the refunds record', () => {
  // Accepted on Sunday 2026-11-15: the card's 20 business days run from Monday, to Monday 2026-12-14.
  const accepted = () => send(open(), seller, after(1), 'seller.accept');

  it('R-REF-1, R-REF-2: the first refund is numbered 1, to the original method, due within the card’s window', () => {
    const [s, actions] = accepted();
    expect(s.context.refunds).toEqual([
      {
        id: 'dispute-1:refund:1',
        amount: 4000,
        destination: 'original_method',
        attempt: 1,
        status: 'requested',
        requestedAt: after(1),
        expectedBy: '2026-12-14T10:00:00.000Z',
        settledAt: null,
        failures: [],
      },
    ]);
    expect(effects(actions)).toEqual(['requestRefund']);
  });

  it('R-REF-1, R-REF-3: a refund failing at both destinations is recorded as failed, with each failure', () => {
    let s = step(accepted()[0], psp, after(2), 'refund.failed', { refundId: 'dispute-1:refund:1', reason: 'card closed' });
    expect(s.context.refunds[0]).toMatchObject({
      destination: 'account_behind_method',
      attempt: 2,
      status: 'requested',
      requestedAt: after(2),
      failures: [{ at: after(2), reason: 'card closed' }],
    });
    s = step(s, psp, after(3), 'refund.failed', { refundId: 'dispute-1:refund:1', reason: 'account frozen' });
    expect(label(s)).toContain('settlement.needsAttention');
    expect(s.context.refunds[0]).toMatchObject({
      status: 'failed',
      failures: [
        { at: after(2), reason: 'card closed' },
        { at: after(3), reason: 'account frozen' },
      ],
    });
  });

  it('R-REF-3, R-FUND-2: a settled refund is no longer overdue, and the rest of the paid amount goes to the seller', () => {
    const [overdue] = fire(accepted()[0], 'refundOverdue');
    expect(overdue.context.refundOverdue).toBe(true);
    const [settled, actions] = send(overdue, psp, day(50), 'refund.settled', { refundId: 'dispute-1:refund:1' });
    expect(label(settled)).toBe('resolved.refunded');
    expect(settled.context.refundOverdue).toBe(false);
    expect(settled.context.refunds[0]).toMatchObject({ status: 'settled', settledAt: day(50) });
    expect(settled.context.funds).toEqual({ currency: 'USD', paid: 4500, held: 0, refunded: 4000, released: 500 });
    expect(actions.filter((a) => a.type === 'releaseFunds')).toEqual([
      expect.objectContaining({ params: { amount: 500, currency: 'USD', sellerId: 'seller-1' } }),
    ]);
  });

  it('R-FUND-3: nothing is released to the seller when the whole paid amount went back to the buyer', () => {
    const [fraud] = send(escalated(), agent, after(4), 'agent.confirmSellerFraud', { reason: 'sold a counterfeit' });
    const [settled, actions] = send(fraud, psp, after(5), 'refund.settled', { refundId: 'dispute-1:refund:1' });
    expect(label(settled)).toBe('resolved.refunded');
    expect(effects(actions)).toEqual([]);
    expect(settled.context.funds).toEqual({ currency: 'USD', paid: 4500, held: 0, refunded: 4500, released: 0 });
    expect(settled.context.outcome).toEqual({ end: 'resolved', at: after(5), split: { refunded: 4500, released: 0, withPaymentProvider: 0 } });
  });

  it('R-REF-4: a second refund (after an appeal) is numbered 2; its failure leaves the settled first one as it was', () => {
    const bothMayAppeal: OpenOptions = { policy: { appeal: { appellants: ['buyer', 'seller'] } } };
    let s = step(escalated(bothMayAppeal), agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 2400, reason: 'a flaw' });
    // Decided on Wednesday 2026-11-18: 20 business days later is Wednesday 2026-12-16.
    s = step(s, psp, after(5), 'refund.settled', { refundId: 'dispute-1:refund:1' });
    s = step(s, buyer, after(6), 'appeal.file', { reason: 'it cannot be used' });
    s = step(s, otherAgent, after(7), 'agent.decideAppeal', { outcome: 'buyer_full_refund', reason: 'unusable after all' });
    expect(s.context.refunds.map((r) => [r.id, r.amount, r.status])).toEqual([
      ['dispute-1:refund:1', 2400, 'settled'],
      ['dispute-1:refund:2', 2100, 'requested'],
    ]);
    // A late duplicate callback for the first refund is not the current refund (R-REF-4).
    const [same] = direct(s, { type: 'refund.settled', refundId: 'dispute-1:refund:1', at: after(8), by: psp });
    expect(same.context).toEqual(s.context);
    s = step(s, psp, after(8), 'refund.failed', { refundId: 'dispute-1:refund:2', reason: 'card closed' });
    expect(s.context.refunds[0]).toEqual({
      id: 'dispute-1:refund:1',
      amount: 2400,
      destination: 'original_method',
      attempt: 1,
      status: 'settled',
      requestedAt: after(4),
      expectedBy: '2026-12-16T10:00:00.000Z',
      settledAt: after(5),
      failures: [],
    });
    expect(s.context.refunds[1]).toMatchObject({ destination: 'account_behind_method', attempt: 2, failures: [{ at: after(8), reason: 'card closed' }] });
  });
});
