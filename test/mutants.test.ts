/**
 * Behaviours the rule tests left unchecked, found by `npm run mutation` (Stryker on
 * machines/rules.ts): each test here kills mutants that survived the first run. Plain values
 * through the pure machine.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition } from 'xstate';
import { disputeMachine, parsePolicy } from '../machines/index.ts';
import { after, agent, buyer, day, escalated, label, open, openRequest, orderFacts, refuse, send, seller, step, type OpenOptions } from './support/disputes.ts';

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
    expect(blank.context.openingProblems).toEqual([expect.objectContaining({ rule: 'R-OPEN-10', field: 'description' })]);
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
});
