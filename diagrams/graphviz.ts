import { instance, type Viz } from '@viz-js/viz';
import type { MachineDescription, StateDescription, TransitionDescription } from '../machines/index.ts';

/**
 * The statechart as Graphviz DOT: compound states are clusters (parallel regions dashed), each
 * resting state names its lifecycle stage, and every transition that moves the dispute is an
 * edge labelled with its event, its guard and, for a deadline, how long it waits. Rendered to SVG by Graphviz compiled to WebAssembly
 * (`@viz-js/viz`), in plain Node, offline.
 *
 * A dispute's own diagram highlights where it stands (`active`, filled and marked "now") and
 * what it went through (`visited` states, `taken` transitions): states are named in text as
 * well as colour.
 */
export interface Highlight {
  /** Paths of the active states, e.g. `negotiating.offerPending`. */
  active: ReadonlySet<string>;
  visited: ReadonlySet<string>;
  /** Keys from `transitionKey()` of the transitions the dispute took. */
  taken: ReadonlySet<string>;
}

export const transitionKey = (t: Pick<TransitionDescription, 'source' | 'event' | 'targets'>) => `${t.source}|${t.event ?? 'always'}|${t.targets.join(',')}`;

const quote = (text: string) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
const anchorOf = (path: string) => `${path}.__anchor`;
const clusterOf = (path: string) => `cluster_${path || 'root'}`;

function edgeLabel(t: TransitionDescription, machine: MachineDescription): string {
  if (t.deadline) {
    const d = machine.deadlines.find((x) => x.name === t.deadline);
    return `${t.event}\nafter ${d?.length ?? ''} (${d?.rule ?? ''})`;
  }
  const event = t.event ?? 'always';
  return t.guard ? `${event}\n[${t.guard}]` : event;
}

export function toDot(machine: MachineDescription, highlight?: Highlight): string {
  const byPath = new Map(machine.states.map((s) => [s.path, s]));
  const children = (path: string) => machine.states.filter((s) => s.parent === path);
  const isCompound = (s: StateDescription) => children(s.path).length > 0;
  const lines: string[] = [
    'digraph dispute {',
    '  compound=true; rankdir=LR; newrank=true; nodesep=0.3; ranksep=0.45;',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#4a5568", fontname="Helvetica", fontsize=11];',
    '  edge [fontname="Helvetica", fontsize=9, color="#718096", fontcolor="#2d3748"];',
    '  graph [fontname="Helvetica", fontsize=12, color="#a0aec0", style="rounded"];',
  ];

  const emit = (state: StateDescription, indent: string) => {
    const active = highlight?.active.has(state.path) ?? false;
    const visited = highlight?.visited.has(state.path) ?? false;
    if (isCompound(state)) {
      const parallel = state.type === 'parallel';
      lines.push(`${indent}subgraph ${quote(clusterOf(state.path))} {`);
      lines.push(
        `${indent}  label=${quote(`${state.key}${parallel ? ' (parallel)' : ''}${active ? ' · now' : ''}`)}; style=${quote(parallel ? 'rounded,dashed' : 'rounded')}; ${active ? 'color="#2b6cb0"; penwidth=2;' : ''}`,
      );
      lines.push(`${indent}  ${quote(anchorOf(state.path))} [shape=point, style=invis, width=0, height=0, label=""];`);
      if (state.initial) {
        const initial = `${state.path}.__initial`;
        lines.push(`${indent}  ${quote(initial)} [shape=circle, style=filled, fillcolor="#2d3748", width=0.12, height=0.12, label=""];`);
        const target = byPath.get(`${state.path}.${state.initial}`)!;
        lines.push(`${indent}  ${quote(initial)} -> ${endpoint(target)}${isCompound(target) ? ` [lhead=${quote(clusterOf(target.path))}]` : ''};`);
      }
      for (const child of children(state.path)) emit(child, `${indent}  `);
      lines.push(`${indent}}`);
      return;
    }
    const stage = state.stage && !state.transient ? `\n[${state.stage}]` : '';
    const deadlines = state.deadlines.length > 0 ? `\ndeadline: ${state.deadlines.join(', ')}` : '';
    const mark = active ? '\n▶ now' : visited ? '\n✓ visited' : '';
    const style = active
      ? 'fillcolor="#bee3f8", color="#2b6cb0", penwidth=2.5, fontcolor="#1a365d"'
      : visited
        ? 'fillcolor="#edf2f7", color="#4a5568"'
        : state.transient
          ? 'shape=diamond, style=filled, fillcolor="#f7fafc", fontsize=9'
          : '';
    const tags = state.tags.includes('ended') ? ', peripheries=2' : '';
    lines.push(`${indent}${quote(state.path)} [label=${quote(`${state.key}${stage}${deadlines}${mark}`)}${style ? `, ${style}` : ''}${tags}];`);
  };

  const endpoint = (state: StateDescription) => quote(isCompound(state) ? anchorOf(state.path) : state.path);
  const root = machine.states.find((s) => s.parent === null)!;
  lines.push(`  ${quote('__start')} [shape=circle, style=filled, fillcolor="#2d3748", width=0.15, height=0.15, label=""];`);
  for (const child of children(root.path)) emit(child, '  ');
  if (root.initial) lines.push(`  ${quote('__start')} -> ${quote(root.initial)};`);

  for (const t of machine.transitions) {
    for (const targetPath of t.targets) {
      const source = byPath.get(t.source)!;
      const target = byPath.get(targetPath)!;
      const attributes = [`label=${quote(edgeLabel(t, machine))}`];
      if (isCompound(source)) attributes.push(`ltail=${quote(clusterOf(source.path))}`);
      if (isCompound(target) && !targetPath.startsWith(`${t.source}.`)) attributes.push(`lhead=${quote(clusterOf(target.path))}`);
      if (highlight?.taken.has(transitionKey(t))) attributes.push('color="#2b6cb0"', 'penwidth=2.2', 'fontcolor="#1a365d"');
      if (t.deadline) attributes.push('style=dashed');
      lines.push(`  ${endpoint(source)} -> ${endpoint(target)} [${attributes.join(', ')}];`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

let viz: Promise<Viz> | undefined;

/** Renders DOT to SVG with Graphviz (WebAssembly). */
export async function renderSvg(dot: string): Promise<string> {
  viz ??= instance();
  return (await viz).renderString(dot, { format: 'svg', engine: 'dot' });
}
