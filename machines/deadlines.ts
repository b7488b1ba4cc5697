import type { DisputeContext } from './context.ts';
import { deadlineNames, type DeadlineName } from './deadline-names.ts';
import { addBusinessDays, addDays } from './time.ts';

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
  rule: string;
  priority: number;
  /** What the duration counts from. `stateEntry` is the instant the waiting state was entered. */
  anchor: 'openedAt' | 'stateEntry' | 'decision' | 'protectionEnd';
  /** A human-readable length, for diagrams and the machine's JSON. */
  length: string;
  /** What happens when it fires. */
  effect: string;
  /** Firing only flags the dispute overdue (a service level), it moves no state. */
  flagsOverdue: boolean;
  dueAt: (context: DisputeContext, enteredAt: string) => string;
}

export const deadlineDefinitions: Readonly<Record<DeadlineName, DeadlineDefinition>> = {
  sellerResponse: {
    event: 'deadline.sellerResponse',
    rule: 'R-NEG-1',
    priority: 10,
    anchor: 'openedAt',
    length: 'negotiation.sellerResponseDays days',
    effect: 'refund as requested',
    flagsOverdue: false,
    dueAt: (c) => addDays(c.openedAt, c.policy.negotiation.sellerResponseDays),
  },
  negotiationEnd: {
    event: 'deadline.negotiationEnd',
    rule: 'R-NEG-4',
    priority: 20,
    anchor: 'openedAt',
    length: 'negotiation.maxDays days',
    effect: 'escalate to an agent',
    flagsOverdue: false,
    dueAt: (c) => addDays(c.openedAt, c.policy.negotiation.maxDays),
  },
  evidenceRequest: {
    event: 'deadline.evidenceRequest',
    rule: 'R-ESC-5',
    priority: 30,
    anchor: 'stateEntry',
    length: 'escalation.evidenceRequestDays days',
    effect: 'back to review with the evidence at hand',
    flagsOverdue: false,
    dueAt: (c, enteredAt) => addDays(enteredAt, c.policy.escalation.evidenceRequestDays),
  },
  decisionDue: {
    event: 'deadline.decisionDue',
    rule: 'R-ESC-1',
    priority: 40,
    anchor: 'stateEntry',
    length: 'escalation.decisionDays days',
    effect: 'flag the decision overdue',
    flagsOverdue: true,
    dueAt: (c, enteredAt) => addDays(enteredAt, c.policy.escalation.decisionDays),
  },
  appealWindow: {
    event: 'deadline.appealWindow',
    rule: 'R-APL-1',
    priority: 50,
    anchor: 'decision',
    length: 'appeal.windowDays days',
    effect: 'the decision becomes final',
    flagsOverdue: false,
    dueAt: (c, enteredAt) => addDays(c.decision?.at ?? enteredAt, c.policy.appeal.windowDays),
  },
  returnShipment: {
    event: 'deadline.returnShipment',
    rule: 'R-RET-1',
    priority: 60,
    anchor: 'stateEntry',
    length: 'returns.shipBackDays days',
    effect: 'close for the seller',
    flagsOverdue: false,
    dueAt: (c, enteredAt) => addDays(enteredAt, c.policy.returns.shipBackDays),
  },
  returnConfirmation: {
    event: 'deadline.returnConfirmation',
    rule: 'R-RET-2',
    priority: 70,
    anchor: 'stateEntry',
    length: 'returns.sellerConfirmationDays days',
    effect: 'refund without the seller’s confirmation',
    flagsOverdue: false,
    dueAt: (c, enteredAt) => addDays(enteredAt, c.policy.returns.sellerConfirmationDays),
  },
  refundOverdue: {
    event: 'deadline.refundOverdue',
    rule: 'R-REF-3',
    priority: 80,
    anchor: 'stateEntry',
    length: 'settlement[payment method].maxBusinessDays business days',
    effect: 'flag the refund overdue',
    flagsOverdue: true,
    dueAt: (c, enteredAt) => addBusinessDays(enteredAt, c.policy.settlement[c.order.paymentMethod].maxBusinessDays),
  },
  protectionEnd: {
    event: 'deadline.protectionEnd',
    rule: 'R-FUND-3',
    priority: 90,
    anchor: 'protectionEnd',
    length: 'opening.protectionDays days after completion',
    effect: 'release the held amount to the seller',
    flagsOverdue: false,
    dueAt: (c) => c.protectionEndsAt,
  },
};

export { deadlineNames, type DeadlineName };

/** The deadline a `deadline.*` event type belongs to. */
export function deadlineForEvent(eventType: string): DeadlineName | undefined {
  return deadlineNames.find((name) => deadlineDefinitions[name].event === eventType);
}
