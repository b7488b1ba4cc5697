/**
 * The chart's guards as people read them beside a transition ("if the offer is valid"); the
 * guard's name stays in the machine description for developers. A composite guard reads as its
 * parts joined ("by the assigned agent and the decision is valid").
 */
const conditions: Record<string, string> = {
  openingIsEligible: 'the opening rules allow it',
  deadlineIsDue: 'at its due time',
  automaticOfferStands: 'the automatic offer stands',
  escalationWaitOver: 'the wait before escalating is over',
  counterOfferIsValid: 'the offer is valid',
  proposalIsValid: 'the amount is valid',
  offerIsReshipment: 'the offer is to reship',
  isAssignedAgent: 'sent by the assigned agent',
  decisionIsValid: 'the decision is valid',
  isDifferentAgent: 'sent by another agent',
  fromRequestedParty: 'sent by the party asked',
  appealPossible: 'an appeal is still possible',
  mayAppeal: 'the sender may appeal',
  returnRequired: 'the item must go back first',
  refundOutstanding: 'a refund is still owed',
  decisionIsFinal: 'the decision is final',
  isCurrentRefund: 'it is about the refund in progress',
  evidenceIsShown: 'the evidence is on the case',
  protectionHasEnded: 'buyer protection has ended',
  requestIsToBuyer: 'the buyer is asked',
  anythingRefunded: 'anything was refunded',
  itemWasMissing: 'the dispute was about an item that never arrived',
};

/**
 * A guard name from `guardName()` as a condition in words: "if the offer is valid". A composite
 * keeps its grouping: `a && (b || c)` reads "if A and (B or C)", and `!a` reads "not: A". A
 * parametrized guard reads as its name (`deadlineIsDue(sellerResponse)`: "at its due time"); one
 * without words of its own is spelled out from its name (`buyerIsPolite`: "buyer is polite").
 */
export function guardWords(guard: string | null): string | null {
  if (guard === null) return null;
  const words = guard.replace(/ && | \|\| |!|([^\s()!&|]+)(?:\([^()]*\))?/g, (token, name?: string) => {
    if (name) return conditions[name] ?? name.replace(/([A-Z])/g, ' $1').toLowerCase();
    return token === '!' ? 'not: ' : token === ' && ' ? ' and ' : ' or ';
  });
  return `if ${words}`;
}

/** Every guard the words cover (a test checks the chart's guards are all here). */
export const guardsInWords = Object.keys(conditions);
