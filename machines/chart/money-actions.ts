/**
 * The actions that move money and goods: returns, refunds and their settlement, releases to the
 * seller, and the split every end records (R-FUND-2). `requestRefund` and `releaseFunds` are
 * effects: they do nothing here and come back from `transition()` for the runtime's outbox.
 */
import { assertEvent, assign, enqueueActions } from 'xstate';
import type { DisputeContext, EndName, Refund, Split } from '../context.ts';
import { deadlineDefinitions } from '../deadlines.ts';
import { committedRefunds, refundOutstanding } from '../rules.ts';
import { addBusinessDays } from '../time.ts';
import { currentRefund, instantOf } from './base.ts';
import { withCaseActions } from './case-actions.ts';

/** R-FUND-2: how the paid amount is split when the dispute ends. */
function splitAtEnd(context: DisputeContext, end: EndName): Split | null {
  if (end === 'refused') return null;
  const refunded = committedRefunds(context);
  const rest = context.funds.paid - refunded;
  return end === 'movedToPaymentProvider' ? { refunded, released: 0, withPaymentProvider: rest } : { refunded, released: rest, withPaymentProvider: 0 };
}

/**
 * What the buyer does not get back, less what the seller already has. Funds are released once, on
 * entering an end, so nothing was released before today; the subtraction keeps a second release
 * from ever paying twice should the chart change.
 */
// Stryker disable next-line ArithmeticOperator: equivalent today, nothing is released before the one release (kept as a guard on money)
const releasable = (context: DisputeContext) => context.funds.paid - committedRefunds(context) - context.funds.released;

function replaceCurrentRefund(context: DisputeContext, change: (refund: Refund) => Refund): Refund[] {
  return context.refunds.map((r, i) => (i === context.refunds.length - 1 ? change(r) : r));
}

/** The parameters of the `requestRefund` effect: the current refund, to its destination. */
export function refundEffect(context: DisputeContext) {
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

/** Everything the chart's states refer to by name: the guards and both sets of actions. */
export const disputeSetup = withCaseActions.extend({
  actions: {
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
        deliveryReportedBy: event.by.role,
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
    /** R-RET-5: the return was not reported delivered in time; recorded as a missing return (R-RET-3). */
    recordReturnNotDelivered: assign(({ context, event }) => ({
      returnShipment: context.returnShipment && {
        ...context.returnShipment,
        problem: {
          kind: 'missing' as const,
          description: `not reported delivered within ${deadlineDefinitions.returnDelivery.lengthIn(context)} of shipping back (R-RET-5)`,
          at: instantOf(event, context),
        },
      },
    })),
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
      // Taken only for the current refund (isCurrentRefund).
      const { amount } = currentRefund(context) as Refund;
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
    /** R-FUND-2: every end records how the paid amount was split. */
    closeWith: assign(({ context, event }, params: { end: EndName }) => ({
      outcome: { end: params.end, at: instantOf(event, context), split: splitAtEnd(context, params.end) },
    })),
    /** Effect for the runtime's outbox: ask the payment provider for a refund (R-REF-1). */
    requestRefund: (
      _,
      _params: {
        refundId: string;
        amount: number;
        currency: string;
        method: string;
        instrument: string | null;
        destination: Refund['destination'];
        attempt: number;
      },
    ) => {},
    /** Effect for the runtime's outbox: release held funds to the seller (R-FUND-3, R-APL-3). */
    releaseFunds: (_, _params: { amount: number; currency: string; sellerId: string }) => {},
  },
});
