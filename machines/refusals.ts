/**
 * Why the dispute does not accept an event now, in words, with the rule and, for time rules, the
 * instant the action becomes possible (`earliest`) or stopped being possible (`latest`). The
 * guards say yes or no; this says why, from the same context, so the API and the inspector can
 * tell a person what to do instead of "not accepted in state x".
 */
import type { DisputeContext, Problem } from './context.ts';
import { deadlineDefinitions, deadlineForEvent } from './deadlines.ts';
import { eventCatalog, type DisputeEvent, type EventType } from './events.ts';
import type { RefusalRuleId } from './rule-ids.ts';
import { appellantHasStake, itemWasMissing } from './rules.ts';
import { activeRegions, leafPaths, type DisputeSnapshot } from './snapshot.ts';
import { addDays, isBefore } from './time.ts';

type Explain = (c: DisputeContext, at: string, inState: (prefix: string) => boolean, event: DisputeEvent) => Problem | null;

const problem = (rule: RefusalRuleId, message: string, times: { earliest?: string; latest?: string } = {}): Problem => ({ rule, message, ...times });

/** Negotiation events after negotiation: when and how it ended. */
const negotiationOver: Explain = (c, _at, inState) => {
  if (c.escalation && inState('escalated')) {
    const how = c.escalation.cause === 'negotiation_ended' ? 'negotiation ran its full length' : 'the buyer asked the platform to decide';
    return problem('R-NEG-4', `negotiation is over: the dispute went to a platform agent at ${c.escalation.at} (${how})`, { latest: c.escalation.at });
  }
  if (c.resolution)
    return problem('R-NEG-3', `negotiation is over: the dispute was settled at ${c.resolution.at} (${c.resolution.source.replace(/_/g, ' ')})`, {
      latest: c.resolution.at,
    });
  return null;
};

const needsAssignedAgent: Explain = (c, _at, inState, event) => {
  if (inState('escalated.inQueue')) return problem('R-ESC-1', 'the case is in the agent queue: take it first (agent.assign)');
  if (inState('escalated.awaitingEvidence') && c.evidenceRequest) {
    // Stryker disable next-line OptionalChaining: equivalent, the evidence request's deadline is armed in this state
    const due = c.deadlines.evidenceRequest?.dueAt;
    return problem(
      'R-ESC-5',
      // Stryker disable next-line StringLiteral: equivalent, see above
      `waiting for evidence from the ${c.evidenceRequest.from}${due ? ` until ${due}` : ''}; the case returns to review when it arrives or then`,
      due ? { earliest: due } : {},
    );
  }
  if (c.escalation?.agentId && c.escalation.agentId !== event.by.id) return problem('R-ESC-1', `the case is assigned to agent ${c.escalation.agentId}`);
  return null;
};

/** R-APL-1, R-APL-2: every reason an appeal is refused, in the order a person would check them. */
const appealRefusal: Explain = (c, at, inState, event) => {
  const { appeal, decision, resolution, policy } = c;
  if (inState('resolving.decision.appealed')) return problem('R-APL-1', `an appeal filed at ${appeal.filedAt} is under review`);
  if (resolution?.source === 'seller_fraud') return problem('R-APL-1', 'confirmed seller fraud is final: R-ESC-6 refunds the buyer in full');
  // Past the line above, a decision always comes with its own resolution.
  if (!decision) return problem('R-APL-1', 'only a platform decision can be appealed; this dispute has none' + (resolution ? ' (the parties agreed)' : ''));
  // One appeal at most (maxAppeals is 0 or 1): once filed it is under review (above) or decided (here).
  if (decision.onAppeal) return problem('R-APL-2', `the appeal was decided at ${decision.at}; that decision is final`, { latest: decision.at });
  if (policy.appeal.maxAppeals === 0) return problem('R-APL-1', 'decisions are final under the policy this dispute was opened with');
  const party = event.by.role;
  // Stryker disable next-line ConditionalExpression: equivalent, appeal.file is parsed for buyers and sellers only (this narrows the type)
  if (party !== 'buyer' && party !== 'seller') return null;
  if (!policy.appeal.appellants.includes(party)) {
    const other = policy.appeal.appellants[0];
    return problem('R-APL-1', other ? `only the ${other} may appeal a decision` : 'nobody may appeal a decision under the policy this dispute was opened with');
  }
  if (!appellantHasStake(c, party)) return problem('R-APL-1', `the decision already gives the ${party} everything: there is nothing to appeal`);
  const closes = addDays(decision.at, policy.appeal.windowDays);
  // Stryker disable next-line ConditionalExpression: equivalent, within the window the appeal is accepted and nothing asks why not
  if (!isBefore(at, closes))
    return problem('R-APL-1', `the appeal window closed at ${closes}, ${policy.appeal.windowDays} days after the decision`, { latest: closes });
  return null;
};

const explainers: Partial<Record<EventType, Explain>> = {
  'seller.accept': negotiationOver,
  'seller.reject': (c, at, inState, e) =>
    negotiationOver(c, at, inState, e) ?? (inState('negotiating.rejected') ? problem('R-NEG-2', 'the request is rejected already') : null),
  'seller.counterOffer': negotiationOver,
  'seller.offerReshipment': negotiationOver,
  'buyer.acceptOffer': (c, at, inState, e) =>
    negotiationOver(c, at, inState, e) ?? (c.offer ? null : problem('R-NEG-3', 'there is no offer from the seller to accept')),
  'buyer.rejectOffer': (c, at, inState, e) =>
    negotiationOver(c, at, inState, e) ?? (c.offer ? null : problem('R-NEG-3', 'there is no offer from the seller to decline')),
  'buyer.proposeAmount': (c, at, inState, e) =>
    negotiationOver(c, at, inState, e) ??
    (inState('negotiating.awaitingSellerResponse')
      ? problem('R-NEG-3', 'the seller has not answered yet; propose an amount once they reject or make an offer')
      : null),
  'buyer.escalate': (c, at, inState, e) => {
    const over = negotiationOver(c, at, inState, e);
    if (over) return over;
    if (inState('negotiating.awaitingSellerResponse')) {
      // Stryker disable next-line OptionalChaining,StringLiteral: equivalent, the response deadline is armed in this state
      const due = c.deadlines.sellerResponse?.dueAt;
      return problem(
        'R-NEG-5',
        // Stryker disable next-line StringLiteral: equivalent, see above
        `the platform decides once the seller has answered; the seller has until ${due ?? 'the end of the response window'}, after which your refund executes under R-NEG-1`,
      );
    }
    const earliest = addDays(c.openedAt, c.policy.negotiation.buyerEscalationWaitDays);
    return isBefore(at, earliest)
      ? problem('R-NEG-5', `you may ask the platform to decide ${c.policy.negotiation.buyerEscalationWaitDays} days after opening: from ${earliest}`, {
          earliest,
        })
      : null;
  },
  'buyer.acceptAutomaticOffer': (c, at, inState, e) =>
    negotiationOver(c, at, inState, e) ??
    (c.automaticOffer ? null : problem('R-NEG-7', 'this dispute has no automatic offer: only low-priced items with a problem get one')),
  'buyer.cancel': (c) =>
    c.resolution
      ? problem('R-NEG-6', `a dispute can be withdrawn only before an agreement or a decision; it was settled at ${c.resolution.at}`, {
          latest: c.resolution.at,
        })
      : null,
  'buyer.shipReturn': (c) => {
    if (c.returnShipment) return problem('R-RET-1', `the return was reported shipped at ${c.returnShipment.shippedAt}`);
    return c.resolution?.returnRequired ? null : problem('R-RET-1', 'no return is required for this dispute');
  },
  'return.delivered': (c) => (c.returnShipment ? null : problem('R-RET-2', 'no return has been reported shipped yet')),
  'seller.confirmReturn': (c) => (c.returnShipment?.deliveredAt ? null : problem('R-RET-2', 'the return has not been reported delivered yet')),
  'seller.reportReturnProblem': (c) => (c.returnShipment?.deliveredAt ? null : problem('R-RET-3', 'the return has not been reported delivered yet')),
  'buyer.itemReceived': (c) =>
    itemWasMissing(c.request) ? null : problem('R-REF-5', 'only an item the dispute said never arrived can be reported arrived after all'),
  'agent.assign': (c) => (c.escalation?.agentId ? problem('R-ESC-1', `the case is assigned to agent ${c.escalation.agentId} already`) : null),
  'agent.unassign': needsAssignedAgent,
  'agent.requestEvidence': needsAssignedAgent,
  'agent.decide': needsAssignedAgent,
  'agent.confirmSellerFraud': needsAssignedAgent,
  'appeal.file': appealRefusal,
  'agent.decideAppeal': (c, _at, inState, event) =>
    // Stryker disable next-line ConditionalExpression,OptionalChaining: equivalent, under appeal there is a decision, and another agent's appeal decision is refused only for its payload (422)
    inState('resolving.decision.appealed') && c.decision?.agentId === event.by.id
      ? problem('R-APL-2', 'a different agent decides the appeal: you made the decision under appeal')
      : null,
  'agent.retryRefund': () => problem('R-REF-3', 'an agent retries a refund only after both the payment method and the account behind it failed'),
  'evidence.hide': (c, _at, _in, event) => {
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent, the event is evidence.hide (this narrows the type)
    const id = 'evidenceId' in event ? event.evidenceId : '';
    if (c.hiddenEvidenceIds.includes(id)) return problem('R-EVID-3', `evidence ${id} is hidden already`);
    return c.evidenceIds.includes(id) ? null : problem('R-EVID-3', `evidence ${id} is not on this case`);
  },
};

/** A deadline event that is not due: when it is, or that it is not running. */
function deadlineRefusal(c: DisputeContext, type: EventType): Problem | null {
  const name = deadlineForEvent(type);
  if (!name) return null;
  const armed = c.deadlines[name];
  const { label, rule } = deadlineDefinitions[name];
  return armed
    ? problem('R-GEN-4', `${label}, set by ${rule}, is due at ${armed.dueAt}`, { earliest: armed.dueAt })
    : problem('R-GEN-4', `${label}, set by ${rule}, is not running`);
}

/** Why `event` is not accepted by the dispute as it stands: at least one problem, with its rule. */
export function refusalProblems(snapshot: DisputeSnapshot, event: DisputeEvent): Problem[] {
  const c = snapshot.context;
  const definition = eventCatalog[event.type];
  const leaves = leafPaths(snapshot.value);
  const inState = (prefix: string) => leaves.some((leaf) => leaf === prefix || leaf.startsWith(`${prefix}.`));
  const where = activeRegions(snapshot)
    .map((r) => r.label.toLowerCase())
    .join('; ');
  const specific = deadlineRefusal(c, event.type) ?? explainers[event.type]?.(c, event.at, inState, event) ?? null;
  if (specific) return [specific];
  // Stryker disable next-line ConditionalExpression: equivalent, every final state carries the 'ended' tag
  if (snapshot.status !== 'active' || snapshot.hasTag('ended')) {
    // Stryker disable next-line OptionalChaining,StringLiteral: equivalent, an ended dispute has its outcome
    const closedAt = c.outcome?.at;
    // Stryker disable next-line StringLiteral: equivalent, see above
    const since = closedAt ? ` since ${closedAt}` : '';
    const what =
      event.type === 'message.send' ? 'messages are sent' : event.type.startsWith('evidence.') ? 'evidence is added' : `“${definition.label}” is possible`;
    return [problem(definition.rule ?? 'EVENT', `the dispute is closed (${where})${since}: ${what} only while it runs`, closedAt ? { latest: closedAt } : {})];
  }
  return [problem(definition.rule ?? 'EVENT', `“${definition.label}” is not possible while the dispute is at: ${where}`)];
}
