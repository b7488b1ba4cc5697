/**
 * What the stored disputes went through before the benchmark starts: a mix of states like a
 * marketplace's backlog, so that list filters (`?state=escalated`, `?overdue=true`, the agent
 * queue) find what they would find in production, in realistic proportions. Every recipe is a
 * list of events at instants after opening, replayed through the pure step; all of them end
 * before "now", and no deadline of a stored dispute falls due within a day of it (the storm's
 * disputes are the only ones due during the run).
 */
import { PRICE } from './fixtures.ts';

export type RecipeName = 'awaitingSeller' | 'offerPending' | 'escalated' | 'overdue' | 'cancelled' | 'storm';

export type RecipeStep =
  | { kind: 'event'; atDays: number; role: 'buyer' | 'seller'; event: Record<string, unknown> }
  /** Fires whatever deadlines are due by then, as the scheduler would have. */
  | { kind: 'advance'; atDays: number };

export interface Recipe {
  /** How long before now the dispute opened, in days, for a fraction in [0, 1). */
  openedAgoDays(fraction: number): number;
  steps: RecipeStep[];
}

export const recipes: Record<RecipeName, Recipe> = {
  // The seller has not answered yet; the response window (5 days) ends 1 to 4.9 days from now.
  awaitingSeller: { openedAgoDays: (f) => 0.1 + 3.9 * f, steps: [] },
  offerPending: {
    openedAgoDays: (f) => 1 + 3 * f,
    steps: [{ kind: 'event', atDays: 0.5, role: 'seller', event: { type: 'seller.counterOffer', amount: PRICE / 2, note: 'Half, you keep it' } }],
  },
  // Rejected and escalated by the buyer; the agent's 7 days (R-ESC-1) end 2 to 6 days from now.
  escalated: {
    openedAgoDays: (f) => 2 + 4 * f,
    steps: [
      { kind: 'event', atDays: 0.5, role: 'seller', event: { type: 'seller.reject', reason: 'It matches the listing' } },
      { kind: 'event', atDays: 1, role: 'buyer', event: { type: 'buyer.escalate' } },
    ],
  },
  // Escalated weeks ago and never decided: the decision deadline fired and flagged it overdue.
  overdue: {
    openedAgoDays: (f) => 20 + 10 * f,
    steps: [
      { kind: 'event', atDays: 0.5, role: 'seller', event: { type: 'seller.reject', reason: 'It matches the listing' } },
      { kind: 'event', atDays: 1, role: 'buyer', event: { type: 'buyer.escalate' } },
      { kind: 'advance', atDays: 9 },
    ],
  },
  // Withdrawn by the buyer: ended, the held amount waits for the end of protection.
  cancelled: {
    openedAgoDays: (f) => 3 + 11 * f,
    steps: [{ kind: 'event', atDays: 1, role: 'buyer', event: { type: 'buyer.cancel', reason: 'It arrived after all' } }],
  },
  // The storm's disputes: opened so that the seller's response window (5 days) ends at the
  // instant the caller chooses (`openedAgoDays` is unused: the storm sets `openedAt` itself).
  storm: { openedAgoDays: () => 5, steps: [] },
};

/**
 * The backlog's proportions, per 50 disputes: 70 % waiting for the seller, 10 % with an offer on
 * the table, 8 % escalated, 2 % escalated and overdue, 10 % cancelled. Interleaved, so that any
 * slice of the table (by id or by opening time) has the same mix.
 */
const backlogSlots: RecipeName[] = (() => {
  const weights: [RecipeName, number][] = [
    ['awaitingSeller', 35],
    ['offerPending', 5],
    ['escalated', 4],
    ['overdue', 1],
    ['cancelled', 5],
  ];
  const slots: RecipeName[] = [];
  // Spread each recipe evenly over the 50 slots (largest remainder first).
  const taken = new Map<RecipeName, number>(weights.map(([name]) => [name, 0]));
  for (let slot = 0; slot < 50; slot += 1) {
    let best: RecipeName = 'awaitingSeller';
    let bestLag = -Infinity;
    for (const [name, weight] of weights) {
      const lag = ((slot + 1) * weight) / 50 - taken.get(name)!;
      if (lag > bestLag) [best, bestLag] = [name, lag];
    }
    taken.set(best, taken.get(best)! + 1);
    slots.push(best);
  }
  return slots;
})();

export const backlogRecipe = (i: number): RecipeName => backlogSlots[i % backlogSlots.length]!;

/** A well-spread fraction in [0, 1) for the i-th dispute (golden-ratio sequence): no randomness, same mix each run. */
export const spread = (i: number) => (i * 0.6180339887498949) % 1;

export const backlogShare = (name: RecipeName) => backlogSlots.filter((s) => s === name).length / backlogSlots.length;
