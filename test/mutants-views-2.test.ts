/**
 * What a party is told it may send, and what happens if nobody acts, pinned where the mutation
 * run on machines/available.ts and outlook.ts found it unchecked. Plain values through the pure
 * machine.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  availableEvents,
  catchUp,
  disputeMachine,
  dueDeadlines,
  ifNobodyActs,
  parseEvent,
  fieldIssues,
  payloadJsonSchema,
  type DisputeSnapshot,
} from '../machines/index.ts';
import { after, agent, buyer, day, escalated, open, refuse, seller, step } from './support/disputes.ts';

/** Escalated at after(2) (decision due after(9)); evidence asked of the seller at after(6) (due after(11)). */
const evidenceAskedLate = () => step(escalated(), agent, after(6), 'agent.requestEvidence', { from: 'seller', note: 'the listing photos' });

/** A dispute waiting for the seller whose context also carries a deadline no state of it takes (an appeal window, due at day 13). */
function withStaleDeadline(): DisputeSnapshot {
  const s = open();
  const deadlines = { ...s.context.deadlines, appealWindow: { event: 'deadline.appealWindow' as const, dueAt: day(13) } };
  return disputeMachine.resolveState({ value: s.value, context: { ...s.context, deadlines } });
}

describe('what a client sent, parsed (parseEvent)', () => {
  it('anything but a JSON object is no event', () => {
    for (const raw of [null, [], 'seller.accept', 42, [{ type: 'seller.accept' }]]) {
      expect(parseEvent(raw, seller, after(1)), JSON.stringify(raw)).toEqual({
        ok: false,
        rejection: { kind: 'unknown_event', message: 'an event is a JSON object with a "type"' },
      });
    }
  });

  it('an unknown type is named, with the known ones listed', () => {
    const parsed = parseEvent({ type: 'seller.shout' }, seller, after(1));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.rejection.kind).toBe('unknown_event');
    expect(parsed.rejection.message).toMatch(/^unknown event type "seller\.shout"; known: seller\.accept, seller\.reject, seller\.counterOffer, /);
    expect(parsed.rejection.message).toMatch(/, deadline\.protectionEnd$/);
  });

  it('R-ROLE: a sender without the role is told who may send it', () => {
    expect(refuse(open(), agent, after(1), 'message.send', { body: 'hello' })).toEqual({
      kind: 'forbidden',
      message: 'message.send may be sent by buyer or seller, not by an agent',
    });
  });

  it('field problems name their field, an unknown one too, one problem per field', () => {
    expect(refuse(open(), seller, after(1), 'seller.counterOffer', { amount: 1000, extra: 1, more: 2 })).toEqual({
      kind: 'invalid_payload',
      message: 'invalid seller.counterOffer payload',
      problems: [
        { rule: 'EVENT', field: 'extra', message: 'there is no field "extra" here' },
        { rule: 'EVENT', field: 'more', message: 'there is no field "more" here' },
      ],
    });
    expect(refuse(open(), seller, after(1), 'seller.counterOffer')).toMatchObject({ problems: [{ rule: 'EVENT', field: 'amount' }] });
  });

  it('any zod error reads field by field: nested paths dotted, unknown keys each named, a whole-body problem names none', () => {
    const Body = z.strictObject({ items: z.array(z.strictObject({ id: z.string() })) }).refine((b) => b.items.length !== 1, 'not exactly one item');
    expect(fieldIssues(Body.safeParse({ items: [{ id: 7, a: 1, b: 2 }] }).error!)).toEqual([
      { field: 'items.0.id', message: 'Invalid input: expected string, received number' },
      { field: 'items.0.a', message: 'there is no field "a" here' },
      { field: 'items.0.b', message: 'there is no field "b" here' },
    ]);
    expect(fieldIssues(Body.safeParse({ items: [{ id: 'x' }] }).error!)).toEqual([{ field: undefined, message: 'not exactly one item' }]);
  });
});

describe('whether the dispute takes it now (checkEvent)', () => {
  it('the state is checked before the dispute’s limits: a counter-offer after escalation is not accepted, however large', () => {
    expect(refuse(escalated(), seller, after(4), 'seller.counterOffer', { amount: 999_999 })).toMatchObject({
      kind: 'not_accepted',
      problems: [{ rule: 'R-NEG-4' }],
    });
  });

  it('every limit a payload breaks is named, in one message', () => {
    const rejection = refuse(escalated(), agent, after(4), 'agent.decide', {
      outcome: 'buyer_partial_refund',
      amount: 4500,
      reason: 'x',
      returnRequired: true,
    });
    expect(rejection).toMatchObject({ kind: 'invalid_payload', problems: [{ rule: 'R-ESC-2' }, { rule: 'R-ESC-3' }, { rule: 'R-RET-1' }] });
    expect(rejection.message).toBe(
      "a partial refund is below the item's price USD 40.00 (4000): decide buyer_full_refund instead; " +
        "a partial refund for a usable not-as-described item is expected within 50–80 % of the item's price (USD 20.00 (2000) to USD 32.00 (3200)); give an overrideReason to go outside it; " +
        'a return is required only for a return_and_refund dispute that the buyer wins',
    );
  });

  it('R-EVID-3: hiding evidence the case does not hold is not accepted, though the case holds other evidence', () => {
    const s = step(escalated(), buyer, after(3), 'evidence.add', { evidenceId: 'e1' });
    expect(refuse(s, buyer, after(4), 'evidence.hide', { evidenceId: 'e2' })).toMatchObject({
      kind: 'not_accepted',
      problems: [{ rule: 'R-EVID-3', message: 'evidence e2 is not on this case' }],
    });
    expect(step(s, buyer, after(4), 'evidence.hide', { evidenceId: 'e1' }).context.hiddenEvidenceIds).toEqual(['e1']);
  });
});

describe('what a party may send now (availableEvents)', () => {
  it('a dispute refused at opening takes nothing from anyone', () => {
    const refused = open({ request: { amount: 5000 } });
    expect(refused.status).toBe('done');
    expect(availableEvents(refused, buyer, after(1))).toEqual([]);
    expect(availableEvents(refused, seller, after(1))).toEqual([]);
  });

  it('fields with a default are optional for the client (the schema describes the input)', () => {
    expect(payloadJsonSchema('agent.decide')).toMatchObject({ required: ['outcome', 'reason'], properties: { refundShipping: { default: false } } });
  });
});

describe('R-GEN-4: deadlines due fire by their due time, whatever their order in the catalogue', () => {
  it('the decision falls due before the evidence request made later; both fire in that order', () => {
    const s = evidenceAskedLate();
    expect(dueDeadlines(s, after(12)).map((d) => [d.name, d.dueAt])).toEqual([
      ['decisionDue', after(9)],
      ['evidenceRequest', after(11)],
    ]);
    expect(catchUp(s, after(12)).steps.map((x) => [x.event.type, x.event.at])).toEqual([
      ['deadline.decisionDue', after(9)],
      ['deadline.evidenceRequest', after(11)],
    ]);
  });

  it('the forecast fires them in the same order', () => {
    const forecast = ifNobodyActs(evidenceAskedLate());
    expect(forecast.steps.map((x) => [x.deadline, x.dueAt, x.armedNow])).toEqual([
      ['decisionDue', after(9), true],
      ['evidenceRequest', after(11), true],
    ]);
    expect(forecast).toMatchObject({ thenAwaiting: ['agent'], ended: false });
  });

  it('a deadline the dispute does not take changes nothing and is not fired again and again', () => {
    const stale = withStaleDeadline();
    expect(catchUp(stale, after(2)).steps).toEqual([]);
    expect(ifNobodyActs(stale)).toEqual({ steps: [], thenAwaiting: ['seller'], ended: false });
  });
});

describe('the forecast stops after the steps asked for', () => {
  it('one step asked, one given: the seller’s window, not the refund’s settlement after it', () => {
    expect(ifNobodyActs(open(), 1).steps.map((x) => x.deadline)).toEqual(['sellerResponse']);
    expect(ifNobodyActs(open(), 2).steps.map((x) => x.deadline)).toEqual(['sellerResponse', 'refundOverdue']);
  });
});
