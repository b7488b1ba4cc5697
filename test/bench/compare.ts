/**
 * The deployments side by side: one row per figure measured on more than one of them, one column
 * per deployment with its value and its ratio to the limit measured on that same deployment (its
 * own no-op route, its own store's bare commit). Figures measured once per store (seeding) stay
 * in the full tables.
 */
import { Figures, type FigureRow } from './figures.ts';
import { format } from './stats.ts';
import type { Target } from './target.ts';

export interface Group {
  key: string;
  /** The figure's label on each deployment, without the deployment's name, each once ("bare SQLite …" and "bare PostgreSQL …"). */
  label: string;
  /** One entry per target, in the targets' order; undefined where that deployment did not measure it. */
  cells: (FigureRow | undefined)[];
}

/** Groups the rows by their unscoped key, in the order they were first measured. */
export function groupByFigure(rows: FigureRow[], targets: readonly Target[]): Group[] {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const column = targets.findIndex((t) => t.id === (row.spec.variant?.id ?? ''));
    if (column < 0) continue;
    const base = Figures.base(row.spec);
    const group = groups.get(base.key) ?? { key: base.key, label: base.label, cells: targets.map(() => undefined) };
    if (!group.label.split(' / ').includes(base.label)) group.label += ` / ${base.label}`;
    group.cells[column] = row;
    groups.set(base.key, group);
  }
  return [...groups.values()];
}

const value = (row: FigureRow | undefined) => (row ? `${row.failed ? '**FAILED** ' : ''}${format(row.median)} ${row.spec.unit}` : '');
const ratio = (row: FigureRow | undefined) => (row?.ratio === undefined ? '' : `${format(row.ratio * 100)} %`);

/** The markdown section, or nothing when only one deployment ran. */
export function sideBySide(rows: FigureRow[], targets: readonly Target[]): string[] {
  if (targets.length < 2) return [];
  const groups = groupByFigure(rows, targets).filter((g) => g.cells.filter(Boolean).length > 1);
  return [
    '## The deployments side by side',
    '',
    'Each value beside its ratio to the limit measured on the same deployment in the same rounds (the LIMIT rows are those limits): for PostgreSQL with three instances, the no-op limit is the three instances together.',
    '',
    `| figure | ${targets.map((t) => `${t.title} | ratio`).join(' | ')} |`,
    `|---|${targets.map(() => '---:|---:').join('|')}|`,
    ...groups.map((g) => `| ${g.label.replace(/\|/g, '\\|')} | ${g.cells.map((c) => `${value(c)} | ${ratio(c)}`).join(' | ')} |`),
    '',
  ];
}
