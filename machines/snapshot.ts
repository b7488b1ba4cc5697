/**
 * Reading a dispute's snapshot through XState's public API: its type, the state nodes it is in,
 * its dotted label and its description in words.
 */
import type { AnyStateNode, SnapshotFrom } from 'xstate';
import { disputeMachine } from './dispute.ts';

export type DisputeSnapshot = SnapshotFrom<typeof disputeMachine>;

/** The dotted paths of the active leaf states, e.g. `['negotiating.offerPending']`. */
export function leafPaths(value: DisputeSnapshot['value']): string[] {
  const leaves = (v: unknown, prefix: string): string[] =>
    typeof v === 'string' ? [`${prefix}${v}`] : Object.entries(v as Record<string, unknown>).flatMap(([key, child]) => leaves(child, `${prefix}${key}.`));
  return leaves(value, '');
}

const nodesByLeafPath = new Map<string, AnyStateNode>();

/** The active leaf state nodes of a snapshot. */
export function activeLeaves(snapshot: Pick<DisputeSnapshot, 'value'>): AnyStateNode[] {
  return leafPaths(snapshot.value).map((path) => {
    let node = nodesByLeafPath.get(path);
    if (!node) {
      node = disputeMachine.getStateNodeById(`dispute.${path}`);
      nodesByLeafPath.set(path, node);
    }
    return node;
  });
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

/** A person's reading of where the dispute stands: the description of each active leaf state. */
export function stateDescription(snapshot: Pick<DisputeSnapshot, 'value'>): string {
  return activeLeaves(snapshot)
    .map((node) => node.description ?? node.key.replace(/([A-Z])/g, ' $1').toLowerCase())
    .join(' · ');
}
