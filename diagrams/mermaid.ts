import type { MachineDescription, StateDescription, TransitionDescription } from '../machines/index.ts';

/**
 * Renders the machine description as a Mermaid `stateDiagram-v2` (renders on code hosts):
 * compound states nest, parallel regions are separated by `--`, transitions carry their event
 * and guard; each resting state names its lifecycle stage. Mermaid cannot draw an edge between states inside different composites, so such an
 * edge is drawn between the outermost states it leaves and enters (e.g. `negotiating -->
 * resolving : seller.accept`); the Graphviz SVG keeps the exact ends. Transitions without a
 * target (recording a message, flagging an overdue deadline) never move the dispute and are
 * left out.
 */
export function toMermaid(machine: MachineDescription): string {
  const keyCount = new Map<string, number>();
  for (const s of machine.states) keyCount.set(s.key, (keyCount.get(s.key) ?? 0) + 1);
  const byPath = new Map(machine.states.map((s) => [s.path, s]));
  const children = (path: string) => machine.states.filter((s) => s.parent === path);
  const idOf = (path: string) => {
    const state = byPath.get(path)!;
    return keyCount.get(state.key) === 1 ? state.key : path.replaceAll('.', '_');
  };

  const edgesByScope = new Map<string, string[]>();
  for (const t of machine.transitions) {
    for (const target of t.targets) {
      const { scope, from, to } = liftToCommonScope(t.source, target, byPath);
      const line = `${idOf(from)} --> ${idOf(to)} : ${label(t)}`;
      const lines = edgesByScope.get(scope) ?? [];
      if (!lines.includes(line)) lines.push(line);
      edgesByScope.set(scope, lines);
    }
  }

  const lines: string[] = ['stateDiagram-v2'];
  const emit = (state: StateDescription, indent: string) => {
    const id = idOf(state.path);
    if (children(state.path).length === 0) {
      lines.push(id === state.key ? `${indent}${id}` : `${indent}state "${state.key}" as ${id}`);
      if (state.stage) lines.push(`${indent}${id} : stage ${state.stage}`);
      return;
    }
    lines.push(`${indent}state ${id} {`);
    emitBody(state, `${indent}  `);
    lines.push(`${indent}}`);
  };
  const emitBody = (state: StateDescription, indent: string) => {
    const kids = children(state.path);
    if (state.type === 'parallel') {
      kids.forEach((region, i) => {
        if (i > 0) lines.push(`${indent}--`);
        emit(region, indent);
      });
    } else {
      if (state.initial) lines.push(`${indent}[*] --> ${idOf(state.path ? `${state.path}.${state.initial}` : state.initial)}`);
      for (const kid of kids) emit(kid, indent);
    }
    for (const edge of edgesByScope.get(state.path) ?? []) lines.push(`${indent}${edge}`);
  };
  emitBody(
    machine.states.find((s) => s.parent === null)!,
    '  ',
  );
  return `${lines.join('\n')}\n`;
}

/** The innermost non-parallel state holding both ends, and the ends lifted to its children. */
function liftToCommonScope(source: string, target: string, byPath: Map<string, StateDescription>) {
  const chain = (path: string) => {
    const out = [path];
    let parent = byPath.get(path)?.parent ?? null;
    while (parent !== null) {
      out.unshift(parent);
      parent = byPath.get(parent)?.parent ?? null;
    }
    return out; // root first
  };
  const a = chain(source);
  const b = chain(target);
  let depth = 0;
  while (depth + 1 < a.length && depth + 1 < b.length && a[depth + 1] === b[depth + 1]) depth += 1;
  // Edges belong in a region, never directly in a parallel state.
  while (depth > 0 && byPath.get(a[depth]!)?.type === 'parallel') depth -= 1;
  const scope = a[depth]!;
  return { scope, from: a[depth + 1] ?? source, to: b[depth + 1] ?? target };
}

function label(t: TransitionDescription): string {
  const guard = t.deadline ? null : t.guard; // a deadline's own due-check says nothing new
  const event = t.event ?? 'always';
  return guard ? `${event} [${guard}]` : event;
}
