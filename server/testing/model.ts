/**
 * The model a path is generated from: the pure machine with the deployment's policy, a clock, and
 * what a client can do next: send an event (as a party who can see the dispute, with a sample
 * payload), let the clock run to the earliest armed deadline (which then fires, as the scheduler
 * would), or wait until a time guard opens (the buyer's wait before escalating, the end of
 * protection). Events happen at the model's "now"; the clock only moves forward.
 */
import {
  activeStateNodes,
  checkEvent,
  dueDeadlines,
  eventTypes,
  parseEvent,
  scheduler,
  standingOf,
  type DisputeEvent,
  type DisputeInput,
  type DisputeSnapshot,
  type EventType,
} from '../../machines/index.ts';
import { addDays, toMillis } from '../../machines/time.ts';
import { stateId, transitionId } from './coverage.ts';
import { parties, partiesFor, samplePayloads, type Party } from './samples.ts';
import { traceEvent, traceInitial, type Traced } from './trace.ts';

export interface ModelState {
  snapshot: DisputeSnapshot;
  /** The model's clock: the instant of its last step. */
  now: string;
}

/** How a step is chosen, replayable on another state of the same abstract node. */
export type Recipe =
  { kind: 'event'; party: Party; type: EventType; sample: number } | { kind: 'deadline' } | { kind: 'wait'; until: 'escalationWait' | 'protectionEnd' };

export interface Applied {
  recipe: Recipe;
  after: ModelState;
  /** The event sent (`event` steps), stamped as the shell stamps it. */
  event?: DisputeEvent;
  /** The deadline events the clock fired (`deadline` steps), in order. */
  fired: DisputeEvent[];
  transitions: string[];
  states: string[];
}

/** Events are only sent this long before the next deadline, so a late client meets the same state. */
const MARGIN_MS = 60 * 60_000;
/** A wait ends this long after the guard opens. */
const WAIT_PAST_MS = 60_000;

const covered = (traces: Traced[]) => ({
  transitions: traces.flatMap((t) => t.transitions.map(transitionId)),
  states: [...new Set(traces.flatMap((t) => t.nodes.filter((n) => n.path.length > 0).map(stateId)))],
});

export function initialState(input: DisputeInput): { state: ModelState; transitions: string[]; states: string[] } {
  const traced = traceInitial(input);
  return { state: { snapshot: traced.snapshot, now: input.openedAt }, ...covered([traced]) };
}

function earliestDeadline(snapshot: DisputeSnapshot): string | undefined {
  const dues = Object.values(snapshot.context.deadlines).flatMap((d) => (d ? [toMillis(d.dueAt)] : []));
  return dues.length ? new Date(Math.min(...dues)).toISOString() : undefined;
}

/** Where a time guard opens: the buyer may escalate (R-NEG-5), protection has ended (R-FUND-3). */
export function guardOpensAt(snapshot: DisputeSnapshot, until: 'escalationWait' | 'protectionEnd'): string {
  const c = snapshot.context;
  return until === 'escalationWait' ? addDays(c.openedAt, c.policy.negotiation.buyerEscalationWaitDays) : c.protectionEndsAt;
}

/** A refund the provider has not answered yet: it may report whenever the clock moves. */
export const refundPending = (snapshot: DisputeSnapshot) => snapshot.context.refunds.at(-1)?.status === 'requested';

function sendEvent(input: DisputeInput, state: ModelState, recipe: Extract<Recipe, { kind: 'event' }>): Applied | null {
  const { snapshot, now } = state;
  const actor = parties[recipe.party];
  // An agent sees (and so acts on) a dispute only once it involves agents: 404 otherwise.
  if (actor.role === 'agent' && !standingOf(snapshot).agentVisible) return null;
  const payload = samplePayloads(snapshot, recipe.type, recipe.party)[recipe.sample];
  if (!payload) return null;
  const parsed = parseEvent({ type: recipe.type, ...payload }, actor, now);
  const checked = parsed.ok ? checkEvent(snapshot, parsed.value) : parsed;
  if (!checked.ok) return null;
  const traced = traceEvent(input, snapshot, checked.value);
  if (traced.snapshot === snapshot || racesAnotherDeadline(snapshot, traced.snapshot)) return null;
  return { recipe, after: { snapshot: traced.snapshot, now }, event: checked.value, fired: [], ...covered([traced]) };
}

/**
 * A deadline armed now that falls due close to one armed earlier: on a deployment, where each
 * step happens a little later than in the model, they could fire in the other order.
 */
function racesAnotherDeadline(before: DisputeSnapshot, after: DisputeSnapshot): boolean {
  const was = before.context.deadlines;
  const armed = Object.entries(after.context.deadlines).flatMap(([name, d]) => (d ? [{ name, dueAt: d.dueAt, due: toMillis(d.dueAt) }] : []));
  const fresh = armed.filter((d) => was[d.name as keyof typeof was]?.dueAt !== d.dueAt);
  const older = armed.filter((d) => !fresh.includes(d));
  return fresh.some((f) => older.some((o) => Math.abs(f.due - o.due) < MARGIN_MS));
}

/** The clock runs to the earliest armed deadline; everything due then fires, in order (R-GEN-4). */
function fireDeadlines(input: DisputeInput, state: ModelState): Applied | null {
  const target = earliestDeadline(state.snapshot);
  if (!target) return null;
  const traces: Traced[] = [];
  const fired: DisputeEvent[] = [];
  let current = state.snapshot;
  for (let due = dueDeadlines(current, target)[0]; due; due = dueDeadlines(current, target)[0]) {
    const event = { type: due.event, at: due.dueAt, by: scheduler } as DisputeEvent;
    const traced = traceEvent(input, current, event);
    if (traced.snapshot === current) break;
    traces.push(traced);
    fired.push(event);
    current = traced.snapshot;
  }
  return fired.length ? { recipe: { kind: 'deadline' }, after: { snapshot: current, now: target }, fired, ...covered(traces) } : null;
}

function wait(state: ModelState, until: 'escalationWait' | 'protectionEnd'): Applied | null {
  const { snapshot, now } = state;
  if (snapshot.hasTag('ended') || snapshot.status !== 'active') return null;
  const opens = guardOpensAt(snapshot, until);
  if (toMillis(opens) <= toMillis(now)) return null;
  const next = earliestDeadline(snapshot);
  const target = toMillis(opens) + WAIT_PAST_MS;
  if (next && toMillis(next) <= target + MARGIN_MS) return null; // the deadline would fire first
  return { recipe: { kind: 'wait', until }, after: { snapshot, now: new Date(target).toISOString() }, fired: [], transitions: [], states: [] };
}

export interface ModelOptions {
  /**
   * Move the clock while a refund waits for the payment provider. Off by default: a deployment's
   * provider (the simulated one too) may report it whenever time passes.
   */
  clockWhileRefundPending?: boolean;
}

/** Applies a recipe to a state; `null` when it does not apply there. */
export function apply(input: DisputeInput, state: ModelState, recipe: Recipe, options: ModelOptions = {}): Applied | null {
  const next = earliestDeadline(state.snapshot);
  const mustFire = next !== undefined && toMillis(next) <= toMillis(state.now);
  if (recipe.kind === 'event') {
    if (mustFire || (next && toMillis(next) - toMillis(state.now) < MARGIN_MS)) return null;
    return sendEvent(input, state, recipe);
  }
  if (!options.clockWhileRefundPending && refundPending(state.snapshot)) return null;
  if (recipe.kind === 'deadline') return fireDeadlines(input, state);
  return mustFire ? null : wait(state, recipe.until);
}

const eventRecipes: Recipe[] = eventTypes
  .filter((type) => !type.startsWith('deadline.'))
  .flatMap((type) => partiesFor(type).flatMap((party) => [0, 1, 2].map((sample) => ({ kind: 'event' as const, party, type, sample }))));
const clockRecipes: Recipe[] = [{ kind: 'deadline' }, { kind: 'wait', until: 'escalationWait' }, { kind: 'wait', until: 'protectionEnd' }];

/** Every step a client can take from this state. */
export function nextSteps(input: DisputeInput, state: ModelState, options: ModelOptions = {}): Applied[] {
  if (state.snapshot.status !== 'active') return [];
  // Only event types some active state handles can apply: try those alone.
  const handled = new Set(activeStateNodes(state.snapshot).flatMap((node) => [...node.transitions.keys()]));
  const events = eventRecipes.filter((r) => r.kind === 'event' && handled.has(r.type));
  return [...events, ...clockRecipes].flatMap((recipe) => apply(input, state, recipe, options) ?? []);
}
