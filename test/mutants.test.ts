/**
 * Behaviours the rule tests left unchecked, found by `npm run mutation` (Stryker on
 * machines/rules.ts): each test here kills mutants that survived the first run. Plain values
 * through the pure machine.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { disputeMachine, parsePolicy } from '../machines/index.ts';
import { refundOutstanding } from '../machines/rules.ts';
import {
  after,
  agent,
  buyer,
  carrier,
  day,
  escalated,
  label,
  open,
  openRequest,
  orderFacts,
  refuse,
  send,
  seller,
  step,
  type OpenOptions,
} from './support/disputes.ts';

const decided = (payload: object, options: OpenOptions = {}) => send(escalated(options), agent, after(4), 'agent.decide', payload);
const bothMayAppeal: OpenOptions = { policy: { appeal: { appellants: ['buyer', 'seller'] } } };

describe('survivors of the mutation run, killed', () => {
  it('R-OPEN-10: the machine itself refuses a blank description, whoever built its input', () => {
    // The API's schema refuses it first; a library user hands the machine its input directly.
    const input = (description: string) => ({
      disputeId: 'dispute-1',
      order: orderFacts(),
      request: { ...openRequest(), description },
      policy: parsePolicy({}),
      openedAt: day(12),
    });
    const [blank] = initialTransition(disputeMachine, input('  \n '));
    expect(label(blank)).toBe('refused');
    expect(blank.context.openingProblems).toEqual([{ rule: 'R-OPEN-10', field: 'description', message: 'describe the problem' }]);
    expect(label(initialTransition(disputeMachine, input('wrong colour'))[0])).toBe('negotiating.awaitingSellerResponse');
  });

  it('R-RET-1: a return is required only of a return_and_refund dispute the buyer wins', () => {
    const refundOnly = escalated();
    expect(refuse(refundOnly, agent, after(4), 'agent.decide', { outcome: 'buyer_full_refund', reason: 'broken', returnRequired: true })).toMatchObject({
      kind: 'invalid_payload',
      problems: [expect.objectContaining({ rule: 'R-RET-1', field: 'returnRequired' })],
    });
    const withReturn = escalated({ request: { type: 'return_and_refund' } });
    expect(refuse(withReturn, agent, after(4), 'agent.decide', { outcome: 'seller_wins', reason: 'as listed', returnRequired: true })).toMatchObject({
      kind: 'invalid_payload',
      problems: [expect.objectContaining({ rule: 'R-RET-1', field: 'returnRequired' })],
    });
    const [won] = send(withReturn, agent, after(4), 'agent.decide', { outcome: 'buyer_full_refund', reason: 'broken', returnRequired: true });
    expect(won.context.resolution).toMatchObject({ returnRequired: true });
    const [kept] = send(withReturn, agent, after(4), 'agent.decide', { outcome: 'buyer_full_refund', reason: 'broken', returnRequired: false });
    expect(kept.context.resolution).toMatchObject({ returnRequired: false });
    const [refunded] = send(refundOnly, agent, after(4), 'agent.decide', { outcome: 'buyer_full_refund', reason: 'broken', returnRequired: false });
    expect(refunded.context.resolution).toMatchObject({ returnRequired: false });
  });

  it('R-APL-1: a party appeals only a decision that did not already give it everything', () => {
    const [full] = decided({ outcome: 'buyer_full_refund', reason: 'broken' }, bothMayAppeal);
    expect(refuse(full, buyer, after(5), 'appeal.file', { reason: 'more' })).toMatchObject({ kind: 'not_accepted' });
    expect(step(full, seller, after(5), 'appeal.file', { reason: 'too much' }).context.appeal.filedBy).toEqual(seller);

    const [sellerWon] = decided({ outcome: 'seller_wins', reason: 'as listed' }, bothMayAppeal);
    expect(refuse(sellerWon, seller, after(5), 'appeal.file', { reason: 'nothing to gain' })).toMatchObject({ kind: 'not_accepted' });
    expect(step(sellerWon, buyer, after(5), 'appeal.file', { reason: 'it is broken' }).context.appeal.filedBy).toEqual(buyer);

    const [partial] = decided({ outcome: 'buyer_partial_refund', amount: 2400, reason: 'a flaw' }, bothMayAppeal);
    expect(step(partial, buyer, after(5), 'appeal.file', { reason: 'too little' }).context.appeal.filedBy).toEqual(buyer);
    expect(step(partial, seller, after(5), 'appeal.file', { reason: 'too much' }).context.appeal.filedBy).toEqual(seller);
  });

  it('R-NEG-2: an agreed refund includes shipping only when it exceeds the item price', () => {
    const [atPrice] = send(open({ request: { amount: 4000, includeShipping: false } }), seller, after(1), 'seller.accept');
    expect(atPrice.context.resolution).toMatchObject({ refund: 4000, includesShipping: false });
    const [withShipping] = send(open({ request: { amount: 4000, includeShipping: true } }), seller, after(1), 'seller.accept');
    expect(withShipping.context.resolution).toMatchObject({ refund: 4500, includesShipping: true });
    const [below] = send(open({ request: { amount: 3999 } }), seller, after(1), 'seller.accept');
    expect(below.context.resolution).toMatchObject({ refund: 3999, includesShipping: false });
  });

  it('R-NEG-7: the automatic offer is for items that arrived with a problem, never for one that did not arrive', () => {
    const cheap = { order: { price: 400, shippingCost: 0 }, request: { amount: 400 } };
    expect(open({ ...cheap, request: { ...cheap.request, reason: 'damaged_or_defective' } }).context.automaticOffer).toEqual({ amount: 200, percent: 50 });
    expect(open({ ...cheap, request: { ...cheap.request, reason: 'not_received' } }).context.automaticOffer).toBeNull();
  });

  it('R-NEG-7, R-RET-1: an accepted automatic offer needs no return, even one of 100 %', () => {
    const whole = open({
      order: { price: 400, shippingCost: 0 },
      request: { type: 'return_and_refund', amount: 400 },
      policy: { negotiation: { automaticOffer: { percent: 100 } } },
    });
    expect(whole.context.automaticOffer).toEqual({ amount: 400, percent: 100 });
    const [accepted] = send(whole, buyer, after(1), 'buyer.acceptAutomaticOffer');
    expect(accepted.context.resolution).toMatchObject({ source: 'automatic_offer', refund: 400, returnRequired: false });
  });

  it('R-RET-1: an agreed partial refund keeps the item with the buyer; the full price sends it back', () => {
    const returnable = open({ request: { type: 'return_and_refund' } });
    const offered = step(returnable, seller, after(1), 'seller.counterOffer', { amount: 2000 });
    expect(step(offered, buyer, after(2), 'buyer.acceptOffer').context.resolution).toMatchObject({ refund: 2000, returnRequired: false });
    expect(step(returnable, seller, after(1), 'seller.accept').context.resolution).toMatchObject({ refund: 4000, returnRequired: true });
  });

  it('R-RET-1: without a word from the agent, only a full refund of a return_and_refund dispute needs the item back', () => {
    const returnable: OpenOptions = { request: { type: 'return_and_refund' } };
    expect(step(escalated(returnable), agent, after(4), 'agent.decide', { outcome: 'buyer_full_refund', reason: 'broken' }).context.decision).toMatchObject({
      returnRequired: true,
    });
    const partial = { outcome: 'buyer_partial_refund', amount: 2400, reason: 'a flaw' };
    expect(step(escalated(returnable), agent, after(4), 'agent.decide', partial).context.decision).toMatchObject({ returnRequired: false });
    expect(step(escalated(), agent, after(4), 'agent.decide', { outcome: 'buyer_full_refund', reason: 'broken' }).context.decision).toMatchObject({
      returnRequired: false,
    });
  });

  it('R-ESC-2: a decision for the seller refunds nothing, shipping included', () => {
    const [won] = decided({ outcome: 'seller_wins', reason: 'as listed' });
    expect(won.context.decision).toMatchObject({ refund: 0, includesShipping: false });
  });

  it('R-RET-3: a decision after a return went wrong does not ask for the item back a second time', () => {
    let s = step(open({ request: { type: 'return_and_refund' } }), seller, after(1), 'seller.accept');
    s = step(s, buyer, after(2), 'buyer.shipReturn', { carrier: 'PostNL', trackingNumber: 'RR123' });
    s = step(s, carrier, after(6), 'return.delivered');
    s = step(s, seller, after(7), 'seller.reportReturnProblem', { problem: 'different', description: 'a brick in the box' });
    s = step(s, agent, after(8), 'agent.assign');
    const [decidedAfterReturn] = send(s, agent, after(9), 'agent.decide', { outcome: 'buyer_full_refund', reason: 'the box held the item' });
    expect(decidedAfterReturn.context.decision).toMatchObject({ returnRequired: true });
    expect(decidedAfterReturn.context.resolution).toMatchObject({ returnRequired: false });
    expect(label(decidedAfterReturn)).toMatch(/payout\.settlement\.requested$/);
  });

  it('R-ESC-6, R-APL-1: confirmed seller fraud cannot be appealed', () => {
    const [fraud] = send(escalated(bothMayAppeal), agent, after(4), 'agent.confirmSellerFraud', { reason: 'fake tracking number' });
    expect(refuse(fraud, seller, after(5), 'appeal.file', { reason: 'it was not fraud' })).toMatchObject({ kind: 'not_accepted' });
  });

  it('R-REF-4: nothing is outstanding before there is a resolution', () => {
    expect(refundOutstanding(open().context)).toBe(0);
    // Agreed, the item on its way back: the whole refund waits for the return.
    expect(refundOutstanding(step(open({ request: { type: 'return_and_refund' } }), seller, after(1), 'seller.accept').context)).toBe(4000);
  });
});
