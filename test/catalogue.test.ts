/**
 * What people read comes from the machine and its catalogue, never from lists kept elsewhere:
 * every state, event and deadline has a label and a one-line explanation; a refusal says why,
 * with the rule; the forecast of what happens if nobody acts is computed by firing the armed
 * deadlines on a copy; the terms on the table are what accepting them would do.
 */
import { describe, expect, it } from 'vitest';
import {
  activeRegions,
  availableEvents,
  deadlineDefinitions,
  deadlineNames,
  describeMachine,
  eventCatalog,
  eventTypes,
  ifNobodyActs,
  payloadJsonSchema,
  restoreSnapshot,
  stateLabel,
  termsOnTheTable,
} from '../machines/index.ts';
import { addDays } from '../machines/time.ts';
import { agent, buyer, carrier, day, fire, open, refuse, seller, step } from './support/disputes.ts';

const OPENED = day(12);
const after = (days: number) => addDays(OPENED, days);

describe('labels and explanations come from the machine', () => {
  const machine = describeMachine();

  it('every state has a label of its own and a description', () => {
    for (const state of machine.states) {
      expect(state.label, state.path).not.toBe('');
      expect(state.label === state.key && state.path !== '', `${state.path} has no label`).toBe(false);
      expect(state.description?.length ?? 0, `${state.path} has no description`).toBeGreaterThan(10);
    }
  });

  it('every event has a label, a phrase for the history and a description; deadlines name their rule', () => {
    expect(machine.events.map((e) => e.type)).toEqual(eventTypes);
    for (const event of machine.events) {
      expect(event.label.length, event.type).toBeGreaterThan(3);
      expect(event.done.length, event.type).toBeGreaterThan(3);
      if (event.rule) expect(event.rule, event.type).toMatch(/^R-[A-Z]+-\d+$/);
    }
    for (const name of deadlineNames) {
      const d = machine.deadlines.find((x) => x.name === name)!;
      expect(d.label.length, name).toBeGreaterThan(3);
      expect(eventCatalog[d.event as keyof typeof eventCatalog].label, name).toBe(d.label);
    }
  });

  it('payload fields carry a title, money fields say they are minor units, choices label their values', () => {
    for (const type of eventTypes) {
      const properties = (payloadJsonSchema(type) as { properties?: Record<string, Record<string, unknown>> }).properties ?? {};
      for (const [field, schema] of Object.entries(properties)) {
        expect(typeof schema.title, `${type}.${field}`).toBe('string');
        if (schema.enum) expect(Object.keys(schema['x-enum-labels'] as object), `${type}.${field}`).toEqual(schema.enum);
      }
    }
    const decide = payloadJsonSchema('agent.decide') as { properties: Record<string, Record<string, unknown>> };
    expect(decide.properties.amount!['x-money']).toBe('minor-units');
    const opening = machine.openRequest as { properties: Record<string, Record<string, unknown>> };
    expect(opening.properties.reason!['x-enum-labels']).toMatchObject({ not_received: 'The item never arrived' });
    expect(opening.properties.amount!['x-money']).toBe('minor-units');
  });

  it('the events a party may send carry their label', () => {
    expect(availableEvents(open(), seller, after(1)).find((e) => e.type === 'seller.counterOffer')).toMatchObject({ label: 'Offer a partial refund' });
  });

  it('a parallel state reads as its regions, each with its label', () => {
    let s = step(open(), seller, after(1), 'seller.reject', { reason: 'no' });
    s = step(s, buyer, after(2), 'buyer.escalate');
    s = step(s, agent, after(3), 'agent.assign');
    s = step(s, agent, after(4), 'agent.decide', { outcome: 'buyer_partial_refund', amount: 2500, reason: 'scratched' });
    expect(stateLabel(s)).toBe('resolving.decision.appealWindowOpen + resolving.payout.settlement.requested');
    expect(activeRegions(s)).toEqual([
      expect.objectContaining({ label: 'Decided; open to appeal', region: { path: 'resolving.decision', label: 'Decision' } }),
      expect.objectContaining({ label: 'Refund requested', region: { path: 'resolving.payout', label: 'Payout' } }),
    ]);
    expect(activeRegions(open())).toEqual([expect.objectContaining({ label: 'Waiting for the seller’s answer', region: null })]);
  });
});

describe('a refusal says why, with the rule and the instant', () => {
  it('an event the state does not take names the rule and where the dispute stands', () => {
    const rejection = refuse(open(), buyer, after(1), 'buyer.acceptOffer');
    expect(rejection).toMatchObject({ kind: 'not_accepted', problems: [{ rule: 'R-NEG-3', message: 'there is no offer from the seller to accept' }] });
    expect(rejection.message).toContain('(R-NEG-3)');
  });

  it('an agent who has not taken the case is told to take it; another agent’s case names its agent', () => {
    let s = step(open(), seller, after(1), 'seller.reject', { reason: 'no' });
    s = step(s, buyer, after(2), 'buyer.escalate');
    expect(refuse(s, agent, after(3), 'agent.decide', { outcome: 'seller_wins', reason: 'r' })).toMatchObject({
      problems: [{ rule: 'R-ESC-1', message: expect.stringContaining('take it first') }],
    });
    const taken = step(s, { role: 'agent', id: 'agent-2' }, after(3), 'agent.assign');
    expect(refuse(taken, agent, after(3), 'agent.decide', { outcome: 'seller_wins', reason: 'r' })).toMatchObject({
      problems: [{ message: 'the case is assigned to agent agent-2' }],
    });
  });

  it('a deadline not yet due says when it is', () => {
    const due = open().context.deadlines.sellerResponse!.dueAt;
    expect(refuse(open(), { role: 'system', id: 'scheduler' }, after(1), 'deadline.sellerResponse')).toMatchObject({
      problems: [{ rule: 'R-GEN-4', earliest: due }],
    });
  });
});

describe('what happens if nobody acts', () => {
  it('fires the armed deadlines in order on a copy: dates, rules and outcomes from the machine', () => {
    const s = open();
    const forecast = ifNobodyActs(s);
    expect(forecast.steps[0]).toMatchObject({
      deadline: 'sellerResponse',
      label: deadlineDefinitions.sellerResponse.label,
      rule: 'R-NEG-1',
      dueAt: after(5),
      length: '5 days',
      effect: deadlineDefinitions.sellerResponse.effect,
      armedNow: true,
      then: [expect.objectContaining({ label: 'Final' }), expect.objectContaining({ label: 'Refund requested' })],
    });
    expect(forecast.steps[1]).toMatchObject({ deadline: 'refundOverdue', armedNow: false, length: '20 business days' });
    expect(forecast).toMatchObject({ thenAwaiting: ['system'], ended: false });
    expect(s.context.deadlines.sellerResponse).toBeDefined(); // the dispute itself is untouched
  });

  it('a return in transit has a deadline too (R-RET-5), and an ended dispute has nothing left', () => {
    let s = step(open({ request: { type: 'return_and_refund' } }), seller, after(1), 'seller.accept');
    s = step(s, buyer, after(2), 'buyer.shipReturn', { carrier: 'PostNL', trackingNumber: 'RR1' });
    expect(ifNobodyActs(s).steps[0]).toMatchObject({
      deadline: 'returnDelivery',
      dueAt: after(13),
      then: [expect.objectContaining({ label: 'Waiting for an agent' })],
    });
    const cancelled = step(open({ order: { completedAt: day(1) } }), buyer, after(1), 'buyer.cancel');
    expect(ifNobodyActs(cancelled)).toMatchObject({
      steps: [{ deadline: 'protectionEnd', dueAt: day(16), then: [expect.objectContaining({ label: 'Payment released to the seller' })] }],
      ended: true,
      thenAwaiting: ['nobody'],
    });
    expect(ifNobodyActs(fire(cancelled, 'protectionEnd')[0])).toEqual({ steps: [], ended: true, thenAwaiting: ['nobody'] });
  });
});

describe('the terms on the table', () => {
  it('an offer says what accepting it refunds and whether the item goes back', () => {
    const countered = step(open({ request: { amount: 3000 } }), seller, after(1), 'seller.counterOffer', { amount: 1500, note: 'Glue fixes it' });
    expect(termsOnTheTable(countered)).toEqual({
      offer: { kind: 'partial_refund', by: seller.id, at: after(1), note: 'Glue fixes it', refund: 1500, returnRequired: false, returnShippingPaidBy: 'buyer' },
      proposal: null,
      automaticOffer: null,
    });
    const escalated = step(step(countered, buyer, after(2), 'buyer.rejectOffer'), buyer, after(2), 'buyer.escalate');
    expect(termsOnTheTable(escalated)).toEqual({ offer: null, proposal: null, automaticOffer: null });
  });
});

describe('snapshots of machine version 2 are migrated', () => {
  it('a return already in transit gets its delivery deadline from the day it was shipped back (R-RET-5)', () => {
    let s = step(open({ request: { type: 'return_and_refund' } }), seller, after(1), 'seller.accept');
    s = step(s, buyer, after(2), 'buyer.shipReturn', { carrier: 'PostNL', trackingNumber: 'RR1' });
    const stored = JSON.parse(JSON.stringify(s)) as { context: { deadlines: Record<string, unknown> } };
    delete stored.context.deadlines.returnDelivery;
    const restored = restoreSnapshot('d', stored, 2);
    expect(restored.context.deadlines.returnDelivery).toEqual({ event: 'deadline.returnDelivery', dueAt: after(13) });
    const delivered = step(restored, carrier, after(5), 'return.delivered');
    expect(delivered.context.deadlines.returnDelivery).toBeUndefined();
  });
});
