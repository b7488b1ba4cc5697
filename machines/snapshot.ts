/**
 * Reading a dispute's snapshot through XState's public API: its type, the state nodes it is in,
 * its dotted label and its description in words.
 */
import type { AnyStateNode, SnapshotFrom } from 'xstate';
import { disputeMachine } from './dispute.ts';
import { inWords } from './policy-words.ts';

export type DisputeSnapshot = SnapshotFrom<typeof disputeMachine>;

const pathsByValue = new WeakMap<object, string[]>();

/** Works out a value's leaf paths and remembers them: a cache that only saves time. */
function rememberPaths(value: object): string[] {
  const leaves = (v: unknown, prefix: string): string[] =>
    typeof v === 'string' ? [`${prefix}${v}`] : Object.entries(v as Record<string, unknown>).flatMap(([key, child]) => leaves(child, `${prefix}${key}.`));
  const paths = leaves(value, '');
  pathsByValue.set(value, paths);
  return paths;
}

/** The dotted paths of the active leaf states, e.g. `['negotiating.offerPending']` (remembered per value). */
export function leafPaths(value: DisputeSnapshot['value']): string[] {
  if (typeof value === 'string') return [value];
  return pathsByValue.get(value) ?? rememberPaths(value);
}

const nodesByLeafPath = new Map<string, AnyStateNode>();

/** Looks a leaf's state node up and remembers it: a cache that only saves time. */
function rememberNode(path: string): AnyStateNode {
  const node = disputeMachine.getStateNodeById(`dispute.${path}`);
  nodesByLeafPath.set(path, node);
  return node;
}

/** The active leaf state nodes of a snapshot. */
export function activeLeaves(snapshot: Pick<DisputeSnapshot, 'value'>): AnyStateNode[] {
  return leafPaths(snapshot.value).map((path) => nodesByLeafPath.get(path) ?? rememberNode(path));
}

/** Every active state node, leaves and their ancestors (the root included), each once. */
export function activeStateNodes(snapshot: Pick<DisputeSnapshot, 'value'>): AnyStateNode[] {
  const nodes = new Set<AnyStateNode>();
  for (let node of activeLeaves(snapshot)) {
    for (;;) {
      nodes.add(node);
      if (!node.parent) break;
      node = node.parent;
    }
  }
  return [...nodes];
}

/** A dotted name of the active leaf states, e.g. `negotiating.offerPending`; ` + ` joins parallel ones. */
export function stateLabel(snapshot: Pick<DisputeSnapshot, 'value'>): string {
  return leafPaths(snapshot.value).join(' + ');
}

type Described = Pick<DisputeSnapshot, 'value' | 'context'>;

/** A state's description with the dispute's own frozen policy numbers in words (R-GEN-2). */
const describedIn = (node: AnyStateNode, context: Described['context']): string | null =>
  node.description ? inWords(node.description, context.policy, context.order.paymentMethod) : null;

/** A person's reading of where the dispute stands: the description of each active leaf state. */
export function stateDescription(snapshot: Described): string {
  return activeLeaves(snapshot)
    .map((node) => describedIn(node, snapshot.context) ?? node.key)
    .join(' · ');
}

/** What a person calls a state node: its `meta.label`, else its key. */
// Stryker disable next-line OptionalChaining: every state of the chart has a meta with a label of its own (test/catalogue.test.ts checks it)
export const nodeLabel = (node: AnyStateNode): string => (node.meta as { label?: string } | undefined)?.label ?? node.key;

/** One active leaf, in words, with the parallel region it runs in (none outside `resolving`). */
export interface ActiveRegion {
  path: string;
  label: string;
  description: string | null;
  region: { path: string; label: string } | null;
}

/**
 * Where the dispute stands, one entry per active leaf: a parallel state reads as its regions
 * ("Decision: open to appeal", "Payout: refund requested"), never as one joined label; each
 * description carries the dispute's own policy numbers ("within 7 days"), not setting names.
 */
export function activeRegions(snapshot: Described): ActiveRegion[] {
  return activeLeaves(snapshot).map((leaf) => {
    let region: AnyStateNode = leaf;
    while (region.parent && region.parent.type !== 'parallel') region = region.parent;
    const inRegion = region.parent?.type === 'parallel' ? region : undefined;
    return {
      path: leaf.path.join('.'),
      label: nodeLabel(leaf),
      description: describedIn(leaf, snapshot.context),
      region: inRegion ? { path: inRegion.path.join('.'), label: nodeLabel(inRegion) } : null,
    };
  });
}
