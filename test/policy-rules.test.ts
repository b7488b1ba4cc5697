/**
 * One test per lifecycle rule of docs/POLICY.md, named with its id, through `initialTransition()` /
 * `transition()` with plain values.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { catchUp, disputeMachine, OpenRequest, parseEvent, parsePolicy, type DisputeSnapshot } from '../machines/index.ts';
import { addBusinessDays } from '../machines/time.ts';
import {
  after,
  agent,
  buyer,
  carrier,
  day,
  escalated,
  fire,
  label,
  open,
  OPENED,
  openRequest,
  orderFacts,
  otherAgent,
  psp,
  refuse,
  send,
  seller,
  step,
  type OpenOptions,
} from './support/disputes.ts';

function decided(payload: object, options: OpenOptions = {}) {
  return send(escalated(options), agent, after(4), 'agent.decide', payload);
}

const effects = (actions: { type: string; params?: unknown }[], type: string) =>
  actions.filter((a) => a.type === type).map((a) => a.params as Record<string, unknown>);

describe('conventions', () => {
  it('R-GEN-1: days are 24 h from the anchor in UTC; business days skip the weekend', () => {
    const s = open();
    expect(s.context.deadlines.sellerResponse?.dueAt).toBe('2026-11-19T10:00:00.000Z'); // opened 14th + 5 × 24 h
    expect(addBusinessDays('2026-11-20T09:00:00.000Z', 3)).toBe('2026-11-25T09:00:00.000Z'); // Fri + 3 = Wed
    expect(addBusinessDays('2026-11-21T09:00:00.000Z', 1)).toBe('2026-11-24T09:00:00.000Z'); // Sat counts from Mon
    const [refunding] = fire(s, 'sellerResponse');
    expect(refunding.context.refunds[0]?.expectedBy).toBe(addBusinessDays('2026-11-19T10:00:00.000Z', 20));
  });

  it('R-GEN-2: the policy is frozen at open, and replaying the history gives the same snapshot', () => {
    const overrides = { negotiation: { sellerResponseDays: 10 } };
    const s = open({ policy: overrides });
    overrides.negotiation.sellerResponseDays = 2;
    expect(s.context.policy.negotiation.sellerResponseDays).toBe(10);
    expect(s.context.deadlines.sellerResponse?.dueAt).toBe(after(10));

    const history: [typeof seller, string, string, object][] = [
      [seller, after(1), 'seller.counterOffer', { amount: 2500 }],
      [buyer, after(2), 'buyer.proposeAmount', { amount: 3000 }],
      [seller, after(3), 'seller.accept', {}],
    ];
    const run = () =>
      history.reduce<DisputeSnapshot>(
        (snap, [by, at, type, payload]) => step(snap, by, at, type, payload),
        open({ policy: { negotiation: { sellerResponseDays: 10 } } }),
      );
    expect(JSON.stringify(run())).toBe(JSON.stringify(run()));
  });

  it('R-GEN-3: the order facts are copied into the dispute at open', () => {
    const order = orderFacts({ price: 4000, freeReturn: true, completedAt: day(20) });
    const [s] = initialTransition(disputeMachine, { disputeId: 'd', order, request: openRequest(), policy: parsePolicy(), openedAt: OPENED });
    expect(s.context.order).toEqual(order);
    order.price = 1; // the marketplace changes the order later
    order.completedAt = null;
    expect(s.context.order).toMatchObject({ price: 4000, shippingCost: 500, currency: 'USD', paymentMethod: 'card', freeReturn: true, completedAt: day(20) });
    expect(s.context.funds.paid).toBe(4500);
  });

  it('R-GEN-4: a deadline fires stamped with its due time; same-instant deadlines fire seller response first', () => {
    const s = open({ policy: { negotiation: { sellerResponseDays: 15, maxDays: 15 } } });
    const dueAt = s.context.deadlines.sellerResponse!.dueAt;
    expect(s.context.deadlines.negotiationEnd!.dueAt).toBe(dueAt);
    const early = transition(disputeMachine, s, { type: 'deadline.sellerResponse', at: after(14), by: psp })[0];
    expect(early).toBe(s); // not stamped with its due time: ignored
    const { snapshot, steps } = catchUp(s, after(40)); // the scheduler ran late
    expect(steps.map((x) => [x.event.type, x.event.at])).toEqual([['deadline.sellerResponse', dueAt]]);
    expect(snapshot.context.resolution).toMatchObject({ source: 'seller_silent', refund: 4000, at: dueAt });
  });

  it('R-GEN-5: money is integer minor units; thresholds are per currency, without exchange rates', () => {
    const s = open();
    expect(parseEvent({ type: 'seller.counterOffer', amount: 25.5 }, seller, after(1))).toMatchObject({
      ok: false,
      rejection: { kind: 'invalid_payload', problems: [{ field: 'amount' }] },
    });
    expect(open({ order: { currency: 'EUR', price: 400 } }).context.automaticOffer).toBeNull();
    expect(
      open({ order: { currency: 'EUR', price: 400 }, policy: { negotiation: { automaticOffer: { thresholds: { EUR: 450 } } } } }).context.automaticOffer,
    ).toEqual({ amount: 200, percent: 50 });
    expect(s.context.funds).toEqual({ currency: 'USD', paid: 4500, held: 4500, refunded: 0, released: 0 });
  });
});

describe('funds', () => {
  it('R-FUND-1: the paid amount stays held while the dispute runs', () => {
    const s = escalated();
    expect(s.context.funds).toMatchObject({ paid: 4500, held: 4500, refunded: 0, released: 0 });
  });

  it('R-FUND-2: every end splits the paid amount: refunded + released = paid', () => {
    let s = open();
    s = step(s, seller, after(1), 'seller.counterOffer', { amount: 2500 });
    let actions;
    [s, actions] = send(s, buyer, after(2), 'buyer.acceptOffer');
    expect(effects(actions, 'requestRefund')).toEqual([expect.objectContaining({ amount: 2500 })]);
    [s, actions] = send(s, psp, after(5), 'refund.settled', { refundId: s.context.refunds[0]!.id });
    expect(label(s)).toBe('resolved.refunded');
    expect(s.context.outcome?.split).toEqual({ refunded: 2500, released: 2000, withPaymentProvider: 0 });
    expect(effects(actions, 'releaseFunds')).toEqual([{ amount: 2000, currency: 'USD', sellerId: seller.id }]);
    expect(s.context.funds).toEqual({ currency: 'USD', paid: 4500, held: 0, refunded: 2500, released: 2000 });
  });

  it('R-FUND-3: a cancelled dispute releases to the seller when protection ends, at once if it has', () => {
    let s = open({ order: { completedAt: day(10) } }); // protection ends day 25
    s = step(s, buyer, after(1), 'buyer.cancel', { reason: 'sorted it out' });
    expect(label(s)).toBe('cancelled.awaitingProtectionEnd');
    expect(s.context.deadlines.protectionEnd?.dueAt).toBe(day(25));
    const [released, actions] = fire(s, 'protectionEnd');
    expect(label(released)).toBe('cancelled.released');
    expect(effects(actions, 'releaseFunds')).toEqual([{ amount: 4500, currency: 'USD', sellerId: seller.id }]);

    let late = open({ order: { completedAt: day(10) }, openedAt: day(24) });
    late = step(late, buyer, day(26), 'buyer.cancel');
    expect(label(late)).toBe('cancelled.released');
    expect(late.context.funds.released).toBe(4500);
  });
});

describe('opening', () => {
  it('R-OPEN-1: not_received opens no earlier than 11 days after shipping, with the earliest instant', () => {
    const s = open({ request: { reason: 'not_received' }, openedAt: day(5) });
    expect(label(s)).toBe('refused');
    expect(s.context.openingProblems).toEqual([expect.objectContaining({ rule: 'R-OPEN-1', earliest: day(11) })]);
    expect(s.context.openingProblems[0]?.message).toContain('earliest 2026-11-13T10:00:00.000Z');
    expect(label(open({ request: { reason: 'not_received' }, openedAt: day(11) }))).toBe('negotiating.awaitingSellerResponse');
    expect(label(open({ openedAt: day(5) }))).toBe('negotiating.awaitingSellerResponse');
    expect(label(open({ openedAt: day(5), policy: { opening: { applyShippingWaitToAllReasons: true } } }))).toBe('refused');
  });

  it('R-OPEN-2: no dispute opens after protection ended (completion, else delivery window, + 15 days)', () => {
    expect(open({ order: { completedAt: day(10) }, openedAt: day(25) }).context.openingProblems).toEqual([expect.objectContaining({ rule: 'R-OPEN-2' })]);
    expect(label(open({ openedAt: day(44) }))).toBe('negotiating.awaitingSellerResponse');
    expect(label(open({ openedAt: day(45) }))).toBe('refused');
  });

  it('R-OPEN-5: the type is refund_only or return_and_refund; an item never received cannot be returned', () => {
    expect(OpenRequest.safeParse({ type: 'exchange', reason: 'damaged_or_defective', description: 'x', amount: 1 }).success).toBe(false);
    expect(open({ request: { type: 'return_and_refund', reason: 'not_received' } }).context.openingProblems).toEqual([
      expect.objectContaining({ rule: 'R-OPEN-5' }),
    ]);
    expect(label(open({ request: { type: 'return_and_refund' } }))).toBe('negotiating.awaitingSellerResponse');
  });

  it('R-OPEN-6: the reason comes from the listed ones; reasonDetail only for not_as_described', () => {
    expect(OpenRequest.safeParse({ type: 'refund_only', reason: 'changed_my_mind', description: 'x', amount: 1 }).success).toBe(false);
    expect(open({ request: { reason: 'fake_tracking', reasonDetail: 'fake' } }).context.openingProblems).toEqual([
      expect.objectContaining({ rule: 'R-OPEN-6' }),
    ]);
    expect(label(open({ request: { reason: 'not_as_described', reasonDetail: 'colour_or_size' } }))).toBe('negotiating.awaitingSellerResponse');
  });

  it('R-OPEN-7: 0 < requested <= price; shipping only with a full refund or an unusable item', () => {
    expect(OpenRequest.safeParse({ type: 'refund_only', reason: 'damaged_or_defective', description: 'x', amount: 0 }).success).toBe(false);
    expect(open({ request: { amount: 4001 } }).context.openingProblems).toEqual([expect.objectContaining({ rule: 'R-OPEN-7', field: 'amount' })]);
    expect(open({ request: { amount: 2000, includeShipping: true } }).context.openingProblems).toEqual([
      expect.objectContaining({ rule: 'R-OPEN-7', field: 'includeShipping' }),
    ]);
    expect(open({ request: { amount: 2000, includeShipping: true, itemUnusable: true } }).context.request.total).toBe(2500);
    expect(open({ request: { amount: 4000, includeShipping: true } }).context.request.total).toBe(4500);
  });

  it('R-OPEN-8: a digital item opens only as digital_not_delivered', () => {
    expect(open({ order: { digital: true }, request: { reason: 'damaged_or_defective' } }).context.openingProblems).toEqual([
      expect.objectContaining({ rule: 'R-OPEN-8' }),
    ]);
    expect(open({ request: { reason: 'digital_not_delivered' } }).context.openingProblems).toEqual([expect.objectContaining({ rule: 'R-OPEN-8' })]);
    expect(label(open({ order: { digital: true, shippedAt: null }, request: { reason: 'digital_not_delivered' } }))).toBe('negotiating.awaitingSellerResponse');
  });

  it('R-OPEN-9: after the buyer confirmed receipt, not_received is refused', () => {
    const s = open({ order: { receiptConfirmedAt: day(8) }, request: { reason: 'not_received' } });
    expect(s.context.openingProblems).toEqual([expect.objectContaining({ rule: 'R-OPEN-9' })]);
    expect(label(open({ order: { receiptConfirmedAt: day(8) }, request: { reason: 'damaged_or_defective' } }))).toBe('negotiating.awaitingSellerResponse');
  });

  it('R-OPEN-10: a description is required; evidence may be added later', () => {
    expect(OpenRequest.safeParse({ type: 'refund_only', reason: 'damaged_or_defective', description: '   ', amount: 1 }).success).toBe(false);
    const s = step(open(), buyer, after(1), 'evidence.add', { evidenceId: 'ev-1' });
    expect(s.context.evidenceIds).toEqual(['ev-1']);
  });
});

describe('negotiation', () => {
  it('R-NEG-1: a silent seller past the window refunds as requested, automatically', () => {
    const s = open({ request: { amount: 4000, includeShipping: true } });
    const [next, actions] = fire(s, 'sellerResponse');
    expect(next.context.resolution).toMatchObject({ source: 'seller_silent', refund: 4500 });
    expect(label(next)).toBe('resolving.decision.final + resolving.payout.settlement.requested');
    expect(effects(actions, 'requestRefund')).toEqual([expect.objectContaining({ amount: 4500, destination: 'original_method' })]);
  });

  it('R-NEG-2: the seller may accept, reject, counter-offer or offer to reship', () => {
    const s = open();
    expect(step(s, seller, after(1), 'seller.accept').context.resolution).toMatchObject({ source: 'seller_accepted', refund: 4000 });
    expect(label(step(s, seller, after(1), 'seller.reject', { reason: 'no' }))).toBe('negotiating.rejected');
    expect(step(s, seller, after(1), 'seller.counterOffer', { amount: 2000 }).context.offer).toMatchObject({ kind: 'partial_refund', amount: 2000 });
    expect(step(s, seller, after(1), 'seller.offerReshipment').context.offer).toMatchObject({ kind: 'reshipment' });
    expect(refuse(s, seller, after(1), 'seller.counterOffer', { amount: 4000 })).toMatchObject({
      kind: 'invalid_payload',
      problems: [{ rule: 'R-NEG-2', field: 'amount' }],
    });
  });

  it('R-NEG-3: the buyer accepts, rejects or proposes; an accepted reshipment closes as reshipped', () => {
    const countered = step(open(), seller, after(1), 'seller.counterOffer', { amount: 2000 });
    expect(step(countered, buyer, after(2), 'buyer.acceptOffer').context.resolution).toMatchObject({ source: 'offer_accepted', refund: 2000 });
    expect(label(step(countered, buyer, after(2), 'buyer.rejectOffer'))).toBe('negotiating.rejected');
    const proposed = step(countered, buyer, after(2), 'buyer.proposeAmount', { amount: 3000 });
    expect(label(proposed)).toBe('negotiating.proposalPending');
    expect(step(proposed, seller, after(3), 'seller.accept').context.resolution).toMatchObject({ source: 'proposal_accepted', refund: 3000 });
    const reship = step(step(open(), seller, after(1), 'seller.offerReshipment'), buyer, after(2), 'buyer.acceptOffer');
    expect(label(reship)).toBe('reshipped.awaitingProtectionEnd');
    expect(reship.context.outcome).toMatchObject({ end: 'reshipped', split: { refunded: 0, released: 4500 } });
  });

  it('R-NEG-4: negotiation lasts at most 15 days, then escalates by itself', () => {
    let s = step(open(), seller, after(1), 'seller.reject', { reason: 'no' });
    expect(s.context.deadlines.negotiationEnd?.dueAt).toBe(after(15));
    [s] = fire(s, 'negotiationEnd');
    expect(label(s)).toBe('escalated.inQueue');
    expect(s.context.escalation).toMatchObject({ cause: 'negotiation_ended', at: after(15) });
  });

  it('R-NEG-5: the buyer escalates after the seller rejected or countered, no earlier than the wait', () => {
    expect(refuse(open(), buyer, after(1), 'buyer.escalate')).toMatchObject({ kind: 'not_accepted', problems: [{ rule: 'R-NEG-5' }] });
    const rejected = step(open({ policy: { negotiation: { buyerEscalationWaitDays: 10 } } }), seller, after(1), 'seller.reject', { reason: 'no' });
    // The refusal says when it becomes possible.
    expect(refuse(rejected, buyer, after(9.9), 'buyer.escalate')).toMatchObject({
      kind: 'not_accepted',
      problems: [{ rule: 'R-NEG-5', earliest: after(10), message: expect.stringContaining(after(10)) }],
    });
    expect(label(step(rejected, buyer, after(10), 'buyer.escalate'))).toBe('escalated.inQueue');
  });

  it('R-NEG-6: the buyer may cancel before a decision, not after', () => {
    expect(step(open(), buyer, after(1), 'buyer.cancel').context.cancellation).toMatchObject({ by: buyer.id });
    expect(label(step(escalated(), buyer, after(4), 'buyer.cancel'))).toMatch(/^cancelled/);
    const [afterDecision] = decided({ outcome: 'seller_wins', reason: 'item matches listing' });
    expect(refuse(afterDecision, buyer, after(5), 'buyer.cancel')).toMatchObject({ kind: 'not_accepted', problems: [{ rule: 'R-NEG-6', latest: after(4) }] });
  });

  it('R-NEG-7: an item under the threshold gets an automatic partial offer without return', () => {
    const s = open({ order: { price: 400, shippingCost: 0 }, request: { type: 'return_and_refund', amount: 400 } });
    expect(s.context.automaticOffer).toEqual({ amount: 200, percent: 50 });
    const [next, actions] = send(s, buyer, after(1), 'buyer.acceptAutomaticOffer');
    expect(next.context.resolution).toMatchObject({ source: 'automatic_offer', refund: 200, returnRequired: false });
    expect(effects(actions, 'requestRefund')).toEqual([expect.objectContaining({ amount: 200 })]);
    expect(open({ order: { price: 500 } }).context.automaticOffer).toBeNull();
    expect(refuse(open(), buyer, after(1), 'buyer.acceptAutomaticOffer')).toMatchObject({ kind: 'not_accepted', problems: [{ rule: 'R-NEG-7' }] });
  });

  it('R-NEG-8: messages never change the state and are refused once the dispute ended', () => {
    const s = open();
    const next = step(s, buyer, after(1), 'message.send', { body: 'Any news?' });
    expect(next.value).toEqual(s.value);
    expect(next.context.messageCount).toBe(1);
    expect(step(escalated(), seller, after(4), 'message.send', { body: 'photos attached' }).context.messageCount).toBe(1);
    const cancelled = step(open(), buyer, after(1), 'buyer.cancel');
    expect(refuse(cancelled, seller, after(2), 'message.send', { body: 'hello?' })).toMatchObject({
      kind: 'not_accepted',
      problems: [{ rule: 'R-NEG-8', latest: after(1), message: expect.stringContaining('closed') }],
    });
  });
});

describe('escalation', () => {
  it('R-ESC-1: the decision is due within 7 days; overdue is flagged, not decided', () => {
    const s = escalated();
    expect(s.context.deadlines.decisionDue?.dueAt).toBe(after(9));
    const [overdue] = fire(s, 'decisionDue');
    expect(label(overdue)).toBe('escalated.underReview');
    expect(overdue.context.escalation?.decisionOverdue).toBe(true);
    expect(overdue.context.deadlines.decisionDue).toBeUndefined();
  });

  it('R-ESC-2: outcomes are full, partial or seller wins, always with a written reason', () => {
    const s = escalated();
    expect(refuse(s, agent, after(4), 'agent.decide', { outcome: 'seller_wins' })).toMatchObject({ kind: 'invalid_payload', problems: [{ field: 'reason' }] });
    expect(refuse(s, agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', reason: 'r' })).toMatchObject({ problems: [{ field: 'amount' }] });
    expect(step(s, agent, after(4), 'agent.decide', { outcome: 'buyer_full_refund', reason: 'wrong colour' }).context.decision).toMatchObject({
      refund: 4500,
      reason: 'wrong colour',
      agentId: agent.id,
    });
    expect(step(s, agent, after(4), 'agent.decide', { outcome: 'seller_wins', reason: 'as listed' }).context.decision).toMatchObject({ refund: 0 });
  });

  it('R-ESC-3: a partial refund for a usable not-as-described item falls within 50–80 %, or needs an override', () => {
    const s = escalated();
    expect(refuse(s, agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 1200, reason: 'minor flaw' })).toMatchObject({
      kind: 'invalid_payload',
      problems: [{ rule: 'R-ESC-3', field: 'amount', message: expect.stringContaining('USD 20.00 (2000) to USD 32.00 (3200)') }],
    });
    // The band is a share of the item's price (4000), not of price + shipping (4500): 3400 is above it, 2100 within.
    expect(refuse(s, agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 3400, reason: 'r' })).toMatchObject({
      problems: [{ rule: 'R-ESC-3' }],
    });
    expect(step(s, agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 2100, reason: 'r' }).context.decision?.refund).toBe(2100);
    expect(step(s, agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 2400, reason: 'minor flaw' }).context.decision?.refund).toBe(
      2400,
    );
    expect(
      step(s, agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 1200, reason: 'minor flaw', overrideReason: 'cosmetic only' }).context
        .decision?.overrideReason,
    ).toBe('cosmetic only');
  });

  it('R-ESC-4: shipping is refunded only with a full refund or an unusable item', () => {
    const s = escalated();
    expect(refuse(s, agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 2400, refundShipping: true, reason: 'r' })).toMatchObject({
      problems: [{ rule: 'R-ESC-4' }],
    });
    expect(
      step(s, agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 1000, refundShipping: true, itemUnusable: true, reason: 'broken' })
        .context.decision,
    ).toMatchObject({ refund: 1500, includesShipping: true });
    expect(step(s, agent, after(4), 'agent.decide', { outcome: 'buyer_full_refund', reason: 'r' }).context.decision).toMatchObject({
      refund: 4500,
      includesShipping: true,
    });
  });

  it('R-ESC-5: an evidence request has a deadline; the case returns to review on evidence or when it passes', () => {
    const asked = step(escalated(), agent, after(4), 'agent.requestEvidence', { from: 'buyer', note: 'unboxing video please' });
    expect(label(asked)).toBe('escalated.awaitingEvidence.fromBuyer');
    expect(asked.context.deadlines.evidenceRequest?.dueAt).toBe(after(9));
    expect(label(step(asked, seller, after(5), 'evidence.add', { evidenceId: 'seller-photo' }))).toBe('escalated.awaitingEvidence.fromBuyer');
    const answered = step(asked, buyer, after(5), 'evidence.add', { evidenceId: 'unboxing.mp4' });
    expect(label(answered)).toBe('escalated.underReview');
    expect(answered.context.evidenceRequest?.answeredAt).toBe(after(5));
    expect(label(fire(asked, 'evidenceRequest')[0])).toBe('escalated.underReview');
  });

  it('R-ESC-6: confirmed seller fraud refunds everything, automatically', () => {
    const [s, actions] = send(escalated(), agent, after(4), 'agent.confirmSellerFraud', { reason: 'fake tracking number' });
    expect(s.context.resolution).toMatchObject({ source: 'seller_fraud', refund: 4500 });
    expect(effects(actions, 'requestRefund')).toEqual([expect.objectContaining({ amount: 4500 })]);
  });
});

describe('appeal', () => {
  it('R-APL-1: the buyer may appeal once within 7 days; 0 appeals makes decisions final; sellers by config', () => {
    const [s] = decided({ outcome: 'seller_wins', reason: 'as listed' });
    expect(label(s)).toBe('resolving.decision.appealWindowOpen + resolving.payout.upToDate');
    expect(s.context.deadlines.appealWindow?.dueAt).toBe(after(11));
    expect(refuse(s, seller, after(5), 'appeal.file', { reason: 'x' })).toMatchObject({ kind: 'not_accepted', problems: [{ rule: 'R-APL-1' }] });
    const appealed = step(s, buyer, after(5), 'appeal.file', { reason: 'the photos show another colour' });
    expect(appealed.context.appeal).toMatchObject({ count: 1, filedBy: buyer });
    const [windowClosed] = fire(s, 'appealWindow');
    expect(label(windowClosed)).toBe('resolved.noRefund');
    expect(refuse(windowClosed, buyer, after(12), 'appeal.file', { reason: 'late' })).toMatchObject({ kind: 'not_accepted', problems: [{ rule: 'R-APL-1' }] });
    // The deadline fires first (R-GEN-4); the refusal says when the window closed.
    expect(refuse(catchUp(s, after(12)).snapshot, buyer, after(12), 'appeal.file', { reason: 'late' })).toMatchObject({
      problems: [{ rule: 'R-APL-1', latest: after(11), message: expect.stringContaining('closed') }],
    });

    expect(label(decided({ outcome: 'seller_wins', reason: 'r' }, { policy: { appeal: { maxAppeals: 0 } } })[0])).toBe('resolved.noRefund');
    const [partial] = decided({ outcome: 'buyer_partial_refund', amount: 2400, reason: 'r' }, { policy: { appeal: { appellants: ['buyer', 'seller'] } } });
    expect(step(partial, seller, after(5), 'appeal.file', { reason: 'too much' }).context.appeal.filedBy).toEqual(seller);
  });

  it('R-APL-2: a different agent decides the appeal, and that decision is final', () => {
    const appealed = step(decided({ outcome: 'seller_wins', reason: 'as listed' })[0], buyer, after(5), 'appeal.file', { reason: 'wrong' });
    expect(refuse(appealed, agent, after(6), 'agent.decideAppeal', { outcome: 'buyer_full_refund', reason: 'r' })).toMatchObject({
      kind: 'not_accepted',
      problems: [{ rule: 'R-APL-2' }],
    });
    const [final, actions] = send(appealed, otherAgent, after(6), 'agent.decideAppeal', {
      outcome: 'buyer_partial_refund',
      amount: 3000,
      reason: 'colour differs',
    });
    expect(final.context.decision).toMatchObject({ agentId: otherAgent.id, onAppeal: true, refund: 3000 });
    expect(label(final)).toBe('resolving.decision.final + resolving.payout.settlement.requested');
    expect(effects(actions, 'requestRefund')).toEqual([expect.objectContaining({ amount: 3000 })]);
    expect(refuse(final, buyer, after(7), 'appeal.file', { reason: 'again' })).toMatchObject({
      kind: 'not_accepted',
      problems: [{ rule: 'R-APL-2', latest: after(6) }],
    });
  });

  it('R-APL-3: a decided refund executes at once; the seller’s part waits for the window', () => {
    const [s, actions] = decided({ outcome: 'buyer_partial_refund', amount: 2400, reason: 'flaw' });
    expect(effects(actions, 'requestRefund')).toEqual([expect.objectContaining({ amount: 2400 })]);
    const settled = step(s, psp, after(6), 'refund.settled', { refundId: s.context.refunds[0]!.id });
    expect(label(settled)).toBe('resolving.decision.appealWindowOpen + resolving.payout.upToDate');
    expect(settled.context.funds.released).toBe(0);
    const [resolved, released] = fire(settled, 'appealWindow');
    expect(effects(released, 'releaseFunds')).toEqual([expect.objectContaining({ amount: 2100 })]);
    expect(resolved.context.outcome?.split).toEqual({ refunded: 2400, released: 2100, withPaymentProvider: 0 });
  });
});

describe('returns', () => {
  const returning = () => step(open({ request: { type: 'return_and_refund' } }), seller, after(1), 'seller.accept');

  it('R-RET-1: the buyer ships the item back within 7 days, else the dispute closes for the seller', () => {
    const s = returning();
    expect(label(s)).toBe('resolving.decision.final + resolving.payout.returnLeg.awaitingShipment');
    expect(s.context.deadlines.returnShipment?.dueAt).toBe(after(8));
    expect(step(s, buyer, after(2), 'buyer.shipReturn', { carrier: 'PostNL', trackingNumber: 'RR123' }).context.returnShipment).toMatchObject({
      carrier: 'PostNL',
      trackingNumber: 'RR123',
    });
    const [closed] = fire(s, 'returnShipment');
    expect(label(closed)).toMatch(/^closedForSeller/);
    expect(closed.context.outcome).toMatchObject({ end: 'closedForSeller', split: { refunded: 0, released: 4500 } });
  });

  it('R-RET-2: delivery is reported by the carrier or the seller; an unconfirmed return refunds after 10 days', () => {
    const shipped = step(returning(), buyer, after(2), 'buyer.shipReturn', { carrier: 'PostNL', trackingNumber: 'RR123' });
    const bySeller = step(shipped, seller, after(6), 'return.delivered');
    expect(bySeller.context.returnShipment?.deliveryReportedBy).toBe('seller');
    const delivered = step(shipped, carrier, after(6), 'return.delivered');
    expect(label(delivered)).toBe('resolving.decision.final + resolving.payout.returnLeg.awaitingSellerConfirmation');
    expect(delivered.context.deadlines.returnConfirmation?.dueAt).toBe(after(16));
    const [refunding, actions] = fire(delivered, 'returnConfirmation');
    expect(label(refunding)).toBe('resolving.decision.final + resolving.payout.settlement.requested');
    expect(effects(actions, 'requestRefund')).toEqual([expect.objectContaining({ amount: 4000 })]);
    expect(label(step(delivered, seller, after(7), 'seller.confirmReturn'))).toBe('resolving.decision.final + resolving.payout.settlement.requested');
  });

  it('R-RET-3: a returned item reported missing or different goes to an agent', () => {
    let s = step(returning(), buyer, after(2), 'buyer.shipReturn', { carrier: 'PostNL', trackingNumber: 'RR123' });
    s = step(s, carrier, after(6), 'return.delivered');
    s = step(s, seller, after(7), 'seller.reportReturnProblem', { problem: 'different', description: 'a brick in the box' });
    expect(label(s)).toBe('escalated.inQueue');
    expect(s.context.escalation).toMatchObject({ cause: 'return_problem', by: seller });
    expect(s.context.returnShipment?.problem).toMatchObject({ kind: 'different' });
  });

  it('R-RET-5: a return not reported delivered within 11 days of shipping goes to an agent as a missing return', () => {
    const shipped = step(returning(), buyer, after(2), 'buyer.shipReturn', { carrier: 'PostNL', trackingNumber: 'RR123' });
    expect(shipped.context.deadlines.returnDelivery?.dueAt).toBe(after(13));
    const [lost] = fire(shipped, 'returnDelivery');
    expect(label(lost)).toBe('escalated.inQueue');
    expect(lost.context.escalation).toMatchObject({ cause: 'return_problem', at: after(13) });
    expect(lost.context.returnShipment?.problem).toMatchObject({ kind: 'missing', description: expect.stringContaining('11 days') });
    expect(lost.context.funds).toMatchObject({ held: 4500, refunded: 0 });
    // Delivered in time: the deadline is disarmed.
    expect(step(shipped, carrier, after(12), 'return.delivered').context.deadlines.returnDelivery).toBeUndefined();
    expect(step(returning(), buyer, after(2), 'buyer.shipReturn', { carrier: 'c', trackingNumber: 't' }).context.deadlines.returnDelivery?.dueAt).toBe(
      after(13),
    );
    const slow = step(open({ request: { type: 'return_and_refund' }, policy: { returns: { deliveryDays: 30 } } }), seller, after(1), 'seller.accept');
    expect(step(slow, buyer, after(2), 'buyer.shipReturn', { carrier: 'c', trackingNumber: 't' }).context.deadlines.returnDelivery?.dueAt).toBe(after(32));
  });

  it('R-RET-4: the seller pays return shipping for Free Return items or by decision; otherwise the buyer', () => {
    expect(returning().context.resolution?.returnShippingPaidBy).toBe('buyer');
    const free = step(open({ request: { type: 'return_and_refund' }, order: { freeReturn: true } }), seller, after(1), 'seller.accept');
    expect(free.context.resolution?.returnShippingPaidBy).toBe('seller');
    const [byDecision] = decided({ outcome: 'buyer_full_refund', reason: 'r', sellerPaysReturnShipping: true }, { request: { type: 'return_and_refund' } });
    expect(byDecision.context.resolution).toMatchObject({ returnRequired: true, returnShippingPaidBy: 'seller' });
  });
});

describe('refund settlement', () => {
  const refunding = (options: OpenOptions = {}) => fire(open(options), 'sellerResponse')[0];

  it('R-REF-1: the refund goes to the original method; after a failure, to the account behind it', () => {
    const s = refunding();
    expect(s.context.refunds[0]).toMatchObject({ destination: 'original_method', attempt: 1 });
    const [retry, actions] = send(s, psp, after(6), 'refund.failed', { refundId: s.context.refunds[0]!.id, reason: 'card expired' });
    expect(label(retry)).toBe('resolving.decision.final + resolving.payout.settlement.retryingToFallback');
    expect(effects(actions, 'requestRefund')).toEqual([expect.objectContaining({ destination: 'account_behind_method', attempt: 2, amount: 4000 })]);
    const done = step(retry, psp, after(8), 'refund.settled', { refundId: s.context.refunds[0]!.id });
    expect(label(done)).toBe('resolved.refunded');
    expect(done.context.funds.refunded).toBe(4000);
  });

  it('R-REF-2: the expected settlement depends on the payment method, in business days', () => {
    const alipay = refunding({ order: { paymentMethod: 'alipay' } });
    const requestedAt = alipay.context.refunds[0]!.requestedAt;
    expect(alipay.context.refunds[0]?.expectedBy).toBe(addBusinessDays(requestedAt, 5));
    expect(refunding({ order: { paymentMethod: 'bank_transfer' } }).context.refunds[0]?.expectedBy).toBe(addBusinessDays(requestedAt, 20));
  });

  it('R-REF-3: an overdue refund is flagged; a failed fallback waits for an agent to retry', () => {
    const s = refunding();
    const [overdue] = fire(s, 'refundOverdue');
    expect(overdue.context.refundOverdue).toBe(true);
    expect(label(overdue)).toBe('resolving.decision.final + resolving.payout.settlement.requested');
    const id = s.context.refunds[0]!.id;
    let failed = step(s, psp, after(6), 'refund.failed', { refundId: id, reason: 'card expired' });
    failed = step(failed, psp, after(7), 'refund.failed', { refundId: id, reason: 'account closed' });
    expect(label(failed)).toBe('resolving.decision.final + resolving.payout.settlement.needsAttention');
    expect(failed.context.refunds[0]?.failures.map((f) => f.reason)).toEqual(['card expired', 'account closed']);
    const [retried, actions] = send(failed, agent, after(8), 'agent.retryRefund');
    expect(effects(actions, 'requestRefund')).toEqual([expect.objectContaining({ attempt: 3 })]);
    expect(label(retried)).toContain('retryingToFallback');
  });

  it('R-REF-4: refunds never exceed what was paid, and each settles exactly once', () => {
    const s = refunding();
    const id = s.context.refunds[0]!.id;
    const settled = step(s, psp, after(6), 'refund.settled', { refundId: id });
    expect(settled.context.funds.refunded).toBeLessThanOrEqual(settled.context.funds.paid);
    expect(refuse(settled, psp, after(7), 'refund.settled', { refundId: id })).toMatchObject({ kind: 'not_accepted' });
    expect(refuse(s, psp, after(6), 'refund.settled', { refundId: 'someone-else' })).toMatchObject({
      kind: 'invalid_payload',
      problems: [{ rule: 'R-REF-4', field: 'refundId' }],
    });
    expect(
      refuse(escalated(), agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 5000, reason: 'r', overrideReason: 'o' }),
    ).toMatchObject({
      kind: 'invalid_payload',
    });
    // After a partial refund executed at once, an appeal cannot take it back.
    const [partial] = decided({ outcome: 'buyer_partial_refund', amount: 2400, reason: 'flaw' }, { policy: { appeal: { appellants: ['seller'] } } });
    const appealed = step(partial, seller, after(5), 'appeal.file', { reason: 'too much' });
    expect(refuse(appealed, otherAgent, after(6), 'agent.decideAppeal', { outcome: 'seller_wins', reason: 'r' })).toMatchObject({
      kind: 'invalid_payload',
      problems: [{ rule: 'R-APL-3' }],
    });
  });

  it('R-REF-5: an item received after the refund is recorded without reopening the dispute', () => {
    const s = refunding({ request: { reason: 'not_received' } });
    const resolved = step(s, psp, after(6), 'refund.settled', { refundId: s.context.refunds[0]!.id });
    const received = step(resolved, buyer, after(9), 'buyer.itemReceived', { note: 'it turned up' });
    expect(received.value).toEqual(resolved.value);
    expect(received.context.lateReceipt).toEqual({ at: after(9), by: buyer.id });
    expect(received.context.outcome).toEqual(resolved.context.outcome);
    // An item the dispute never said was missing cannot arrive "after all".
    const damaged = refunding({ request: { reason: 'damaged_or_defective' } });
    const settled = step(damaged, psp, after(6), 'refund.settled', { refundId: damaged.context.refunds[0]!.id });
    expect(refuse(settled, buyer, after(9), 'buyer.itemReceived')).toMatchObject({
      kind: 'not_accepted',
      problems: [{ rule: 'R-REF-5', message: 'only an item the dispute said never arrived can be reported arrived after all' }],
    });
  });
});

it('refuses nothing silently: parseEvent names unknown events', () => {
  expect(parseEvent({ type: 'seller.shrug' }, seller, after(1))).toMatchObject({ ok: false, rejection: { kind: 'unknown_event' } });
  expect(parsePolicy({}).negotiation.sellerResponseDays).toBe(5);
});

describe('docs/POLICY.md coverage', () => {
  const policyPath = fileURLToPath(new URL('../docs/POLICY.md', import.meta.url));
  const ids = [...readFileSync(policyPath, 'utf8').matchAll(/^\| (R-[A-Z]+-\d+) \|/gm)].map((m) => m[1]!);
  // Rules of one dispute's lifecycle live in machines/; the rest (one dispute per item, evidence
  // files) are the store's and the HTTP layer's, and are tested through them.
  const lifecycle = /^R-(GEN|FUND|OPEN-(1|2|5|6|7|8|9|10)|NEG|ESC|APL|RET|REF)-?\d*$/;
  const testDir = fileURLToPath(new URL('.', import.meta.url));
  const testSources = readdirSync(testDir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(`${testDir}/${f}`, 'utf8'))
    .join('\n');

  it('every rule of docs/POLICY.md has a test named with its id', () => {
    expect(ids.length).toBeGreaterThan(45);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => !testSources.includes(`it('${id}:`))).toEqual([]);
  });

  it('every lifecycle rule is enforced in machines/, named by its id', () => {
    const machines = readdirSync(fileURLToPath(new URL('../machines', import.meta.url)), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(fileURLToPath(new URL(`../machines/${f}`, import.meta.url)), 'utf8'))
      .join('\n');
    const lifecycleIds = ids.filter((id) => lifecycle.test(id));
    expect(lifecycleIds.length).toBeGreaterThan(35);
    expect(lifecycleIds.filter((id) => !new RegExp(`${id}\\b`).test(machines))).toEqual([]);
  });
});
