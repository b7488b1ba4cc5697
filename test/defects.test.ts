/**
 * Issue 12, "what our own suite misses": a mutation audit planted realistic defects that no test
 * caught. Each test here fails with one of them planted; its title names the policy rule where
 * one applies. Plain values through `transition()`; the ones that need the runtime, a real
 * SQLite file or the HTTP server are in defects-runtime.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { OpenRequest, parseEvent, type DisputeSnapshot } from '../machines/index.ts';
import { after, agent, buyer, carrier, day, escalated, fire, label, open, otherAgent, psp, refuse, send, seller, step } from './support/disputes.ts';

const effects = (actions: { type: string; params?: unknown }[], type: string) =>
  actions.filter((a) => a.type === type).map((a) => a.params as Record<string, unknown>);

const partial = (amount: number, extra: object = {}) => ({ outcome: 'buyer_partial_refund', amount, reason: 'a flaw', ...extra });

describe('money', () => {
  it('R-FUND-2: a chargeback leaves what was not refunded with the payment provider; nothing is released to the seller', () => {
    // While negotiating: nothing refunded, all of the payment is with the provider.
    const [early, earlyActions] = send(open(), psp, after(1), 'chargeback.filed', { reference: 'cb-1' });
    expect(label(early)).toBe('movedToPaymentProvider');
    expect(early.context.outcome?.split).toEqual({ refunded: 0, released: 0, withPaymentProvider: 4500 });
    expect(early.context.funds).toMatchObject({ held: 4500, released: 0, refunded: 0 });
    expect(effects(earlyActions, 'releaseFunds')).toEqual([]);

    // After a partial refund was requested: it stays the buyer's, the rest is with the provider.
    const [decided] = send(escalated(), agent, after(4), 'agent.decide', partial(2400));
    const [late, lateActions] = send(decided, psp, after(5), 'chargeback.filed', { reference: 'cb-2' });
    expect(label(late)).toBe('movedToPaymentProvider');
    expect(late.context.outcome?.split).toEqual({ refunded: 2400, released: 0, withPaymentProvider: 2100 });
    expect(late.context.funds.released).toBe(0);
    expect(effects(lateActions, 'releaseFunds')).toEqual([]);
  });

  it('R-GEN-5: the release to the seller is in the order’s currency, without conversion', () => {
    // Cancelled after protection ended: released at once (R-FUND-3), in euros.
    const eur = open({ order: { currency: 'EUR', completedAt: day(10) }, openedAt: day(24) });
    const [cancelled, actions] = send(eur, buyer, day(26), 'buyer.cancel');
    expect(label(cancelled)).toBe('cancelled.released');
    expect(effects(actions, 'releaseFunds')).toEqual([{ amount: 4500, currency: 'EUR', sellerId: seller.id }]);
    expect(cancelled.context.funds.currency).toBe('EUR');

    // The rest after a settled partial refund, in yen (no minor digits: amounts pass unchanged).
    let jpy = step(open({ order: { currency: 'JPY' } }), seller, after(1), 'seller.counterOffer', { amount: 2500 });
    jpy = step(jpy, buyer, after(2), 'buyer.acceptOffer');
    const [resolved, released] = send(jpy, psp, after(5), 'refund.settled', { refundId: jpy.context.refunds[0]!.id });
    expect(label(resolved)).toBe('resolved.refunded');
    expect(effects(released, 'releaseFunds')).toEqual([{ amount: 2000, currency: 'JPY', sellerId: seller.id }]);
  });

  it('R-ESC-3: the 50–80 % band includes both ends and applies only to a usable not-as-described item', () => {
    const s = escalated(); // not_as_described, price 4000: the band is 2000..3200
    expect(step(s, agent, after(4), 'agent.decide', partial(2000)).context.decision).toMatchObject({ refund: 2000, overrideReason: null });
    expect(step(s, agent, after(4), 'agent.decide', partial(3200)).context.decision).toMatchObject({ refund: 3200, overrideReason: null });
    expect(refuse(s, agent, after(4), 'agent.decide', partial(1999))).toMatchObject({ kind: 'invalid_payload', problems: [{ rule: 'R-ESC-3' }] });
    expect(refuse(s, agent, after(4), 'agent.decide', partial(3201))).toMatchObject({ kind: 'invalid_payload', problems: [{ rule: 'R-ESC-3' }] });
    // Other reasons have no band: any partial refund below the price, without an override.
    for (const reason of ['damaged_or_defective', 'quantity_short', 'not_received', 'fake_tracking'] as const) {
      const other = escalated({ request: { reason } });
      expect(step(other, agent, after(4), 'agent.decide', partial(1000)).context.decision?.refund, reason).toBe(1000);
      expect(step(other, agent, after(4), 'agent.decide', partial(3900)).context.decision?.refund, reason).toBe(3900);
    }
    // An unusable item is outside the band too.
    expect(step(s, agent, after(4), 'agent.decide', partial(1000, { itemUnusable: true })).context.decision?.refund).toBe(1000);
  });
});

describe('opening', () => {
  it('R-OPEN-5: a digital item cannot be disputed as return_and_refund, even when never delivered', () => {
    const digital = { digital: true, shippedAt: null };
    const s = open({ order: digital, request: { type: 'return_and_refund', reason: 'digital_not_delivered' } });
    expect(label(s)).toBe('refused');
    expect(s.context.openingProblems).toEqual([expect.objectContaining({ rule: 'R-OPEN-5', field: 'type' })]);
    expect(label(open({ order: digital, request: { type: 'refund_only', reason: 'digital_not_delivered' } }))).toBe('negotiating.awaitingSellerResponse');
    expect(open({ request: { type: 'return_and_refund', reason: 'quantity_short' } }).context.openingProblems).toEqual([]);
  });

  it('R-OPEN-7: the amount may be exactly the price, not a unit more; a proposal may be exactly the request, not a unit more', () => {
    expect(open({ request: { amount: 4000 } }).context.openingProblems).toEqual([]);
    expect(open({ request: { amount: 4000 } }).context.request.total).toBe(4000);
    expect(open({ request: { amount: 4001 } }).context.openingProblems).toEqual([expect.objectContaining({ rule: 'R-OPEN-7', field: 'amount' })]);
    expect(open({ request: { amount: 1 } }).context.openingProblems).toEqual([]);
    expect(OpenRequest.safeParse({ type: 'refund_only', reason: 'damaged_or_defective', description: 'x', amount: -1 }).success).toBe(false);
    // A partial request with shipping needs an unusable item (then the total adds the shipping).
    expect(open({ request: { amount: 3999, includeShipping: true } }).context.openingProblems).toEqual([
      expect.objectContaining({ rule: 'R-OPEN-7', field: 'includeShipping' }),
    ]);
    expect(open({ request: { amount: 3999, includeShipping: true, itemUnusable: true } }).context.request.total).toBe(4499);

    const countered = step(open({ request: { amount: 3000 } }), seller, after(1), 'seller.counterOffer', { amount: 1000 });
    expect(label(step(countered, buyer, after(2), 'buyer.proposeAmount', { amount: 3000 }))).toBe('negotiating.proposalPending');
    expect(refuse(countered, buyer, after(2), 'buyer.proposeAmount', { amount: 3001 })).toMatchObject({
      kind: 'invalid_payload',
      problems: [{ rule: 'R-OPEN-7', field: 'amount' }],
    });
  });
});

describe('negotiation and decision', () => {
  /** Every way a dispute ends, each through the events that get it there. */
  function ended(): [string, DisputeSnapshot][] {
    const refunding = fire(open(), 'sellerResponse')[0];
    const refunded = step(refunding, psp, after(6), 'refund.settled', { refundId: refunding.context.refunds[0]!.id });
    const noRefund = fire(send(escalated(), agent, after(4), 'agent.decide', { outcome: 'seller_wins', reason: 'as listed' })[0], 'appealWindow')[0];
    const reshipped = step(step(open(), seller, after(1), 'seller.offerReshipment'), buyer, after(2), 'buyer.acceptOffer');
    const returning = step(open({ request: { type: 'return_and_refund' } }), seller, after(1), 'seller.accept');
    const closedForSeller = fire(returning, 'returnShipment')[0];
    const moved = step(open(), psp, after(1), 'chargeback.filed', { reference: 'cb' });
    const refused = open({ request: { amount: 9999 } });
    return Object.entries({ refunded, noRefund, reshipped, closedForSeller, moved, refused });
  }

  it('R-NEG-8: no message is taken once the dispute has ended, however it ended', () => {
    const states = ended();
    expect(states.map(([, s]) => label(s))).toEqual([
      'resolved.refunded',
      'resolved.noRefund',
      'reshipped.awaitingProtectionEnd',
      'closedForSeller.awaitingProtectionEnd',
      'movedToPaymentProvider',
      'refused',
    ]);
    for (const [name, s] of states) {
      for (const by of [buyer, seller]) {
        expect(refuse(s, by, after(30), 'message.send', { body: 'still there?' }), `${name} from the ${by.role}`).toMatchObject({
          kind: 'not_accepted',
          problems: [{ message: expect.stringContaining('closed') }],
        });
      }
    }
    // While the payout runs the dispute has not ended: messages are still taken.
    const refunding = fire(open(), 'sellerResponse')[0];
    expect(step(refunding, seller, after(6), 'message.send', { body: 'refund sent' }).context.messageCount).toBe(1);
  });

  it('R-ESC-2: a decision, an appeal decision and a fraud finding each need a written reason, not an empty or blank one', () => {
    const s = escalated();
    for (const reason of ['', '   ', '\n\t']) {
      for (const payload of [{ outcome: 'seller_wins' }, { outcome: 'buyer_full_refund' }, partial(2400)]) {
        expect(refuse(s, agent, after(4), 'agent.decide', { ...payload, reason }), JSON.stringify({ ...payload, reason })).toMatchObject({
          kind: 'invalid_payload',
          problems: expect.arrayContaining([expect.objectContaining({ field: 'reason' })]),
        });
      }
      expect(refuse(s, agent, after(4), 'agent.confirmSellerFraud', { reason })).toMatchObject({ kind: 'invalid_payload', problems: [{ field: 'reason' }] });
    }
    const appealed = step(send(s, agent, after(4), 'agent.decide', { outcome: 'seller_wins', reason: 'as listed' })[0], buyer, after(5), 'appeal.file', {
      reason: 'wrong',
    });
    expect(refuse(appealed, otherAgent, after(6), 'agent.decideAppeal', { outcome: 'buyer_full_refund', reason: ' ' })).toMatchObject({
      kind: 'invalid_payload',
      problems: [{ field: 'reason' }],
    });
    // A partial refund is below the price; the whole price is a full refund (outside any band: a damaged item).
    const damaged = escalated({ request: { reason: 'damaged_or_defective' } });
    expect(refuse(damaged, agent, after(4), 'agent.decide', partial(4000))).toMatchObject({
      kind: 'invalid_payload',
      problems: [{ rule: 'R-ESC-2', field: 'amount' }],
    });
    expect(step(damaged, agent, after(4), 'agent.decide', partial(3999)).context.decision?.refund).toBe(3999);
    // The reason kept is the one written, trimmed.
    expect(step(s, agent, after(4), 'agent.decide', { outcome: 'seller_wins', reason: '  as listed  ' }).context.decision?.reason).toBe('as listed');
    expect(parseEvent({ type: 'agent.decide', outcome: 'seller_wins', reason: 'x' }, agent, after(4)).ok).toBe(true);
  });

  it('R-ESC-1: only the agent the case is assigned to decides it, confirms seller fraud, asks for evidence or puts it back', () => {
    const s = escalated(); // assigned to agent-1
    const attempts: [string, object][] = [
      ['agent.decide', { outcome: 'buyer_full_refund', reason: 'mine now' }],
      ['agent.decide', { outcome: 'seller_wins', reason: 'mine now' }],
      ['agent.confirmSellerFraud', { reason: 'fake tracking' }],
      ['agent.requestEvidence', { from: 'buyer', note: 'photos' }],
      ['agent.unassign', {}],
    ];
    for (const [type, payload] of attempts) {
      expect(refuse(s, otherAgent, after(4), type, payload), type).toMatchObject({
        kind: 'not_accepted',
        problems: [{ rule: 'R-ESC-1', message: `the case is assigned to agent ${agent.id}` }],
      });
    }
    // The assigned agent may; an agent who takes it after it was put back may too.
    expect(step(s, agent, after(4), 'agent.confirmSellerFraud', { reason: 'fake tracking' }).context.resolution).toMatchObject({ source: 'seller_fraud' });
    const back = step(step(s, agent, after(4), 'agent.unassign'), otherAgent, after(5), 'agent.assign');
    expect(step(back, otherAgent, after(5), 'agent.decide', { outcome: 'seller_wins', reason: 'r' }).context.decision?.agentId).toBe(otherAgent.id);
    expect(refuse(back, agent, after(5), 'agent.decide', { outcome: 'seller_wins', reason: 'r' })).toMatchObject({ kind: 'not_accepted' });
    // Carriers and payment providers are system parties, never agents.
    expect(refuse(s, carrier, after(4), 'agent.decide', { outcome: 'seller_wins', reason: 'r' })).toMatchObject({ kind: 'forbidden' });
  });
});
