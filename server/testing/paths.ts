/**
 * Paths through the machine and a deployment's policy, as data: the shortest path to each state
 * (or stage) asked for, the simple paths to it up to a length, or, without a target, a small set
 * of paths that together take every transition and visit every state of the chart.
 */
import { disputeMachine, disputeMachineVersion, parsePolicy, stageOf, stateLabel, type Policy, type PolicyOverrides } from '../../machines/index.ts';
import { Coverage, machineTotals, type CoverageReport } from './coverage.ts';
import { exploreModel, treePath, type GraphEdge, type GraphNode, type ModelGraph } from './explore.ts';
import type { Recipe } from './model.ts';
import { realizePath, type TestPath } from './realize.ts';

export type PathKind = 'shortest' | 'simple';

export interface PathOptions {
  /** The deployment's policy (overrides of the documented defaults, as in ARBITER_POLICY). */
  policy?: Policy | PolicyOverrides;
  /** A state (`escalated.inQueue`, or a prefix such as `escalated`, or `refused`) or a stage (`refunding`). */
  to?: string;
  kind?: PathKind;
  /** The most steps a path may have, the opening included. */
  maxLength?: number;
  /** The most paths returned (simple paths can be many). */
  maxPaths?: number;
  /** When the model opens each dispute (default: now). */
  openedAt?: string;
}

export interface PathSet {
  machine: { id: string; version: number };
  policy: Policy;
  kind: PathKind;
  to: string | null;
  maxLength: number;
  openedAt: string;
  /** More paths matched than `maxPaths`. */
  truncated: boolean;
  /** What the paths cover together, out of the machine's totals. */
  coverage: CoverageReport;
  paths: TestPath[];
}

const graphs = new Map<string, ModelGraph>();

/** The model's graph for a policy, kept for the hour: the endpoint asks for it on every request. */
function graphFor(policy: Policy, openedAt: string): ModelGraph {
  const key = `${JSON.stringify(policy)}|${openedAt.slice(0, 13)}`;
  let graph = graphs.get(key);
  if (!graph) {
    if (graphs.size >= 4) graphs.delete(graphs.keys().next().value!);
    graph = exploreModel(policy, openedAt);
    graphs.set(key, graph);
  }
  return graph;
}

/**
 * Whether a state matches a target: its label, a dotted prefix of one of its states, or its
 * stage; `refused` is an opening the rules refuse; the empty target matches every state.
 */
export function labelMatches(target: { state: string; stage: string }, to: string): boolean {
  if (to === '' || target.state === to || target.stage === to) return true;
  if (target.state === 'refused') return false;
  return target.state.split(' + ').some((leaf) => leaf.startsWith(`${to}.`));
}

const targetOf = (node: GraphNode) => {
  const { snapshot } = node.state;
  return { state: snapshot.context.openingProblems.length > 0 ? 'refused' : stateLabel(snapshot), stage: stageOf(snapshot) };
};

export const matchesTarget = (node: GraphNode, to: string) => labelMatches(targetOf(node), to);

type Route = { node: GraphNode; edges: GraphEdge[] };

const recipesOf = (edges: GraphEdge[]): Recipe[] => edges.map((e) => e.applied.recipe);
const routeTo = (node: GraphNode): Route => ({ node, edges: treePath(node) });

/** For each state label matching, the shortest route to it. */
function shortestTo(graph: ModelGraph, to: string): Route[] {
  const best = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    if (!matchesTarget(node, to)) continue;
    const label = targetOf(node).state;
    const known = best.get(label);
    if (!known || node.depth < known.depth) best.set(label, node);
  }
  return [...best.values()].map(routeTo);
}

/** Simple routes (no abstract state twice) to matching states, shortest first, up to a length. */
function simpleTo(graph: ModelGraph, to: string, maxEdges: number, maxPaths: number): { routes: Route[]; truncated: boolean } {
  const out = new Map<GraphNode, GraphEdge[]>();
  for (const edge of graph.edges) if (edge.from !== edge.to) out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  const routes: Route[] = [];
  let frontier: Route[] = graph.starts.map((s) => ({ node: s.node, edges: [] }));
  for (let length = 0; length <= maxEdges && frontier.length > 0; length += 1) {
    const next: Route[] = [];
    for (const route of frontier) {
      if (matchesTarget(route.node, to)) {
        if (routes.length >= maxPaths) return { routes, truncated: true };
        routes.push(route);
      }
      if (length === maxEdges) continue;
      const visited = new Set([route.edges[0]?.from ?? route.node, ...route.edges.map((e) => e.to)]);
      for (const edge of out.get(route.node) ?? []) if (!visited.has(edge.to)) next.push({ node: edge.to, edges: [...route.edges, edge] });
    }
    frontier = next.slice(0, 200_000);
  }
  return { routes, truncated: false };
}

/** Routes that together cover every transition and state the model reaches, few and short. */
function covering(graph: ModelGraph): Route[] {
  const witnesses = new Map<string, Route>();
  const offer = (items: string[], route: Route) => {
    for (const item of items) {
      const known = witnesses.get(item);
      if (!known || route.edges.length < known.edges.length) witnesses.set(item, route);
    }
  };
  for (const start of graph.starts) offer([...start.transitions, ...start.states], { node: start.node, edges: [] });
  for (const edge of graph.edges) offer([...edge.applied.transitions, ...edge.applied.states], { node: edge.to, edges: [...treePath(edge.from), edge] });
  // Greedy set cover over the candidates: the route covering most of what is left, shorter first.
  const itemsOf = (route: Route) => {
    const start = graph.starts.find((s) => s.node === (route.edges[0]?.from ?? route.node))!;
    return new Set([...start.transitions, ...start.states, ...route.edges.flatMap((e) => [...e.applied.transitions, ...e.applied.states])]);
  };
  const candidates = [...new Set(witnesses.values())].map((route) => ({ route, items: itemsOf(route) }));
  const left = new Set(witnesses.keys());
  const chosen: Route[] = [];
  while (left.size > 0) {
    const gain = (c: (typeof candidates)[number]) => [...c.items].filter((i) => left.has(i)).length;
    const best = candidates.reduce((a, b) => (gain(b) > gain(a) || (gain(b) === gain(a) && b.route.edges.length < a.route.edges.length) ? b : a));
    if (gain(best) === 0) break;
    chosen.push(best.route);
    best.items.forEach((i) => left.delete(i));
  }
  return chosen.sort((a, b) => a.edges.length - b.edges.length);
}

export function generatePaths(options: PathOptions = {}): PathSet {
  const policy = parsePolicy(options.policy ?? {});
  const openedAt = options.openedAt ?? new Date().toISOString();
  const kind = options.kind ?? 'shortest';
  const maxLength = options.maxLength ?? (kind === 'simple' ? 8 : 50);
  const maxPaths = options.maxPaths ?? (kind === 'simple' ? 100 : 1000);
  const graph = graphFor(policy, openedAt);
  const to = options.to ?? null;
  let routes: Route[];
  let truncated: boolean;
  if (kind === 'simple') {
    ({ routes, truncated } = simpleTo(graph, to ?? '', maxLength - 1, maxPaths));
  } else {
    routes = (to === null ? covering(graph) : shortestTo(graph, to)).filter((r) => r.edges.length <= maxLength - 1);
    truncated = routes.length > maxPaths;
    routes = routes.slice(0, maxPaths);
  }
  const coverage = new Coverage();
  const paths: TestPath[] = [];
  for (const route of routes) {
    const scenario = (route.edges[0]?.from ?? route.node).scenario.name;
    const path = realizePath({ id: `P${paths.length + 1}`, scenario, recipes: recipesOf(route.edges) }, { policy, openedAt: graph.openedAt });
    // A simple route may leave the first way found to a state: rebuilt step by step, it must
    // still apply and still end where it was asked to.
    if (!path || (to !== null && !labelMatches(path.target, to))) continue;
    path.steps.forEach((step) => coverage.add(step.covers));
    paths.push(path);
  }
  return {
    machine: { id: disputeMachine.id, version: disputeMachineVersion },
    policy,
    kind,
    to,
    maxLength,
    openedAt: graph.openedAt,
    truncated,
    coverage: coverage.report(machineTotals()),
    paths,
  };
}
