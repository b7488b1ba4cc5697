/**
 * Who acts in a generated path, and the payloads they send: valid by construction for the
 * dispute as it stands (amounts inside the bands, the pending refund's id), so every sample the
 * dispute accepts takes a transition a user can take. Ids the deployment generates are written
 * as placeholders a test replaces: `{dispute}` (a refund's id derives from it) and
 * `{evidence:buyer:1}` (the first file the buyer uploaded).
 */
import type { Actor, DisputeSnapshot, EventType } from '../../machines/index.ts';
import { eventCatalog } from '../../machines/index.ts';

/** The parties of a path; a deployment maps each to a token. Two agents: an appeal needs another. */
export const parties = {
  buyer: { role: 'buyer', id: 'buyer' },
  seller: { role: 'seller', id: 'seller' },
  agent: { role: 'agent', id: 'agent' },
  secondAgent: { role: 'agent', id: 'second-agent' },
  system: { role: 'system', id: 'system' },
} as const satisfies Record<string, Actor>;

export type Party = keyof typeof parties;
export const partyNames = Object.keys(parties) as Party[];

/** The parties that may send an event type. */
export const partiesFor = (type: EventType): Party[] => partyNames.filter((p) => (eventCatalog[type].roles as readonly string[]).includes(parties[p].role));

const evidencePrefix = (party: Party) => `{evidence:${party}:`;

/** The payloads a party tries for an event type now; empty when it has none that could apply. */
export function samplePayloads(snapshot: DisputeSnapshot, type: EventType, party: Party): Record<string, unknown>[] {
  const c = snapshot.context;
  const { price } = c.order;
  switch (type) {
    case 'seller.counterOffer': {
      const amount = Math.floor(c.request.total / 2);
      return amount >= 1 ? [{ amount, note: 'Half of it, keep the item' }] : [];
    }
    case 'buyer.proposeAmount':
      return [{ amount: Math.max(1, Math.floor((c.request.total * 3) / 4)), note: 'Three quarters, then' }];
    case 'agent.decide':
    case 'agent.decideAppeal': {
      const band = c.policy.escalation.partialRefundBand;
      const partial = Math.min(price - 1, Math.max(1, Math.round((price * (band.minPercent + band.maxPercent)) / 200)));
      return [
        { outcome: 'buyer_full_refund', reason: 'The item is not what was sold' },
        ...(price > 1 ? [{ outcome: 'buyer_partial_refund', amount: partial, reason: 'Usable, with a flaw' }] : []),
        { outcome: 'seller_wins', reason: 'The item matches its listing' },
      ];
    }
    case 'agent.requestEvidence':
      return [
        { from: 'buyer', note: 'A photo of the item' },
        { from: 'seller', note: 'The tracking history' },
      ];
    case 'evidence.add': {
      const mine = c.evidenceIds.filter((id) => id.startsWith(evidencePrefix(party))).length;
      return [{ evidenceId: `${evidencePrefix(party)}${mine + 1}}` }];
    }
    case 'evidence.hide': {
      // Parties hide what they uploaded; agents hide anything (the API's rule, not the chart's).
      const shown = c.evidenceIds.filter((id) => !c.hiddenEvidenceIds.includes(id));
      const id = parties[party].role === 'agent' ? shown[0] : shown.find((e) => e.startsWith(evidencePrefix(party)));
      return id ? [{ evidenceId: id }] : [];
    }
    case 'buyer.shipReturn':
      return [{ carrier: 'PostNL', trackingNumber: 'RT-{dispute}' }];
    case 'seller.reportReturnProblem':
      return [{ problem: 'different', description: 'A brick in the box' }];
    case 'seller.reject':
      return [{ reason: 'The item was fine when it left' }];
    case 'buyer.rejectOffer':
      return [{ reason: 'Not enough' }];
    case 'buyer.escalate':
      return [{ reason: 'We cannot agree' }];
    case 'buyer.cancel':
      return [{ reason: 'Sorted it out with the seller' }];
    case 'appeal.file':
      return [{ reason: 'The photos show another colour' }];
    case 'agent.confirmSellerFraud':
      return [{ reason: 'The tracking number belongs to another parcel' }];
    case 'message.send':
      return [{ body: 'Any news?' }];
    case 'chargeback.filed':
      return [{ reference: 'CB-{dispute}' }];
    case 'refund.failed':
      return [{ refundId: c.refunds.at(-1)?.id ?? 'none', reason: 'card expired' }];
    default:
      return [eventCatalog[type].probe(c)];
  }
}
