/**
 * The ends of a dispute. Each records how the paid amount was split (R-FUND-2); the ones that
 * owe the seller release it once buyer protection has ended (R-FUND-3). Ended disputes still
 * record a late receipt of the item (R-REF-5) and take nothing else.
 */
import { arm, disarm, due } from './base.ts';
import { disputeSetup } from './setup.ts';

const recordLateReceipt = { 'buyer.itemReceived': { guard: 'itemWasMissing', actions: 'recordLateReceipt' } } as const;

export const refused = disputeSetup.createStateConfig({
  description: 'The opening rules refused the dispute (openingProblems says why); nothing was held for it',
  meta: { label: 'Refused at opening' },
  type: 'final',
  tags: ['ended', 'closed', 'awaits:nobody'],
  entry: { type: 'closeWith', params: { end: 'refused' } },
});

export const resolved = disputeSetup.createStateConfig({
  description: 'Refunds settled and the decision final: the rest of the paid amount is released to the seller (R-FUND-2)',
  meta: { label: 'Resolved' },
  tags: ['ended'],
  entry: [{ type: 'closeWith', params: { end: 'resolved' } }, 'releaseHeldFunds'],
  on: recordLateReceipt,
  initial: 'checking',
  states: {
    checking: {
      description: 'Left at once, by whether anything was refunded',
      meta: { label: 'Closing' },
      tags: ['closed', 'awaits:system'],
      always: [{ guard: 'anythingRefunded', target: 'refunded' }, { target: 'noRefund' }],
    },
    refunded: {
      description: 'The buyer was refunded; whatever was not refunded went to the seller',
      meta: { label: 'Refunded' },
      tags: ['refunded', 'awaits:nobody'],
    },
    noRefund: {
      description: 'Nothing was refunded: the paid amount went to the seller',
      meta: { label: 'Closed without a refund' },
      tags: ['closed', 'awaits:nobody'],
    },
  },
});

/** An end that releases what is held to the seller once protection has ended (R-FUND-3). */
function endWithRelease(end: 'reshipped' | 'cancelled' | 'closedForSeller', label: string, description: string) {
  return disputeSetup.createStateConfig({
    description,
    meta: { label },
    tags: ['ended', 'closed'],
    entry: { type: 'closeWith', params: { end } },
    initial: 'checking',
    // Closed for an item not sent back: the item had arrived, so it cannot arrive after all (R-REF-5).
    on: end === 'closedForSeller' ? {} : recordLateReceipt,
    states: {
      checking: {
        description: 'Left at once, by whether buyer protection has ended',
        meta: { label: 'Closing' },
        tags: ['awaits:system'],
        always: [{ guard: 'protectionHasEnded', target: 'released' }, { target: 'awaitingProtectionEnd' }],
      },
      awaitingProtectionEnd: {
        description: 'The held amount goes to the seller when buyer protection ends (R-FUND-3)',
        meta: { label: 'Holding the payment until buyer protection ends', deadlines: ['protectionEnd'] },
        tags: ['awaits:system'],
        entry: arm('protectionEnd'),
        exit: disarm('protectionEnd'),
        on: { 'deadline.protectionEnd': { guard: due('protectionEnd'), target: 'released' } },
      },
      released: {
        description: 'The held amount was released to the seller',
        meta: { label: 'Payment released to the seller' },
        tags: ['awaits:nobody'],
        entry: 'releaseHeldFunds',
      },
    },
  });
}

export const reshipped = endWithRelease('reshipped', 'Closed: the item is shipped again', 'The buyer accepted a reshipment (R-NEG-3)');
export const cancelled = endWithRelease('cancelled', 'Withdrawn by the buyer', 'The buyer cancelled (R-NEG-6); the item cannot be disputed again (R-OPEN-3)');
export const closedForSeller = endWithRelease(
  'closedForSeller',
  'Closed in the seller’s favour',
  'Closed in the seller’s favour: the buyer did not return the item in time (R-RET-1)',
);

export const movedToPaymentProvider = disputeSetup.createStateConfig({
  description: 'A chargeback moved the case to the payment provider; what is still held waits for its outcome',
  meta: { label: 'Moved to the payment provider (chargeback)' },
  tags: ['ended', 'closed', 'awaits:nobody'],
  entry: { type: 'closeWith', params: { end: 'movedToPaymentProvider' } },
});
