/**
 * A hand-written SVG bar chart: one horizontal bar per figure that has a limit, its length the
 * figure as a percentage of that limit (the dashed line is 100 %). Bars past 150 % are clipped
 * and say so; failed figures are drawn in red. When several deployments ran, each figure gets
 * one bar per deployment, tagged with it, each against its own deployment's limit. No chart
 * library: plain elements and text.
 */
import { groupByFigure } from './compare.ts';
import type { FigureRow } from './figures.ts';
import { format } from './stats.ts';
import type { Target } from './target.ts';

const ROW = 22;
const LABEL = 560;
const TAG = 110;
const BAR = 420;
const CAP = 1.5;

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 3)}…` : text);

interface Bar {
  row: FigureRow;
  /** The figure's name, on its first bar only. */
  label?: string;
  /** The deployment, when several ran. */
  tag?: string;
}

function bars(rows: FigureRow[], targets: readonly Target[]): Bar[] {
  const charted = (r: FigureRow | undefined): r is FigureRow => r?.ratio !== undefined && Number.isFinite(r.ratio);
  if (targets.length < 2) return rows.filter(charted).map((row) => ({ row, label: `${row.failed ? 'FAILED ' : ''}${row.spec.label}` }));
  return groupByFigure(rows, targets).flatMap((group) =>
    group.cells
      .map((row, i) => ({ row, tag: targets[i]!.title }))
      .filter((bar): bar is { row: FigureRow; tag: string } => charted(bar.row))
      .map((bar, i) => ({ ...bar, tag: `${bar.row.failed ? 'FAILED ' : ''}${bar.tag}`, ...(i === 0 ? { label: group.label } : {}) })),
  );
}

function drawBar({ row, label, tag }: Bar, y: number, labelRight: number): string {
  const ratio = row.ratio!;
  const length = Math.max(1, (Math.min(ratio, CAP) / CAP) * BAR);
  const colour = row.failed ? '#c0392b' : ratio >= 0.5 ? '#2e86c1' : ratio >= 0.1 ? '#f39c12' : '#7f8c8d';
  return [
    label ? `<text x="${labelRight}" y="${y + 15}" text-anchor="end">${escapeXml(shorten(label, tag ? 75 : 90))}</text>` : '',
    tag ? `<text x="${LABEL - 8}" y="${y + 15}" text-anchor="end" fill="#555">${escapeXml(shorten(tag, 24))}</text>` : '',
    `<rect x="${LABEL}" y="${y + 4}" width="${length.toFixed(1)}" height="${ROW - 8}" fill="${colour}"><title>${escapeXml(`${row.spec.label}: ${format(row.median)} ${row.spec.unit}; limit ${format(row.limit!.median)} ${row.limit!.spec.unit}`)}</title></rect>`,
    `<text x="${LABEL + length + 6}" y="${y + 15}">${format(ratio * 100)} %${ratio > CAP ? ' (clipped)' : ''}</text>`,
  ]
    .filter(Boolean)
    .join('\n  ');
}

export function barChart(rows: FigureRow[], date: Date, targets: readonly Target[] = []): string {
  const charted = bars(rows, targets);
  const tagged = charted.some((b) => b.tag);
  const top = 50;
  const height = top + charted.length * ROW + 40;
  const width = LABEL + BAR + 120;
  const x100 = LABEL + BAR / CAP;
  const drawn = charted.map((bar, i) => drawBar(bar, top + i * ROW, tagged ? LABEL - TAG - 8 : LABEL - 8));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
  <title>Arbiter benchmark: each figure as a percentage of its limit</title>
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="10" y="22" font-size="15" font-weight="bold">Arbiter benchmark, ${escapeXml(date.toISOString().slice(0, 10))}: each figure as a percentage of its limit (same run${tagged ? ', same deployment' : ''})</text>
  <line x1="${x100}" y1="${top - 8}" x2="${x100}" y2="${top + charted.length * ROW}" stroke="#333" stroke-dasharray="4 3"/>
  <text x="${x100}" y="${top - 12}" text-anchor="middle">100 %</text>
  ${drawn.join('\n  ')}
  <text x="10" y="${height - 12}" fill="#555">Throughput: value ÷ limit. Latency, bytes, memory, start-up: limit ÷ value. Grey below 10 %, orange below 50 %, red: failed.</text>
</svg>
`;
}
