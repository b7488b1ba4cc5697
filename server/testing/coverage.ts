/**
 * What a set of paths covers, against the machine's totals read from its definition: every
 * state node (transient ones included), every transition (eventless ones included) and every
 * lifecycle stage. A state or transition added to the chart counts at once, so a path set that
 * misses it says so.
 */
import type { AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { describeMachine, disputeMachine, stages, type Stage } from '../../machines/index.ts';

const pathOf = (node: AnyStateNode) => node.path.join('.');

const transitionIds = new Map<AnyTransitionDefinition, string>();
const stateIds: string[] = [];

(function visit(node: AnyStateNode) {
  if (node !== disputeMachine.root) stateIds.push(pathOf(node));
  const name = (t: AnyTransitionDefinition, event: string, i: number, of: number) =>
    `${pathOf(t.source) || '(root)'}: ${event}${of > 1 ? `#${i + 1}` : ''} → ${t.target?.map(pathOf).join(', ') || '(stays)'}`;
  for (const [event, candidates] of node.transitions) candidates.forEach((t, i) => transitionIds.set(t, name(t, event, i, candidates.length)));
  const always = node.always ?? [];
  always.forEach((t, i) => transitionIds.set(t, name(t, 'always', i, always.length)));
  Object.values(node.states).forEach(visit);
})(disputeMachine.root);

/** The stable name of a transition of the definition, e.g. `negotiating.offerPending: buyer.rejectOffer → negotiating.rejected`. */
export function transitionId(t: AnyTransitionDefinition): string {
  const id = transitionIds.get(t);
  if (!id) throw new Error(`a transition outside the dispute machine's definition: ${String(t.eventType)}`);
  return id;
}

/** The dotted name of a state node, e.g. `resolving.payout.settlement.requested`. */
export const stateId = pathOf;

export interface MachineTotals {
  states: string[];
  transitions: string[];
  stages: Stage[];
}

/** Everything a path set can cover, from the definition. */
export function machineTotals(): MachineTotals {
  return { states: [...stateIds], transitions: [...transitionIds.values()], stages: [...stages] };
}

export interface CoverageFigure {
  covered: number;
  total: number;
  missing: string[];
}

export interface CoverageReport {
  states: CoverageFigure;
  transitions: CoverageFigure;
  stages: CoverageFigure;
}

/** What a step covers once it is confirmed. */
export interface Covers {
  states: string[];
  transitions: string[];
}

/** The stage of each state node (its own or an ancestor's tag; none for mixed compound states). */
const stageOfState = new Map(describeMachine().states.map((s) => [s.path, s.stage]));

/** A tally of what confirmed steps covered. */
export class Coverage {
  readonly states = new Set<string>();
  readonly transitions = new Set<string>();
  readonly stages = new Set<string>();

  add(covers: Covers) {
    covers.states.forEach((s) => this.states.add(s));
    covers.transitions.forEach((t) => this.transitions.add(t));
    for (const state of covers.states) {
      const stage = stageOfState.get(state);
      if (stage) this.stages.add(stage);
    }
  }

  report(totals: MachineTotals = machineTotals()): CoverageReport {
    const figure = (all: readonly string[], seen: Set<string>): CoverageFigure => ({
      covered: all.filter((x) => seen.has(x)).length,
      total: all.length,
      missing: all.filter((x) => !seen.has(x)),
    });
    return {
      states: figure(totals.states, this.states),
      transitions: figure(totals.transitions, this.transitions),
      stages: figure(totals.stages, this.stages),
    };
  }
}
