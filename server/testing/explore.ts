/**
 * The model's graph, breadth first from each scenario: abstract states (what decides the next
 * steps, `essence`) and the steps between them. Breadth first, so the first way found to each
 * abstract state is a shortest one; every step found is kept, so a path can end with any of them.
 */
import type { Policy } from '../../machines/index.ts';
import { refundOutstanding } from '../../machines/rules.ts';
import { toMillis } from '../../machines/time.ts';
import { guardOpensAt, initialState, nextSteps, type Applied, type ModelOptions, type ModelState } from './model.ts';
import { modelInput, scenarios, type Scenario } from './scenarios.ts';

/**
 * What decides the next steps from here, per phase of the chart; timestamps, ids, counters and
 * texts that no guard reads are left out, so the graph stays finite and small.
 */
export function essence({ snapshot, now }: ModelState): string {
  const c = snapshot.context;
  const base = { value: snapshot.value, status: snapshot.status, deadlines: Object.keys(c.deadlines).sort() };
  if (snapshot.hasTag('ended') || snapshot.status !== 'active') return JSON.stringify(base);
  const passed = (until: 'escalationWait' | 'protectionEnd') => toMillis(guardOpensAt(snapshot, until)) <= toMillis(now);
  const shared = { ...base, evidence: c.evidenceIds.some((id) => !c.hiddenEvidenceIds.includes(id)), protectionEnded: passed('protectionEnd') };
  if (snapshot.matches('negotiating')) {
    return JSON.stringify({ ...shared, offer: c.offer?.kind ?? null, automaticOffer: c.automaticOffer !== null, waitOver: passed('escalationWait') });
  }
  const history = { appeals: c.appeal.count, returned: c.returnShipment !== null };
  if (snapshot.matches('escalated')) {
    return JSON.stringify({ ...shared, ...history, assigned: c.escalation?.agentId ?? null, evidenceFrom: c.evidenceRequest?.from ?? null });
  }
  const refund = c.decision?.refund ?? 0;
  const last = c.refunds.at(-1);
  return JSON.stringify({
    ...shared,
    ...history,
    decision: c.decision && [refund === 0 ? 'none' : refund < c.funds.paid ? 'partial' : 'full', c.decision.onAppeal, c.decision.agentId],
    resolution: c.resolution && [c.resolution.source === 'decision', c.resolution.returnRequired],
    shipment: c.returnShipment && [c.returnShipment.deliveredAt !== null, c.returnShipment.confirmedAt !== null],
    lastRefund: last ? [last.status, last.destination] : null,
    outstanding: refundOutstanding(c) > 0,
  });
}

export interface GraphNode {
  key: string;
  scenario: Scenario;
  state: ModelState;
  depth: number;
  /** The step that first reached it (none for a scenario's start). */
  via: GraphEdge | null;
}

export interface GraphEdge {
  from: GraphNode;
  to: GraphNode;
  applied: Applied;
}

export interface Start {
  scenario: Scenario;
  node: GraphNode;
  transitions: string[];
  states: string[];
}

export interface ModelGraph {
  starts: Start[];
  nodes: GraphNode[];
  edges: GraphEdge[];
  policy: Policy;
  openedAt: string;
}

/** Explores the model from every scenario; fails fast if a change makes the abstraction unbounded. */
export function exploreModel(policy: Policy, openedAt: string, options: ModelOptions & { limit?: number } = {}): ModelGraph {
  const limit = options.limit ?? 20_000;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const starts: Start[] = [];
  for (const scenario of scenarios) {
    const input = modelInput(scenario, policy, openedAt);
    const first = initialState(input);
    const start: GraphNode = { key: `${scenario.name}|${essence(first.state)}`, scenario, state: first.state, depth: 0, via: null };
    const seen = new Map([[start.key, start]]);
    const queue = [start];
    nodes.push(start);
    starts.push({ scenario, node: start, transitions: first.transitions, states: first.states });
    for (let i = 0; i < queue.length; i += 1) {
      const from = queue[i]!;
      for (const applied of nextSteps(input, from.state, options)) {
        const key = `${scenario.name}|${essence(applied.after)}`;
        const known = seen.get(key);
        const to = known ?? { key, scenario, state: applied.after, depth: from.depth + 1, via: null };
        const edge = { from, to, applied };
        edges.push(edge);
        if (known) continue;
        to.via = edge;
        seen.set(key, to);
        queue.push(to);
        nodes.push(to);
        if (nodes.length > limit) throw new Error(`the model has more than ${limit} abstract states: is essence() still finite?`);
      }
    }
  }
  return { starts, nodes, edges, policy, openedAt };
}

/** The steps from a scenario's start to a node, along the breadth-first tree. */
export function treePath(node: GraphNode): GraphEdge[] {
  const path: GraphEdge[] = [];
  for (let at = node.via; at; at = at.from.via) path.unshift(at);
  return path;
}
