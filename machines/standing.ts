/**
 * Where a dispute stands, as the rest of the service asks it: the columns lists, the agent queue
 * and visibility are answered from. Read from the chart's tags and the context, never from state
 * labels; the step writes them beside the snapshot in the same transaction.
 */
import type { DisputeContext } from './context.ts';
import { deadlineDefinitions, deadlineNames } from './deadlines.ts';
import { stateLabel, type DisputeSnapshot } from './snapshot.ts';
import { awaitedBy, stageOf, type AwaitedParty, type Stage } from './stages.ts';
import { addDays, toMillis } from './time.ts';

export interface Standing {
  /** Dotted label of the active leaf states. */
  state: string;
  stage: Stage;
  awaiting: AwaitedParty[];
  awaitsAgent: boolean;
  /** Agents may see it: it was escalated or decided, or an agent must act on it now. */
  agentVisible: boolean;
  needsAttention: boolean;
  /** When the service level now running (a decision, a refund's settlement) is or was due. */
  overdueAt: string | null;
  /** When the agent's decision is due, while an agent must act (the queue's order). */
  decisionDueAt: string | null;
  /** The return in transit's tracking number (carrier callbacks find the dispute by it). */
  returnTracking: string | null;
  ended: boolean;
}

/** R-ESC-1: the decision awaited now is due this long after the escalation or the appeal. */
function decisionDueAt(snapshot: DisputeSnapshot): string | null {
  const c = snapshot.context;
  const armed = c.deadlines.decisionDue?.dueAt;
  // Stryker disable next-line ConditionalExpression: equivalent when false, decisionDue is armed from the instant of the very event that records the escalation or the appeal, so the recomputation below gives the same instant
  if (armed) return armed;
  // Fired already (flagged overdue, disarmed): recompute from the instant the wait began.
  const stage = stageOf(snapshot);
  // Stryker disable next-line OptionalChaining: equivalent, every way into the escalated states records the escalation (recordEscalation)
  const since = stage === 'appealed' ? c.appeal.filedAt : stage === 'escalated' ? c.escalation?.at : null;
  return since ? addDays(since, c.policy.escalation.decisionDays) : null;
}

/** R-ESC-1, R-REF-3: when the running service level is due; past once it is overdue. */
function overdueAt(snapshot: DisputeSnapshot, decisionDue: string | null, context: DisputeContext): string | null {
  const candidates: string[] = [];
  if (decisionDue) candidates.push(decisionDue);
  for (const name of deadlineNames) {
    const armed = context.deadlines[name];
    if (armed && deadlineDefinitions[name].flagsOverdue) candidates.push(armed.dueAt);
  }
  const refund = context.refunds.at(-1);
  if (context.refundOverdue && refund && snapshot.hasTag('refunding')) candidates.push(refund.expectedBy);
  if (candidates.length === 0) return null;
  // Stryker disable next-line EqualityOperator: equivalent for ties, instants are canonical strings: equal instants are equal strings
  return candidates.reduce((a, b) => (toMillis(a) <= toMillis(b) ? a : b));
}

/**
 * Agents may see a dispute once it was escalated or decided, or while one must act on it. Only an
 * escalated case is decided, and nothing clears its escalation: the escalation covers both.
 */
export function agentsMaySee(snapshot: DisputeSnapshot): boolean {
  return snapshot.hasTag('awaits:agent') || snapshot.context.escalation !== null;
}

const standings = new WeakMap<DisputeSnapshot, Standing>();

/** Where a snapshot stands (remembered per snapshot: the step and the view both ask). */
export function standingOf(snapshot: DisputeSnapshot): Standing {
  let standing = standings.get(snapshot);
  // Stryker disable next-line ConditionalExpression: equivalent, the memo only saves time (a snapshot's standing is computed the same each time)
  if (!standing) {
    standing = computeStanding(snapshot);
    standings.set(snapshot, standing);
  }
  return standing;
}

function computeStanding(snapshot: DisputeSnapshot): Standing {
  const c = snapshot.context;
  const awaiting = awaitedBy(snapshot);
  const awaitsAgent = awaiting.includes('agent');
  const decisionDue = decisionDueAt(snapshot);
  return {
    state: stateLabel(snapshot),
    stage: stageOf(snapshot),
    awaiting,
    awaitsAgent,
    agentVisible: agentsMaySee(snapshot),
    needsAttention: snapshot.hasTag('needs-attention'),
    overdueAt: overdueAt(snapshot, decisionDue, c),
    decisionDueAt: awaitsAgent ? decisionDue : null,
    returnTracking: c.returnShipment?.trackingNumber ?? null,
    ended: snapshot.hasTag('ended'),
  };
}
