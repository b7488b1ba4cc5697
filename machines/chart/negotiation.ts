/**
 * Stage 1 (R-NEG-*): the seller answers within its window, then buyer and seller negotiate
 * (counter-offers, proposals, a reshipment) until they agree, the buyer escalates, or the
 * negotiation ends. Stage `negotiating` until the seller answers, `seller-responded` after.
 */
import { arm, disarm, due } from './base.ts';
import { disputeSetup } from './setup.ts';

export const negotiating = disputeSetup.createStateConfig({
  description: 'Buyer and seller try to agree, for at most negotiation.maxDays (stage 1, R-NEG-*)',
  meta: { label: 'Negotiation between buyer and seller', deadlines: ['negotiationEnd'] },
  entry: arm('negotiationEnd'),
  exit: disarm('negotiationEnd'),
  initial: 'awaitingSellerResponse',
  on: {
    'deadline.negotiationEnd': {
      guard: due('negotiationEnd'),
      target: '#dispute.escalated',
      actions: { type: 'recordEscalation', params: { cause: 'negotiation_ended' } },
    },
    'buyer.acceptAutomaticOffer': { guard: 'automaticOfferStands', target: '#dispute.resolving', actions: 'agreeOnAutomaticOffer' },
    'buyer.cancel': { target: '#dispute.cancelled', actions: 'recordCancellation' },
    'chargeback.filed': { target: '#dispute.movedToPaymentProvider', actions: 'recordChargeback' },
    'message.send': { actions: 'countMessage' },
    'evidence.add': { actions: 'addEvidence' },
    'evidence.hide': { guard: 'evidenceIsShown', actions: 'hideEvidence' },
  },
  states: {
    awaitingSellerResponse: {
      description: 'The seller has negotiation.sellerResponseDays to answer; silence refunds as requested (R-NEG-1)',
      meta: { label: 'Waiting for the seller’s answer', deadlines: ['sellerResponse'] },
      tags: ['negotiating', 'awaits:seller'],
      entry: arm('sellerResponse'),
      exit: disarm('sellerResponse'),
      on: {
        'seller.accept': {
          target: '#dispute.resolving',
          actions: [
            { type: 'recordSellerResponse', params: { kind: 'accepted' } },
            { type: 'agreeOnRequest', params: { source: 'seller_accepted' } },
          ],
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
      meta: { label: 'The seller’s offer awaits the buyer' },
      tags: ['seller-responded', 'awaits:buyer'],
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
      meta: { label: 'The buyer’s proposal awaits the seller' },
      tags: ['seller-responded', 'awaits:seller'],
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
      meta: { label: 'No offer on the table' },
      tags: ['seller-responded', 'awaits:buyer'],
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
});
