import type { DisputeContext } from './context.ts';
import type { DisputeInput } from './order.ts';
import { automaticOfferFor, openingProblems, paidForItem, protectionEndsAt, requestedTotal } from './rules.ts';

/**
 * A new dispute's context: the order facts, request and policy frozen at open (R-GEN-2, R-GEN-3),
 * what the opening rules say, and the paid amount held (R-FUND-1).
 */
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
