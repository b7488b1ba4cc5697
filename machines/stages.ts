/**
 * What a state means to the rest of the service, carried by the chart as tags: the lifecycle
 * stage users look for by name, who must act next, and whether a person must look at it.
 * Visibility, the agent queue, list filters and the inspector's badges are computed from these,
 * never from state labels, so a new state cannot silently hide a dispute.
 */

/** The lifecycle the project was specified with, in the order a dispute moves through it. */
export const stages = ['opened', 'negotiating', 'seller-responded', 'escalated', 'decided', 'appealed', 'refunding', 'refunded', 'closed'] as const;
export type Stage = (typeof stages)[number];

/** Who must act for the dispute to move on; `system` is a deadline, the provider or a carrier. */
export const awaitedParties = ['buyer', 'seller', 'agent', 'system', 'nobody'] as const;
export type AwaitedParty = (typeof awaitedParties)[number];

export type DisputeTag = 'ended' | 'needs-attention' | Stage | `awaits:${AwaitedParty}`;

/**
 * A parallel state (resolving: the decision beside the payout) can be at two stages at once;
 * the dispute shows the one that needs someone most.
 */
const precedence: readonly Stage[] = ['appealed', 'refunding', 'decided'];

const stageSet: ReadonlySet<string> = new Set(stages);

/** Anything that can say whether a tag is active (an XState snapshot). */
export interface Tagged {
  hasTag(tag: DisputeTag): boolean;
  readonly tags: ReadonlySet<string>;
}

/** The stages among a set of tags. */
export const stagesIn = (tags: Iterable<string>): Stage[] => [...tags].filter((tag): tag is Stage => stageSet.has(tag));

/** The dispute's stage: the one stage tag of its active states, by precedence when parallel. */
export function stageOf(snapshot: Tagged): Stage {
  const active = stagesIn(snapshot.tags);
  const stage = precedence.find((s) => active.includes(s)) ?? active[0];
  if (!stage) throw new Error(`no stage tag among ${[...snapshot.tags].join(', ')}`);
  return stage;
}

/** Who must act now: every party an active state awaits (`nobody` only when no one else). */
export function awaitedBy(snapshot: Tagged): AwaitedParty[] {
  const parties = awaitedParties.filter((party) => party !== 'nobody' && snapshot.hasTag(`awaits:${party}`));
  return parties.length > 0 ? parties : ['nobody'];
}
