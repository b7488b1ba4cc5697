/**
 * What a refused party reads: the whole problem (rule, field, words, instants) for each refusal
 * the policy rules produce. The API hands these to people verbatim (problem+json `problems`, the
 * inspector's "why not"), so their wording is behaviour. Written as literal text, not rebuilt
 * with the code's own helpers. Found by `npm run mutation`: a message blanked or its condition
 * flipped went unnoticed before.
 */
import { describe, expect, it } from 'vitest';
import { deadlineDefinitions } from '../machines/index.ts';
import { money, pendingRefundProblems } from '../machines/rules.ts';
import { after, agent, day, otherAgent, escalated, open, refuse, seller, step, type OpenOptions } from './support/disputes.ts';

const openingProblems = (options: OpenOptions) => open(options).context.openingProblems;

describe('opening refusals, in words', () => {
  it('R-OPEN-1: an item not shipped, and a dispute opened before the wait after shipping', () => {
    expect(openingProblems({ order: { shippedAt: null }, request: { reason: 'not_received' } })).toEqual([
      { rule: 'R-OPEN-1', field: 'reason', message: 'the item has not shipped yet: a dispute about it opens once the seller has shipped it' },
    ]);
    expect(openingProblems({ request: { reason: 'not_received' }, openedAt: '2026-11-05T10:00:00.000Z' })).toEqual([
      {
        rule: 'R-OPEN-1',
        field: 'reason',
        message: 'not_received disputes open 11 days after shipping: earliest 2026-11-13T10:00:00.000Z',
        earliest: '2026-11-13T10:00:00.000Z',
      },
    ]);
    const allReasons: OpenOptions = { policy: { opening: { applyShippingWaitToAllReasons: true } }, openedAt: '2026-11-05T10:00:00.000Z' };
    expect(openingProblems({ ...allReasons, request: { reason: 'damaged_or_defective' } })).toEqual([
      {
        rule: 'R-OPEN-1',
        field: 'reason',
        message: 'disputes open 11 days after shipping: earliest 2026-11-13T10:00:00.000Z',
        earliest: '2026-11-13T10:00:00.000Z',
      },
    ]);
    // The wait does not apply to other reasons unless the policy says so.
    expect(openingProblems({ request: { reason: 'damaged_or_defective' }, openedAt: '2026-11-05T10:00:00.000Z' })).toEqual([]);
  });

  it('R-OPEN-2: protection ended, counted from completion or from the end of the delivery window', () => {
    expect(openingProblems({ order: { completedAt: day(1) }, openedAt: day(20) })).toEqual([
      { rule: 'R-OPEN-2', message: 'buyer protection for this item ended at 2026-11-18T10:00:00.000Z (15 days after the order completed)' },
    ]);
    expect(openingProblems({ openedAt: day(50) })).toEqual([
      { rule: 'R-OPEN-2', message: 'buyer protection for this item ended at 2026-12-17T10:00:00.000Z (15 days after the delivery window ended)' },
    ]);
  });

  it('R-OPEN-8, R-OPEN-9, R-OPEN-6: digital items, confirmed receipt, a detail for another reason', () => {
    expect(openingProblems({ order: { digital: true } })).toEqual([
      { rule: 'R-OPEN-8', field: 'reason', message: 'a digital item is refunded only when it was never delivered: use digital_not_delivered' },
    ]);
    expect(openingProblems({ request: { reason: 'digital_not_delivered' } })).toEqual([
      { rule: 'R-OPEN-8', field: 'reason', message: 'digital_not_delivered applies to digital items only' },
    ]);
    expect(openingProblems({ order: { receiptConfirmedAt: day(10) }, request: { reason: 'not_received' } })).toEqual([
      { rule: 'R-OPEN-9', field: 'reason', message: 'the buyer confirmed receipt at 2026-11-12T10:00:00.000Z: not_received is no longer available' },
    ]);
    expect(openingProblems({ request: { reason: 'damaged_or_defective', reasonDetail: 'fake' } })).toEqual([
      { rule: 'R-OPEN-6', field: 'reasonDetail', message: 'reasonDetail applies to not_as_described only' },
    ]);
  });

  it('R-OPEN-7, R-OPEN-5: amounts above the price, shipping with a partial refund, returning what never came', () => {
    expect(openingProblems({ request: { amount: 4001 } })).toEqual([
      { rule: 'R-OPEN-7', field: 'amount', message: "the requested amount USD 40.01 (4001) exceeds the item's price USD 40.00 (4000)" },
    ]);
    expect(openingProblems({ request: { amount: 3000, includeShipping: true } })).toEqual([
      { rule: 'R-OPEN-7', field: 'includeShipping', message: 'shipping is refunded only with a full refund of the item or when the item is unusable' },
    ]);
    expect(openingProblems({ request: { reason: 'not_received', type: 'return_and_refund' } })).toEqual([
      { rule: 'R-OPEN-5', field: 'type', message: 'an item that never arrived cannot be returned: use refund_only' },
    ]);
  });
});

describe('decision refusals, in words', () => {
  const decide = (payload: object, options: OpenOptions = {}) => refuse(escalated(options), agent, after(4), 'agent.decide', payload);

  it('R-ESC-2, R-REF-4: a "partial" refund above the price, and above what was paid, names both rules', () => {
    expect(decide({ outcome: 'buyer_partial_refund', amount: 4600, reason: 'x', overrideReason: 'y' })).toMatchObject({
      kind: 'invalid_payload',
      problems: [
        { rule: 'R-ESC-2', field: 'amount', message: "a partial refund is below the item's price USD 40.00 (4000): decide buyer_full_refund instead" },
        { rule: 'R-REF-4', field: 'amount', message: 'a refund cannot exceed the USD 45.00 (4500) paid' },
      ],
    });
    // At the price, only R-ESC-2: 4000 is not more than the 4500 paid.
    expect(decide({ outcome: 'buyer_partial_refund', amount: 4000, reason: 'x', overrideReason: 'y' })).toMatchObject({
      problems: [{ rule: 'R-ESC-2' }],
    });
    expect(decide({ outcome: 'buyer_partial_refund', amount: 4000, reason: 'x', overrideReason: 'y' })).toHaveProperty('problems.length', 1);
  });

  it('R-ESC-4, R-RET-1: shipping with a partial refund of a usable item; a return the decision cannot require', () => {
    expect(decide({ outcome: 'buyer_partial_refund', amount: 2400, refundShipping: true, reason: 'x' })).toMatchObject({
      problems: [{ rule: 'R-ESC-4', field: 'refundShipping', message: 'shipping is refunded only with a full refund or when the item is unusable' }],
    });
    expect(decide({ outcome: 'buyer_full_refund', returnRequired: true, reason: 'x' })).toMatchObject({
      problems: [{ rule: 'R-RET-1', field: 'returnRequired', message: 'a return is required only for a return_and_refund dispute that the buyer wins' }],
    });
  });

  it('R-APL-3: an appeal decision cannot take back a refund already executed', () => {
    const bothMayAppeal: OpenOptions = { policy: { appeal: { appellants: ['buyer', 'seller'] } } };
    let s = step(escalated(bothMayAppeal), agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 2400, reason: 'a flaw' });
    s = step(s, seller, after(5), 'appeal.file', { reason: 'too much' });
    expect(refuse(s, otherAgent, after(6), 'agent.decideAppeal', { outcome: 'seller_wins', reason: 'as listed' })).toMatchObject({
      problems: [{ rule: 'R-APL-3', field: 'outcome', message: 'USD 24.00 (2400) were already refunded at once (R-APL-3) and cannot be taken back' }],
    });
  });
});

describe('payment callbacks, in words (R-REF-4)', () => {
  const withRefunds = (refunds: { id: string; status: 'requested' | 'settled' | 'failed'; settledAt?: string }[]) => {
    const { context } = open();
    return { ...context, refunds: refunds.map((r) => ({ amount: 100, requestedAt: day(13), settledAt: null, ...r })) } as typeof context;
  };

  it('accepts only the pending refund, and says which one is pending or that it already settled', () => {
    expect(pendingRefundProblems(withRefunds([]), 'r-1')).toEqual([{ rule: 'R-REF-4', field: 'refundId', message: 'no pending refund r-1' }]);
    const second = withRefunds([
      { id: 'r-1', status: 'settled', settledAt: day(14) },
      { id: 'r-2', status: 'requested' },
    ]);
    expect(pendingRefundProblems(second, 'r-2')).toEqual([]);
    expect(pendingRefundProblems(second, 'r-1')).toEqual([
      {
        rule: 'R-REF-4',
        field: 'refundId',
        message: 'refund r-1 already settled at 2026-11-16T10:00:00.000Z; a refund executes exactly once',
      },
    ]);
    expect(pendingRefundProblems(second, 'r-9')).toEqual([{ rule: 'R-REF-4', field: 'refundId', message: 'no pending refund r-9; the pending refund is r-2' }]);
    // A failed refund is not "already settled": a retry requests a new one.
    const retried = withRefunds([
      { id: 'r-1', status: 'failed' },
      { id: 'r-2', status: 'requested' },
    ]);
    expect(pendingRefundProblems(retried, 'r-1')).toEqual([
      { rule: 'R-REF-4', field: 'refundId', message: 'no pending refund r-1; the pending refund is r-2' },
    ]);
    expect(pendingRefundProblems(withRefunds([{ id: 'r-2', status: 'requested' }]), 'r-1')).toEqual([
      { rule: 'R-REF-4', field: 'refundId', message: 'no pending refund r-1; the pending refund is r-2' },
    ]);
  });
});

describe('amounts and lengths, in words', () => {
  it('money shows each currency with its own digits and the minor units in brackets', () => {
    expect(money(3000, 'USD')).toBe('USD 30.00 (3000)');
    expect(money(500, 'JPY')).toBe('JPY 500 (500)');
    expect(money(1234, 'KWD')).toBe('KWD 1.234 (1234)');
  });

  it('deadline lengths read "1 day", "N days", and say what protection counts from', () => {
    const oneDay = open({ policy: { negotiation: { sellerResponseDays: 1 } } }).context;
    expect(deadlineDefinitions.sellerResponse.lengthIn(oneDay)).toBe('1 day');
    expect(deadlineDefinitions.sellerResponse.lengthIn(open().context)).toBe('5 days');
    expect(deadlineDefinitions.protectionEnd.lengthIn(open().context)).toBe('15 days after completion');
  });
});
