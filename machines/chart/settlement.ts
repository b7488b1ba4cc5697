/**
 * Refund settlement (R-REF-*): the refund goes to the original payment method, then to the
 * account behind it when that fails; when both fail an agent retries once the buyer's account is
 * fixed. A refund past its method's window is flagged overdue.
 */
import { arm, disarm, due } from './base.ts';
import { refundEffect } from './money-actions.ts';
import { disputeSetup } from './setup.ts';

export const settlement = disputeSetup.createStateConfig({
  description: 'The refund is with the payment provider; overdue past the method’s window is flagged (R-REF-*)',
  meta: { label: 'Refund with the payment provider', deadlines: ['refundOverdue'] },
  tags: ['refunding'],
  entry: arm('refundOverdue'),
  exit: disarm('refundOverdue'),
  initial: 'requested',
  on: {
    'deadline.refundOverdue': { guard: due('refundOverdue'), actions: ['flagRefundOverdue', disarm('refundOverdue')] },
  },
  states: {
    requested: {
      description: 'Refund requested to the original payment method (R-REF-1)',
      meta: { label: 'Refund requested' },
      tags: ['awaits:system'],
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
      meta: { label: 'Refund retried to the account behind the payment method' },
      tags: ['awaits:system'],
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
      meta: { label: 'Refund failed twice: an agent must retry' },
      tags: ['awaits:agent', 'needs-attention'],
      on: { 'agent.retryRefund': { target: 'retryingToFallback' } },
    },
  },
});
