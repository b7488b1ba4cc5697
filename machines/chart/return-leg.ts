/**
 * The return leg (R-RET-*): when a resolution needs the goods back, the buyer ships them within
 * returns.shipBackDays, the carrier (or the seller) reports the delivery within
 * returns.deliveryDays (else an agent decides, R-RET-5), and the seller confirms it within
 * returns.sellerConfirmationDays or the refund goes ahead without them.
 */
import { arm, disarm, due } from './base.ts';
import { disputeSetup } from './setup.ts';

export const returnLeg = disputeSetup.createStateConfig({
  description: 'The buyer returns the goods before the refund (R-RET-*)',
  meta: { label: 'Return of the item' },
  tags: ['refunding'],
  initial: 'awaitingShipment',
  states: {
    awaitingShipment: {
      description: 'The buyer ships the item back within returns.shipBackDays, else the dispute closes for the seller',
      meta: { label: 'Waiting for the buyer to ship the item back', deadlines: ['returnShipment'] },
      tags: ['awaits:buyer'],
      entry: arm('returnShipment'),
      exit: disarm('returnShipment'),
      on: {
        'buyer.shipReturn': { target: 'inTransit', actions: 'recordReturnShipment' },
        'deadline.returnShipment': { guard: due('returnShipment'), target: '#dispute.closedForSeller' },
      },
    },
    inTransit: {
      description: 'The return is on its way; the carrier or the seller reports its delivery within returns.deliveryDays, else an agent decides (R-RET-5)',
      meta: { label: 'The return is on its way', deadlines: ['returnDelivery'] },
      tags: ['awaits:system'],
      entry: arm('returnDelivery'),
      exit: disarm('returnDelivery'),
      on: {
        'return.delivered': { target: 'awaitingSellerConfirmation', actions: 'recordReturnDelivered' },
        // A parcel that never arrives is a missing return (R-RET-3): a person decides, the money is not held for ever.
        'deadline.returnDelivery': {
          guard: due('returnDelivery'),
          target: '#dispute.escalated',
          actions: ['recordReturnNotDelivered', { type: 'recordEscalation', params: { cause: 'return_problem' } }],
        },
      },
    },
    awaitingSellerConfirmation: {
      description: 'The seller confirms the return within returns.sellerConfirmationDays, else the refund executes (R-RET-2)',
      meta: { label: 'Waiting for the seller to confirm the return', deadlines: ['returnConfirmation'] },
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
