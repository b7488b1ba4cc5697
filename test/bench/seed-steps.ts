/**
 * The pure half of seeding: which order, which recipe and which steps the i-th seeded dispute
 * has, computed with the service's pure step functions (`openStep`, `eventStep`, `advanceStep`).
 * Deterministic in (plan, i), so a worker thread can compute the steps while the main thread
 * registers the same orders and commits.
 */
import { defaultPolicy, OrderItemFacts, type Actor, type DisputeInput } from '../../machines/index.ts';
import { seedAdvance, seedEvent, seedOpen, type OrderRegistration, type StepCommit } from './arbiter.ts';
import { itemId, openRequest, orderRegistration } from './fixtures.ts';
import { backlogRecipe, recipes, spread, type RecipeName } from './seed-mix.ts';

const DAY = 86_400_000;
export const ITEMS_PER_ORDER = 5;
/** Disputes per seller: sellers have a few hundred disputes, buyers a few. */
const PER_SELLER = 200;

export interface SeedPlan {
  /** Distinguishes the ids of separate seedings of one file (`dsp_<prefix>0000001`). */
  prefix: string;
  count: number;
  nowMs: number;
  /** `storm`: every dispute's seller window ends in [dueAtMs, dueAtMs + spreadMs). */
  mix: { kind: 'backlog' } | { kind: 'storm'; dueAtMs: number; spreadMs: number };
}

export const seededDisputeId = (prefix: string, i: number) => `dsp_${prefix}${String(i).padStart(7, '0')}`;

export const recipeOf = (plan: SeedPlan, i: number): RecipeName => (plan.mix.kind === 'storm' ? 'storm' : backlogRecipe(i));

/** The order (one per buyer, five items) that the i-th dispute's item belongs to. */
export function orderOf(plan: SeedPlan, orderIndex: number): OrderRegistration {
  const sellers = Math.max(1, Math.ceil(plan.count / PER_SELLER));
  return orderRegistration(
    `order-${plan.prefix}${orderIndex}`,
    `buyer-${plan.prefix}${orderIndex}`,
    `seller-${plan.prefix}${orderIndex % sellers}`,
    ITEMS_PER_ORDER,
    plan.nowMs,
  );
}

function openedAtOf(plan: SeedPlan, i: number): number {
  if (plan.mix.kind === 'storm') return plan.mix.dueAtMs - 5 * DAY + Math.floor(spread(i) * plan.mix.spreadMs);
  return plan.nowMs - Math.round(recipes[recipeOf(plan, i)].openedAgoDays(spread(i)) * DAY);
}

/** The commits of the i-th dispute: its opening, then each step of its recipe, each on the previous. */
export function stepsOf(plan: SeedPlan, i: number): StepCommit[] {
  const id = seededDisputeId(plan.prefix, i);
  const { items, ...order } = orderOf(plan, Math.floor(i / ITEMS_PER_ORDER));
  const facts = OrderItemFacts.parse({ ...order, ...items[i % ITEMS_PER_ORDER]!, itemId: itemId(i % ITEMS_PER_ORDER) });
  const openedAtMs = openedAtOf(plan, i);
  const openedAt = new Date(openedAtMs).toISOString();
  const input: DisputeInput = {
    disputeId: id,
    order: facts,
    request: { ...openRequest, includeShipping: false, itemUnusable: false },
    policy: defaultPolicy,
    openedAt,
  };
  const parties: Record<'buyer' | 'seller', Actor> = { buyer: { role: 'buyer', id: facts.buyerId }, seller: { role: 'seller', id: facts.sellerId } };
  let stepped = seedOpen(input, parties.buyer, openedAt);
  const commits = [stepped.commit];
  for (const step of recipes[recipeOf(plan, i)].steps) {
    const at = new Date(openedAtMs + step.atDays * DAY).toISOString();
    stepped = step.kind === 'advance' ? seedAdvance(stepped.next, at) : seedEvent(stepped.next, step.event, parties[step.role], at);
    commits.push(stepped.commit);
  }
  return commits;
}
