/**
 * The return leg (R-RET-*): when a resolution needs the goods back, the buyer ships them within
 * returns.shipBackDays, the carrier (or the seller) reports the delivery, and the seller
 * confirms it within returns.sellerConfirmationDays or the refund goes ahead without them.
 */
import { arm, disarm, due } from './base.ts';
import { disputeSetup } from './setup.ts';

export const returnLeg = disputeSetup.createStateConfig({
  description: 'R-RET-*: the buyer returns the goods before the refund',
  tags: ['refunding'],
  initial: 'awaitingShipment',
  states: {
    awaitingShipment: {
      description: 'The buyer ships the item back within returns.shipBackDays, else the dispute closes for the seller',
      meta: { deadlines: ['returnShipment'] },
      tags: ['awaits:buyer'],
      entry: arm('returnShipment'),
      exit: disarm('returnShipment'),
      on: {
        'buyer.shipReturn': { target: 'inTransit', actions: 'recordReturnShipment' },
        'deadline.returnShipment': { guard: due('returnShipment'), target: '#dispute.closedForSeller' },
      },
    },
    inTransit: {
      description: 'The return is on its way; the carrier or the seller reports its delivery',
      tags: ['awaits:system'],
      on: { 'return.delivered': { target: 'awaitingSellerConfirmation', actions: 'recordReturnDelivered' } },
    },
    awaitingSellerConfirmation: {
      description: 'The seller confirms the return within returns.sellerConfirmationDays, else the refund executes (R-RET-2)',
      meta: { deadlines: ['returnConfirmation'] },
      tags: ['awaits:seller'],
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
});
