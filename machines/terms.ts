/**
 * What is on the table in a negotiation, and what taking it would mean: the refund, whether the
 * goods go back first and who pays their shipping. Computed with the same rule the machine
 * applies on acceptance (`resolutionFromAgreement`), so what a party is shown is what happens.
 */
import { resolutionFromAgreement } from './rules.ts';
import { leafPaths, type DisputeSnapshot } from './snapshot.ts';

export interface Terms {
  kind: 'partial_refund' | 'reshipment' | 'proposal' | 'automatic_offer';
  /** Who put it on the table (a party's id; the platform for the automatic offer). */
  by: string;
  at: string | null;
  note: string | null;
  /** The total refund taking it gives, minor units (0 for a reshipment). */
  refund: number;
  returnRequired: boolean;
  returnShippingPaidBy: 'buyer' | 'seller';
}

const nothing = { offer: null, proposal: null, automaticOffer: null };

/** The offer, proposal and automatic offer that stand now (only while negotiating), each with what taking it means. */
export function termsOnTheTable(snapshot: DisputeSnapshot): { offer: Terms | null; proposal: Terms | null; automaticOffer: Terms | null } {
  // Stryker disable next-line MethodExpression: equivalent, `every` = `some` here: negotiating is not parallel (one leaf), and the one parallel state (resolving) has no leaf in it
  if (!leafPaths(snapshot.value).some((path) => path.startsWith('negotiating.'))) return nothing;
  const context = snapshot.context;
  const { offer, proposal, automaticOffer, openedAt } = context;
  const agreed = (source: 'offer_accepted' | 'proposal_accepted' | 'automatic_offer', amount: number, at: string) =>
    resolutionFromAgreement(context, source, amount, at);
  const fromOffer = (): Terms | null => {
    if (!offer) return null;
    if (offer.kind === 'reshipment')
      return { kind: 'reshipment', by: offer.by, at: offer.at, note: offer.note, refund: 0, returnRequired: false, returnShippingPaidBy: 'seller' };
    // Stryker disable next-line StringLiteral: equivalent, the source only tells the automatic offer (no return, R-NEG-7) apart, and terms do not show it
    const r = agreed('offer_accepted', offer.amount ?? 0, offer.at);
    return {
      kind: 'partial_refund',
      by: offer.by,
      at: offer.at,
      note: offer.note,
      refund: r.refund,
      returnRequired: r.returnRequired,
      returnShippingPaidBy: r.returnShippingPaidBy,
    };
  };
  const fromProposal = (): Terms | null => {
    if (!proposal) return null;
    // Stryker disable next-line StringLiteral: equivalent, the source only tells the automatic offer (no return, R-NEG-7) apart, and terms do not show it
    const r = agreed('proposal_accepted', proposal.amount, proposal.at);
    return {
      kind: 'proposal',
      by: proposal.by,
      at: proposal.at,
      note: null,
      refund: r.refund,
      returnRequired: r.returnRequired,
      returnShippingPaidBy: r.returnShippingPaidBy,
    };
  };
  const fromAutomatic = (): Terms | null => {
    if (!automaticOffer) return null;
    const r = agreed('automatic_offer', automaticOffer.amount, openedAt);
    return {
      kind: 'automatic_offer',
      by: 'platform',
      at: openedAt,
      note: `${automaticOffer.percent} % of the item's price, without return (R-NEG-7)`,
      refund: r.refund,
      returnRequired: r.returnRequired,
      returnShippingPaidBy: r.returnShippingPaidBy,
    };
  };
  return { offer: fromOffer(), proposal: fromProposal(), automaticOffer: fromAutomatic() };
}
