/**
 * A path as data a test drives: the scenario's order and request, then each step with who acts,
 * the event with a valid example payload (or the clock advance a deadline or a time guard
 * needs), the expected dispute after it, and what it covers. A path is built from its recipes
 * for a given opening instant, so a test can rebuild it for the instant its dispute really
 * opened (lengths in business days depend on the weekday).
 */
import { deadlineForEvent, parsePolicy, type DeadlineName, type Policy, type PolicyOverrides, type Stage } from '../../machines/index.ts';
import { toMillis } from '../../machines/time.ts';
import type { Covers } from './coverage.ts';
import { expectedAfter, formatDuration, type Expected } from './expect.ts';
import { apply, initialState, type Applied, type ModelOptions, type Recipe } from './model.ts';
import type { Party } from './samples.ts';
import { modelInput, scenarioNamed, type Scenario } from './scenarios.ts';

export interface Advance {
  /** How far the model's clock moved, e.g. `5d` (what `POST /admin/clock/advance` takes). */
  by: string;
  ms: number;
  /** What the clock runs to: an armed deadline (read its due time from the dispute) or a time guard. */
  until: { deadline: DeadlineName } | { guard: 'escalationWait' | 'protectionEnd'; plusMs: number };
}

export interface PathStep {
  n: number;
  kind: 'open' | 'event' | 'deadline' | 'wait';
  /** Who acts; `clock` for the deployment's clock. */
  party: Party | 'clock';
  /** `open`: the request of `POST /disputes` (with the order's `orderId` and `itemId`). */
  request?: Scenario['request'];
  /** `event`: the body of `POST /disputes/{id}/events` (evidence: an upload; hiding: its route). */
  event?: { type: string; [field: string]: unknown };
  advance?: Advance;
  /** The deadline events the advance fires, in order. */
  fires?: string[];
  expect: Expected;
  covers: Covers;
}

export interface TestPath {
  id: string;
  title: string;
  scenario: Pick<Scenario, 'name' | 'description' | 'order' | 'request'>;
  target: { state: string; stage: Stage };
  /** Moves the deployment's clock (deadlines or time guards): needs a controllable clock. */
  needsClock: boolean;
  steps: PathStep[];
  /** How each step after the opening was chosen: `realizePath` rebuilds the path from these. */
  recipes: Recipe[];
  /** The instant the model opened the dispute; the order's instants count from `factsAt`. */
  openedAt: string;
  factsAt: string;
}

export interface RealizeOptions {
  policy?: Policy | PolicyOverrides;
  openedAt: string;
  factsAt?: string;
  model?: ModelOptions;
}

const withoutStamp = (event: { type: string; at?: unknown; by?: unknown }) => {
  const { at: _at, by: _by, ...body } = event as Record<string, unknown> & { type: string };
  return body;
};

function stepOf(n: number, applied: Applied, before: string): PathStep {
  const { recipe, after } = applied;
  const covers = { states: applied.states, transitions: applied.transitions };
  const expect = expectedAfter(after);
  const ms = toMillis(after.now) - toMillis(before);
  if (recipe.kind === 'event') return { n, kind: 'event', party: recipe.party, event: withoutStamp(applied.event!), expect, covers };
  if (recipe.kind === 'deadline') {
    const first = applied.fired[0]!;
    const until = { deadline: deadlineForEvent(first.type)! };
    return { n, kind: 'deadline', party: 'clock', advance: { by: formatDuration(ms), ms, until }, fires: applied.fired.map((e) => e.type), expect, covers };
  }
  const until = { guard: recipe.until, plusMs: 60_000 };
  return { n, kind: 'wait', party: 'clock', advance: { by: formatDuration(ms), ms, until }, expect, covers };
}

/** Builds a path from a scenario and recipes; `null` when a recipe does not apply on the way. */
export function realizePath(source: { id?: string; scenario: string; recipes: Recipe[] }, options: RealizeOptions): TestPath | null {
  const policy = parsePolicy(options.policy ?? {});
  const scenario = scenarioNamed(source.scenario);
  const factsAt = options.factsAt ?? options.openedAt;
  const input = modelInput(scenario, policy, options.openedAt, factsAt);
  const start = initialState(input);
  const steps: PathStep[] = [
    {
      n: 1,
      kind: 'open',
      party: 'buyer',
      request: { ...scenario.request },
      expect: expectedAfter(start.state),
      covers: { states: start.states, transitions: start.transitions },
    },
  ];
  let state = start.state;
  for (const recipe of source.recipes) {
    const applied = apply(input, state, recipe, options.model);
    if (!applied) return null;
    steps.push(stepOf(steps.length + 1, applied, state.now));
    state = applied.after;
  }
  const last = steps.at(-1)!.expect;
  // Titles name no lengths, so a path keeps its title whatever the weekday it is built for.
  const moves = steps.slice(1).map((s) => {
    const until = s.advance?.until;
    return s.event ? s.event.type : until && 'guard' in until ? `(wait for ${until.guard})` : s.fires!.join(' + ');
  });
  return {
    id: source.id ?? '',
    title: `${scenario.name}: ${last.refused ? 'refused' : last.state} ← ${['open', ...moves].join(' › ')}`,
    scenario: { name: scenario.name, description: scenario.description, order: scenario.order, request: scenario.request },
    target: { state: last.refused ? 'refused' : last.state, stage: last.stage },
    needsClock: steps.some((s) => s.advance !== undefined),
    steps,
    recipes: source.recipes,
    openedAt: options.openedAt,
    factsAt,
  };
}
