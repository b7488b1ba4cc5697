/**
 * The dispute chart's vocabulary: its types and every guard, by name. Actions extend this in
 * `case-actions.ts` and `money-actions.ts`; the regions of the chart are state configs built on
 * the result (`setup.ts`), assembled in `../dispute.ts`.
 */
import { assertEvent, setup, stateIn } from 'xstate';
import type { DisputeContext, Refund } from '../context.ts';
import type { DeadlineName } from '../deadline-names.ts';
import type { DisputeEvent } from '../events.ts';
import type { DisputeInput } from '../order.ts';
import { appealPossible, appellantHasStake, itemWasMissing, counterOfferProblems, decisionProblems, proposalProblems, refundOutstanding } from '../rules.ts';
import type { DisputeTag } from '../stages.ts';
import { addDays, isAtOrAfter } from '../time.ts';

/** The instant of an event; the initial step (XState's own event, unstamped) takes the opening instant. */
export function instantOf(event: { type: string }, context: DisputeContext): string {
  const at = (event as { at?: unknown }).at;
  return typeof at === 'string' ? at : context.openedAt;
}

export const currentRefund = (context: DisputeContext): Refund | undefined => context.refunds.at(-1);

/** Entry and exit actions of a waiting state, and the guard of the deadline event it waits for. */
export const arm = (name: DeadlineName) => ({ type: 'armDeadline', params: { name } }) as const;
export const disarm = (name: DeadlineName) => ({ type: 'disarmDeadline', params: { name } }) as const;
export const due = (name: DeadlineName) => ({ type: 'deadlineIsDue', params: { name } }) as const;

export const chartBase = setup({
  // Stryker disable next-line ObjectLiteral: equivalent, types is read by TypeScript only; XState ignores it at run time
  types: {
    context: {} as DisputeContext,
    events: {} as DisputeEvent,
    input: {} as DisputeInput,
    tags: {} as DisputeTag,
  },
  guards: {
    /** R-REF-5. */
    itemWasMissing: ({ context }) => itemWasMissing(context.request),
    /** R-OPEN-1, -2, -5..10. */
    openingIsEligible: ({ context }) => context.openingProblems.length === 0,
    /** R-GEN-4: a deadline event counts only when armed and stamped with its due time. */
    deadlineIsDue: ({ context, event }, params: { name: DeadlineName }) => {
      const armed = context.deadlines[params.name];
      return armed !== undefined && 'at' in event && event.at === armed.dueAt;
    },
    /** R-NEG-7. */
    automaticOfferStands: ({ context }) => context.automaticOffer !== null,
    /** R-NEG-5: the buyer may escalate N days after opening. */
    escalationWaitOver: ({ context, event }) =>
      isAtOrAfter(instantOf(event, context), addDays(context.openedAt, context.policy.negotiation.buyerEscalationWaitDays)),
    /** R-NEG-2. */
    counterOfferIsValid: ({ context, event }) => {
      assertEvent(event, 'seller.counterOffer');
      return counterOfferProblems(context, event.amount).length === 0;
    },
    /** R-NEG-3. */
    proposalIsValid: ({ context, event }) => {
      assertEvent(event, 'buyer.proposeAmount');
      return proposalProblems(context, event.amount).length === 0;
    },
    /** R-NEG-3: an accepted reshipment closes the dispute as reshipped. */
    // Stryker disable next-line OptionalChaining: equivalent, asked only in offerPending, which is entered with the offer recorded
    offerIsReshipment: ({ context }) => context.offer?.kind === 'reshipment',
    // Stryker disable next-line OptionalChaining: equivalent, asked only with an agent on the case, after recordEscalation
    isAssignedAgent: ({ context, event }) => event.by.id === context.escalation?.agentId,
    /** R-ESC-2, R-ESC-3, R-ESC-4, R-REF-4. */
    decisionIsValid: ({ context, event }) => {
      assertEvent(event, ['agent.decide', 'agent.decideAppeal']);
      return decisionProblems(context, event).length === 0;
    },
    /** R-APL-2: the appeal goes to a different agent. */
    // Stryker disable next-line OptionalChaining: equivalent, asked only under appeal, which follows a decision
    isDifferentAgent: ({ context, event }) => event.by.id !== context.decision?.agentId,
    /** R-ESC-5: the evidence answers the request when the party asked sends it. */
    // Stryker disable next-line OptionalChaining: equivalent, asked only while awaiting evidence, entered with the request recorded
    fromRequestedParty: ({ context, event }) => event.by.role === context.evidenceRequest?.from,
    /** R-APL-1. */
    appealPossible: ({ context }) => appealPossible(context),
    /** R-APL-1: an allowed appellant, with something to gain, within the one appeal. */
    mayAppeal: ({ context, event }) => {
      const role = event.by.role;
      // Stryker disable next-line ConditionalExpression: equivalent when false, the policy's appellants are buyers and sellers only (its schema), so the includes below refuses any other role
      if (role !== 'buyer' && role !== 'seller') return false;
      return context.policy.appeal.appellants.includes(role) && appellantHasStake(context, role) && appealPossible(context);
    },
    /** R-RET-1: a return precedes the refund. */
    // Stryker disable next-line OptionalChaining: equivalent, the payout region runs only with a resolution (every way into resolving records one)
    returnRequired: ({ context }) => context.resolution?.returnRequired === true && context.returnShipment?.confirmedAt == null,
    /** R-REF-4: something is still owed to the buyer. */
    refundOutstanding: ({ context }) => refundOutstanding(context) > 0,
    /** R-APL-3: what goes to the seller waits for the decision to be final. */
    decisionIsFinal: stateIn('#dispute.resolving.decision.final'),
    /** R-REF-4: each refund settles or fails exactly once. */
    isCurrentRefund: ({ context, event }) => {
      assertEvent(event, ['refund.settled', 'refund.failed']);
      // Settlement's states always hold a requested refund: startRefund and redirectRefundToFallback enter them with one,
      // and a settlement or failure leaves them; so the callback must only name it.
      return (currentRefund(context) as Refund).id === event.refundId;
    },
    /** R-EVID-3: only evidence on the case, not already hidden. */
    evidenceIsShown: ({ context, event }) => {
      assertEvent(event, 'evidence.hide');
      return context.evidenceIds.includes(event.evidenceId) && !context.hiddenEvidenceIds.includes(event.evidenceId);
    },
    /** R-FUND-3. */
    protectionHasEnded: ({ context, event }) => isAtOrAfter(instantOf(event, context), context.protectionEndsAt),
    /** R-ESC-5: the agent asks the buyer (else the seller). */
    requestIsToBuyer: ({ event }) => {
      assertEvent(event, 'agent.requestEvidence');
      return event.from === 'buyer';
    },
    /** The dispute ended with money back to the buyer. */
    anythingRefunded: ({ context }) => context.funds.refunded > 0,
  },
});
