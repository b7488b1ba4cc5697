/**
 * The results: a table on stdout, and `latest.md` (the table in markdown with the machine it ran
 * on) and `latest.svg` (each figure as a percentage of its limit) in the output folder.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { sideBySide } from './compare.ts';
import type { FigureRow, Figures } from './figures.ts';
import { forStore, type Options } from './options.ts';
import { format } from './stats.ts';
import { barChart } from './svg.ts';

const cell = (row: FigureRow) => `${format(row.median)} ${row.spec.unit}`;
const range = (row: FigureRow) => (row.values.length > 1 ? `${format(row.min)}–${format(row.max)}` : '');
const limitCell = (row: FigureRow) => (row.limit ? `${format(row.limit.median)} ${row.limit.spec.unit} (${row.limit.spec.key})` : '');
const ratioCell = (row: FigureRow) => (row.ratio === undefined ? '' : `${format(row.ratio * 100)} %`);

export function printTable(figures: Figures) {
  const rows = figures.rows();
  const lines = rows.map((row) => [`${row.failed ? '!! ' : ''}${row.spec.label}`, cell(row), range(row), limitCell(row), ratioCell(row)]);
  const header = ['figure', 'median', 'min–max', 'limit', 'of limit'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const show = (cols: string[]) => cols.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${show(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines) console.log(show(line));
  const notes = rows.filter((r) => r.notes.length > 0);
  if (notes.length > 0) console.log(`\nnotes:\n${notes.map((r) => `  ${r.spec.key}: ${r.notes.join('; ')}`).join('\n')}`);
  if (figures.problems.length > 0) console.log(`\n!!! ${figures.problems.length} problem(s):\n${figures.problems.map((p) => `  - ${p}`).join('\n')}`);
}

export interface RunInfo {
  startedAt: Date;
  seconds: number;
  /** Paragraphs that explain the scenarios (mixes, storm set-up), added by the scenarios. */
  explanations: string[];
  /** The 1-minute load average before each scenario. */
  loadAverages: number[];
  /** The PostgreSQL server and its settings, when it was measured. */
  postgres?: string;
}

function machine(options: Options, info: RunInfo): string[] {
  const cpu = cpus();
  return [
    `- date: ${info.startedAt.toISOString()}, run took ${format(info.seconds / 60)} min`,
    `- command: \`npm run bench${options.argv.length ? ` -- ${options.argv.join(' ')}` : ''}\``,
    `- node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${format(totalmem() / 2 ** 30)} GiB memory, ${process.platform}`,
    `- load average (1 min) before each scenario: ${info.loadAverages.length ? `${format(Math.min(...info.loadAverages))}–${format(Math.max(...info.loadAverages))}` : '–'} (the benchmark itself accounts for about 2; more means something else ran beside it)`,
    `- SQLite durability: full (WAL, synchronous=FULL); production mode, service spawned as \`node --import tsx server/main.ts\`; autocannon runs in the benchmark's process on the same machine`,
    ...(info.postgres
      ? [
          `- ${info.postgres}; shared with other work on this machine; a fresh schema per scenario; N = ${format(options.pgStored)} stored disputes on PostgreSQL, ${format(forStore(options, 'postgres').stormDeadlines)} in its storm; deployments: ${options.targets.map((t) => t.title).join(', ')}`,
        ]
      : []),
    `- ${options.rounds} interleaved round(s)${options.storedRounds < options.rounds && (options.scenarios.includes('stored') || options.scenarios.includes('storm')) ? ` (stored and storm in ${options.storedRounds})` : ''}; per load run ${options.warmupS} s warm-up, ${options.durationS} s measured, ${options.connections} connections${options.targets.some((t) => t.store === 'sqlite') ? `; N = ${format(options.stored)} stored disputes on SQLite, ${format(options.stormDeadlines)} in its storm` : ''}`,
  ];
}

const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function table(rows: FigureRow[]): string[] {
  return [
    '| figure | value (median) | min–max | limit | ratio | notes |',
    '|---|---:|---:|---|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.failed ? '**FAILED** ' : ''}${escapeCell(r.spec.label)} | ${cell(r)} | ${range(r)} | ${escapeCell(limitCell(r))} | ${ratioCell(r)} | ${escapeCell(r.notes.join('; '))} |`,
    ),
  ];
}

/** SQLite's figures first (as they always were), then the deployments side by side, then every PostgreSQL figure. */
export function writeResults(options: Options, figures: Figures, info: RunInfo): string {
  mkdirSync(options.outDir, { recursive: true });
  const rows = figures.rows();
  const sqlite = rows.filter((r) => !r.spec.variant);
  const postgres = rows.filter((r) => r.spec.variant);
  const markdown = [
    '# Arbiter HTTP benchmark',
    '',
    ...machine(options, info),
    '',
    'The ratio says how close each figure comes to its limit, measured in the same round: value ÷ limit where higher is better, limit ÷ value where lower is better (100 % = as good as the limit).',
    '',
    ...table(sqlite),
    '',
    ...sideBySide(rows, options.targets),
    ...(postgres.length > 0 ? ['## PostgreSQL: every figure', '', ...table(postgres), ''] : []),
    ...(figures.problems.length > 0 ? ['## Problems', '', ...figures.problems.map((p) => `- ${escapeCell(p)}`), ''] : []),
    ...(info.explanations.length > 0 ? ['## How the scenarios work', '', ...info.explanations.flatMap((e) => [e, '']), ''] : []),
  ].join('\n');
  writeFileSync(join(options.outDir, 'latest.md'), markdown);
  writeFileSync(join(options.outDir, 'latest.svg'), barChart(rows, info.startedAt, options.targets));
  return options.outDir;
}
