import type { OpenRequest, OrderItemFacts } from './order.ts';
import type { Policy } from './policy.ts';
import type { DeadlineName } from './deadline-names.ts';
import type { RefusalRuleId } from './rule-ids.ts';

/** Who may send events to a dispute. The API adds read-only and admin roles on top. */
export const roles = ['buyer', 'seller', 'agent', 'system'] as const;
export type Role = (typeof roles)[number];

/** The sender of an event, stamped by the shell from the caller's credentials. */
export interface Actor {
  role: Role;
  id: string;
}

/** A rule that refuses something, as a value a client can show (not an exception). */
export interface Problem {
  /** The docs/POLICY.md rule id, or `EVENT` for a malformed event. */
  rule: RefusalRuleId;
  /** The payload field at fault, when there is one. */
  field?: string;
  message: string;
  /** For time rules: the earliest instant at which the refused thing becomes possible. */
  earliest?: string;
  /** For time rules: the instant at which the refused thing stopped being possible. */
  latest?: string;
}

export type ResolutionSource = 'seller_accepted' | 'seller_silent' | 'offer_accepted' | 'proposal_accepted' | 'automatic_offer' | 'decision' | 'seller_fraud';

/** What the dispute will pay out: the agreed or decided refund and how the goods travel. */
export interface Resolution {
  source: ResolutionSource;
  /** Total refund due to the buyer (item and, where allowed, shipping), minor units. */
  refund: number;
  includesShipping: boolean;
  returnRequired: boolean;
  /** R-RET-4. */
  returnShippingPaidBy: 'buyer' | 'seller';
  at: string;
}

export type DecisionOutcome = 'buyer_full_refund' | 'buyer_partial_refund' | 'seller_wins';

export interface Decision {
  outcome: DecisionOutcome;
  refund: number;
  includesShipping: boolean;
  itemUnusable: boolean;
  returnRequired: boolean;
  sellerPaysReturnShipping: boolean;
  reason: string;
  overrideReason: string | null;
  sellerFraud: boolean;
  agentId: string;
  at: string;
  /** An appeal decision is final (R-APL-2). */
  onAppeal: boolean;
}

export interface Refund {
  id: string;
  amount: number;
  /** R-REF-1: the original method first; the account behind it after a failure. */
  destination: 'original_method' | 'account_behind_method';
  attempt: number;
  status: 'requested' | 'settled' | 'failed';
  requestedAt: string;
  /** R-REF-2: the method's latest expected settlement. */
  expectedBy: string;
  settledAt: string | null;
  failures: { at: string; reason: string }[];
}

export type EndName = 'refused' | 'resolved' | 'reshipped' | 'cancelled' | 'closedForSeller' | 'movedToPaymentProvider';

/** R-FUND-2: how the amount paid for the item ended up. */
export interface Split {
  refunded: number;
  released: number;
  withPaymentProvider: number;
}

export interface DisputeContext {
  disputeId: string;
  /** R-GEN-2: the policy in force when the dispute opened. */
  policy: Policy;
  /** R-GEN-3: the order facts as they were at open. */
  order: OrderItemFacts;
  request: OpenRequest & { total: number };
  openedAt: string;
  /** R-FUND-3, R-OPEN-2: when buyer protection for the item ends. */
  protectionEndsAt: string;
  openingProblems: Problem[];
  /** R-FUND-1: paid = held + refunded + released while the dispute runs. */
  funds: { currency: string; paid: number; held: number; refunded: number; released: number };
  /** R-NEG-7. */
  automaticOffer: { amount: number; percent: number } | null;
  /** The seller's offer awaiting the buyer. */
  offer: { by: string; kind: 'partial_refund' | 'reshipment'; amount: number | null; note: string | null; at: string } | null;
  /** The buyer's proposal awaiting the seller. */
  proposal: { by: string; amount: number; at: string } | null;
  /** The seller's first answer, for R-NEG-1 and R-NEG-5. */
  sellerResponse: { kind: 'accepted' | 'rejected' | 'counter_offer' | 'reshipment_offer'; reason: string | null; at: string } | null;
  escalation: {
    cause: 'buyer_escalated' | 'negotiation_ended' | 'return_problem';
    by: Actor;
    at: string;
    agentId: string | null;
    decisionOverdue: boolean;
  } | null;
  evidenceRequest: { from: 'buyer' | 'seller'; note: string; by: string; requestedAt: string; answeredAt: string | null } | null;
  decision: Decision | null;
  appeal: { count: number; filedBy: Actor | null; filedAt: string | null; reason: string | null; previousDecision: Decision | null };
  resolution: Resolution | null;
  returnShipment: {
    carrier: string;
    trackingNumber: string;
    shippedAt: string;
    deliveredAt: string | null;
    deliveryReportedBy: Role | null;
    confirmedAt: string | null;
    problem: { kind: 'missing' | 'different'; description: string; at: string } | null;
  } | null;
  refunds: Refund[];
  refundOverdue: boolean;
  /** Armed deadlines, by name; the runtime mirrors them into durable rows. */
  deadlines: Partial<Record<DeadlineName, { event: string; dueAt: string }>>;
  messageCount: number;
  evidenceIds: string[];
  /** R-EVID-3: hidden from the case, kept in the history. */
  hiddenEvidenceIds: string[];
  /** R-REF-5. */
  lateReceipt: { at: string; by: string } | null;
  cancellation: { by: string; at: string; reason: string | null } | null;
  chargeback: { reference: string; at: string } | null;
  outcome: { end: EndName; at: string; split: Split | null } | null;
}
