/**
 * The actions of the case itself: deadlines, negotiation, escalation, evidence requests,
 * decisions and appeals, messages, cancellation. Each updates context only; effects are in
 * `money-actions.ts`.
 */
import { assertEvent, assign } from 'xstate';
import type { DisputeContext } from '../context.ts';
import { deadlineDefinitions } from '../deadlines.ts';
import type { DeadlineName } from '../deadline-names.ts';
import { decisionFrom, resolutionFromAgreement, resolutionFromDecision } from '../rules.ts';
import { chartBase, instantOf } from './base.ts';

/** The escalation of a dispute that has one: the actions that change it run only after recordEscalation. */
const escalationOf = (context: DisputeContext) => context.escalation as NonNullable<DisputeContext['escalation']>;

export const withCaseActions = chartBase.extend({
  actions: {
    armDeadline: assign(({ context, event }, params: { name: DeadlineName }) => {
      const definition = deadlineDefinitions[params.name];
      const dueAt = definition.dueAt(context, instantOf(event, context));
      return { deadlines: { ...context.deadlines, [params.name]: { event: definition.event, dueAt } } };
    }),
    disarmDeadline: assign(({ context }, params: { name: DeadlineName }) => {
      const { [params.name]: _disarmed, ...rest } = context.deadlines;
      return { deadlines: rest };
    }),
    recordSellerResponse: assign(({ context, event }, params: { kind: NonNullable<DisputeContext['sellerResponse']>['kind'] }) => ({
      sellerResponse: {
        kind: params.kind,
        reason: event.type === 'seller.reject' ? event.reason : null,
        at: instantOf(event, context),
      },
    })),
    /** R-NEG-1, R-NEG-2: refund as requested. */
    agreeOnRequest: assign(({ context, event }, params: { source: 'seller_accepted' | 'seller_silent' }) => ({
      resolution: resolutionFromAgreement(context, params.source, context.request.total, instantOf(event, context)),
      offer: null,
      proposal: null,
    })),
    recordCounterOffer: assign(({ event }) => {
      assertEvent(event, 'seller.counterOffer');
      return {
        offer: { by: event.by.id, kind: 'partial_refund' as const, amount: event.amount, note: event.note ?? null, at: event.at },
        proposal: null,
      };
    }),
    recordReshipmentOffer: assign(({ event }) => {
      assertEvent(event, 'seller.offerReshipment');
      return {
        offer: { by: event.by.id, kind: 'reshipment' as const, amount: null, note: event.note ?? null, at: event.at },
        proposal: null,
      };
    }),
    declineOffer: assign({ offer: null }),
    recordProposal: assign(({ event }) => {
      assertEvent(event, 'buyer.proposeAmount');
      return { proposal: { by: event.by.id, amount: event.amount, at: event.at }, offer: null };
    }),
    declineProposal: assign({ proposal: null }),
    /** R-NEG-3. */
    agreeOnOffer: assign(({ context, event }) => ({
      // Stryker disable next-line OptionalChaining: equivalent, taken only in offerPending, which is entered with the offer recorded
      resolution: resolutionFromAgreement(context, 'offer_accepted', context.offer?.amount ?? 0, instantOf(event, context)),
    })),
    agreeOnProposal: assign(({ context, event }) => ({
      // Stryker disable next-line OptionalChaining: equivalent, taken only in proposalPending, which is entered with the proposal recorded
      resolution: resolutionFromAgreement(context, 'proposal_accepted', context.proposal?.amount ?? 0, instantOf(event, context)),
    })),
    /** R-NEG-7: the automatic offer is a refund without return. */
    agreeOnAutomaticOffer: assign(({ context, event }) => ({
      // Stryker disable next-line OptionalChaining: equivalent, taken only when the automatic offer stands (automaticOfferStands)
      resolution: resolutionFromAgreement(context, 'automatic_offer', context.automaticOffer?.amount ?? 0, instantOf(event, context)),
    })),
    recordEscalation: assign(({ context, event }, params: { cause: NonNullable<DisputeContext['escalation']>['cause'] }) => ({
      escalation: { cause: params.cause, by: event.by, at: instantOf(event, context), agentId: null, decisionOverdue: false },
      offer: null,
      proposal: null,
      resolution: null,
    })),
    assignAgent: assign(({ context, event }) => ({
      escalation: { ...escalationOf(context), agentId: event.by.id },
    })),
    unassignAgent: assign(({ context }) => ({
      escalation: { ...escalationOf(context), agentId: null },
    })),
    /** R-ESC-1: overdue is flagged, never auto-decided. */
    flagDecisionOverdue: assign(({ context }) => ({
      escalation: { ...escalationOf(context), decisionOverdue: true },
    })),
    recordEvidenceRequest: assign(({ event }) => {
      assertEvent(event, 'agent.requestEvidence');
      return { evidenceRequest: { from: event.from, note: event.note, by: event.by.id, requestedAt: event.at, answeredAt: null } };
    }),
    answerEvidenceRequest: assign(({ context, event }) => ({
      evidenceRequest: context.evidenceRequest && { ...context.evidenceRequest, answeredAt: instantOf(event, context) },
    })),
    /** R-ESC-2..4: the decision and the resolution it leads to. */
    recordDecision: assign(({ context, event }, params: { onAppeal: boolean }) => {
      assertEvent(event, ['agent.decide', 'agent.decideAppeal']);
      const decision = decisionFrom(context, event, event.by.id, event.at, { onAppeal: params.onAppeal, sellerFraud: false });
      return { decision, resolution: resolutionFromDecision(context, decision) };
    }),
    /** R-ESC-6: confirmed seller fraud refunds everything paid. */
    recordSellerFraud: assign(({ context, event }) => {
      assertEvent(event, 'agent.confirmSellerFraud');
      const decision = decisionFrom(
        context,
        {
          outcome: 'buyer_full_refund',
          reason: event.reason,
          // Stryker disable next-line BooleanLiteral: equivalent, a full refund includes shipping whatever this flag says (decisionRefund)
          refundShipping: true,
          itemUnusable: false,
          returnRequired: false,
          sellerPaysReturnShipping: false,
        },
        event.by.id,
        event.at,
        { onAppeal: false, sellerFraud: true },
      );
      return { decision, resolution: resolutionFromDecision(context, decision) };
    }),
    recordAppeal: assign(({ context, event }) => {
      assertEvent(event, 'appeal.file');
      return {
        appeal: { count: context.appeal.count + 1, filedBy: event.by, filedAt: event.at, reason: event.reason, previousDecision: context.decision },
        escalation: { ...escalationOf(context), decisionOverdue: false },
      };
    }),
    /** R-NEG-8: the message itself lives in the history; the state does not change. */
    countMessage: assign(({ context }) => ({ messageCount: context.messageCount + 1 })),
    /** R-EVID-3. */
    addEvidence: assign(({ context, event }) => {
      assertEvent(event, 'evidence.add');
      return { evidenceIds: [...context.evidenceIds, event.evidenceId] };
    }),
    /** R-EVID-3: hidden, never destroyed. */
    hideEvidence: assign(({ context, event }) => {
      assertEvent(event, 'evidence.hide');
      return { hiddenEvidenceIds: [...context.hiddenEvidenceIds, event.evidenceId] };
    }),
    /** R-REF-5: recorded; the dispute is not reopened. */
    recordLateReceipt: assign(({ event }) => {
      assertEvent(event, 'buyer.itemReceived');
      return { lateReceipt: { at: event.at, by: event.by.id } };
    }),
    /** R-NEG-6. */
    recordCancellation: assign(({ event }) => {
      assertEvent(event, 'buyer.cancel');
      return { cancellation: { by: event.by.id, at: event.at, reason: event.reason ?? null } };
    }),
    recordChargeback: assign(({ event }) => {
      assertEvent(event, 'chargeback.filed');
      return { chargeback: { reference: event.reference, at: event.at } };
    }),
  },
});
