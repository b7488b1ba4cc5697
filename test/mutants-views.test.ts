/**
 * What the rest of the service reads about a dispute, pinned where the mutation run on
 * machines/standing.ts, stages.ts and transition.ts found it unchecked: the columns lists and the
 * agent queue are answered from (standingOf), the stage and the awaited parties of any tagged
 * value, and the pure transition functions. Plain values through the pure machine.
 */
import { describe, expect, it } from 'vitest';
import { agentsMaySee, awaitedBy, initialDisputeTransition, parsePolicy, stageOf, standingOf, transitionDispute } from '../machines/index.ts';
import type { Tagged } from '../machines/stages.ts';
import {
  after,
  agent,
  buyer,
  day,
  escalated,
  fire,
  open,
  openRequest,
  orderFacts,
  otherAgent,
  psp,
  seller,
  step,
  type OpenOptions,
} from './support/disputes.ts';

/** A one-business-day settlement window for cards, so a refund is overdue before an appeal is filed. */
const quickCardRefunds: OpenOptions = { policy: { settlement: { card: { minBusinessDays: 1, maxBusinessDays: 1 } } } };

const partialRefund = { outcome: 'buyer_partial_refund', amount: 2400, reason: 'a flaw' };

describe('where a dispute stands (standingOf)', () => {
  it('a dispute waiting for the seller: nothing for agents, nothing overdue, no return tracked', () => {
    expect(standingOf(open())).toEqual({
      state: 'negotiating.awaitingSellerResponse',
      stage: 'negotiating',
      awaiting: ['seller'],
      awaitsAgent: false,
      agentVisible: false,
      needsAttention: false,
      // The seller's window (R-NEG-1) runs, but it is no service level: nothing is overdue at its end.
      overdueAt: null,
      decisionDueAt: null,
      returnTracking: null,
      ended: false,
    });
  });

  it('R-ESC-1: in the agent queue the decision is due 7 days after the escalation; agents see it', () => {
    const s = step(step(open(), seller, after(1), 'seller.reject', { reason: 'no' }), buyer, after(2), 'buyer.escalate');
    expect(standingOf(s)).toMatchObject({
      state: 'escalated.inQueue',
      stage: 'escalated',
      awaiting: ['agent'],
      awaitsAgent: true,
      agentVisible: true,
      overdueAt: after(9),
      decisionDueAt: after(9),
    });
  });

  it('R-ESC-5: waiting for the seller’s evidence, agents still see the case, though none must act', () => {
    const s = step(escalated(), agent, after(4), 'agent.requestEvidence', { from: 'seller', note: 'the listing photos' });
    expect(standingOf(s)).toMatchObject({ awaiting: ['seller'], awaitsAgent: false, agentVisible: true, decisionDueAt: null, overdueAt: after(9) });
    expect(agentsMaySee(s)).toBe(true);
  });

  it('R-ESC-1: a decision past due keeps its due time, from the escalation, once the deadline has fired', () => {
    const overdue = fire(escalated(), 'decisionDue')[0];
    expect(overdue.context.deadlines.decisionDue).toBeUndefined();
    expect(standingOf(overdue)).toMatchObject({ stage: 'escalated', awaitsAgent: true, decisionDueAt: after(9), overdueAt: after(9) });
  });

  it('R-APL-2: an appeal past due keeps its due time, 7 days from the appeal, not from the escalation', () => {
    const decided = step(escalated(), agent, after(4), 'agent.decide', partialRefund);
    const appealed = step(decided, buyer, after(5), 'appeal.file', { reason: 'too little' });
    expect(standingOf(appealed)).toMatchObject({ stage: 'appealed', awaiting: ['agent', 'system'], decisionDueAt: after(12), overdueAt: after(12) });
    const overdue = fire(appealed, 'decisionDue')[0];
    // The refund's settlement window (20 business days from the decision) ends later: the appeal's is the one due.
    expect(standingOf(overdue)).toMatchObject({ stage: 'appealed', decisionDueAt: after(12), overdueAt: after(12) });
  });

  it('R-REF-3: a decided refund under way is due by its settlement window, not by the decision that is made', () => {
    const decided = step(escalated(), agent, after(4), 'agent.decide', partialRefund);
    // Decided at 2026-11-18 (a Wednesday); 20 business days later.
    expect(standingOf(decided)).toMatchObject({
      stage: 'refunding',
      awaiting: ['system'],
      awaitsAgent: false,
      agentVisible: true,
      decisionDueAt: null,
      overdueAt: '2026-12-16T10:00:00.000Z',
    });
  });

  it('R-REF-3: a refund flagged overdue stays due when it was expected, also beside an appeal due later', () => {
    const decided = step(escalated(quickCardRefunds), agent, after(4), 'agent.decide', partialRefund);
    // One business day after Wednesday 2026-11-18.
    const late = fire(decided, 'refundOverdue')[0];
    expect(late.context.refundOverdue).toBe(true);
    expect(standingOf(late).overdueAt).toBe('2026-11-19T10:00:00.000Z');
    const appealed = step(late, buyer, after(6), 'appeal.file', { reason: 'too little' });
    expect(standingOf(appealed)).toMatchObject({ decisionDueAt: after(13), overdueAt: '2026-11-19T10:00:00.000Z' });
  });

  it('R-REF-3: an agreed refund flagged overdue is due when it was expected; no longer once the case left the platform', () => {
    const agreed = step(open(quickCardRefunds), seller, after(1), 'seller.accept');
    // Agreed on Sunday 2026-11-15: counted from Monday, one business day.
    expect(standingOf(agreed)).toMatchObject({ agentVisible: false, overdueAt: '2026-11-17T10:00:00.000Z' });
    const late = fire(agreed, 'refundOverdue')[0];
    expect(standingOf(late)).toMatchObject({ overdueAt: '2026-11-17T10:00:00.000Z', decisionDueAt: null });
    const chargeback = step(late, psp, after(3), 'chargeback.filed', { reference: 'cb-1' });
    expect(chargeback.context.refundOverdue).toBe(true);
    expect(standingOf(chargeback)).toMatchObject({ stage: 'closed', awaiting: ['nobody'], overdueAt: null, ended: true });
  });

  it('R-APL-2, R-RET-1: a refund settled before an appeal asked for the item back is due no more while the item travels', () => {
    const returnable: OpenOptions = { ...quickCardRefunds, request: { type: 'return_and_refund' } };
    const decided = step(escalated(returnable), agent, after(4), 'agent.decide', partialRefund);
    const settled = step(decided, psp, after(5), 'refund.settled', { refundId: decided.context.refunds[0]!.id });
    const appealed = step(settled, buyer, after(6), 'appeal.file', { reason: 'it is broken' });
    const returning = step(appealed, otherAgent, after(7), 'agent.decideAppeal', { outcome: 'buyer_full_refund', reason: 'broken', returnRequired: true });
    expect(returning.context.refunds).toMatchObject([{ status: 'settled', expectedBy: '2026-11-19T10:00:00.000Z' }]);
    expect(standingOf(returning)).toMatchObject({ stage: 'refunding', awaiting: ['buyer', 'system'], overdueAt: null });
  });

  it('a refund that failed twice needs attention: an agent must act, though nothing was escalated', () => {
    const agreed = step(open(), seller, after(1), 'seller.accept');
    const refundId = agreed.context.refunds[0]!.id;
    const once = step(agreed, psp, after(2), 'refund.failed', { refundId, reason: 'account closed' });
    const twice = step(once, psp, after(3), 'refund.failed', { refundId, reason: 'account closed' });
    expect(twice.context.escalation).toBeNull();
    expect(standingOf(twice)).toMatchObject({
      awaiting: ['agent', 'system'],
      awaitsAgent: true,
      agentVisible: true,
      needsAttention: true,
      decisionDueAt: null,
    });
    expect(standingOf(once)).toMatchObject({ agentVisible: false, needsAttention: false });
  });

  it('R-RET-1: a return on its way is found by its tracking number', () => {
    const agreed = step(open({ request: { type: 'return_and_refund' } }), seller, after(1), 'seller.accept');
    const shipped = step(agreed, buyer, after(2), 'buyer.shipReturn', { carrier: 'PostNL', trackingNumber: 'RR123' });
    expect(standingOf(shipped)).toMatchObject({ returnTracking: 'RR123', awaiting: ['system'], ended: false });
  });

  it('a cancelled dispute has ended and awaits nobody once the payment is released', () => {
    const cancelled = step(open({ order: { completedAt: day(1) } }), buyer, after(1), 'buyer.cancel');
    const released = fire(cancelled, 'protectionEnd')[0];
    expect(standingOf(released)).toMatchObject({ stage: 'closed', awaiting: ['nobody'], ended: true, overdueAt: null });
  });
});

describe('the stage and the awaited parties of anything tagged', () => {
  const tagged = (...tags: string[]): Tagged => ({ tags: new Set(tags), hasTag: (tag) => tags.includes(tag) });

  it('a value without a stage tag is a chart error, named with its tags', () => {
    expect(() => stageOf(tagged('awaits:buyer', 'needs-attention'))).toThrow(new Error('no stage tag among awaits:buyer, needs-attention'));
  });

  it('“nobody” is awaited only when no one else is', () => {
    expect(awaitedBy(tagged('negotiating', 'awaits:seller', 'awaits:nobody'))).toEqual(['seller']);
    expect(awaitedBy(tagged('closed', 'awaits:nobody'))).toEqual(['nobody']);
    expect(awaitedBy(tagged('escalated', 'awaits:agent', 'awaits:system'))).toEqual(['agent', 'system']);
  });
});

describe('the pure transition functions', () => {
  it('an opened dispute waits for the seller, its deadlines armed, with no effect to carry out', () => {
    const input = { disputeId: 'dispute-1', order: orderFacts(), request: openRequest(), policy: parsePolicy({}), openedAt: day(12) };
    const [first, actions] = initialDisputeTransition(input);
    expect(first.value).toEqual({ negotiating: 'awaitingSellerResponse' });
    expect(first.context.deadlines.sellerResponse?.dueAt).toBe(after(5));
    expect(actions).toEqual([]);
  });

  it('R-REF-1: an accepted request returns one effect, the refund to the original method', () => {
    const [next, actions] = transitionDispute(open(), { type: 'seller.accept', at: after(1), by: seller });
    expect(next.context.resolution).toMatchObject({ refund: 4000 });
    expect(actions.map((a) => [a.type, a.params])).toEqual([
      [
        'requestRefund',
        {
          refundId: 'dispute-1:refund:1',
          amount: 4000,
          currency: 'USD',
          method: 'card',
          instrument: null,
          destination: 'original_method',
          attempt: 1,
        },
      ],
    ]);
    // The next call starts from nothing: a message carries no effect.
    expect(transitionDispute(next, { type: 'message.send', body: 'thanks', at: after(2), by: buyer })[1]).toEqual([]);
  });
});
