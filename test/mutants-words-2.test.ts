/**
 * Survivors of the mutation run on machines/describe.ts, killed: the machine described for
 * people (GET /machines/dispute, the diagrams) — its states with labels, stages and deadlines,
 * its transitions with guards, actions, roles and deadlines, its events, deadlines and opening
 * request — under a policy's own numbers.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { createMachine, type AnyStateMachine } from 'xstate';
import { describeMachine, eventTypes, parsePolicy, type MachineDescription } from '../machines/index.ts';

// Described afresh in each test: each test then runs the code it judges (the mutation run picks tests by what they run).
let machine: MachineDescription;
beforeEach(() => {
  machine = describeMachine();
});
const state = (path: string) => machine.states.find((s) => s.path === path);
const transitionsOf = (source: string, event: string | null) => machine.transitions.filter((t) => t.source === source && t.event === event);

describe('the machine described for people (describeMachine)', () => {
  it('is the dispute chart of this version, its root first', () => {
    expect(machine.id).toBe('dispute');
    expect(machine.version).toBe(3);
    expect(machine.states[0]).toEqual({
      path: '',
      key: 'dispute',
      label: 'Dispute',
      parent: null,
      type: 'compound',
      initial: 'opened',
      description: 'A buyer-protection dispute on one order item',
      settings: [],
      tags: [],
      stage: null,
      deadlines: [],
      transient: false,
    });
    expect(machine.transitions[0]).toMatchObject({ source: 'opened', event: null });
  });

  it('R-NEG-1: a waiting state reads with its label, its parent, its tags, its stage, its deadline and the policy’s number', () => {
    expect(state('negotiating.awaitingSellerResponse')).toEqual({
      path: 'negotiating.awaitingSellerResponse',
      key: 'awaitingSellerResponse',
      label: 'Waiting for the seller’s answer',
      parent: 'negotiating',
      type: 'atomic',
      initial: null,
      description: 'The seller has 5 days to answer; silence refunds as requested (R-NEG-1)',
      settings: ['negotiation.sellerResponseDays'],
      tags: ['negotiating', 'awaits:seller'],
      stage: 'negotiating',
      deadlines: ['sellerResponse'],
      transient: false,
    });
    expect(state('negotiating')).toMatchObject({ initial: 'awaitingSellerResponse', deadlines: ['negotiationEnd'], settings: ['negotiation.maxDays'] });
    expect(state('resolving')).toMatchObject({ type: 'parallel', initial: null, deadlines: [] });
  });

  it('a state’s stage is its own tag’s or its nearest ancestor’s; a state whose children stand in different stages has none', () => {
    expect(state('opened')?.stage).toBe('opened');
    expect(state('escalated.inQueue')?.stage).toBe('escalated'); // tagged only awaits:agent
    expect(state('escalated.awaitingEvidence.fromBuyer')?.stage).toBe('escalated'); // two levels below
    expect(state('resolving.payout.settlement.needsAttention')?.stage).toBe('refunding');
    expect(state('reshipped.released')?.stage).toBe('closed');
    for (const path of ['', 'negotiating', 'resolving', 'resolving.payout', 'resolved']) expect(state(path)?.stage, path).toBeNull();
  });

  it('a state left at once by an eventless transition without a guard is transient; the others rest', () => {
    expect(machine.states.filter((s) => s.transient).map((s) => s.path)).toEqual([
      'opened',
      'resolving.decision.checking',
      'resolved.checking',
      'reshipped.checking',
      'cancelled.checking',
      'closedForSeller.checking',
    ]);
    expect(state('resolving.payout.upToDate')?.transient).toBe(false); // its eventless transitions are all guarded
  });

  it('R-OPEN-1: an eventless transition has no roles and no deadline; an unguarded one no guard', () => {
    expect(transitionsOf('opened', null)).toEqual([
      {
        source: 'opened',
        event: null,
        targets: ['negotiating'],
        guard: 'openingIsEligible',
        guardWords: 'if the opening rules allow it',
        actions: [],
        roles: [],
        deadline: null,
      },
      { source: 'opened', event: null, targets: ['refused'], guard: null, guardWords: null, actions: [], roles: [], deadline: null },
    ]);
  });

  it('R-NEG-1, R-NEG-2, R-ESC-1: a transition names its sender’s roles, its actions, and the deadline it fires on', () => {
    expect(transitionsOf('negotiating.awaitingSellerResponse', 'seller.counterOffer')).toEqual([
      {
        source: 'negotiating.awaitingSellerResponse',
        event: 'seller.counterOffer',
        targets: ['negotiating.offerPending'],
        guard: 'counterOfferIsValid',
        guardWords: 'if the offer is valid',
        actions: ['recordSellerResponse', 'recordCounterOffer'],
        roles: ['seller'],
        deadline: null,
      },
    ]);
    expect(transitionsOf('negotiating.awaitingSellerResponse', 'deadline.sellerResponse')).toEqual([
      expect.objectContaining({
        targets: ['resolving'],
        guard: 'deadlineIsDue(sellerResponse)',
        actions: ['agreeOnRequest'],
        roles: ['system'],
        deadline: 'sellerResponse',
      }),
    ]);
    expect(transitionsOf('escalated', 'deadline.decisionDue')).toEqual([
      expect.objectContaining({ targets: [], actions: ['flagDecisionOverdue', 'disarmDeadline(decisionDue)'], deadline: 'decisionDue' }),
    ]);
  });

  it('lists every event of the catalogue with its words, its senders and its form', () => {
    expect(machine.events.map((e) => e.type)).toEqual(eventTypes);
    const counter = machine.events.find((e) => e.type === 'seller.counterOffer');
    expect(counter).toMatchObject({
      label: 'Offer a partial refund',
      done: 'offered a partial refund',
      rule: 'R-NEG-2',
      description: 'Offer a partial refund without return (R-NEG-2)',
      roles: ['seller'],
    });
    expect(counter?.schema).toMatchObject({ type: 'object', properties: { amount: { type: 'integer', title: 'Partial refund offered' } } });
  });

  it('R-NEG-1, R-REF-2, R-OPEN-2: each deadline’s length in the policy’s numbers, with the setting it reads', () => {
    expect(machine.deadlines[0]).toEqual({
      name: 'sellerResponse',
      event: 'deadline.sellerResponse',
      label: 'Seller’s response window',
      rule: 'R-NEG-1',
      priority: 10,
      anchor: 'openedAt',
      length: '5 days',
      setting: 'negotiation.sellerResponseDays',
      effect: 'the refund the buyer asked for executes automatically',
    });
    const forAlipay = describeMachine(parsePolicy({ opening: { protectionDays: 20 } }), 'alipay');
    expect(forAlipay.deadlines.find((d) => d.name === 'refundOverdue')).toMatchObject({
      length: '5 business days',
      setting: 'settlement[payment method].maxBusinessDays',
    });
    expect(forAlipay.deadlines.find((d) => d.name === 'protectionEnd')).toMatchObject({
      length: '20 days after completion',
      setting: 'opening.protectionDays',
    });
  });

  it('R-OPEN-5, R-EVID-1: the opening request’s own schema (not a reference to it) and the evidence formats', () => {
    expect(machine.openRequest).not.toHaveProperty('$ref');
    expect(machine.openRequest).toMatchObject({
      type: 'object',
      properties: { type: { enum: ['refund_only', 'return_and_refund'], title: 'What you ask for' } },
    });
    expect(machine.evidence.image.rule).toBe('R-EVID-1');
    expect(machine.evidence.image.formats).toContainEqual({ mediaType: 'image/png', extensions: ['png'] });
  });
});

/** The description of a stand-in chart, under the default policy. */
const describedWith = (standIn: AnyStateMachine) => describeMachine(undefined, undefined, standIn);

describe('actions and guards of any shape, by name (a stand-in chart)', () => {
  it('names a function action by its name, an anonymous one "inline", and shows a parameter only when it is data with a name', () => {
    const actions = [
      'countMessage',
      function notifySeller() {},
      [() => {}][0]!, // an anonymous function
      { type: 'disarmDeadline', params: { name: 'sellerResponse' } },
      { type: 'requestRefund', params: () => ({ amount: 100 }) }, // computed from the context: not shown
      { type: 'log', params: { level: 1 } },
      { type: 'settleRefund' },
    ];
    const guard = function sellerIsKnown() {
      return true;
    };
    const standIn = createMachine({ id: 'stand-in', initial: 'a', states: { a: { on: { 'seller.counterOffer': { guard, target: 'b', actions } } }, b: {} } });
    expect(describedWith(standIn).transitions).toEqual([
      {
        source: 'a',
        event: 'seller.counterOffer',
        targets: ['b'],
        guard: 'sellerIsKnown',
        guardWords: 'if seller is known',
        actions: ['countMessage', 'notifySeller', 'inline', 'disarmDeadline(sellerResponse)', 'requestRefund', 'log', 'settleRefund'],
        roles: ['seller'],
        deadline: null,
      },
    ]);
  });
});
