/**
 * Behaviours of the event catalogue, the payload schemas, the policy schema, the terms on the
 * table and the time helpers that the other tests left unchecked, found by Stryker on
 * machines/events.ts, payloads.ts, policy.ts, terms.ts, initial-context.ts and time.ts. Plain
 * values through the pure machine.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  availableEvents,
  eventCatalog,
  eventRoles,
  eventTypes,
  parseEvent,
  parsePolicy,
  payloadJsonSchema,
  termsOnTheTable,
  type DisputeSnapshot,
  type PolicyOverrides,
} from '../machines/index.ts';
import { toMillis } from '../machines/time.ts';
import { after, agent, buyer, escalated, label, OPENED, open, otherAgent, psp, refuse, send, seller, step } from './support/disputes.ts';

/** The JSON Schema maximum of a payload field of an event the actor may send now. */
function maximumOf(snapshot: DisputeSnapshot, by: typeof buyer, at: string, type: string, field: string) {
  const event = availableEvents(snapshot, by, at).find((e) => e.type === type);
  if (!event) throw new Error(`${type} is not available to ${by.id} in ${label(snapshot)}`);
  return (event.schema as { properties: Record<string, { maximum?: number }> }).properties[field]?.maximum;
}

/** The problems a policy override is refused with: where, and in which words. */
function policyProblems(overrides: PolicyOverrides) {
  try {
    parsePolicy(overrides);
    return [];
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    return error.issues.map((issue) => ({ code: issue.code, path: issue.path.join('.'), message: issue.message }));
  }
}

describe('the terms on the table (what taking an offer means)', () => {
  it('R-NEG-2: while negotiating with nothing offered yet, nothing is on the table', () => {
    expect(termsOnTheTable(open())).toEqual({ offer: null, proposal: null, automaticOffer: null });
  });

  it('R-NEG-2: an offer to ship again refunds nothing, needs no return, and the seller pays the shipping', () => {
    const reshipping = step(open(), seller, after(1), 'seller.offerReshipment', { note: 'A new one leaves tomorrow' });
    expect(termsOnTheTable(reshipping).offer).toEqual({
      kind: 'reshipment',
      by: seller.id,
      at: after(1),
      note: 'A new one leaves tomorrow',
      refund: 0,
      returnRequired: false,
      returnShippingPaidBy: 'seller',
    });
  });

  it('R-NEG-3: the buyer’s proposal says what accepting it refunds', () => {
    let s = step(open({ request: { amount: 3000 } }), seller, after(1), 'seller.counterOffer', { amount: 1500 });
    s = step(s, buyer, after(2), 'buyer.proposeAmount', { amount: 2500 });
    expect(termsOnTheTable(s).proposal).toEqual({
      kind: 'proposal',
      by: buyer.id,
      at: after(2),
      note: null,
      refund: 2500,
      returnRequired: false,
      returnShippingPaidBy: 'buyer',
    });
  });

  it('R-NEG-7: the automatic offer is the platform’s, from the opening, half the price without return', () => {
    // A 4.00 item (under the USD 5.00 threshold) asked back in full: 50 % is 200 cents.
    const s = open({ order: { price: 400 }, request: { amount: 400 } });
    expect(termsOnTheTable(s).automaticOffer).toEqual({
      kind: 'automatic_offer',
      by: 'platform',
      at: OPENED,
      note: "50 % of the item's price, without return (R-NEG-7)",
      refund: 200,
      returnRequired: false,
      returnShippingPaidBy: 'buyer',
    });
  });

  it('R-NEG-7: even an automatic offer of the whole price keeps the goods with the buyer', () => {
    const s = open({
      order: { price: 400 },
      request: { type: 'return_and_refund', amount: 400 },
      policy: { negotiation: { automaticOffer: { percent: 100 } } },
    });
    expect(termsOnTheTable(s).automaticOffer).toMatchObject({ refund: 400, returnRequired: false });
  });

  it('once escalated, the automatic offer the dispute still remembers is no longer on the table', () => {
    let s = open({ order: { price: 400 }, request: { amount: 400 } });
    s = step(s, seller, after(1), 'seller.reject', { reason: 'works for me' });
    s = step(s, buyer, after(2), 'buyer.escalate');
    expect(s.context.automaticOffer).not.toBeNull();
    expect(termsOnTheTable(s)).toEqual({ offer: null, proposal: null, automaticOffer: null });
  });
});

describe('the event catalogue', () => {
  it('every probe is a payload its event’s schema accepts, with or without refunds and evidence on file', () => {
    // The probe stands for "a payload that passes every check" when the machine is asked whether
    // an event could be sent now; test samples send it as a real payload.
    let withFiles = step(open(), buyer, after(1), 'evidence.add', { evidenceId: 'photo-1' });
    withFiles = step(withFiles, seller, after(1), 'seller.accept');
    expect(withFiles.context.refunds).toHaveLength(1);
    for (const snapshot of [open(), withFiles]) {
      for (const type of eventTypes) {
        const definition = eventCatalog[type] as { payload: z.ZodType; probe: (c: typeof snapshot.context) => unknown };
        const parsed = definition.payload.safeParse(definition.probe(snapshot.context));
        expect(parsed.success, `${type} probe in ${label(snapshot)}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      }
    }
  });

  it('the role table: each party sends its own moves, the carrier or the seller reports a return delivered (R-RET-2), machines report money and time', () => {
    const only = (role: string, types: string[]) => Object.fromEntries(types.map((type) => [type, [role]]));
    expect(eventRoles).toEqual({
      ...only('seller', [
        'seller.accept',
        'seller.reject',
        'seller.counterOffer',
        'seller.offerReshipment',
        'seller.confirmReturn',
        'seller.reportReturnProblem',
      ]),
      ...only('buyer', [
        'buyer.acceptOffer',
        'buyer.rejectOffer',
        'buyer.proposeAmount',
        'buyer.acceptAutomaticOffer',
        'buyer.escalate',
        'buyer.cancel',
        'buyer.shipReturn',
        'buyer.itemReceived',
      ]),
      'return.delivered': ['system', 'seller'],
      'message.send': ['buyer', 'seller'],
      'evidence.add': ['buyer', 'seller', 'agent'],
      'evidence.hide': ['buyer', 'seller', 'agent'],
      'appeal.file': ['buyer', 'seller'],
      ...only('agent', [
        'agent.assign',
        'agent.unassign',
        'agent.requestEvidence',
        'agent.decide',
        'agent.confirmSellerFraud',
        'agent.decideAppeal',
        'agent.retryRefund',
      ]),
      ...only('system', ['refund.settled', 'refund.failed', 'chargeback.filed', ...eventTypes.filter((type) => type.startsWith('deadline.'))]),
    });
    expect(eventTypes.filter((type) => type.startsWith('deadline.'))).toHaveLength(10);
  });

  it('every event names a policy rule or none at all; a refusal once the dispute is closed names it (R-NEG-2 for the seller’s answers)', () => {
    for (const type of eventTypes) {
      const { rule } = eventCatalog[type] as { rule: string | null };
      expect(rule === null || /^R-[A-Z]+-\d+$/.test(rule), `${type}: ${JSON.stringify(rule)}`).toBe(true);
    }
    const withdrawn = step(open(), buyer, after(1), 'buyer.cancel');
    for (const [type, payload] of [
      ['seller.accept', {}],
      ['seller.reject', { reason: 'too late' }],
    ] as const) {
      expect(refuse(withdrawn, seller, after(4), type, payload), type).toMatchObject({
        kind: 'not_accepted',
        problems: [expect.objectContaining({ rule: 'R-NEG-2' })],
      });
    }
  });

  it('every payload field has a title for the form and a description for the person filling it in', () => {
    for (const type of eventTypes) {
      const properties = (payloadJsonSchema(type) as { properties?: Record<string, { title?: string; description?: string }> }).properties ?? {};
      for (const [field, schema] of Object.entries(properties)) {
        expect(schema.title?.trim(), `${type}.${field} title`).toBeTruthy();
        expect(schema.description?.trim(), `${type}.${field} description`).toBeTruthy();
      }
    }
  });

  it('an event type that is not a string is unknown, even a list holding a known name', () => {
    for (const type of [['seller.accept'], 42, null]) {
      expect(parseEvent({ type }, seller, after(1)), JSON.stringify(type)).toMatchObject({ ok: false, rejection: { kind: 'unknown_event' } });
    }
  });

  it('R-REF-4: a payment callback for a dispute that requested no refund is refused, not a crash', () => {
    for (const [type, payload] of [
      ['refund.settled', { refundId: 'refund-9' }],
      ['refund.failed', { refundId: 'refund-9', reason: 'card expired' }],
    ] as const) {
      expect(refuse(open(), psp, after(1), type, payload), type).toMatchObject({ kind: 'not_accepted' });
    }
  });

  it('R-OPEN-7: the buyer’s proposal form caps the amount at everything requested, shipping included', () => {
    // 4,000 cents price + 500 shipping asked back; the seller offered 1,500.
    const s = step(open({ request: { amount: 4000, includeShipping: true } }), seller, after(1), 'seller.counterOffer', { amount: 1500 });
    expect(maximumOf(s, buyer, after(2), 'buyer.proposeAmount', 'amount')).toBe(4500);
  });

  it('R-ESC-3: the decision forms cap a partial refund just below the item’s 4,000 cents', () => {
    const s = escalated();
    expect(maximumOf(s, agent, after(4), 'agent.decide', 'amount')).toBe(3999);
    const [decided] = send(s, agent, after(4), 'agent.decide', { outcome: 'seller_wins', reason: 'as listed' });
    const appealed = step(decided, buyer, after(5), 'appeal.file', { reason: 'it is broken' });
    expect(maximumOf(appealed, otherAgent, after(6), 'agent.decideAppeal', 'amount')).toBe(3999);
  });
});

describe('the decision payload (R-ESC-2, R-ESC-3)', () => {
  const decide = (payload: object) => parseEvent({ type: 'agent.decide', reason: 'seen the photos', ...payload }, agent, after(4));

  it('a partial refund names its amount', () => {
    expect(decide({ outcome: 'buyer_partial_refund' })).toEqual({
      ok: false,
      rejection: {
        kind: 'invalid_payload',
        message: 'invalid agent.decide payload',
        problems: [{ rule: 'EVENT', field: 'amount', message: 'a partial refund needs an amount' }],
      },
    });
    expect(decide({ outcome: 'buyer_partial_refund', amount: 2400 })).toMatchObject({ ok: true, value: { amount: 2400 } });
  });

  it('an amount belongs to a partial refund only', () => {
    for (const outcome of ['buyer_full_refund', 'seller_wins']) {
      expect(decide({ outcome, amount: 2400 }), outcome).toEqual({
        ok: false,
        rejection: {
          kind: 'invalid_payload',
          message: 'invalid agent.decide payload',
          problems: [{ rule: 'EVENT', field: 'amount', message: 'amount applies to buyer_partial_refund only' }],
        },
      });
      expect(decide({ outcome }), outcome).toMatchObject({ ok: true });
    }
  });

  it('the catalogue’s decision schema reports both as custom (cross-field) issues of its own', () => {
    const issues = (payload: object) => eventCatalog['agent.decide'].payload.safeParse({ reason: 'seen the photos', ...payload }).error?.issues;
    expect(issues({ outcome: 'buyer_partial_refund' })).toEqual([
      expect.objectContaining({ code: 'custom', path: ['amount'], message: 'a partial refund needs an amount' }),
    ]);
    expect(issues({ outcome: 'seller_wins', amount: 100 })).toEqual([
      expect.objectContaining({ code: 'custom', path: ['amount'], message: 'amount applies to buyer_partial_refund only' }),
    ]);
  });
});

describe('the policy schema refuses contradictory overrides', () => {
  it('R-REF-2: a settlement window ends no earlier than it starts', () => {
    expect(policyProblems({ settlement: { card: { minBusinessDays: 6, maxBusinessDays: 5 } } })).toEqual([
      { code: 'custom', path: 'settlement.card', message: 'minBusinessDays must not exceed maxBusinessDays' },
    ]);
    expect(policyProblems({ settlement: { card: { minBusinessDays: 5, maxBusinessDays: 5 } } })).toEqual([]);
    expect(parsePolicy({ settlement: { paypal: { minBusinessDays: 2, maxBusinessDays: 9 } } }).settlement.paypal).toEqual({
      minBusinessDays: 2,
      maxBusinessDays: 9,
    });
  });

  it('R-ESC-3: the expected partial-refund band starts no higher than it ends', () => {
    expect(policyProblems({ escalation: { partialRefundBand: { minPercent: 81, maxPercent: 80 } } })).toEqual([
      { code: 'custom', path: 'escalation.partialRefundBand', message: 'minPercent must not exceed maxPercent' },
    ]);
    expect(parsePolicy({ escalation: { partialRefundBand: { minPercent: 70, maxPercent: 70 } } }).escalation.partialRefundBand).toEqual({
      minPercent: 70,
      maxPercent: 70,
    });
  });

  it('R-NEG-1, R-NEG-4: the seller’s response window fits in the negotiation', () => {
    expect(policyProblems({ negotiation: { sellerResponseDays: 16, maxDays: 15 } })).toEqual([
      { code: 'custom', path: 'negotiation.sellerResponseDays', message: 'the seller’s response window cannot outlast the negotiation (negotiation.maxDays)' },
    ]);
    expect(parsePolicy({ negotiation: { sellerResponseDays: 15, maxDays: 15 } }).negotiation).toMatchObject({ sellerResponseDays: 15, maxDays: 15 });
  });

  it('R-NEG-5, R-NEG-4: the wait before the buyer may escalate fits in the negotiation', () => {
    expect(policyProblems({ negotiation: { buyerEscalationWaitDays: 16, maxDays: 15 } })).toEqual([
      {
        code: 'custom',
        path: 'negotiation.buyerEscalationWaitDays',
        message: 'the wait before escalation cannot outlast the negotiation (negotiation.maxDays)',
      },
    ]);
    expect(parsePolicy({ negotiation: { buyerEscalationWaitDays: 15, maxDays: 15 } }).negotiation).toMatchObject({ buyerEscalationWaitDays: 15, maxDays: 15 });
  });
});

describe('a new dispute and its instants', () => {
  it('a dispute opens with no refund overdue and no evidence hidden', () => {
    expect(open().context).toMatchObject({ refundOverdue: false, hiddenEvidenceIds: [], evidenceIds: [] });
  });

  it('R-GEN-1: an instant that is not ISO 8601 is refused by name', () => {
    expect(() => toMillis('next Tuesday')).toThrow(new RangeError('not an ISO 8601 instant: next Tuesday'));
    expect(toMillis('2026-11-02T10:00:00.000Z')).toBe(Date.UTC(2026, 10, 2, 10));
  });
});
