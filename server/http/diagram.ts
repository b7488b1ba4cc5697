/** A dispute on its statechart: the active states, what it went through, the transitions it took. */
import { describeMachine, leafPaths, type DisputeSnapshot, type Policy } from '../../machines/index.ts';
import type { HistoryRow } from '../../db/store.ts';
import { renderSvg, toDot, transitionKey, type Highlight } from '../../diagrams/graphviz.ts';

const machine = describeMachine();

/** Every prefix of dotted paths: `a.b.c` gives `a`, `a.b`, `a.b.c`. */
function withAncestors(paths: Iterable<string>): Set<string> {
  const all = new Set<string>();
  for (const path of paths) {
    const parts = path.split('.');
    for (let i = 1; i <= parts.length; i += 1) all.add(parts.slice(0, i).join('.'));
  }
  return all;
}

const leavesOf = (label: string | null) => (label ? label.split(' + ') : []);

export function highlightFor(snapshot: DisputeSnapshot, history: HistoryRow[]): Highlight {
  const active = withAncestors(leafPaths(snapshot.value));
  const visited = withAncestors(history.flatMap((h) => [...leavesOf(h.fromState), ...leavesOf(h.toState)]));
  const taken = new Set<string>();
  for (const row of history) {
    const from = withAncestors(leavesOf(row.fromState));
    const to = withAncestors(leavesOf(row.toState));
    for (const t of machine.transitions) {
      if (t.event === row.type && from.has(t.source) && t.targets.some((target) => to.has(target))) taken.add(transitionKey(t));
    }
  }
  return { active, visited, taken };
}

const plain = new WeakMap<Policy, Promise<string>>();

/** The chart with this deployment's policy numbers on its deadlines and in its explanations. */
export function machineSvg(policy: Policy): Promise<string> {
  let svg = plain.get(policy);
  if (!svg) plain.set(policy, (svg = renderSvg(toDot(describeMachine(policy)))));
  return svg;
}

/** A few policies are in use at a time (each dispute froze one, R-GEN-2): their descriptions are kept. */
const described = new Map<string, ReturnType<typeof describeMachine>>();

/** A dispute on the chart, its deadlines and explanations in its own frozen policy's numbers. */
export function disputeSvg(snapshot: DisputeSnapshot, history: HistoryRow[]): Promise<string> {
  const { policy, order } = snapshot.context;
  const key = `${order.paymentMethod}:${JSON.stringify(policy)}`;
  let own = described.get(key);
  if (!own) {
    if (described.size >= 32) described.delete(described.keys().next().value!);
    described.set(key, (own = describeMachine(policy, order.paymentMethod)));
  }
  return renderSvg(toDot(own, highlightFor(snapshot, history)));
}
