import type { DisputeContext } from './context.ts';
import { deadlineNames, type DeadlineName } from './deadline-names.ts';
import { defaultPolicy } from './policy.ts';
import type { PolicyRuleId } from './rule-ids.ts';
import { addBusinessDays, addDays, businessDayWords, dayWords as days } from './time.ts';

/**
 * Every deadline of the dispute, declared once: which event fires, how long, from which anchor,
 * and which rule it enforces. A waiting state arms its deadline on entry (the due time goes into
 * `context.deadlines`) and disarms it on exit; the runtime mirrors armed deadlines into durable
 * rows and fires each as an ordinary event stamped with its due time (R-GEN-4).
 *
 * `priority` orders deadlines due at the same instant (R-GEN-4): lower fires first, so the
 * seller's response window (R-NEG-1) beats the end of negotiation (R-NEG-4).
 */
export interface DeadlineDefinition {
  event: `deadline.${string}`;
  /** What a person calls it, e.g. "Seller’s response window". */
  label: string;
  rule: PolicyRuleId;
  priority: number;
  /** What the duration counts from. `stateEntry` is the instant the waiting state was entered. */
  anchor: 'openedAt' | 'stateEntry' | 'decision' | 'protectionEnd';
  /** A human-readable length, for diagrams and the machine's JSON. */
  length: string;
  /** How long it runs under this dispute's frozen policy, in words, e.g. "5 days". */
  lengthIn: (context: DisputeContext) => string;
  /** What happens when it fires. */
  effect: string;
  /** Firing only flags the dispute overdue (a service level), it moves no state. */
  flagsOverdue: boolean;
  dueAt: (context: DisputeContext, enteredAt: string) => string;
}

/**
 * R-RET-5 came after disputes were already running: a dispute frozen under a policy without it
 * (R-GEN-2) takes the documented default rather than no deadline at all.
 */
const returnDeliveryDays = (c: DisputeContext) => (c.policy.returns.deliveryDays as number | undefined) ?? defaultPolicy.returns.deliveryDays;

export const deadlineDefinitions: Readonly<Record<DeadlineName, DeadlineDefinition>> = {
  sellerResponse: {
    event: 'deadline.sellerResponse',
    label: 'Seller’s response window',
    rule: 'R-NEG-1',
    priority: 10,
    anchor: 'openedAt',
    length: 'negotiation.sellerResponseDays days',
    lengthIn: (c) => days(c.policy.negotiation.sellerResponseDays),
    effect: 'the refund the buyer asked for executes automatically',
    flagsOverdue: false,
    dueAt: (c) => addDays(c.openedAt, c.policy.negotiation.sellerResponseDays),
  },
  negotiationEnd: {
    event: 'deadline.negotiationEnd',
    label: 'End of negotiation',
    rule: 'R-NEG-4',
    priority: 20,
    anchor: 'openedAt',
    length: 'negotiation.maxDays days',
    lengthIn: (c) => days(c.policy.negotiation.maxDays),
    effect: 'the dispute goes to a platform agent to decide',
    flagsOverdue: false,
    dueAt: (c) => addDays(c.openedAt, c.policy.negotiation.maxDays),
  },
  evidenceRequest: {
    event: 'deadline.evidenceRequest',
    label: 'Time to answer the evidence request',
    rule: 'R-ESC-5',
    priority: 30,
    anchor: 'stateEntry',
    length: 'escalation.evidenceRequestDays days',
    lengthIn: (c) => days(c.policy.escalation.evidenceRequestDays),
    effect: 'the case goes back to the agent with the evidence at hand',
    flagsOverdue: false,
    dueAt: (c, enteredAt) => addDays(enteredAt, c.policy.escalation.evidenceRequestDays),
  },
  decisionDue: {
    event: 'deadline.decisionDue',
    label: 'Agent’s decision due',
    rule: 'R-ESC-1',
    priority: 40,
    anchor: 'stateEntry',
    length: 'escalation.decisionDays days',
    lengthIn: (c) => days(c.policy.escalation.decisionDays),
    effect: 'the decision is flagged overdue (nothing is decided automatically)',
    flagsOverdue: true,
    dueAt: (c, enteredAt) => addDays(enteredAt, c.policy.escalation.decisionDays),
  },
  appealWindow: {
    event: 'deadline.appealWindow',
    label: 'Appeal window',
    rule: 'R-APL-1',
    priority: 50,
    anchor: 'decision',
    length: 'appeal.windowDays days',
    lengthIn: (c) => days(c.policy.appeal.windowDays),
    effect: 'the decision becomes final',
    flagsOverdue: false,
    // Stryker disable next-line OptionalChaining,LogicalOperator: equivalent, armed on the decision's own step (entered at decision.at)
    dueAt: (c, enteredAt) => addDays(c.decision?.at ?? enteredAt, c.policy.appeal.windowDays),
  },
  returnShipment: {
    event: 'deadline.returnShipment',
    label: 'Time to ship the item back',
    rule: 'R-RET-1',
    priority: 60,
    anchor: 'stateEntry',
    length: 'returns.shipBackDays days',
    lengthIn: (c) => days(c.policy.returns.shipBackDays),
    effect: 'the dispute closes in the seller’s favour',
    flagsOverdue: false,
    dueAt: (c, enteredAt) => addDays(enteredAt, c.policy.returns.shipBackDays),
  },
  returnDelivery: {
    event: 'deadline.returnDelivery',
    label: 'Time for the return to arrive',
    rule: 'R-RET-5',
    priority: 65,
    anchor: 'stateEntry',
    length: 'returns.deliveryDays days',
    lengthIn: (c) => days(returnDeliveryDays(c)),
    effect: 'an agent decides, as for a missing return',
    flagsOverdue: false,
    dueAt: (c, enteredAt) => addDays(enteredAt, returnDeliveryDays(c)),
  },
  returnConfirmation: {
    event: 'deadline.returnConfirmation',
    label: 'Seller’s time to confirm the return',
    rule: 'R-RET-2',
    priority: 70,
    anchor: 'stateEntry',
    length: 'returns.sellerConfirmationDays days',
    lengthIn: (c) => days(c.policy.returns.sellerConfirmationDays),
    effect: 'the refund executes without the seller’s confirmation',
    flagsOverdue: false,
    dueAt: (c, enteredAt) => addDays(enteredAt, c.policy.returns.sellerConfirmationDays),
  },
  refundOverdue: {
    event: 'deadline.refundOverdue',
    label: 'Refund settlement window',
    rule: 'R-REF-3',
    priority: 80,
    anchor: 'stateEntry',
    length: 'settlement[payment method].maxBusinessDays business days',
    lengthIn: (c) => businessDayWords(c.policy.settlement[c.order.paymentMethod].maxBusinessDays),
    effect: 'the refund is flagged overdue',
    flagsOverdue: true,
    dueAt: (c, enteredAt) => addBusinessDays(enteredAt, c.policy.settlement[c.order.paymentMethod].maxBusinessDays),
  },
  protectionEnd: {
    event: 'deadline.protectionEnd',
    label: 'End of buyer protection',
    rule: 'R-FUND-3',
    priority: 90,
    anchor: 'protectionEnd',
    length: 'opening.protectionDays days after completion',
    lengthIn: (c) => days(c.policy.opening.protectionDays) + ' after completion',
    effect: 'the held payment is released to the seller',
    flagsOverdue: false,
    dueAt: (c) => c.protectionEndsAt,
  },
};

export { deadlineNames, type DeadlineName };

/** The deadline a `deadline.*` event type belongs to. */
export function deadlineForEvent(eventType: string): DeadlineName | undefined {
  return deadlineNames.find((name) => deadlineDefinitions[name].event === eventType);
}
