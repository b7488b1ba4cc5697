import { instance, type Viz } from '@viz-js/viz';
import type { MachineDescription, StateDescription, TransitionDescription } from '../machines/index.ts';

/**
 * The statechart as Graphviz DOT: compound states are clusters (parallel regions dashed, each
 * region its own cluster), each resting state shows its label in words with its id and lifecycle
 * stage beneath, and every transition that moves the dispute is an edge whose label (event,
 * guard and, for a deadline, how long it waits) is a node of its own in the layout, so Graphviz
 * places labels like states and none overlaps another. Rendered to SVG by Graphviz compiled to
 * WebAssembly (`@viz-js/viz`), in plain Node, offline.
 *
 * A dispute's own diagram highlights where it stands (`active`, filled and marked "now") and
 * what it went through (`visited` states, `taken` transitions): states are named in text as
 * well as colour. Elements carry ids (`state:<path>`, `transition:<n>`) and classes (`active`,
 * `visited`, `taken`) a page can find them by.
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
const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const anchorOf = (path: string) => `${path}.__anchor`;
const clusterOf = (path: string) => `cluster_${path || 'root'}`;

/** Breaks a label into lines of about `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && last.length + word.length + 1 <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

/** An edge's words: the event, how long a deadline waits (in the described policy's numbers), the guard as a condition. */
function edgeLabel(t: TransitionDescription, machine: MachineDescription): string {
  if (t.deadline) {
    const d = machine.deadlines.find((x) => x.name === t.deadline);
    return `${t.event}\nafter ${d?.length ?? ''} (${d?.rule ?? ''})`;
  }
  const event = t.event ?? 'always';
  return t.guardWords ? [event, ...wrap(t.guardWords, 28)].join('\n') : event;
}

/** The deepest compound state holding both ends: where an edge's label node belongs. */
function commonScope(a: string, b: string): string {
  const pa = a.split('.');
  const pb = b.split('.');
  const shared: string[] = [];
  // The scope is a proper ancestor of both ends (an end that is itself compound counts as inside it).
  for (let i = 0; i < Math.min(pa.length, pb.length) - 1 && pa[i] === pb[i]; i += 1) shared.push(pa[i]!);
  return shared.join('.');
}

export function toDot(machine: MachineDescription, highlight?: Highlight): string {
  const byPath = new Map(machine.states.map((s) => [s.path, s]));
  const children = (path: string) => machine.states.filter((s) => s.parent === path);
  const isCompound = (s: StateDescription) => children(s.path).length > 0;
  const endpoint = (state: StateDescription) => quote(isCompound(state) ? anchorOf(state.path) : state.path);
  const eventLabel = new Map<string, string>(machine.events.map((e) => [e.type, e.label]));

  const edges = machine.transitions.flatMap((t) => t.targets.map((target) => ({ t, target, scope: commonScope(t.source, target) })));
  const labelNodesIn = (scope: string, indent: string) =>
    edges.flatMap((e, i) => {
      if (e.scope !== scope) return [];
      const taken = highlight?.taken.has(transitionKey(e.t)) ?? false;
      const words = e.t.event ? eventLabel.get(e.t.event) : undefined;
      const text = [...(words ? [`<i>${html(words)}</i>`] : []), ...edgeLabel(e.t, machine).split('\n').map(html)].join('<br/>');
      const style = taken
        ? 'fontcolor="#1a365d", color="#2b6cb0", style="rounded,filled", fillcolor="#ebf8ff"'
        : 'color="#e2e8f0", style="rounded,filled", fillcolor="#ffffff"';
      return [
        `${indent}"label:${i}" [id="transition:${i}", class="${taken ? 'taken' : ''}", shape=box, fontsize=9, margin="0.05,0.02", ${style}, label=<${text}>];`,
      ];
    });

  const lines: string[] = [
    'digraph dispute {',
    '  compound=true; rankdir=LR; newrank=true; nodesep=0.25; ranksep=0.35;',
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
        `${indent}  label=${quote(`${state.label} (${state.key}${parallel ? ', parallel' : ''})${active ? ' · now' : ''}`)}; id=${quote(`state:${state.path}`)}; style=${quote(parallel ? 'rounded,dashed' : 'rounded')}; ${active ? 'color="#2b6cb0"; penwidth=2;' : ''}`,
      );
      lines.push(`${indent}  ${quote(anchorOf(state.path))} [shape=point, style=invis, width=0, height=0, label=""];`);
      if (state.initial) {
        const initial = `${state.path}.__initial`;
        lines.push(`${indent}  ${quote(initial)} [shape=circle, style=filled, fillcolor="#2d3748", width=0.12, height=0.12, label=""];`);
        const target = byPath.get(`${state.path}.${state.initial}`)!;
        lines.push(`${indent}  ${quote(initial)} -> ${endpoint(target)}${isCompound(target) ? ` [lhead=${quote(clusterOf(target.path))}]` : ''};`);
      }
      for (const child of children(state.path)) emit(child, `${indent}  `);
      lines.push(...labelNodesIn(state.path, `${indent}  `));
      lines.push(`${indent}}`);
      return;
    }
    const secondary = [state.key, ...(state.stage && !state.transient ? [state.stage] : [])].join(' · ');
    const deadlines = state.deadlines.length > 0 ? [`deadline: ${state.deadlines.join(', ')}`] : [];
    const mark = active ? ['▶ now'] : visited ? ['✓ visited'] : [];
    const text = [
      ...wrap(state.label, 26).map((line) => `<b>${html(line)}</b>`),
      `<font point-size="9">${html(secondary)}</font>`,
      ...deadlines.map((d) => `<font point-size="9">${html(d)}</font>`),
      ...mark.map((m) => `<b>${m}</b>`),
    ].join('<br/>');
    const style = active
      ? 'fillcolor="#bee3f8", color="#2b6cb0", penwidth=2.5, fontcolor="#1a365d"'
      : visited
        ? 'fillcolor="#edf2f7", color="#4a5568"'
        : state.transient
          ? 'shape=diamond, style=filled, fillcolor="#f7fafc", fontsize=9'
          : '';
    const tags = state.tags.includes('ended') ? ', peripheries=2' : '';
    const classes = [active ? 'active' : '', visited ? 'visited' : ''].filter(Boolean).join(' ');
    lines.push(`${indent}${quote(state.path)} [id=${quote(`state:${state.path}`)}, class="${classes}", label=<${text}>${style ? `, ${style}` : ''}${tags}];`);
  };

  const root = machine.states.find((s) => s.parent === null)!;
  lines.push(`  ${quote('__start')} [shape=circle, style=filled, fillcolor="#2d3748", width=0.15, height=0.15, label=""];`);
  for (const child of children(root.path)) emit(child, '  ');
  lines.push(...labelNodesIn('', '  '));
  if (root.initial) lines.push(`  ${quote('__start')} -> ${quote(root.initial)};`);

  // Each transition is drawn in two halves through its label node.
  edges.forEach(({ t, target: targetPath }, i) => {
    const source = byPath.get(t.source)!;
    const target = byPath.get(targetPath)!;
    const taken = highlight?.taken.has(transitionKey(t)) ?? false;
    const look = [...(taken ? ['color="#2b6cb0"', 'penwidth=2.2'] : []), ...(t.deadline ? ['style=dashed'] : [])];
    const out = [...look, 'arrowhead=none'];
    if (isCompound(source)) out.push(`ltail=${quote(clusterOf(source.path))}`);
    const into = [...look];
    if (isCompound(target) && !targetPath.startsWith(`${t.source}.`)) into.push(`lhead=${quote(clusterOf(target.path))}`);
    lines.push(`  ${endpoint(source)} -> "label:${i}" [${out.join(', ')}];`);
    lines.push(`  "label:${i}" -> ${endpoint(target)}${into.length ? ` [${into.join(', ')}]` : ''};`);
  });
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

let viz: Promise<Viz> | undefined;

/** Renders DOT to SVG with Graphviz (WebAssembly). */
export async function renderSvg(dot: string): Promise<string> {
  viz ??= instance();
  return (await viz).renderString(dot, { format: 'svg', engine: 'dot' });
}
