/**
 * The policy's rules as pure functions of plain values, each named by its docs/POLICY.md id. Guards
 * and actions of the machine call these; so does the API, to explain a refusal. A refusal is a
 * `Problem` value, never an exception.
 */
import type { DecisionOutcome, Decision, DisputeContext, Problem, Resolution } from './context.ts';
import type { DisputeInput, DisputeType, OpenRequest, OrderItemFacts } from './order.ts';
import type { Policy } from './policy.ts';
import { addDays, isBefore } from './time.ts';

/**
 * An amount as people and programs both read it in a message: `USD 30.00 (3000)`, the minor units
 * the API speaks in brackets. Digits per currency come from Intl (JPY has none, KWD three).
 */
export function money(minor: number, currency: string): string {
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return `${currency} ${(minor / 10 ** digits).toFixed(digits)} (${minor})`;
}

/** Reasons for which the item reached the buyer: the ones an automatic offer (R-NEG-7) fits. */
const ITEM_ARRIVED_REASONS: ReadonlySet<string> = new Set(['not_as_described', 'damaged_or_defective', 'quantity_short']);

/** R-OPEN-2: protection ends N days after completion, or after the delivery window if never completed. */
export function protectionEndsAt(order: OrderItemFacts, policy: Policy): string {
  return addDays(order.completedAt ?? order.deliveryWindowEndsAt, policy.opening.protectionDays);
}

/** R-OPEN-7: what the buyer asks for in all, the shipping cost included where asked. */
export function requestedTotal(order: OrderItemFacts, request: OpenRequest): number {
  return request.amount + (request.includeShipping ? order.shippingCost : 0);
}

/** R-FUND-2: the whole amount paid for the item (price and shipping). */
export function paidForItem(order: OrderItemFacts): number {
  return order.price + order.shippingCost;
}

/** R-OPEN-1: the earliest instant the dispute may open, or a reason it cannot open at all. */
function shippingWaitProblem(input: DisputeInput): Problem | null {
  const { order, request, policy, openedAt } = input;
  const applies = request.reason === 'not_received' || policy.opening.applyShippingWaitToAllReasons;
  if (!applies || order.digital) return null;
  if (order.shippedAt === null) {
    return {
      rule: 'R-OPEN-1',
      field: 'reason',
      message: 'the item has not shipped yet: a dispute about it opens once the seller has shipped it',
    };
  }
  const earliest = addDays(order.shippedAt, policy.opening.notReceivedWaitDays);
  if (isBefore(openedAt, earliest)) {
    const what = request.reason === 'not_received' ? 'not_received disputes' : 'disputes';
    return {
      rule: 'R-OPEN-1',
      field: 'reason',
      message: `${what} open ${policy.opening.notReceivedWaitDays} days after shipping: earliest ${earliest}`,
      earliest,
    };
  }
  return null;
}

/**
 * Why a dispute may not open on this item now (R-OPEN-1, -2, -7, -8, -9, -10); empty when it may.
 * One dispute per item (R-OPEN-3, -4) is the store's unique key, not a rule of one dispute.
 */
export function openingProblems(input: DisputeInput): Problem[] {
  const { order, request, policy, openedAt } = input;
  const problems: Problem[] = [];
  const wait = shippingWaitProblem(input);
  if (wait) problems.push(wait);

  const protectionEnd = protectionEndsAt(order, policy);
  if (!isBefore(openedAt, protectionEnd)) {
    problems.push({
      rule: 'R-OPEN-2',
      message: `buyer protection for this item ended at ${protectionEnd} (${policy.opening.protectionDays} days after ${order.completedAt ? 'the order completed' : 'the delivery window ended'})`,
    });
  }
  if (order.digital && request.reason !== 'digital_not_delivered') {
    problems.push({
      rule: 'R-OPEN-8',
      field: 'reason',
      message: 'a digital item is refunded only when it was never delivered: use digital_not_delivered',
    });
  }
  if (!order.digital && request.reason === 'digital_not_delivered') {
    problems.push({ rule: 'R-OPEN-8', field: 'reason', message: 'digital_not_delivered applies to digital items only' });
  }
  if (order.receiptConfirmedAt !== null && request.reason === 'not_received') {
    problems.push({
      rule: 'R-OPEN-9',
      field: 'reason',
      message: `the buyer confirmed receipt at ${order.receiptConfirmedAt}: not_received is no longer available`,
    });
  }
  if (request.reason !== 'not_as_described' && request.reasonDetail !== undefined) {
    problems.push({ rule: 'R-OPEN-6', field: 'reasonDetail', message: 'reasonDetail applies to not_as_described only' });
  }
  if (request.amount > order.price) {
    problems.push({
      rule: 'R-OPEN-7',
      field: 'amount',
      message: `the requested amount ${money(request.amount, order.currency)} exceeds the item's price ${money(order.price, order.currency)}`,
    });
  }
  if (request.includeShipping && request.amount !== order.price && !request.itemUnusable) {
    problems.push({
      rule: 'R-OPEN-7',
      field: 'includeShipping',
      message: 'shipping is refunded only with a full refund of the item or when the item is unusable',
    });
  }
  if (request.type === 'return_and_refund' && (order.digital || request.reason === 'not_received')) {
    problems.push({
      rule: 'R-OPEN-5',
      field: 'type',
      message: 'an item that never arrived cannot be returned: use refund_only',
    });
  }
  if (request.description.trim() === '') {
    problems.push({ rule: 'R-OPEN-10', field: 'description', message: 'describe the problem' });
  }
  return problems;
}

/** R-NEG-7: an item priced under the currency's threshold, with a problem, gets an automatic partial offer. */
export function automaticOfferFor(order: OrderItemFacts, request: OpenRequest, policy: Policy): { amount: number; percent: number } | null {
  const { thresholds, percent } = policy.negotiation.automaticOffer;
  const threshold = thresholds[order.currency];
  if (threshold === undefined || order.price >= threshold) return null;
  if (!ITEM_ARRIVED_REASONS.has(request.reason)) return null;
  const amount = Math.min(Math.max(1, Math.floor((order.price * percent) / 100)), requestedTotal(order, request));
  return { amount, percent };
}

/** R-REF-5: only an item the dispute said never arrived can arrive after all. */
export function itemWasMissing(request: OpenRequest): boolean {
  return request.reason === 'not_received' || request.reason === 'digital_not_delivered';
}

/** A return is needed when the buyer asked to return the goods and gets the item's full price back. */
export function returnRequiredFor(type: DisputeType, itemRefund: number, order: OrderItemFacts): boolean {
  return type === 'return_and_refund' && itemRefund >= order.price;
}

/** R-RET-4: the seller pays return shipping for 'Free Return' items and when a decision says so. */
export function returnShippingPayer(order: OrderItemFacts, sellerPaysByDecision: boolean): 'buyer' | 'seller' {
  return order.freeReturn || sellerPaysByDecision ? 'seller' : 'buyer';
}

/** R-OPEN-7, R-NEG-2: a seller's counter-offer is a partial refund below what was requested. */
export function counterOfferProblems(context: DisputeContext, amount: number): Problem[] {
  if (amount >= context.request.total) {
    return [
      {
        rule: 'R-NEG-2',
        field: 'amount',
        message: `a counter-offer must be below the ${money(context.request.total, context.order.currency)} requested (got ${money(amount, context.order.currency)}); to refund all of it, accept the request`,
      },
    ];
  }
  return [];
}

/** R-NEG-3, R-OPEN-7: the buyer may propose a new amount, never above the original request. */
export function proposalProblems(context: DisputeContext, amount: number): Problem[] {
  if (amount > context.request.total) {
    return [
      {
        rule: 'R-OPEN-7',
        field: 'amount',
        message: `a proposal cannot exceed the ${money(context.request.total, context.order.currency)} requested`,
      },
    ];
  }
  return [];
}

/** What an agent submits to decide, as validated by the event schema. */
export interface DecisionPayload {
  outcome: DecisionOutcome;
  amount?: number | undefined;
  refundShipping: boolean;
  itemUnusable: boolean;
  returnRequired?: boolean | undefined;
  sellerPaysReturnShipping: boolean;
  reason: string;
  overrideReason?: string | undefined;
}

/** R-ESC-2, R-ESC-4: the total a decision refunds, shipping included where allowed. */
export function decisionRefund(context: DisputeContext, payload: DecisionPayload): { refund: number; includesShipping: boolean } {
  const { price, shippingCost } = context.order;
  switch (payload.outcome) {
    case 'buyer_full_refund':
      return { refund: price + shippingCost, includesShipping: true };
    case 'buyer_partial_refund': {
      const includesShipping = payload.refundShipping;
      return { refund: (payload.amount ?? 0) + (includesShipping ? shippingCost : 0), includesShipping };
    }
    case 'seller_wins':
      return { refund: 0, includesShipping: false };
  }
}

/** Refunds already requested or settled: money that can no longer be taken back. */
export function committedRefunds(context: DisputeContext): number {
  return context.refunds.reduce((sum, r) => sum + r.amount, 0);
}

/**
 * Why a decision (or an appeal decision) is refused (R-ESC-2..4, R-REF-4); empty when valid.
 * The band of R-ESC-3 applies to a usable not-as-described item; outside it, an override
 * reason is required. It is a share of the item's price, not of price + shipping: the amount of
 * a partial refund is the item's part (shipping comes back only for an unusable item, R-ESC-4).
 */
export function decisionProblems(context: DisputeContext, payload: DecisionPayload): Problem[] {
  const problems: Problem[] = [];
  const { price, currency } = context.order;
  if (payload.outcome === 'buyer_partial_refund') {
    const amount = payload.amount ?? 0;
    if (amount >= price) {
      problems.push({
        rule: 'R-ESC-2',
        field: 'amount',
        message: `a partial refund is below the item's price ${money(price, currency)}: decide buyer_full_refund instead`,
      });
    }
    if (payload.refundShipping && !payload.itemUnusable) {
      problems.push({
        rule: 'R-ESC-4',
        field: 'refundShipping',
        message: 'shipping is refunded only with a full refund or when the item is unusable',
      });
    }
    const band = context.policy.escalation.partialRefundBand;
    if (context.request.reason === 'not_as_described' && !payload.itemUnusable && !payload.overrideReason) {
      const min = Math.ceil((price * band.minPercent) / 100);
      const max = Math.floor((price * band.maxPercent) / 100);
      if (amount < min || amount > max) {
        problems.push({
          rule: 'R-ESC-3',
          field: 'amount',
          message: `a partial refund for a usable not-as-described item is expected within ${band.minPercent}–${band.maxPercent} % of the item's price (${money(min, currency)} to ${money(max, currency)}); give an overrideReason to go outside it`,
        });
      }
    }
  }
  if (payload.returnRequired && (context.request.type !== 'return_and_refund' || payload.outcome === 'seller_wins')) {
    problems.push({
      rule: 'R-RET-1',
      field: 'returnRequired',
      message: 'a return is required only for a return_and_refund dispute that the buyer wins',
    });
  }
  const { refund } = decisionRefund(context, payload);
  if (refund > context.funds.paid) {
    problems.push({ rule: 'R-REF-4', field: 'amount', message: `a refund cannot exceed the ${money(context.funds.paid, currency)} paid` });
  }
  const committed = committedRefunds(context);
  if (refund < committed) {
    problems.push({
      rule: 'R-APL-3',
      field: 'outcome',
      message: `${money(committed, currency)} were already refunded at once (R-APL-3) and cannot be taken back`,
    });
  }
  return problems;
}

/** The decision record an agent's valid payload produces. */
export function decisionFrom(
  context: DisputeContext,
  payload: DecisionPayload,
  agentId: string,
  at: string,
  flags: { onAppeal: boolean; sellerFraud: boolean },
): Decision {
  const { refund, includesShipping } = decisionRefund(context, payload);
  const returnDefault = payload.outcome === 'buyer_full_refund' && context.request.type === 'return_and_refund';
  return {
    outcome: payload.outcome,
    refund,
    includesShipping,
    itemUnusable: payload.itemUnusable,
    // R-RET-1 (decisionProblems, the guard before this) refuses a return with seller_wins.
    returnRequired: payload.returnRequired ?? returnDefault,
    sellerPaysReturnShipping: payload.sellerPaysReturnShipping,
    reason: payload.reason,
    overrideReason: payload.overrideReason ?? null,
    sellerFraud: flags.sellerFraud,
    agentId,
    at,
    onAppeal: flags.onAppeal,
  };
}

/** The resolution a decision leads to. */
export function resolutionFromDecision(context: DisputeContext, decision: Decision): Resolution {
  return {
    source: decision.sellerFraud ? 'seller_fraud' : 'decision',
    refund: decision.refund,
    includesShipping: decision.includesShipping,
    returnRequired: decision.returnRequired && context.returnShipment === null,
    returnShippingPaidBy: returnShippingPayer(context.order, decision.sellerPaysReturnShipping),
    at: decision.at,
  };
}

/** The resolution an agreement between the parties leads to (R-NEG-1..3, R-NEG-7). */
export function resolutionFromAgreement(
  context: DisputeContext,
  source: Exclude<Resolution['source'], 'decision' | 'seller_fraud'>,
  refund: number,
  at: string,
): Resolution {
  const includesShipping = refund > context.order.price;
  const itemRefund = Math.min(refund, context.order.price);
  const returnRequired = source !== 'automatic_offer' && returnRequiredFor(context.request.type, itemRefund, context.order);
  return {
    source,
    refund,
    includesShipping,
    returnRequired,
    returnShippingPaidBy: returnShippingPayer(context.order, false),
    at,
  };
}

/** R-REF-4: what the resolution still owes the buyer beyond refunds already requested. */
export function refundOutstanding(context: DisputeContext): number {
  if (!context.resolution) return 0;
  return Math.max(0, Math.min(context.resolution.refund, context.funds.paid) - committedRefunds(context));
}

/** R-APL-1: whether a decision may still be appealed by someone, under the frozen policy. */
export function appealPossible(context: DisputeContext): boolean {
  const { maxAppeals, appellants } = context.policy.appeal;
  const decision = context.decision;
  // Stryker disable next-line OptionalChaining: equivalent, a decision always comes with its resolution
  if (!decision || context.resolution?.source !== 'decision' || decision.onAppeal) return false;
  if (context.appeal.count >= maxAppeals) return false;
  return appellants.some((party) => appellantHasStake(context, party));
}

/** A party appeals only a decision that did not already give it everything. */
export function appellantHasStake(context: DisputeContext, party: 'buyer' | 'seller'): boolean {
  // Stryker disable next-line OptionalChaining: equivalent, only asked once a decision exists (appealPossible, the appeal guard)
  const refund = context.decision?.refund ?? 0;
  return party === 'buyer' ? refund < context.funds.paid : refund > 0;
}

/** R-REF-4: a payment callback must name the refund that is pending, so each settles once. */
export function pendingRefundProblems(context: DisputeContext, refundId: string): Problem[] {
  const pending = context.refunds.find((r) => r.status === 'requested');
  if (pending?.id === refundId) return [];
  const settled = context.refunds.find((r) => r.id === refundId && r.status === 'settled');
  return [
    {
      rule: 'R-REF-4',
      field: 'refundId',
      message: settled
        ? `refund ${refundId} already settled at ${settled.settledAt}; a refund executes exactly once`
        : `no pending refund ${refundId}${pending ? `; the pending refund is ${pending.id}` : ''}`,
    },
  ];
}
