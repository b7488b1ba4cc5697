import { z } from 'zod';
import type { DisputeContext, Problem, Role } from './context.ts';
import { deadlineDefinitions, type DeadlineName } from './deadlines.ts';
import { Choice, DecisionPayload, none, partialAmount, Text } from './payloads.ts';
import type { PolicyRuleId } from './rule-ids.ts';
import { counterOfferProblems, decisionProblems, pendingRefundProblems, proposalProblems } from './rules.ts';

/**
 * Every event a dispute accepts: its payload schema (plain zod 4 with `.meta()`, turned into
 * OpenAPI by the server), the roles allowed to send it, and, where the limits depend on the
 * dispute, a check that explains a refusal field by field.
 *
 * On the wire an event is `{ type, ...payload }`; the shell adds `at` (its clock) and `by`
 * (the caller) before it reaches the machine.
 */
interface EventDefinition<P extends z.ZodType = z.ZodType> {
  roles: readonly Role[];
  /** What a button calls it, e.g. "Offer a partial refund". */
  label: string;
  /** What the history says happened, after the sender's name, e.g. "offered a partial refund". */
  done: string;
  /** The docs/POLICY.md rule it belongs to, where one does; a refusal names it. */
  rule: PolicyRuleId | null;
  /** One line: what it does and under which rule. */
  description: string;
  payload: P;
  /** A payload that passes every check, used to ask "could this role send this event now?". */
  probe: (context: DisputeContext) => z.output<P>;
  /** Limits that depend on the dispute (amounts, bands), field by field; empty when fine. */
  check?: (context: DisputeContext, payload: z.output<P>) => Problem[];
  /** Upper bounds on numeric fields that depend on the dispute, for the "what next" schemas. */
  maxima?: (context: DisputeContext) => Record<string, number>;
}

function define<P extends z.ZodType>(definition: EventDefinition<P>): EventDefinition<P> {
  return definition;
}

const deadlineEvent = (name: DeadlineName) =>
  define({
    roles: ['system'],
    label: deadlineDefinitions[name].label,
    done: `ended: ${deadlineDefinitions[name].effect}`,
    rule: deadlineDefinitions[name].rule,
    description: `Fired by the scheduler at its due time: ${deadlineDefinitions[name].effect} (${deadlineDefinitions[name].rule})`,
    payload: none,
    probe: () => ({}),
  });

export const eventCatalog = {
  'seller.accept': define({
    roles: ['seller'],
    label: 'Accept the request',
    done: 'accepted the request',
    rule: 'R-NEG-2',
    description: 'Accept the request (or the buyer’s proposal on the table): refund as agreed (R-NEG-2)',
    payload: none,
    probe: () => ({}),
  }),
  'seller.reject': define({
    roles: ['seller'],
    label: 'Reject the request',
    done: 'rejected the request',
    rule: 'R-NEG-2',
    description: 'Reject the request (R-NEG-2)',
    payload: z.strictObject({ reason: Text(2000, 'Why you reject it', 'Shown to the buyer') }),
    probe: () => ({ reason: 'probe' }),
  }),
  'seller.counterOffer': define({
    roles: ['seller'],
    label: 'Offer a partial refund',
    done: 'offered a partial refund',
    rule: 'R-NEG-2',
    description: 'Offer a partial refund without return (R-NEG-2)',
    payload: partialAmount('Partial refund offered'),
    probe: () => ({ amount: 1 }),
    check: (c, p) => counterOfferProblems(c, p.amount),
    maxima: (c) => ({ amount: c.request.total - 1 }),
  }),
  'seller.offerReshipment': define({
    roles: ['seller'],
    label: 'Offer to ship the item again',
    done: 'offered to ship the item again',
    rule: 'R-NEG-2',
    description: 'Offer to ship the item again (R-NEG-2)',
    payload: z.strictObject({ note: Text(2000, 'Note', 'A note to the buyer').optional() }),
    probe: () => ({}),
  }),
  'buyer.acceptOffer': define({
    roles: ['buyer'],
    label: 'Accept the seller’s offer',
    done: 'accepted the seller’s offer',
    rule: 'R-NEG-3',
    description: 'Accept the seller’s offer (R-NEG-3)',
    payload: none,
    probe: () => ({}),
  }),
  'buyer.rejectOffer': define({
    roles: ['buyer'],
    label: 'Decline the seller’s offer',
    done: 'declined the seller’s offer',
    rule: 'R-NEG-3',
    description: 'Reject the seller’s offer (R-NEG-3)',
    payload: z.strictObject({ reason: Text(2000, 'Why you decline it', 'Shown to the seller').optional() }),
    probe: () => ({}),
  }),
  'buyer.proposeAmount': define({
    roles: ['buyer'],
    label: 'Propose another amount',
    done: 'proposed another amount',
    rule: 'R-NEG-3',
    description: 'Propose a new refund amount to the seller (R-NEG-3)',
    payload: partialAmount('Refund you propose'),
    probe: () => ({ amount: 1 }),
    check: (c, p) => proposalProblems(c, p.amount),
    maxima: (c) => ({ amount: c.request.total }),
  }),
  'buyer.acceptAutomaticOffer': define({
    roles: ['buyer'],
    label: 'Take the automatic partial refund',
    done: 'took the automatic partial refund',
    rule: 'R-NEG-7',
    description: 'Take the automatic partial refund without return (R-NEG-7)',
    payload: none,
    probe: () => ({}),
  }),
  'buyer.escalate': define({
    roles: ['buyer'],
    label: 'Ask the platform to decide',
    done: 'asked the platform to decide',
    rule: 'R-NEG-5',
    description: 'Ask the platform to decide (R-NEG-5)',
    payload: z.strictObject({ reason: Text(2000, 'Why the platform should decide', 'Read by the agent who decides').optional() }),
    probe: () => ({}),
  }),
  'buyer.cancel': define({
    roles: ['buyer'],
    label: 'Withdraw the dispute',
    done: 'withdrew the dispute',
    rule: 'R-NEG-6',
    description: 'Withdraw the dispute; it cannot be opened again (R-NEG-6, R-OPEN-3)',
    payload: z.strictObject({ reason: Text(2000, 'Why you withdraw it', 'Recorded in the history').optional() }),
    probe: () => ({}),
  }),
  'buyer.shipReturn': define({
    roles: ['buyer'],
    label: 'Report the item shipped back',
    done: 'shipped the item back',
    rule: 'R-RET-1',
    description: 'The buyer shipped the item back (R-RET-1)',
    payload: z.strictObject({
      carrier: Text(100, 'Carrier', 'Carrier name'),
      trackingNumber: Text(100, 'Tracking number', 'Tracking number of the return shipment'),
    }),
    probe: () => ({ carrier: 'probe', trackingNumber: 'probe' }),
  }),
  'buyer.itemReceived': define({
    roles: ['buyer'],
    label: 'Report the item arrived after all',
    done: 'reported the item arrived after all',
    rule: 'R-REF-5',
    description: 'The item arrived after all; recorded, the dispute is not reopened (R-REF-5)',
    payload: z.strictObject({ note: Text(2000, 'What arrived', 'Recorded in the history; the dispute is not reopened (R-REF-5)').optional() }),
    probe: () => ({}),
  }),
  'return.delivered': define({
    roles: ['system', 'seller'],
    label: 'Report the return delivered',
    done: 'reported the return delivered',
    rule: 'R-RET-2',
    description: 'The returned item was delivered to the seller, as the carrier or the seller reports (R-RET-2)',
    payload: none,
    probe: () => ({}),
  }),
  'seller.confirmReturn': define({
    roles: ['seller'],
    label: 'Confirm the returned item',
    done: 'confirmed the returned item',
    rule: 'R-RET-2',
    description: 'The seller confirms the returned item: the refund executes (R-RET-2)',
    payload: none,
    probe: () => ({}),
  }),
  'seller.reportReturnProblem': define({
    roles: ['seller'],
    label: 'Report a problem with the return',
    done: 'reported a problem with the return',
    rule: 'R-RET-3',
    description: 'The returned item is missing or different: an agent decides (R-RET-3)',
    payload: z.strictObject({
      problem: Choice(
        ['missing', 'different'],
        { missing: 'The item is missing', different: 'A different item came back' },
        'Problem',
        'What is wrong with the return (R-RET-3)',
      ),
      description: Text(4000, 'What you found', 'Read by the agent who decides'),
    }),
    probe: () => ({ problem: 'missing' as const, description: 'probe' }),
  }),
  'message.send': define({
    roles: ['buyer', 'seller'],
    label: 'Send a message',
    done: 'wrote',
    rule: 'R-NEG-8',
    description: 'A message to the other party; recorded, never changes the state (R-NEG-8)',
    payload: z.strictObject({ body: Text(4000, 'Message', 'Seen by the other party and by agents') }),
    probe: () => ({ body: 'probe' }),
  }),
  'evidence.add': define({
    roles: ['buyer', 'seller', 'agent'],
    label: 'Add evidence',
    done: 'added evidence',
    rule: 'R-EVID-3',
    description: 'Evidence added to the case; it answers an agent’s request when it comes from the party asked (R-EVID-3)',
    payload: z.strictObject({ evidenceId: Text(200, 'Evidence id', 'Id of the stored evidence file') }),
    probe: () => ({ evidenceId: 'probe' }),
  }),
  'evidence.hide': define({
    roles: ['buyer', 'seller', 'agent'],
    label: 'Remove evidence from the case',
    done: 'removed evidence from the case',
    rule: 'R-EVID-3',
    description: 'Hide evidence from the case; it stays in the history with its sha256 (R-EVID-3)',
    payload: z.strictObject({ evidenceId: Text(200, 'Evidence id', 'Id of the evidence to hide') }),
    probe: (c) => ({ evidenceId: c.evidenceIds.find((id) => !c.hiddenEvidenceIds.includes(id)) ?? 'none' }),
  }),
  'agent.assign': define({
    roles: ['agent'],
    label: 'Take the case',
    done: 'took the case',
    rule: 'R-ESC-1',
    description: 'An agent takes the case from the queue (R-ESC-1)',
    payload: none,
    probe: () => ({}),
  }),
  'agent.unassign': define({
    roles: ['agent'],
    label: 'Put the case back in the queue',
    done: 'put the case back in the queue',
    rule: null,
    description: 'The assigned agent puts the case back in the queue',
    payload: none,
    probe: () => ({}),
  }),
  'agent.requestEvidence': define({
    roles: ['agent'],
    label: 'Ask a party for evidence',
    done: 'asked for evidence',
    rule: 'R-ESC-5',
    description: 'Ask a party for more evidence, with a deadline (R-ESC-5)',
    payload: z.strictObject({
      from: Choice(['buyer', 'seller'], { buyer: 'The buyer', seller: 'The seller' }, 'Ask', 'The party asked for evidence (R-ESC-5)'),
      note: Text(2000, 'What evidence is needed', 'Shown to the party asked, who has a few days to answer (R-ESC-5)'),
    }),
    probe: () => ({ from: 'buyer' as const, note: 'probe' }),
  }),
  'agent.decide': define({
    roles: ['agent'],
    label: 'Decide the dispute',
    done: 'decided the dispute',
    rule: 'R-ESC-2',
    description: 'Decide the dispute (R-ESC-2..4)',
    payload: DecisionPayload,
    probe: () => DecisionPayload.parse({ outcome: 'buyer_full_refund', reason: 'probe' }),
    check: decisionProblems,
    maxima: (c) => ({ amount: c.order.price - 1 }),
  }),
  'agent.confirmSellerFraud': define({
    roles: ['agent'],
    label: 'Confirm seller fraud',
    done: 'confirmed seller fraud',
    rule: 'R-ESC-6',
    description: 'Seller fraud confirmed: full refund (R-ESC-6)',
    payload: z.strictObject({ reason: Text(4000, 'What the fraud was', 'The reason recorded with the full refund (R-ESC-6)') }),
    probe: () => ({ reason: 'probe' }),
  }),
  'appeal.file': define({
    roles: ['buyer', 'seller'],
    label: 'Appeal the decision',
    done: 'appealed the decision',
    rule: 'R-APL-1',
    description: 'Appeal the decision, once, within the window (R-APL-1)',
    payload: z.strictObject({ reason: Text(4000, 'Why the decision is wrong', 'Read by the other agent who decides the appeal (R-APL-1)') }),
    probe: () => ({ reason: 'probe' }),
  }),
  'agent.decideAppeal': define({
    roles: ['agent'],
    label: 'Decide the appeal',
    done: 'decided the appeal',
    rule: 'R-APL-2',
    description: 'Another agent decides the appeal; final (R-APL-2)',
    payload: DecisionPayload,
    probe: () => DecisionPayload.parse({ outcome: 'buyer_full_refund', reason: 'probe' }),
    check: decisionProblems,
    maxima: (c) => ({ amount: c.order.price - 1 }),
  }),
  'refund.settled': define({
    roles: ['system'],
    label: 'Report the refund settled',
    done: 'settled the refund',
    rule: 'R-REF-2',
    description: 'The payment provider settled the refund (R-REF-2)',
    payload: z.strictObject({ refundId: Text(200, 'Refund id', 'The refund being reported') }),
    probe: (c) => ({ refundId: c.refunds.at(-1)?.id ?? 'none' }),
    check: (c, p) => pendingRefundProblems(c, p.refundId),
  }),
  'refund.failed': define({
    roles: ['system'],
    label: 'Report the refund failed',
    done: 'reported the refund failed',
    rule: 'R-REF-3',
    description: 'The refund failed; it is retried to the account behind the method (R-REF-1, R-REF-3)',
    payload: z.strictObject({
      refundId: Text(200, 'Refund id', 'The refund being reported'),
      reason: Text(2000, 'Why it failed', 'Why it failed, e.g. card expired'),
    }),
    probe: (c) => ({ refundId: c.refunds.at(-1)?.id ?? 'none', reason: 'probe' }),
    check: (c, p) => pendingRefundProblems(c, p.refundId),
  }),
  'agent.retryRefund': define({
    roles: ['agent'],
    label: 'Retry the refund',
    done: 'retried the refund',
    rule: 'R-REF-3',
    description: 'Try the account behind the method again after both attempts failed (R-REF-3)',
    payload: none,
    probe: () => ({}),
  }),
  'chargeback.filed': define({
    roles: ['system'],
    label: 'Report a chargeback',
    done: 'reported a chargeback',
    rule: null,
    description: 'The buyer filed a chargeback: the case moves to the payment provider',
    payload: z.strictObject({ reference: Text(200, 'Provider’s case reference', 'The provider’s case reference') }),
    probe: () => ({ reference: 'probe' }),
  }),
  'deadline.sellerResponse': deadlineEvent('sellerResponse'),
  'deadline.negotiationEnd': deadlineEvent('negotiationEnd'),
  'deadline.evidenceRequest': deadlineEvent('evidenceRequest'),
  'deadline.decisionDue': deadlineEvent('decisionDue'),
  'deadline.appealWindow': deadlineEvent('appealWindow'),
  'deadline.returnShipment': deadlineEvent('returnShipment'),
  'deadline.returnDelivery': deadlineEvent('returnDelivery'),
  'deadline.returnConfirmation': deadlineEvent('returnConfirmation'),
  'deadline.refundOverdue': deadlineEvent('refundOverdue'),
  'deadline.protectionEnd': deadlineEvent('protectionEnd'),
} satisfies Record<string, EventDefinition<z.ZodType>>;

export type EventType = keyof typeof eventCatalog;
export const eventTypes = Object.keys(eventCatalog) as EventType[];

export const ActorSchema = z.strictObject({
  role: z.enum(['buyer', 'seller', 'agent', 'system']),
  id: z.string().trim().min(1).max(200),
});

/** The payload of an event, as clients send it (without `type`, `at`, `by`). */
export type EventPayload<T extends EventType> = EmptyAsNothing<z.output<(typeof eventCatalog)[T]['payload']>>;

/** The payload of an event as a client may write it (fields with defaults optional). */
export type EventPayloadInput<T extends EventType> = EmptyAsNothing<z.input<(typeof eventCatalog)[T]['payload']>>;

/** zod infers an empty strict object as `Record<string, never>`, which no stamped event satisfies. */
type EmptyAsNothing<O> = string extends keyof O ? object : O;

/** An event as the machine receives it: typed, stamped with its instant and sender. */
export type DisputeEvent = {
  [T in EventType]: { type: T; at: string; by: z.infer<typeof ActorSchema> } & EventPayload<T>;
}[EventType];

/** Which roles may send each event type (the role table). */
export const eventRoles: Readonly<Record<EventType, readonly Role[]>> = Object.fromEntries(eventTypes.map((t) => [t, eventCatalog[t].roles])) as Record<
  EventType,
  readonly Role[]
>;

export function isEventType(type: unknown): type is EventType {
  return typeof type === 'string' && Object.hasOwn(eventCatalog, type);
}
