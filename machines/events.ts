import { z } from 'zod';
import type { DisputeContext, Problem, Role } from './context.ts';
import { deadlineDefinitions, type DeadlineName } from './deadlines.ts';
import { PositiveMinorUnits } from './order.ts';
import { counterOfferProblems, decisionProblems, pendingRefundProblems, proposalProblems } from './rules.ts';

/**
 * Every event a dispute accepts: its payload schema (plain zod 4 with `.meta()`, turned into
 * OpenAPI by the server), the roles allowed to send it, and, where the limits depend on the
 * dispute, a check that explains a refusal field by field.
 *
 * On the wire an event is `{ type, ...payload }`; the shell adds `at` (its clock) and `by`
 * (the caller) before it reaches the machine.
 */
const Text = (max: number, description: string) => z.string().trim().min(1).max(max).meta({ description });
const none = z.strictObject({});

const DecisionPayload = z
  .strictObject({
    outcome: z.enum(['buyer_full_refund', 'buyer_partial_refund', 'seller_wins']).meta({ description: 'R-ESC-2: the outcome of the dispute' }),
    amount: PositiveMinorUnits.optional().meta({
      description: 'Partial refunds only: the refund for the item itself (minor units)',
    }),
    refundShipping: z.boolean().meta({ description: 'R-ESC-4: partial refunds of an unusable item may add the shipping cost' }).default(false),
    itemUnusable: z.boolean().meta({ description: 'The agent finds the item unusable' }).default(false),
    returnRequired: z.boolean().optional().meta({ description: 'return_and_refund only: the buyer returns the goods first (default: with a full refund)' }),
    sellerPaysReturnShipping: z.boolean().meta({ description: 'R-RET-4: the seller pays the return shipping' }).default(false),
    reason: Text(4000, 'R-ESC-2: the written reason for the decision'),
    overrideReason: Text(4000, 'R-ESC-3: why a partial refund falls outside the expected band').optional(),
  })
  .superRefine((d, ctx) => {
    if (d.outcome === 'buyer_partial_refund' && d.amount === undefined) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'a partial refund needs an amount' });
    }
    if (d.outcome !== 'buyer_partial_refund' && d.amount !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `amount applies to buyer_partial_refund only` });
    }
  });

interface EventDefinition<P extends z.ZodType = z.ZodType> {
  roles: readonly Role[];
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
    description: `${deadlineDefinitions[name].rule}: fired by the scheduler at its due time: ${deadlineDefinitions[name].effect}`,
    payload: none,
    probe: () => ({}),
  });

const partialAmount = z.strictObject({
  amount: PositiveMinorUnits.meta({ description: 'Refund for the item, minor units' }),
  note: Text(2000, 'A note to the other party').optional(),
});

export const eventCatalog = {
  'seller.accept': define({
    roles: ['seller'],
    description: 'R-NEG-2: accept the request (or the buyer’s proposal on the table): refund as agreed',
    payload: none,
    probe: () => ({}),
  }),
  'seller.reject': define({
    roles: ['seller'],
    description: 'R-NEG-2: reject the request',
    payload: z.strictObject({ reason: Text(2000, 'Why the seller rejects') }),
    probe: () => ({ reason: 'probe' }),
  }),
  'seller.counterOffer': define({
    roles: ['seller'],
    description: 'R-NEG-2: offer a partial refund without return',
    payload: partialAmount,
    probe: () => ({ amount: 1 }),
    check: (c, p) => counterOfferProblems(c, p.amount),
    maxima: (c) => ({ amount: c.request.total - 1 }),
  }),
  'seller.offerReshipment': define({
    roles: ['seller'],
    description: 'R-NEG-2: offer to ship the item again',
    payload: z.strictObject({ note: Text(2000, 'A note to the buyer').optional() }),
    probe: () => ({}),
  }),
  'buyer.acceptOffer': define({
    roles: ['buyer'],
    description: 'R-NEG-3: accept the seller’s offer',
    payload: none,
    probe: () => ({}),
  }),
  'buyer.rejectOffer': define({
    roles: ['buyer'],
    description: 'R-NEG-3: reject the seller’s offer',
    payload: z.strictObject({ reason: Text(2000, 'Why the buyer rejects').optional() }),
    probe: () => ({}),
  }),
  'buyer.proposeAmount': define({
    roles: ['buyer'],
    description: 'R-NEG-3: propose a new refund amount to the seller',
    payload: partialAmount,
    probe: () => ({ amount: 1 }),
    check: (c, p) => proposalProblems(c, p.amount),
    maxima: (c) => ({ amount: c.request.total }),
  }),
  'buyer.acceptAutomaticOffer': define({
    roles: ['buyer'],
    description: 'R-NEG-7: take the automatic partial refund without return',
    payload: none,
    probe: () => ({}),
  }),
  'buyer.escalate': define({
    roles: ['buyer'],
    description: 'R-NEG-5: ask the platform to decide',
    payload: z.strictObject({ reason: Text(2000, 'Why the buyer escalates').optional() }),
    probe: () => ({}),
  }),
  'buyer.cancel': define({
    roles: ['buyer'],
    description: 'R-NEG-6: withdraw the dispute (it cannot be opened again: R-OPEN-3)',
    payload: z.strictObject({ reason: Text(2000, 'Why the buyer cancels').optional() }),
    probe: () => ({}),
  }),
  'buyer.shipReturn': define({
    roles: ['buyer'],
    description: 'R-RET-1: the buyer shipped the item back',
    payload: z.strictObject({
      carrier: Text(100, 'Carrier name'),
      trackingNumber: Text(100, 'Tracking number of the return shipment'),
    }),
    probe: () => ({ carrier: 'probe', trackingNumber: 'probe' }),
  }),
  'buyer.itemReceived': define({
    roles: ['buyer'],
    description: 'R-REF-5: the item arrived after all; recorded, the dispute is not reopened',
    payload: z.strictObject({ note: Text(2000, 'What arrived').optional() }),
    probe: () => ({}),
  }),
  'return.delivered': define({
    roles: ['system', 'seller'],
    description: 'R-RET-2: the returned item was delivered to the seller (carrier callback or the seller)',
    payload: none,
    probe: () => ({}),
  }),
  'seller.confirmReturn': define({
    roles: ['seller'],
    description: 'R-RET-2: the seller confirms the returned item: the refund executes',
    payload: none,
    probe: () => ({}),
  }),
  'seller.reportReturnProblem': define({
    roles: ['seller'],
    description: 'R-RET-3: the returned item is missing or different: an agent decides',
    payload: z.strictObject({
      problem: z.enum(['missing', 'different']),
      description: Text(4000, 'What the seller found'),
    }),
    probe: () => ({ problem: 'missing' as const, description: 'probe' }),
  }),
  'message.send': define({
    roles: ['buyer', 'seller'],
    description: 'R-NEG-8: a message to the other party; recorded, never changes the state',
    payload: z.strictObject({ body: Text(4000, 'The message') }),
    probe: () => ({ body: 'probe' }),
  }),
  'evidence.add': define({
    roles: ['buyer', 'seller', 'agent'],
    description: 'R-EVID-3: evidence added to the case (answers an agent’s request when it comes from the party asked)',
    payload: z.strictObject({ evidenceId: Text(200, 'Id of the stored evidence file') }),
    probe: () => ({ evidenceId: 'probe' }),
  }),
  'evidence.hide': define({
    roles: ['buyer', 'seller', 'agent'],
    description: 'R-EVID-3: hide evidence from the case; it stays in the history with its sha256',
    payload: z.strictObject({ evidenceId: Text(200, 'Id of the evidence to hide') }),
    probe: (c) => ({ evidenceId: c.evidenceIds.find((id) => !c.hiddenEvidenceIds.includes(id)) ?? 'none' }),
  }),
  'agent.assign': define({
    roles: ['agent'],
    description: 'R-ESC-1: an agent takes the case from the queue',
    payload: none,
    probe: () => ({}),
  }),
  'agent.unassign': define({
    roles: ['agent'],
    description: 'The assigned agent puts the case back in the queue',
    payload: none,
    probe: () => ({}),
  }),
  'agent.requestEvidence': define({
    roles: ['agent'],
    description: 'R-ESC-5: ask a party for more evidence, with a deadline',
    payload: z.strictObject({
      from: z.enum(['buyer', 'seller']),
      note: Text(2000, 'What evidence is needed'),
    }),
    probe: () => ({ from: 'buyer' as const, note: 'probe' }),
  }),
  'agent.decide': define({
    roles: ['agent'],
    description: 'R-ESC-2..4: decide the dispute',
    payload: DecisionPayload,
    probe: () => DecisionPayload.parse({ outcome: 'buyer_full_refund', reason: 'probe' }),
    check: decisionProblems,
    maxima: (c) => ({ amount: c.order.price - 1 }),
  }),
  'agent.confirmSellerFraud': define({
    roles: ['agent'],
    description: 'R-ESC-6: seller fraud confirmed: full refund',
    payload: z.strictObject({ reason: Text(4000, 'What the fraud was') }),
    probe: () => ({ reason: 'probe' }),
  }),
  'appeal.file': define({
    roles: ['buyer', 'seller'],
    description: 'R-APL-1: appeal the decision, once, within the window',
    payload: z.strictObject({ reason: Text(4000, 'Why the decision is wrong') }),
    probe: () => ({ reason: 'probe' }),
  }),
  'agent.decideAppeal': define({
    roles: ['agent'],
    description: 'R-APL-2: another agent decides the appeal; final',
    payload: DecisionPayload,
    probe: () => DecisionPayload.parse({ outcome: 'buyer_full_refund', reason: 'probe' }),
    check: decisionProblems,
    maxima: (c) => ({ amount: c.order.price - 1 }),
  }),
  'refund.settled': define({
    roles: ['system'],
    description: 'R-REF-2: the payment provider settled the refund',
    payload: z.strictObject({ refundId: Text(200, 'The refund being reported') }),
    probe: (c) => ({ refundId: c.refunds.at(-1)?.id ?? 'none' }),
    check: (c, p) => pendingRefundProblems(c, p.refundId),
  }),
  'refund.failed': define({
    roles: ['system'],
    description: 'R-REF-1, R-REF-3: the refund failed; it is retried to the account behind the method',
    payload: z.strictObject({
      refundId: Text(200, 'The refund being reported'),
      reason: Text(2000, 'Why it failed, e.g. card expired'),
    }),
    probe: (c) => ({ refundId: c.refunds.at(-1)?.id ?? 'none', reason: 'probe' }),
    check: (c, p) => pendingRefundProblems(c, p.refundId),
  }),
  'agent.retryRefund': define({
    roles: ['agent'],
    description: 'R-REF-3: try the account behind the method again after both attempts failed',
    payload: none,
    probe: () => ({}),
  }),
  'chargeback.filed': define({
    roles: ['system'],
    description: 'The buyer filed a chargeback: the case moves to the payment provider',
    payload: z.strictObject({ reference: Text(200, 'The provider’s case reference') }),
    probe: () => ({ reference: 'probe' }),
  }),
  'deadline.sellerResponse': deadlineEvent('sellerResponse'),
  'deadline.negotiationEnd': deadlineEvent('negotiationEnd'),
  'deadline.evidenceRequest': deadlineEvent('evidenceRequest'),
  'deadline.decisionDue': deadlineEvent('decisionDue'),
  'deadline.appealWindow': deadlineEvent('appealWindow'),
  'deadline.returnShipment': deadlineEvent('returnShipment'),
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
