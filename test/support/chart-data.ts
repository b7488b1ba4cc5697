/**
 * A built chart as comparable data: its states (with their meta) and every transition with its
 * guard and actions by name. Two charts built from different sources (the machine, its portable
 * config, the generated Stately file) are the same chart when these are equal.
 */
import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { guardName } from '../../machines/index.ts';

/** An action or parametrized guard by name, with its parameters when they are data. */
export function named(item: unknown): string {
  if (typeof item === 'string') return item;
  const { type, params } = item as { type: string; params?: unknown };
  return typeof params === 'object' ? `${type}(${JSON.stringify(params)})` : type;
}

export function chartOf(machine: AnyStateMachine) {
  const states: { id: string; type: string; initial: string[]; description?: string; meta: unknown; tags: string[]; entry: string[]; exit: string[] }[] = [];
  const transitions: { source: string; event: string; targets: string[]; guard: string | null; actions: string[] }[] = [];
  const visit = (node: AnyStateNode) => {
    const { id, type, description, meta } = node;
    states.push({
      id,
      type,
      initial: node.initial?.target.map((t) => t.id) ?? [],
      description,
      meta,
      tags: [...node.tags],
      entry: node.entry.map(named),
      exit: node.exit.map(named),
    });
    const candidates = [...node.transitions].flatMap(([event, ts]) => ts.map((t) => [event, t] as const));
    for (const [event, t] of [...candidates, ...(node.always ?? []).map((t) => ['(always)', t] as const)]) {
      const guard = t.guard && typeof t.guard === 'object' ? named(t.guard) : guardName(t.guard);
      transitions.push({ source: id, event, targets: (t.target ?? []).map((n) => n.id), guard, actions: t.actions.map(named) });
    }
    Object.values(node.states).forEach(visit);
  };
  visit(machine.root);
  return { states, transitions };
}
