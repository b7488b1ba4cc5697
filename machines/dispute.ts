import { and, assertEvent, assign, enqueueActions, setup, stateIn } from 'xstate';
import type { Actor, DisputeContext, EndName, Refund, Split } from './context.ts';
import { deadlineDefinitions, type DeadlineName } from './deadlines.ts';
import type { DisputeEvent } from './events.ts';
import type { DisputeInput } from './order.ts';
import {
  appealPossible,
  appellantHasStake,
  automaticOfferFor,
  committedRefunds,
  counterOfferProblems,
  decisionFrom,
  decisionProblems,
  openingProblems,
  paidForItem,
  proposalProblems,
  protectionEndsAt,
  refundOutstanding,
  requestedTotal,
  resolutionFromAgreement,
  resolutionFromDecision,
} from './rules.ts';
import { addBusinessDays, addDays, isAtOrAfter } from './time.ts';

/**
 * Bumped whenever a change to the chart or its context would make an old snapshot mean
 * something else; the runtime refuses (or migrates) snapshots written by another version.
 */
export const disputeMachineVersion = 1;

/** The instant of an event; the initial step is stamped with the opening instant. */
function instantOf(event: { type: string }, context: DisputeContext): string {
  return 'at' in event && typeof event.at === 'string' ? event.at : context.openedAt;
}

function senderOf(event: { type: string }): Actor {
  return 'by' in event ? (event.by as Actor) : { role: 'system', id: 'arbiter' };
}

export function initialContext(input: DisputeInput): DisputeContext {
  const { order, request, policy, openedAt, disputeId } = input;
  const paid = paidForItem(order);
  return {
    disputeId,
    policy: structuredClone(policy),
    order: structuredClone(order),
    request: { ...structuredClone(request), total: requestedTotal(order, request) },
    openedAt,
    protectionEndsAt: protectionEndsAt(order, policy),
    openingProblems: openingProblems(input),
    funds: { currency: order.currency, paid, held: paid, refunded: 0, released: 0 },
    automaticOffer: automaticOfferFor(order, request, policy),
    offer: null,
    proposal: null,
    sellerResponse: null,
    escalation: null,
    evidenceRequest: null,
    decision: null,
    appeal: { count: 0, filedBy: null, filedAt: null, reason: null, previousDecision: null },
    resolution: null,
    returnShipment: null,
    refunds: [],
    refundOverdue: false,
    deadlines: {},
    messageCount: 0,
    evidenceIds: [],
    hiddenEvidenceIds: [],
    lateReceipt: null,
    cancellation: null,
    chargeback: null,
    outcome: null,
  };
}

/** R-FUND-2: how the paid amount is split when the dispute ends. */
function splitAtEnd(context: DisputeContext, end: EndName): Split | null {
  if (end === 'refused') return null;
  const refunded = committedRefunds(context);
  const rest = context.funds.paid - refunded;
  return end === 'movedToPaymentProvider'
    ? { refunded, released: 0, withPaymentProvider: rest }
    : { refunded, released: rest, withPaymentProvider: 0 };
}

const releasable = (context: DisputeContext) =>
  context.funds.paid - committedRefunds(context) - context.funds.released;

const currentRefund = (context: DisputeContext): Refund | undefined => context.refunds.at(-1);

function replaceCurrentRefund(context: DisputeContext, change: (refund: Refund) => Refund): Refund[] {
  return context.refunds.map((r, i) => (i === context.refunds.length - 1 ? change(r) : r));
}

const arm = (name: DeadlineName) => ({ type: 'armDeadline', params: { name } }) as const;
const disarm = (name: DeadlineName) => ({ type: 'disarmDeadline', params: { name } }) as const;
const due = (name: DeadlineName) => ({ type: 'deadlineIsDue', params: { name } }) as const;

/**
 * The dispute statechart. Every guard and action is named (and carries its POLICY.md rule id
 * where one applies), so the chart reads as the specification and the diagrams show the names.
 * No `after`, no `invoke`: deadlines are armed into context and fire as `deadline.*` events;
 * effects (`requestRefund`, `releaseFunds`) are returned by `transition()` for the runtime's
 * outbox and do nothing here.
 */
export const disputeMachine = setup({
  types: {
    context: {} as DisputeContext,
    events: {} as DisputeEvent,
    input: {} as DisputeInput,
    tags: {} as 'ended' | 'waitingForBuyer' | 'waitingForSeller' | 'waitingForAgent' | 'waitingForPayment',
  },
  guards: {
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
    offerIsReshipment: ({ context }) => context.offer?.kind === 'reshipment',
    isAssignedAgent: ({ context, event }) => senderOf(event).id === context.escalation?.agentId,
    /** R-ESC-2, R-ESC-3, R-ESC-4, R-REF-4. */
    decisionIsValid: ({ context, event }) => {
      assertEvent(event, ['agent.decide', 'agent.decideAppeal']);
      return decisionProblems(context, event).length === 0;
    },
    /** R-APL-2: the appeal goes to a different agent. */
    isDifferentAgent: ({ context, event }) => senderOf(event).id !== context.decision?.agentId,
    /** R-ESC-5: the evidence answers the request when the party asked sends it. */
    fromRequestedParty: ({ context, event }) => senderOf(event).role === context.evidenceRequest?.from,
    /** R-APL-1. */
    appealPossible: ({ context }) => appealPossible(context),
    /** R-APL-1: an allowed appellant, with something to gain, within the one appeal. */
    mayAppeal: ({ context, event }) => {
      const role = senderOf(event).role;
      if (role !== 'buyer' && role !== 'seller') return false;
      return context.policy.appeal.appellants.includes(role) && appellantHasStake(context, role) && appealPossible(context);
    },
    /** R-RET-1: a return precedes the refund. */
    returnRequired: ({ context }) =>
      context.resolution?.returnRequired === true && context.returnShipment?.confirmedAt == null,
    /** R-REF-4: something is still owed to the buyer. */
    refundOutstanding: ({ context }) => refundOutstanding(context) > 0,
    /** R-APL-3: what goes to the seller waits for the decision to be final. */
    decisionIsFinal: stateIn('#dispute.resolving.decision.final'),
    /** R-REF-4: each refund settles or fails exactly once. */
    isCurrentRefund: ({ context, event }) => {
      assertEvent(event, ['refund.settled', 'refund.failed']);
      const refund = currentRefund(context);
      return refund !== undefined && refund.id === event.refundId && refund.status === 'requested';
    },
    /** R-EVID-3: only evidence on the case, not already hidden. */
    evidenceIsShown: ({ context, event }) => {
      assertEvent(event, 'evidence.hide');
      return context.evidenceIds.includes(event.evidenceId) && !context.hiddenEvidenceIds.includes(event.evidenceId);
    },
    /** R-FUND-3. */
    protectionHasEnded: ({ context, event }) => isAtOrAfter(instantOf(event, context), context.protectionEndsAt),
  },
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
    recordSellerResponse: assign(
      ({ context, event }, params: { kind: NonNullable<DisputeContext['sellerResponse']>['kind'] }) => ({
        sellerResponse: {
          kind: params.kind,
          reason: event.type === 'seller.reject' ? event.reason : null,
          at: instantOf(event, context),
        },
      }),
    ),
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
      resolution: resolutionFromAgreement(context, 'offer_accepted', context.offer?.amount ?? 0, instantOf(event, context)),
    })),
    agreeOnProposal: assign(({ context, event }) => ({
      resolution: resolutionFromAgreement(context, 'proposal_accepted', context.proposal?.amount ?? 0, instantOf(event, context)),
    })),
    /** R-NEG-7: the automatic offer is a refund without return. */
    agreeOnAutomaticOffer: assign(({ context, event }) => ({
      resolution: resolutionFromAgreement(context, 'automatic_offer', context.automaticOffer?.amount ?? 0, instantOf(event, context)),
    })),
    recordEscalation: assign(
      ({ context, event }, params: { cause: NonNullable<DisputeContext['escalation']>['cause'] }) => ({
        escalation: { cause: params.cause, by: senderOf(event), at: instantOf(event, context), agentId: null, decisionOverdue: false },
        offer: null,
        proposal: null,
        resolution: null,
      }),
    ),
    assignAgent: assign(({ context, event }) => ({
      escalation: context.escalation && { ...context.escalation, agentId: senderOf(event).id },
    })),
    unassignAgent: assign(({ context }) => ({
      escalation: context.escalation && { ...context.escalation, agentId: null },
    })),
    /** R-ESC-1: overdue is flagged, never auto-decided. */
    flagDecisionOverdue: assign(({ context }) => ({
      escalation: context.escalation && { ...context.escalation, decisionOverdue: true },
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
        { outcome: 'buyer_full_refund', reason: event.reason, refundShipping: true, itemUnusable: false, returnRequired: false, sellerPaysReturnShipping: false },
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
        escalation: context.escalation && { ...context.escalation, decisionOverdue: false },
      };
    }),
    recordReturnShipment: assign(({ event }) => {
      assertEvent(event, 'buyer.shipReturn');
      return {
        returnShipment: {
          carrier: event.carrier,
          trackingNumber: event.trackingNumber,
          shippedAt: event.at,
          deliveredAt: null,
          deliveryReportedBy: null,
          confirmedAt: null,
          problem: null,
        },
      };
    }),
    recordReturnDelivered: assign(({ context, event }) => ({
      returnShipment: context.returnShipment && {
        ...context.returnShipment,
        deliveredAt: instantOf(event, context),
        deliveryReportedBy: senderOf(event).role,
      },
    })),
    /** R-RET-2: confirmed by the seller, or by the deadline passing. */
    confirmReturn: assign(({ context, event }) => ({
      returnShipment: context.returnShipment && { ...context.returnShipment, confirmedAt: instantOf(event, context) },
    })),
    /** R-RET-3. */
    recordReturnProblem: assign(({ context, event }) => {
      assertEvent(event, 'seller.reportReturnProblem');
      return {
        returnShipment: context.returnShipment && {
          ...context.returnShipment,
          problem: { kind: event.problem, description: event.description, at: event.at },
        },
      };
    }),
    /** R-REF-1, R-REF-2: a new refund of what is owed, to the original method. */
    startRefund: assign(({ context, event }) => {
      const at = instantOf(event, context);
      const refund: Refund = {
        id: `${context.disputeId}:refund:${context.refunds.length + 1}`,
        amount: refundOutstanding(context),
        destination: 'original_method',
        attempt: 1,
        status: 'requested',
        requestedAt: at,
        expectedBy: addBusinessDays(at, context.policy.settlement[context.order.paymentMethod].maxBusinessDays),
        settledAt: null,
        failures: [],
      };
      return { refunds: [...context.refunds, refund] };
    }),
    /** R-REF-1, R-REF-3: a failed refund goes to the account behind the method. */
    redirectRefundToFallback: assign(({ context, event }) => ({
      refunds: replaceCurrentRefund(context, (r) => ({
        ...r,
        destination: 'account_behind_method',
        attempt: r.attempt + 1,
        status: 'requested',
        requestedAt: instantOf(event, context),
      })),
    })),
    recordRefundFailure: assign(({ context, event }) => {
      assertEvent(event, 'refund.failed');
      return {
        refunds: replaceCurrentRefund(context, (r) => ({
          ...r,
          status: 'failed',
          failures: [...r.failures, { at: event.at, reason: event.reason }],
        })),
      };
    }),
    settleRefund: assign(({ context, event }) => {
      const refund = currentRefund(context);
      const amount = refund?.amount ?? 0;
      return {
        refunds: replaceCurrentRefund(context, (r) => ({ ...r, status: 'settled', settledAt: instantOf(event, context) })),
        funds: { ...context.funds, held: context.funds.held - amount, refunded: context.funds.refunded + amount },
        refundOverdue: false,
      };
    }),
    /** R-REF-3. */
    flagRefundOverdue: assign({ refundOverdue: true }),
    /** R-FUND-3, R-APL-3: the rest of the paid amount goes to the seller, through the outbox. */
    releaseHeldFunds: enqueueActions(({ context, enqueue }) => {
      const amount = releasable(context);
      if (amount <= 0) return;
      // setup() cannot type a sibling named action inside enqueueActions; it resolves by name at run time.
      enqueue({ type: 'releaseFunds', params: { amount, currency: context.order.currency, sellerId: context.order.sellerId } } as never);
      enqueue.assign({
        funds: { ...context.funds, held: context.funds.held - amount, released: context.funds.released + amount },
      });
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
    /** R-FUND-2: every end records how the paid amount was split. */
    closeWith: assign(({ context, event }, params: { end: EndName }) => ({
      outcome: { end: params.end, at: instantOf(event, context), split: splitAtEnd(context, params.end) },
    })),
    /** Effect for the runtime's outbox: ask the payment provider for a refund (R-REF-1). */
    requestRefund: (
      _,
      _params: { refundId: string; amount: number; currency: string; method: string; instrument: string | null; destination: Refund['destination']; attempt: number },
    ) => {},
    /** Effect for the runtime's outbox: release held funds to the seller (R-FUND-3, R-APL-3). */
    releaseFunds: (_, _params: { amount: number; currency: string; sellerId: string }) => {},
  },
}).createMachine({
  id: 'dispute',
  context: ({ input }) => initialContext(input),
  initial: 'opened',
  states: {
    opened: {
      description: 'The buyer asked to open a dispute; the opening rules (R-OPEN-*) decide whether it runs',
      always: [{ guard: 'openingIsEligible', target: 'negotiating' }, { target: 'refused' }],
    },
    refused: {
      description: 'The opening rules refused the dispute (openingProblems says why); nothing was held for it',
      type: 'final',
      tags: ['ended'],
      entry: { type: 'closeWith', params: { end: 'refused' } },
    },
    negotiating: {
      description: 'Stage 1 (R-NEG-*): buyer and seller try to agree, for at most negotiation.maxDays',
      meta: { deadlines: ['negotiationEnd'] },
      entry: arm('negotiationEnd'),
      exit: disarm('negotiationEnd'),
      initial: 'awaitingSellerResponse',
      on: {
        'deadline.negotiationEnd': {
          guard: due('negotiationEnd'),
          target: 'escalated',
          actions: { type: 'recordEscalation', params: { cause: 'negotiation_ended' } },
        },
        'buyer.acceptAutomaticOffer': { guard: 'automaticOfferStands', target: 'resolving', actions: 'agreeOnAutomaticOffer' },
        'buyer.cancel': { target: 'cancelled', actions: 'recordCancellation' },
        'chargeback.filed': { target: 'movedToPaymentProvider', actions: 'recordChargeback' },
        'message.send': { actions: 'countMessage' },
        'evidence.add': { actions: 'addEvidence' },
        'evidence.hide': { guard: 'evidenceIsShown', actions: 'hideEvidence' },
      },
      states: {
        awaitingSellerResponse: {
          description: 'The seller has negotiation.sellerResponseDays to answer; silence refunds as requested (R-NEG-1)',
          meta: { deadlines: ['sellerResponse'] },
          tags: ['waitingForSeller'],
          entry: arm('sellerResponse'),
          exit: disarm('sellerResponse'),
          on: {
            'seller.accept': {
              target: '#dispute.resolving',
              actions: [{ type: 'recordSellerResponse', params: { kind: 'accepted' } }, { type: 'agreeOnRequest', params: { source: 'seller_accepted' } }],
            },
            'seller.reject': { target: 'rejected', actions: { type: 'recordSellerResponse', params: { kind: 'rejected' } } },
            'seller.counterOffer': {
              guard: 'counterOfferIsValid',
              target: 'offerPending',
              actions: [{ type: 'recordSellerResponse', params: { kind: 'counter_offer' } }, 'recordCounterOffer'],
            },
            'seller.offerReshipment': {
              target: 'offerPending',
              actions: [{ type: 'recordSellerResponse', params: { kind: 'reshipment_offer' } }, 'recordReshipmentOffer'],
            },
            'deadline.sellerResponse': {
              guard: due('sellerResponse'),
              target: '#dispute.resolving',
              actions: { type: 'agreeOnRequest', params: { source: 'seller_silent' } },
            },
          },
        },
        offerPending: {
          description: 'The seller’s counter-offer or reshipment offer awaits the buyer (R-NEG-3)',
          tags: ['waitingForBuyer'],
          on: {
            'buyer.acceptOffer': [
              { guard: 'offerIsReshipment', target: '#dispute.reshipped' },
              { target: '#dispute.resolving', actions: 'agreeOnOffer' },
            ],
            'buyer.rejectOffer': { target: 'rejected', actions: 'declineOffer' },
            'buyer.proposeAmount': { guard: 'proposalIsValid', target: 'proposalPending', actions: 'recordProposal' },
            'buyer.escalate': {
              guard: 'escalationWaitOver',
              target: '#dispute.escalated',
              actions: { type: 'recordEscalation', params: { cause: 'buyer_escalated' } },
            },
          },
        },
        proposalPending: {
          description: 'The buyer’s proposed amount awaits the seller (R-NEG-3)',
          tags: ['waitingForSeller'],
          on: {
            'seller.accept': { target: '#dispute.resolving', actions: 'agreeOnProposal' },
            'seller.reject': { target: 'rejected', actions: 'declineProposal' },
            'seller.counterOffer': { guard: 'counterOfferIsValid', target: 'offerPending', actions: 'recordCounterOffer' },
            'seller.offerReshipment': { target: 'offerPending', actions: 'recordReshipmentOffer' },
            'buyer.escalate': {
              guard: 'escalationWaitOver',
              target: '#dispute.escalated',
              actions: { type: 'recordEscalation', params: { cause: 'buyer_escalated' } },
            },
          },
        },
        rejected: {
          description: 'No offer on the table: the seller rejected, or the buyer declined the seller’s offer',
          tags: ['waitingForBuyer'],
          on: {
            'seller.accept': {
              target: '#dispute.resolving',
              actions: { type: 'agreeOnRequest', params: { source: 'seller_accepted' } },
            },
            'seller.counterOffer': { guard: 'counterOfferIsValid', target: 'offerPending', actions: 'recordCounterOffer' },
            'seller.offerReshipment': { target: 'offerPending', actions: 'recordReshipmentOffer' },
            'buyer.proposeAmount': { guard: 'proposalIsValid', target: 'proposalPending', actions: 'recordProposal' },
            'buyer.escalate': {
              guard: 'escalationWaitOver',
              target: '#dispute.escalated',
              actions: { type: 'recordEscalation', params: { cause: 'buyer_escalated' } },
            },
          },
        },
      },
    },
    escalated: {
      description: 'Stage 2 (R-ESC-*): an agent decides within escalation.decisionDays (overdue is flagged)',
      meta: { deadlines: ['decisionDue'] },
      entry: arm('decisionDue'),
      exit: disarm('decisionDue'),
      initial: 'inQueue',
      on: {
        'deadline.decisionDue': { guard: due('decisionDue'), actions: ['flagDecisionOverdue', disarm('decisionDue')] },
        'buyer.cancel': { target: 'cancelled', actions: 'recordCancellation' },
        'chargeback.filed': { target: 'movedToPaymentProvider', actions: 'recordChargeback' },
        'message.send': { actions: 'countMessage' },
        'evidence.add': { actions: 'addEvidence' },
        'evidence.hide': { guard: 'evidenceIsShown', actions: 'hideEvidence' },
      },
      states: {
        inQueue: {
          description: 'Waiting in the agent queue',
          tags: ['waitingForAgent'],
          on: { 'agent.assign': { target: 'underReview', actions: 'assignAgent' } },
        },
        underReview: {
          description: 'The assigned agent reviews the evidence',
          tags: ['waitingForAgent'],
          on: {
            'agent.unassign': { guard: 'isAssignedAgent', target: 'inQueue', actions: 'unassignAgent' },
            'agent.requestEvidence': { guard: 'isAssignedAgent', target: 'awaitingEvidence', actions: 'recordEvidenceRequest' },
            'agent.decide': {
              guard: and(['isAssignedAgent', 'decisionIsValid']),
              target: '#dispute.resolving',
              actions: { type: 'recordDecision', params: { onAppeal: false } },
            },
            'agent.confirmSellerFraud': { guard: 'isAssignedAgent', target: '#dispute.resolving', actions: 'recordSellerFraud' },
          },
        },
        awaitingEvidence: {
          description: 'A party was asked for more evidence (R-ESC-5); the case returns to review when it arrives or the deadline passes',
          meta: { deadlines: ['evidenceRequest'] },
          entry: arm('evidenceRequest'),
          exit: disarm('evidenceRequest'),
          on: {
            'evidence.add': { guard: 'fromRequestedParty', target: 'underReview', actions: ['addEvidence', 'answerEvidenceRequest'] },
            'deadline.evidenceRequest': { guard: due('evidenceRequest'), target: 'underReview' },
          },
        },
      },
    },
    resolving: {
      description: 'Paying out what was agreed or decided, while a decision may still be appealed; resolved when both are done',
      type: 'parallel',
      on: {
        'chargeback.filed': { target: 'movedToPaymentProvider', actions: 'recordChargeback' },
        'message.send': { actions: 'countMessage' },
        'evidence.add': { actions: 'addEvidence' },
        'evidence.hide': { guard: 'evidenceIsShown', actions: 'hideEvidence' },
        'buyer.itemReceived': { actions: 'recordLateReceipt' },
      },
      states: {
        decision: {
          description: 'R-APL-*: a platform decision may be appealed once within the window; agreements are final at once',
          initial: 'checking',
          states: {
            checking: {
              always: [{ guard: 'appealPossible', target: 'appealWindowOpen' }, { target: 'final' }],
            },
            appealWindowOpen: {
              description: 'The decision stands; it may be appealed until appeal.windowDays after it',
              meta: { deadlines: ['appealWindow'] },
              entry: arm('appealWindow'),
              exit: disarm('appealWindow'),
              on: {
                'appeal.file': { guard: 'mayAppeal', target: 'appealed', actions: 'recordAppeal' },
                'deadline.appealWindow': { guard: due('appealWindow'), target: 'final' },
              },
            },
            appealed: {
              description: 'Another agent decides the appeal (R-APL-2); that decision is final',
              meta: { deadlines: ['decisionDue'] },
              tags: ['waitingForAgent'],
              entry: arm('decisionDue'),
              exit: disarm('decisionDue'),
              on: {
                'agent.decideAppeal': {
                  guard: and(['isDifferentAgent', 'decisionIsValid']),
                  target: 'final',
                  actions: { type: 'recordDecision', params: { onAppeal: true } },
                },
                'deadline.decisionDue': { guard: due('decisionDue'), actions: ['flagDecisionOverdue', disarm('decisionDue')] },
              },
            },
            final: { type: 'final' },
          },
        },
        payout: {
          description: 'The return leg where needed (R-RET-*), then refund settlement (R-REF-*)',
          initial: 'upToDate',
          states: {
            upToDate: {
              description: 'Nothing owed right now; done once the decision is final (R-APL-3)',
              always: [
                { guard: 'returnRequired', target: 'returnLeg' },
                { guard: 'refundOutstanding', target: 'settlement' },
                { guard: 'decisionIsFinal', target: '#dispute.resolved' },
              ],
            },
            returnLeg: {
              description: 'R-RET-*: the buyer returns the goods before the refund',
              initial: 'awaitingShipment',
              states: {
                awaitingShipment: {
                  description: 'The buyer ships the item back within returns.shipBackDays, else the dispute closes for the seller',
                  meta: { deadlines: ['returnShipment'] },
                  tags: ['waitingForBuyer'],
                  entry: arm('returnShipment'),
                  exit: disarm('returnShipment'),
                  on: {
                    'buyer.shipReturn': { target: 'inTransit', actions: 'recordReturnShipment' },
                    'deadline.returnShipment': { guard: due('returnShipment'), target: '#dispute.closedForSeller' },
                  },
                },
                inTransit: {
                  description: 'The return is on its way; the carrier or the seller reports its delivery',
                  on: { 'return.delivered': { target: 'awaitingSellerConfirmation', actions: 'recordReturnDelivered' } },
                },
                awaitingSellerConfirmation: {
                  description: 'The seller confirms the return within returns.sellerConfirmationDays, else the refund executes (R-RET-2)',
                  meta: { deadlines: ['returnConfirmation'] },
                  tags: ['waitingForSeller'],
                  entry: arm('returnConfirmation'),
                  exit: disarm('returnConfirmation'),
                  on: {
                    'seller.confirmReturn': { target: '#dispute.resolving.payout.upToDate', actions: 'confirmReturn' },
                    'deadline.returnConfirmation': {
                      guard: due('returnConfirmation'),
                      target: '#dispute.resolving.payout.upToDate',
                      actions: 'confirmReturn',
                    },
                    'seller.reportReturnProblem': {
                      target: '#dispute.escalated',
                      actions: ['recordReturnProblem', { type: 'recordEscalation', params: { cause: 'return_problem' } }],
                    },
                  },
                },
              },
            },
            settlement: {
              description: 'R-REF-*: the refund is with the payment provider; overdue past the method’s window is flagged',
              meta: { deadlines: ['refundOverdue'] },
              tags: ['waitingForPayment'],
              entry: arm('refundOverdue'),
              exit: disarm('refundOverdue'),
              initial: 'requested',
              on: {
                'deadline.refundOverdue': { guard: due('refundOverdue'), actions: ['flagRefundOverdue', disarm('refundOverdue')] },
              },
              states: {
                requested: {
                  description: 'Refund requested to the original payment method (R-REF-1)',
                  entry: [
                    'startRefund',
                    {
                      type: 'requestRefund',
                      params: ({ context }) => refundEffect(context),
                    },
                  ],
                  on: {
                    'refund.settled': { guard: 'isCurrentRefund', target: '#dispute.resolving.payout.upToDate', actions: 'settleRefund' },
                    'refund.failed': { guard: 'isCurrentRefund', target: 'retryingToFallback', actions: 'recordRefundFailure' },
                  },
                },
                retryingToFallback: {
                  description: 'The original method failed; the refund goes to the account behind it (R-REF-1, R-REF-3)',
                  entry: [
                    'redirectRefundToFallback',
                    {
                      type: 'requestRefund',
                      params: ({ context }) => refundEffect(context),
                    },
                  ],
                  on: {
                    'refund.settled': { guard: 'isCurrentRefund', target: '#dispute.resolving.payout.upToDate', actions: 'settleRefund' },
                    'refund.failed': { guard: 'isCurrentRefund', target: 'needsAttention', actions: 'recordRefundFailure' },
                  },
                },
                needsAttention: {
                  description: 'Both destinations failed; an agent retries once the buyer’s account is fixed',
                  tags: ['waitingForAgent'],
                  on: { 'agent.retryRefund': { target: 'retryingToFallback' } },
                },
              },
            },
          },
        },
      },
    },
    resolved: {
      description: 'Refunds settled and the decision final: the rest of the paid amount is released to the seller (R-FUND-2)',
      tags: ['ended'],
      entry: [{ type: 'closeWith', params: { end: 'resolved' } }, 'releaseHeldFunds'],
      on: { 'buyer.itemReceived': { actions: 'recordLateReceipt' } },
    },
    reshipped: endWithRelease('reshipped', 'The buyer accepted a reshipment (R-NEG-3)'),
    cancelled: endWithRelease('cancelled', 'The buyer cancelled (R-NEG-6); the item cannot be disputed again (R-OPEN-3)'),
    closedForSeller: endWithRelease('closedForSeller', 'Closed in the seller’s favour: the buyer did not return the item in time (R-RET-1)'),
    movedToPaymentProvider: {
      description: 'A chargeback moved the case to the payment provider; what is still held waits for its outcome',
      tags: ['ended'],
      entry: { type: 'closeWith', params: { end: 'movedToPaymentProvider' } },
    },
  },
});

function refundEffect(context: DisputeContext) {
  const refund = currentRefund(context) as Refund;
  return {
    refundId: refund.id,
    amount: refund.amount,
    currency: context.order.currency,
    method: context.order.paymentMethod,
    instrument: context.order.paymentInstrument,
    destination: refund.destination,
    attempt: refund.attempt,
  };
}

/** An end that releases what is held to the seller once protection has ended (R-FUND-3). */
function endWithRelease(end: 'reshipped' | 'cancelled' | 'closedForSeller', description: string) {
  return {
    description,
    tags: ['ended'],
    entry: { type: 'closeWith', params: { end } },
    initial: 'checking',
    on: { 'buyer.itemReceived': { actions: 'recordLateReceipt' } },
    states: {
      checking: {
        always: [{ guard: 'protectionHasEnded', target: 'released' }, { target: 'awaitingProtectionEnd' }],
      },
      awaitingProtectionEnd: {
        description: 'The held amount goes to the seller when buyer protection ends (R-FUND-3)',
        meta: { deadlines: ['protectionEnd'] },
        entry: arm('protectionEnd'),
        exit: disarm('protectionEnd'),
        on: { 'deadline.protectionEnd': { guard: due('protectionEnd'), target: 'released' } },
      },
      released: { description: 'The held amount was released to the seller', entry: 'releaseHeldFunds' },
    },
  } as const;
}

export type DisputeMachine = typeof disputeMachine;
